package advicenew

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

const question = "Is an echo needed before referral?"

func TestSendConfirmsNamingPatientServiceAndConversionThenCreatesTheRequest(t *testing.T) {
	f := newFixture(t)
	var got ersclient.CreateAdviceRequest
	f.ers.CreateAdvice = func(req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) {
		got = req
		return created(testUBRN), nil
	}
	s := f.form()
	if !s.Capturing() {
		t.Fatal("the text should have the keys when the form opens")
	}
	s, _ = run(s, fill(question)...)
	if !s.Dirty() {
		t.Fatal("typed text is unsent work")
	}
	s, out := run(s, toSend()...)
	c := confirmOf(t, out)
	for _, want := range []string{"999 000 0018", "Cardiology Advice", "Synthetic General Hospital", "MAY turn this into a referral", "new UBRN"} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("confirmation %q does not say %q", c.Body, want)
		}
	}
	if f.ers.CallCount(string(ersclient.OpCreateAdviceRequest)) != 0 {
		t.Fatal("sent before the user confirmed")
	}
	s, out = yes(s, c)
	if got.NHSNumber != testNHS || got.ServiceID != testService || got.Request != question || !got.ConversionAuthorised {
		t.Errorf("A044 sent %+v", got)
	}
	if got.ReferringClinician != "" {
		t.Errorf("a referring clinician asks in their own name, sent clinician %q", got.ReferringClinician)
	}
	if got.SearchCriteria == nil || len(got.SearchCriteria.Parameter) == 0 || got.SearchCriteria.Parameter[0].Name != "priority" {
		t.Errorf("search criteria not sent with the priority: %+v", got.SearchCriteria)
	}
	open, ok := has[screen.Open](out)
	if !ok || open.Route != "advice" || open.Arg != testUBRN {
		t.Errorf("Open = %+v, %v; want the advice screen for %s", open, ok, testUBRN)
	}
	if toast, ok := has[screen.Toast](out); !ok || toast.Level != screen.Success || !strings.Contains(toast.Text, testUBRN) {
		t.Errorf("toast = %+v, want success naming the UBRN", toast)
	}
	if s.Dirty() || s.Capturing() {
		t.Error("a sent form is neither dirty nor capturing")
	}
	if label, id, ok := s.FocusedID(); !ok || label != "UBRN" || id != testUBRN {
		t.Errorf("FocusedID = %s %s %v, want the new UBRN", label, id, ok)
	}
	if es := draftFiles(t, f.common.Drafts); len(es) != 0 {
		t.Errorf("draft not removed when sent: %v", es)
	}
	// Nothing more is sent from a sent form.
	_, out = run(s, keys("enter")...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Error("a sent form offered to send again")
	}
}

func TestNotAuthorisingConversionIsSentAsNo(t *testing.T) {
	f := newFixture(t)
	var got ersclient.CreateAdviceRequest
	f.ers.CreateAdvice = func(req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) {
		got = req
		return created(testUBRN), nil
	}
	s := f.form()
	// down moves the cursor to No; space chooses it.
	s, out := run(s, seq(uitest.Type(question), keys("tab", "down", "space", "tab", "tab", "enter"))...)
	c := confirmOf(t, out)
	if !strings.Contains(c.Body, "may NOT turn this into a referral") {
		t.Errorf("confirmation does not say conversion is not allowed: %q", c.Body)
	}
	yes(s, c)
	if got.ConversionAuthorised {
		t.Error("sent as authorised to convert")
	}
}

