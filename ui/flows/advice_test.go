package flows_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/advicenew"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
	"github.com/ers-workstation/ers-workstation/ui/uitest/live"
)

// adviceNHS is a synthetic patient (valid check digit).
const adviceNHS = "9990000018"

// Issue 9's journey against one simulator and gateway: a referring
// clinician asks an advice service through the new A&G request screen, a
// provider clinician (a second sign-in) answers, the referrer reads the
// answer; then the referrer asks again allowing conversion, and the
// provider converts that request into a referral the referrer can read.
//
// The referrer's form is the real screen, driven by keys. The provider's
// answer and conversion, and the referrer's reading, call e-RS through
// ersclient as the A&G screen (ui/screens/advice) would: that screen is
// being written alongside this test and is not driven here yet.
//
// e-RS has no API for the referrer to reply to a request for more
// information, so a request the provider answered stays with the referrer
// and cannot then be converted: the conversion is shown on a second
// request, and the refusal on the first.
func TestAdviceAskedAnsweredReadAndConverted(t *testing.T) {
	d := live.NewDemo(t, 0)
	ref := live.SignIn(t, d, live.AsReferrer())
	prov := live.SignIn(t, d, live.AsProviderClinician())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// The advice search (A010) the search screen makes, to get two
	// advice services of the provider's trust.
	found, err := ref.ERS.SearchServicesForPatient(ctx, ersclient.ServiceSearch{
		RequestType: ersclient.RequestAdviceAndGuidance, NHSNumber: adviceNHS,
		Criteria: ersclient.SearchCriteria{Priority: ersclient.PriorityCoding(ersclient.PriorityRoutine)}})
	if err != nil {
		t.Fatal(err)
	}
	var services []ersclient.ServiceResult
	for _, s := range found.Services {
		if s.Supports(ersclient.FlowAdviceAndGuidance) && strings.HasPrefix(s.LocationCode, cis2.ProviderODS) {
			services = append(services, s)
		}
	}
	if len(services) < 2 {
		t.Fatalf("the seed offers %d advice services at %s, want 2: %+v", len(services), cis2.ProviderODS, found.Services)
	}
	ask := func(svc ersclient.ServiceResult, question string, authorise bool) string {
		t.Helper()
		return askThroughTheScreen(t, ref, advicenew.Request{NHSNumber: adviceNHS, Service: svc, Criteria: found.Criteria},
			question, authorise)
	}

	t.Run("the referrer asks, the provider answers, the referrer reads the answer", func(t *testing.T) {
		const question = "Intermittent tingling in both hands for 3 months. Nerve conduction studies first?"
		ubrn := ask(services[0], question, false)

		// The provider finds it on the A&G worklist (A023) and reads it.
		wl, err := prov.ERS.RetrieveAdviceWorklist(ctx, ersclient.AdviceWorklistQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if !onWorklist(wl, ubrn) {
			t.Fatalf("%s is not on the provider's A&G worklist", ubrn)
		}
		req := readAdvice(t, ctx, prov.ERS, ubrn, ersclient.AdviceProviderResponseRequired, question)
		if ok, _ := req.Summary().CanConvert(); ok {
			t.Error("the referrer did not allow conversion, yet the request says it may be converted")
		}

		// The provider answers with advice (A026).
		const guidance = "Yes: arrange nerve conduction studies; refer if they show entrapment."
		if _, err := prov.ERS.SendAdviceResponse(ctx, ersclient.AdviceResponseRequest{UBRN: ubrn, Version: req.Version,
			Outcome: ersclient.AdviceReturnWithAdvice, Recommendation: ersclient.RecommendReferralIfRequired,
			Guidance: guidance, UpdatedPriority: ersclient.PriorityRoutine}); err != nil {
			t.Fatal(err)
		}

		// The referrer reads the answer (A024, A025).
		mine := readAdvice(t, ctx, ref.ERS, ubrn, ersclient.AdviceReferrerToReviewResponse, guidance)

		// With the request back with the referrer, e-RS refuses a
		// conversion.
		if _, err := prov.ERS.ConvertAdviceToReferral(ctx, ersclient.ConvertAdviceRequest{UBRN: ubrn, Version: mine.Version,
			Guidance: "Converting.", NewReferralPriority: ersclient.PriorityRoutine, ReviewComments: "Book."}); err == nil {
			t.Error("e-RS converted a request that is back with the referrer and not allowed to be converted")
		}
	})

	t.Run("the referrer asks allowing conversion, the provider converts, the referrer reads the referral", func(t *testing.T) {
		const question = "Knee pain after a fall, stable on examination. Physiotherapy or orthopaedics?"
		ubrn := ask(services[1], question, true)

		req := readAdvice(t, ctx, prov.ERS, ubrn, ersclient.AdviceProviderResponseRequired, question)
		if ok, why := req.Summary().CanConvert(); !ok {
			t.Fatalf("the provider may not convert: %s", why)
		}
		const guidance = "We will see the patient in the physiotherapy clinic."
		converted, err := prov.ERS.ConvertAdviceToReferral(ctx, ersclient.ConvertAdviceRequest{UBRN: ubrn, Version: req.Version,
			Guidance: guidance, NewReferralPriority: ersclient.PriorityRoutine, ReviewComments: "Book into the next clinic."})
		if err != nil {
			t.Fatal(err)
		}
		if converted.UBRN() != ubrn {
			t.Errorf("converted into %s, want the same UBRN %s", converted.UBRN(), ubrn)
		}

		// The referrer reads the answer and the referral it became.
		readAdvice(t, ctx, ref.ERS, ubrn, ersclient.AdviceConvertedToReferral, guidance)
		referral, err := ref.ERS.RetrieveReferral(ctx, ubrn)
		if err != nil {
			t.Fatal(err)
		}
		if s := referral.Summary(); s.State.Code != ersclient.ReferralStateTriagedProviderToAction || s.NHSNumber != adviceNHS {
			t.Errorf("the referral is %s for %s, want %s for %s", s.State.Code, s.NHSNumber,
				ersclient.ReferralStateTriagedProviderToAction, adviceNHS)
		}
	})
}

// askThroughTheScreen fills the new A&G request form by keys as a person
// would, confirms, and returns the UBRN of the request it opens.
func askThroughTheScreen(t *testing.T, env *live.Env, req advicenew.Request, question string, authorise bool) string {
	t.Helper()
	s := advicenew.New(env.Common, req)
	s.SetSize(120, 40)
	// Keys run through uitest.Run, which does not wait for the text's
	// cursor blink (a tick that never ends); the write runs to its end
	// with live.Drive.
	r := uitest.RunInit(s, s.Init())
	conversion := []string{"tab", "enter"} // Yes is first
	if !authorise {
		conversion = []string{"tab", "down", "space", "tab"}
	}
	msgs := uitest.Type(question)
	msgs = append(msgs, uitest.Keys(conversion...)...)
	msgs = append(msgs, uitest.Keys("tab", "enter")...)
	r = uitest.Run(r.Model, msgs...)
	s = r.Model
	c, ok := findMsg[screen.Confirm](r.ToRoot())
	if !ok {
		t.Fatalf("no confirmation; the form:\n%s", ansi.Strip(s.View()))
	}
	if !strings.Contains(c.Body, ersclient.FormatNHSNumber(req.NHSNumber)) || !strings.Contains(c.Body, req.Service.Name) {
		t.Errorf("the confirmation does not name the patient and service: %q", c.Body)
	}
	out := live.Drive(s, c.OnYes)
	open, ok := findMsg[screen.Open](out)
	if !ok || open.Route != "advice" {
		t.Fatalf("sending opened %+v (%v); the form:\n%s", open, ok, ansi.Strip(s.View()))
	}
	ubrn, _ := open.Arg.(string)
	if toast, ok := findMsg[screen.Toast](out); !ok || !strings.Contains(toast.Text, ubrn) {
		t.Errorf("no toast naming %s: %+v", ubrn, toast)
	}
	if s.Dirty() {
		t.Error("the form is still dirty once sent")
	}
	if es, _ := os.ReadDir(env.Common.Drafts); len(es) != 0 {
		t.Errorf("the draft was not removed once sent: %v", es)
	}
	return ubrn
}

// readAdvice reads a request (A024) and its conversation (A025) as one
// side, and checks where it stands and its last message.
func readAdvice(t *testing.T, ctx context.Context, ers *ersclient.Client, ubrn string, want ersclient.AdviceStatus, lastText string) *ersclient.AdviceRequest {
	t.Helper()
	req, err := ers.RetrieveAdviceRequest(ctx, ubrn)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Summary().Category; got != want {
		t.Errorf("%s is %s, want %s", ubrn, got, want)
	}
	thread, err := ers.RetrieveAdviceConversation(ctx, ubrn, req.Version)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(thread.Messages); n == 0 || thread.Messages[n-1].Text != lastText {
		t.Errorf("the last message of %s is not %q: %+v", ubrn, lastText, thread.Messages)
	}
	return req
}

func onWorklist(wl *ersclient.Worklist, ubrn string) bool {
	for _, r := range wl.Rows {
		if r.UBRN == ubrn {
			return true
		}
	}
	return false
}

func findMsg[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}
