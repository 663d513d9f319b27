package advice

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// writeResponse opens the form and fills it: text, advice, a
// recommendation; the priority is the request's.
func writeResponse(m *Model, text string) uitest.Result[screen.Screen] {
	keys(m, "w")
	press(m, uitest.Type(text)...)
	return keys(m, "tab", "right", "tab", "right", "tab", "right", "ctrl+s") // the fixture has no priority
}

func TestItLoadsTheRequestThenTheConversationAtItsVersion(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	var asked string
	w.fake.AdviceConversation = func(_, v string) (*ersclient.AdviceThread, error) { asked = v; return thread(3), nil }
	m := w.open()
	if asked != "5" {
		t.Fatalf("A025 asked at version %q, want 5", asked)
	}
	v := view(m)
	for _, want := range []string{"999 000 0018", "Provider response required", "Message 0: synthetic question", "Provider · user 000000000101"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	for _, s := range uitest.Sizes() {
		m.SetSize(s.W, s.H)
		uitest.AssertFrame(t, m.View(), s.W, s.H)
	}
}

func TestAProviderRespondsWithConfirmationAndIfMatch(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	var got ersclient.AdviceResponseRequest
	w.fake.AdviceResponse = func(r ersclient.AdviceResponseRequest) (*ersclient.AdviceSent, error) {
		got = r
		w.ver, w.cat = "6", ersclient.AdviceReferrerToReviewResponse
		return &ersclient.AdviceSent{UBRN: ubrn, Version: "6"}, nil
	}
	m := w.open()
	res := writeResponse(m, "Synthetic advice: try the synthetic treatment.")
	var body string
	for _, msg := range res.Msgs {
		if c, ok := msg.(screen.Confirm); ok {
			body = c.Body
		}
	}
	for _, want := range []string{"999 000 0018", ubrn, "Return to referrer with advice"} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation lacks %q: %q", want, body)
		}
	}
	if w.fake.CallCount(string(ersclient.OpSendAdviceResponse)) != 0 {
		t.Fatal("sent before the user confirmed")
	}
	sent := confirm(t, m, res)
	broadcast := false
	for _, msg := range sent.Msgs {
		if c, ok := msg.(screen.AdviceChanged); ok && c.UBRN == m.ubrn {
			broadcast = true
		}
	}
	if !broadcast {
		t.Error("no AdviceChanged for the worklist underneath")
	}
	if got.Version != "5" || got.Guidance != "Synthetic advice: try the synthetic treatment." ||
		got.Outcome != ersclient.AdviceReturnWithAdvice || got.Recommendation == "" {
		t.Fatalf("sent %+v", got)
	}
	if m.Dirty() || m.mode != modeThread {
		t.Errorf("after sending: dirty %v mode %v", m.Dirty(), m.mode)
	}
	if _, ok, _ := m.drafts.Load(m.draftKey(slotGuidance)); ok {
		t.Error("the draft was kept after sending")
	}
	if !strings.Contains(view(m), "Referrer to review response") {
		t.Errorf("not reloaded:\n%s", view(m))
	}
}

func TestTheFormSaysWhatIsMissingBesideEachField(t *testing.T) {
	m := newWorld(t, ersclient.ServiceProviderClinician).open()
	keys(m, "w", "ctrl+s")
	v := view(m)
	for _, want := range []string{"Write the advice", "Choose an outcome."} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if !m.Capturing() {
		t.Error("the text lost focus though it is the first problem")
	}
}

func TestTheDraftSurvivesLeavingAndARestart(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	m := w.open()
	keys(m, "w")
	press(m, uitest.Type("Half-written synthetic advice")...)
	keys(m, "esc")
	if m.Capturing() {
		t.Fatal("esc did not leave the text")
	}
	again := w.open() // a new screen object: as after a restart
	if got := again.form.text.Value(); got != "Half-written synthetic advice" {
		t.Fatalf("restored %q", got)
	}
	keys(again, "w")
	if !strings.Contains(view(again), "draft was restored") {
		t.Errorf("the restore is not said:\n%s", view(again))
	}
}

func TestTheDraftSurvivesAFailedSendAndAnEndedSession(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.fake.AdviceResponse = func(ersclient.AdviceResponseRequest) (*ersclient.AdviceSent, error) {
		return nil, &ersclient.Error{Op: ersclient.OpSendAdviceResponse, Kind: ersclient.KindAPI, Status: 401, Code: "UNAUTHORISED", CorrelationID: "corr-1"}
	}
	m := w.open()
	confirm(t, m, writeResponse(m, "Synthetic advice kept"))
	if v := view(m); !strings.Contains(v, "UNAUTHORISED") || !strings.Contains(v, "corr-1") {
		t.Errorf("the error is not shown with its code:\n%s", v)
	}
	if got := w.open().form.text.Value(); got != "Synthetic advice kept" {
		t.Fatalf("draft after the failure: %q", got)
	}
}