func TestValidationPutsEachProblemBesideItsFieldAndSendsNothing(t *testing.T) {
	f := newFixture(t)
	s := f.form()
	s, out := run(s, keys("tab", "tab", "tab", "enter")...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Fatal("asked to confirm an empty form")
	}
	v := view(s)
	for _, want := range []string{"! Write the question for the provider.", "! Say whether the provider may convert"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if s.f.focus != fieldText || !s.Capturing() {
		t.Error("focus should go to the first field in trouble, the text")
	}
	// Typing clears the text's problem.
	s, _ = run(s, uitest.Type("x")...)
	if strings.Contains(view(s), "! Write the question") {
		t.Error("the text's problem stayed after typing")
	}
}

func TestTheCountIsLiveAndTextOverTheLimitIsRefused(t *testing.T) {
	f := newFixture(t)
	s := f.form()
	s, _ = run(s, uitest.Type("héllo")...)
	if !strings.Contains(view(s), "5/8000") {
		t.Errorf("count not shown in characters:\n%s", view(s))
	}
	long := strings.Repeat("a", ersclient.MaxAdviceTextRunes+1)
	s, _ = run(s, tea.PasteMsg{Content: long})
	if !strings.Contains(view(s), "8006/8000: 6 too many") {
		t.Errorf("over-limit count not shown:\n%s", view(s))
	}
	s, out := run(s, seq(keys("tab", "enter"), toSend())...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Fatal("asked to confirm text over the limit")
	}
	if !strings.Contains(view(s), "e-RS allows at most 8000") {
		t.Errorf("no reason given for refusing:\n%s", view(s))
	}
}

func TestARefusalKeepsTheFormAndRetryAsksAgain(t *testing.T) {
	f := newFixture(t)
	calls := 0
	f.ers.CreateAdvice = func(req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) {
		calls++
		if calls == 1 {
			return nil, &ersclient.Error{Op: ersclient.OpCreateAdviceRequest, Kind: ersclient.KindAPI, Status: http.StatusUnprocessableEntity,
				Code: "REQUEST_VALIDATION_ERROR", Diagnostics: "service does not accept advice", CorrelationID: "corr-1"}
		}
		return created(testUBRN), nil
	}
	s := f.form()
	s, out := run(s, seq(fill(question), toSend())...)
	s, out = yes(s, confirmOf(t, out))
	if _, ok := has[screen.Open](out); ok {
		t.Fatal("opened a request that was not created")
	}
	v := view(s)
	for _, want := range []string{"e-RS did not create the request", "corr-1"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if s.f.text.Value() != question || !s.Dirty() {
		t.Error("the text was not kept")
	}
	s, out = run(s, keys("r")...)
	_, out = yes(s, confirmOf(t, out))
	if calls != 2 {
		t.Errorf("A044 called %d times, want 2 (once per confirmation)", calls)
	}
	if _, ok := has[screen.Open](out); !ok {
		t.Error("the second attempt did not open the request")
	}
}

func TestAnUnknownOutcomeIsNeverSentAgainWithoutTheUserChecking(t *testing.T) {
	for name, failure := range map[string]error{
		"timeout": &ersclient.Error{Op: ersclient.OpCreateAdviceRequest, Kind: ersclient.KindOutcomeUnknown, Err: errors.New("deadline")},
		"504":     &ersclient.Error{Op: ersclient.OpCreateAdviceRequest, Kind: ersclient.KindAPI, Status: http.StatusGatewayTimeout},
		"502":     &ersclient.Error{Op: ersclient.OpCreateAdviceRequest, Kind: ersclient.KindAPI, Status: http.StatusBadGateway},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.ers.CreateAdvice = func(req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) { return nil, failure }
			s := f.form()
			s, out := run(s, seq(fill(question), toSend())...)
			s, out = yes(s, confirmOf(t, out))
			if n := f.ers.CallCount(string(ersclient.OpCreateAdviceRequest)); n != 1 {
				t.Fatalf("A044 called %d times, want exactly 1", n)
			}
			if _, ok := has[screen.Open](out); ok {
				t.Fatal("opened a request whose creation is unknown")
			}
			v := view(s)
			for _, want := range []string{"may or may not have been created", "has NOT been sent again", "e-RS web application", "press r to send again"} {
				if !strings.Contains(v, want) {
					t.Errorf("view lacks %q:\n%s", want, v)
				}
			}
			if es := draftFiles(t, f.common.Drafts); len(es) != 1 {
				t.Errorf("the draft should be kept until the outcome is known; files: %v", es)
			}
			// r asks again, warning of a second request; no is nothing.
			s, out = run(s, keys("r")...)
			c := confirmOf(t, out)
			if !strings.Contains(c.Title, "again") || !strings.Contains(c.Body, "ONLY if you have checked") {
				t.Errorf("retry confirmation does not warn: %q / %q", c.Title, c.Body)
			}
			if n := f.ers.CallCount(string(ersclient.OpCreateAdviceRequest)); n != 1 {
				t.Fatalf("A044 resent before the user said yes (%d calls)", n)
			}
			yes(s, c)
			if n := f.ers.CallCount(string(ersclient.OpCreateAdviceRequest)); n != 2 {
				t.Fatalf("A044 called %d times after yes, want 2", n)
			}
		})
	}
}