func TestAConflictReloadsAndKeepsTheText(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.fake.AdviceResponse = func(ersclient.AdviceResponseRequest) (*ersclient.AdviceSent, error) {
		w.ver = "7"
		return nil, &ersclient.Error{Op: ersclient.OpSendAdviceResponse, Kind: ersclient.KindAPI, Status: 412}
	}
	m := w.open()
	confirm(t, m, writeResponse(m, "Synthetic text to keep"))
	if m.sum.Version != "7" {
		t.Errorf("not reloaded: version %s", m.sum.Version)
	}
	if m.form.text.Value() != "Synthetic text to keep" {
		t.Errorf("text lost: %q", m.form.text.Value())
	}
	if !strings.Contains(view(m), "changed this request") {
		t.Errorf("the conflict is not explained:\n%s", view(m))
	}
}

func TestAnUnknownOutcomeIsReadBackNotRetried(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rec     ersclient.Reconciliation
		want    string
		cleared bool
	}{
		{"applied", ersclient.Reconciliation{Applied: true}, "Response sent (confirmed", true},
		{"not applied", ersclient.Reconciliation{NotApplied: true}, "It was NOT done", false},
		{"cannot tell", ersclient.Reconciliation{}, "cannot be told", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, ersclient.ServiceProviderClinician)
			w.fake.AdviceResponse = func(ersclient.AdviceResponseRequest) (*ersclient.AdviceSent, error) {
				return nil, &ersclient.Error{Op: ersclient.OpSendAdviceResponse, Kind: ersclient.KindAPI, Status: 504}
			}
			w.fake.ReconcileAdvice = func(_, sent string) (*ersclient.Reconciliation, error) {
				r := tc.rec
				r.SentVersion = sent
				return &r, nil
			}
			m := w.open()
			confirm(t, m, writeResponse(m, "Synthetic advice"))
			if n := w.fake.CallCount(string(ersclient.OpSendAdviceResponse)); n != 1 {
				t.Fatalf("sent %d times", n)
			}
			if w.fake.CallCount("reconcile-advice") != 1 {
				t.Fatal("the outcome was not read back")
			}
			if !strings.Contains(view(m)+m.Status(), tc.want) {
				t.Errorf("lacks %q:\n%s\n%s", tc.want, view(m), m.Status())
			}
			if cleared := m.form.text.Value() == ""; cleared != tc.cleared {
				t.Errorf("text cleared %v, want %v", cleared, tc.cleared)
			}
		})
	}
}

func TestAReferrerReadsButCannotRespondOrConvert(t *testing.T) {
	w := newWorld(t, ersclient.ReferringClinician)
	w.cat = ersclient.AdviceReferrerToSubmitMoreInfo
	m := w.open()
	k := m.KeyMap().(keyMap)
	if k.Respond.Enabled() || k.Convert.Enabled() {
		t.Error("provider keys enabled for a referrer")
	}
	keys(m, "w")
	if m.mode == modeForm {
		t.Error("the referrer opened the response form")
	}
	if !strings.Contains(view(m), "e-RS web application") {
		t.Errorf("where to add further information is not said:\n%s", view(m))
	}
}

func TestConvertIsDisabledWithTheReasonWhenNotAuthorised(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	m := w.open()
	if m.KeyMap().(keyMap).Convert.Enabled() {
		t.Fatal("convert enabled without the referrer's authorisation")
	}
	if !strings.Contains(view(m), "Convert (c) is not available") {
		t.Errorf("the reason is not shown:\n%s", view(m))
	}
}

func TestTheOverviewIsDownloadedAndPreviewed(t *testing.T) {
	w := newWorld(t, ersclient.ServiceProviderClinician)
	w.fake.AdviceOverview = func(_ string, wr io.Writer) (*ersclient.Download, error) {
		_, _ = wr.Write([]byte("Synthetic overview line"))
		return &ersclient.Download{FileName: "overview.txt", ContentType: "text/plain"}, nil
	}
	m := w.open()
	keys(m, "d", "enter")
	v := view(m)
	for _, want := range []string{"A&G overview", "[saved]", "Synthetic overview line"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestGoldens(t *testing.T) {
	m := newWorld(t, ersclient.ServiceProviderClinician).open()
	for _, s := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
		m.SetSize(s.W, s.H)
		uitest.Golden(t, fmt.Sprintf("conversation_%dx%d", s.W, s.H), view(m))
	}
}