// attachLetter opens the picker from the attachments field, switches to a
// typed path (which starts in the picker's folder, the home) and attaches
// the file named.
func attachLetter(name string) []tea.Msg {
	return seq(keys("a", "tab"), uitest.Type(name), keys("enter"))
}

func TestFilesAreUploadedWithoutAUBRNOnceAndLinked(t *testing.T) {
	f := newFixture(t)
	var uploads []ersclient.Upload
	f.ers.Upload = func(u ersclient.Upload) (*ersclient.UploadedFile, error) {
		uploads = append(uploads, u)
		return &ersclient.UploadedFile{AttachmentID: "att-1", URL: "Binary/att-1"}, nil
	}
	calls := 0
	var links []ersclient.FileLink
	f.ers.CreateAdvice = func(req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) {
		calls++
		links = req.Attachments
		if calls == 1 {
			return nil, &ersclient.Error{Op: ersclient.OpCreateAdviceRequest, Kind: ersclient.KindAPI, Status: http.StatusBadRequest}
		}
		return created(testUBRN), nil
	}
	s := f.form()
	s, _ = run(s, fill(question)...)
	s, _ = runShort(s, attachLetter("ecg.pdf")...)
	if files := s.f.attach.Files(); len(files) != 1 || files[0].Name != "ecg.pdf" {
		t.Fatalf("files chosen = %+v", files)
	}
	s, out := run(s, toSend()...)
	c := confirmOf(t, out)
	if !strings.Contains(c.Body, "1 file(s) will be uploaded") {
		t.Errorf("confirmation does not mention the file: %q", c.Body)
	}
	s, _ = yes(s, c)
	if len(uploads) != 1 || uploads[0].ReferralID != "" || uploads[0].FileName != "ecg.pdf" {
		t.Fatalf("uploads = %+v; want ecg.pdf once, with no UBRN", uploads)
	}
	if len(links) != 1 {
		t.Fatalf("A044 linked %d files, want 1", len(links))
	}
	// The refused request is sent again: the file is not uploaded twice.
	s, out = run(s, keys("r")...)
	yes(s, confirmOf(t, out))
	if len(uploads) != 1 || calls != 2 || len(links) != 1 {
		t.Errorf("after retry: %d uploads, %d A044 calls, %d links; want 1, 2, 1", len(uploads), calls, len(links))
	}
}

func TestAFailedUploadSendsNothing(t *testing.T) {
	f := newFixture(t)
	f.ers.Upload = func(u ersclient.Upload) (*ersclient.UploadedFile, error) {
		return nil, &ersclient.Error{Op: ersclient.OpUploadFile, Kind: ersclient.KindAPI, Status: http.StatusRequestEntityTooLarge}
	}
	s := f.form()
	s, _ = run(s, fill(question)...)
	s, _ = runShort(s, attachLetter("ecg.pdf")...)
	s, out := run(s, toSend()...)
	s, _ = yes(s, confirmOf(t, out))
	if f.ers.CallCount(string(ersclient.OpCreateAdviceRequest)) != 0 {
		t.Fatal("A044 called after an upload failed")
	}
	if !strings.Contains(view(s), "Uploading ecg.pdf failed, so the request was not sent") {
		t.Errorf("upload failure not explained:\n%s", view(s))
	}
}

func TestADraftIsKeptRestoredAfterARestartAndRemovedWhenSent(t *testing.T) {
	f := newFixture(t)
	s := f.form()
	s, _ = run(s, uitest.Type(question)...)
	es := draftFiles(t, f.common.Drafts)
	if len(es) != 1 {
		t.Fatalf("draft files = %v, want one", es)
	}
	info, _ := es[0].Info()
	if info.Mode().Perm() != 0o600 {
		t.Errorf("draft mode %v, want 0600", info.Mode().Perm())
	}
	if strings.Contains(es[0].Name(), testNHS) {
		t.Errorf("draft file name %q discloses the patient", es[0].Name())
	}
	raw, _ := os.ReadFile(f.common.Drafts + "/" + es[0].Name())
	if string(raw) != question {
		t.Errorf("draft holds %q", raw)
	}
	if !strings.Contains(view(s), "Draft kept on this computer") {
		t.Errorf("the form does not say the draft is kept:\n%s", view(s))
	}

	// A new screen object (leaving and coming back, or a restart).
	again := f.form()
	if again.f.text.Value() != question {
		t.Fatalf("draft not restored: %q", again.f.text.Value())
	}
	if !strings.Contains(view(again), "draft was restored") {
		t.Errorf("restore not said:\n%s", view(again))
	}
	// Another user, service or patient does not get it.
	f.auth.ResumeIdentity.UserID = "555000000002"
	if m := f.form(); m.f.text.Value() != "" {
		t.Error("another user's form restored this draft")
	}
	f.auth.ResumeIdentity = testIdentity()
	other := testRequest()
	other.NHSNumber = "9990000026"
	if m := f.open(other, 120, 40); m.f.text.Value() != "" {
		t.Error("another patient's form restored this draft")
	}

	f.ers.CreateAdvice = func(req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) { return created(testUBRN), nil }
	again, out := run(again, seq(keys("tab", "enter"), toSend())...)
	yes(again, confirmOf(t, out))
	if es := draftFiles(t, f.common.Drafts); len(es) != 0 {
		t.Errorf("draft not removed when sent: %v", es)
	}
}

func TestLeavingTheTextWritesTheDraftAtOnce(t *testing.T) {
	f := newFixture(t)
	s := f.form()
	s.d.delay = 1 << 40 // an interval that never ends: only leaving writes
	s, _ = runShort(s, uitest.Type(question)...)
	if es := draftFiles(t, f.common.Drafts); len(es) != 0 {
		t.Fatalf("written before the pause or leaving: %v", es)
	}
	s, _ = run(s, keys("esc")...)
	if s.Capturing() {
		t.Error("esc should leave the text")
	}
	if es := draftFiles(t, f.common.Drafts); len(es) != 1 {
		t.Errorf("leaving the text did not write the draft: %v", es)
	}
}

func TestStaleDraftAndWriteRepliesAreDropped(t *testing.T) {
	f := newFixture(t)
	f.ers.CreateAdvice = func(req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) { return created(testUBRN), nil }
	s := f.form()
	s, out := run(s, seq(fill(question), toSend())...)
	c := confirmOf(t, out)
	// A reply for a request never confirmed changes nothing.
	s, out = run(s, writtenMsg{id: 99, sent: created("000000000999")})
	if s.sent != "" || len(out) != 0 {
		t.Fatal("a stale reply was taken")
	}
	// A draft restore arriving after typing does not overwrite the text.
	s, _ = run(s, draftLoadedMsg{text: "old draft", ok: true})
	if s.f.text.Value() != question {
		t.Errorf("a late restore replaced typed text: %q", s.f.text.Value())
	}
	s, _ = yes(s, c)
	// A second yes for the same confirmation sends nothing more.
	yes(s, c)
	if n := f.ers.CallCount(string(ersclient.OpCreateAdviceRequest)); n != 1 {
		t.Errorf("A044 called %d times, want 1", n)
	}
}

func TestAReferringClinicianAdminAsksForTheClinicianActedFor(t *testing.T) {
	f := newFixture(t)
	var got ersclient.CreateAdviceRequest
	f.ers.CreateAdvice = func(req ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) {
		got = req
		return created(testUBRN), nil
	}
	req := testRequest()
	f.auth.ResumeIdentity.Role = &session.Role{BusinessFunction: string(ersclient.ReferringClinicianAdmin), ODS: "Y10001"}
	s := f.open(req, 120, 40)
	s, out := run(s, seq(fill(question), toSend())...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Fatal("an RCA with no clinician chosen was asked to confirm")
	}
	if !strings.Contains(view(s), "choose the clinician in the role picker") {
		t.Errorf("the RCA is not told what to do:\n%s", view(s))
	}

	f.auth.ResumeIdentity.Role.OnBehalfOf, f.auth.ResumeIdentity.Role.OnBehalfOfName = "555000000009", "Dr Named"
	s = f.open(req, 120, 40) // the draft from above is restored
	if !strings.Contains(view(s), "On behalf of Dr Named 555000000009") {
		t.Errorf("the clinician acted for is not shown:\n%s", view(s))
	}
	s, out = run(s, seq(keys("tab", "enter"), toSend())...)
	c := confirmOf(t, out)
	if !strings.Contains(c.Body, "on behalf of clinician 555000000009") {
		t.Errorf("confirmation does not name the clinician: %q", c.Body)
	}
	yes(s, c)
	if got.ReferringClinician != "555000000009" {
		t.Errorf("A044 referringClinician = %q", got.ReferringClinician)
	}
}

func TestWithoutAServiceItSaysWhereToStart(t *testing.T) {
	f := newFixture(t)
	s := New(f.common, nil)
	s.SetSize(80, 24)
	if s.Init() != nil {
		t.Error("an empty form should start nothing")
	}
	if s.Capturing() || s.Dirty() {
		t.Error("an empty form neither captures nor is dirty")
	}
	if !strings.Contains(view(s), "service search") {
		t.Errorf("does not say where to start:\n%s", view(s))
	}
}

func TestAMissingPriorityOrBadNHSNumberIsExplained(t *testing.T) {
	f := newFixture(t)
	req := testRequest()
	req.Criteria.Priority.Code = ""
	s := f.open(req, 120, 40)
	s, out := run(s, seq(fill(question), toSend())...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Fatal("confirmed without a priority")
	}
	if !strings.Contains(view(s), "has no priority") {
		t.Errorf("missing priority not explained:\n%s", view(s))
	}
	req = testRequest()
	req.NHSNumber = "9990000019"
	s = f.open(req, 120, 40)
	s, _ = run(s, seq(fill(question), toSend())...)
	if !strings.Contains(view(s), "is not valid") {
		t.Errorf("bad NHS number not explained:\n%s", view(s))
	}
}

func TestRouteIsForReferrersOnly(t *testing.T) {
	r := Route()
	if r.Name != RouteName || r.OnHome || r.Key != "" {
		t.Errorf("route %+v: want %q, not on home", r, RouteName)
	}
	for bf, want := range map[ersclient.BusinessFunction]bool{
		ersclient.ReferringClinician: true, ersclient.ReferringClinicianAdmin: true,
		ersclient.ServiceProviderClinician: false, ersclient.ServiceProviderAdmin: false,
	} {
		if got := r.For(session.Role{BusinessFunction: string(bf)}); got != want {
			t.Errorf("For(%s) = %v, want %v", bf, got, want)
		}
	}
}
