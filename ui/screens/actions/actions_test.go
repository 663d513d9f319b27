package actions

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func run(s screen.Screen, msgs ...tea.Msg) (screen.Screen, []tea.Msg) {
	r := uitest.Run(s, msgs...)
	return r.Model, r.Msgs
}

func keys(names ...string) []tea.Msg { return uitest.Keys(names...) }

// confirmOf finds the confirmation among the messages to the root.
func confirmOf(t *testing.T, msgs []tea.Msg) screen.Confirm {
	t.Helper()
	for _, m := range msgs {
		if c, ok := m.(screen.Confirm); ok {
			return c
		}
	}
	t.Fatalf("no confirmation asked for; got %#v", msgs)
	return screen.Confirm{}
}

// yes answers the confirmation as the root does: it runs OnYes and feeds
// its message to the screen.
func yes(s screen.Screen, c screen.Confirm) (screen.Screen, []tea.Msg) {
	r := uitest.RunInit(s, c.OnYes)
	return r.Model, r.Msgs
}

func has[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func view(s screen.Screen) string { return ansi.Strip(s.View()) }

func TestAcceptConfirmsNamingPatientUBRNAndActionThenSendsTheVersion(t *testing.T) {
	f := &uitest.FakeERS{}
	var gotVersion string
	f.Accept = func(ubrn, version string) (*ersclient.Referral, error) {
		gotVersion = version
		return referral(t, "6", "BOOKED", "", "ROUTINE", "slot"), nil
	}
	s := newAction(t, f, Accept, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	if s.Dirty() || s.Capturing() {
		t.Fatal("an accept form has nothing to type")
	}
	s, out := run(s, uitest.Key("enter"))
	c := confirmOf(t, out)
	for _, want := range []string{"999 000 0018", testUBRN, "Accept referral"} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("confirmation body %q does not name %q", c.Body, want)
		}
	}
	if f.CallCount("A013") != 0 {
		t.Fatal("accepted before the user confirmed")
	}
	_, out = yes(s, c)
	if gotVersion != "5" {
		t.Errorf("If-Match version = %q, want 5", gotVersion)
	}
	ch, ok := has[screen.ReferralChanged](out)
	if !ok || ch.UBRN != testUBRN || ch.Referral.Version != "6" || ch.Action != "Accepted" {
		t.Errorf("ReferralChanged = %+v, %v", ch, ok)
	}
	if _, ok := has[screen.Back](out); !ok {
		t.Error("did not go back after success")
	}
	if toast, ok := has[screen.Toast](out); !ok || toast.Level != screen.Success {
		t.Errorf("no success toast: %+v", toast)
	}
}

func TestRejectOffersOnlyProviderRejectReasonsForTheRoleInDate(t *testing.T) {
	s := newAction(t, &uitest.FakeERS{}, Reject, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	v := view(s)
	for _, want := range []string{"Referral inappropriate (comment required)", "Wrong service"} {
		if !strings.Contains(v, want) {
			t.Errorf("reason %q not offered:\n%s", want, v)
		}
	}
	for _, not := range []string{"Patient cancelled", "Referrer only", "Expired reason", "cancelled in PAS?"} {
		if strings.Contains(v, not) {
			t.Errorf("%q offered but must not be:\n%s", not, v)
		}
	}
}

func TestRejectValidatesBeforeSendingWithTheErrorNextToTheField(t *testing.T) {
	f := &uitest.FakeERS{}
	s := newAction(t, f, Reject, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	// Straight to send: tab tab (reason -> comments -> send), enter.
	s, out := run(s, keys("tab", "tab", "enter")...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Fatal("asked to confirm a form without a reason")
	}
	if !strings.Contains(view(s), "! Choose a reason.") {
		t.Errorf("no error next to the reason:\n%s", view(s))
	}
	// Choose the reason that needs a comment: enter picks and moves on to
	// the comments, which now capture typing.
	s, _ = run(s, keys("enter")...)
	if !s.Capturing() {
		t.Fatal("comments do not capture typing after choosing a reason")
	}
	s, out = run(s, keys("esc", "enter")...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Fatal("asked to confirm without the mandatory comment")
	}
	if !strings.Contains(view(s), "! Comments are required with this reason.") {
		t.Errorf("no mandatory-comment error:\n%s", view(s))
	}
	// Too long: 2001 characters.
	s, _ = run(s, uitest.Type(strings.Repeat("x", 2001))...)
	if !s.Dirty() {
		t.Error("typed comments do not make the form dirty")
	}
	s, out = run(s, keys("esc", "enter")...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Fatal("asked to confirm comments over 2000 characters")
	}
	if !strings.Contains(view(s), "Comments are 2001 characters; e-RS allows at most 2000.") {
		t.Errorf("no length error:\n%s", view(s))
	}
	if f.CallCount("A014") != 0 {
		t.Error("a write was sent before validation passed")
	}
}

// rejectReady is a reject form with a reason chosen and a comment typed,
// focus on send.
func rejectReady(t *testing.T, f *uitest.FakeERS, ref *ersclient.Referral) screen.Screen {
	t.Helper()
	s := newAction(t, f, Reject, ref)
	msgs := append(keys("enter"), uitest.Type("Seen privately")...)
	msgs = append(msgs, keys("esc")...)
	s, _ = run(s, msgs...)
	return s
}

func TestRejectSendsReasonCommentsAndVersion(t *testing.T) {
	f := &uitest.FakeERS{}
	var got ersclient.RejectReferralRequest
	f.Reject = func(r ersclient.RejectReferralRequest) (*ersclient.Referral, error) {
		got = r
		return referral(t, "6", "REJECTED", "", "ROUTINE", ""), nil
	}
	s := rejectReady(t, f, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, out := run(s, uitest.Key("enter"))
	c := confirmOf(t, out)
	if !strings.Contains(c.Body, "Reason: Referral inappropriate.") {
		t.Errorf("confirmation does not name the reason: %q", c.Body)
	}
	s, out = yes(s, c)
	if got.Version != "5" || got.UBRN != testUBRN || got.Reason.Code != "INAPPROPRIATE" || got.Reason.System != apptReasons ||
		got.Comments != "Seen privately" || got.AppointmentCancelledInPAS != nil {
		t.Errorf("A014 request = %+v", got)
	}
	if ch, ok := has[screen.ReferralChanged](out); !ok || ch.Action != "Rejected" {
		t.Errorf("no ReferralChanged: %+v", out)
	}
	if s.Dirty() {
		t.Error("still dirty after success: the root would ask before going back")
	}
}

func TestRejectAsksAboutPASForABookingWithoutASlot(t *testing.T) {
	f := &uitest.FakeERS{}
	var got ersclient.RejectReferralRequest
	f.Reject = func(r ersclient.RejectReferralRequest) (*ersclient.Referral, error) {
		got = r
		return referral(t, "6", "REJECTED", "", "ROUTINE", ""), nil
	}
	s := newAction(t, f, Reject, referral(t, "5", "BOOKED", "", "ROUTINE", "noslot"))
	// Second reason (no comment needed), skip comments, to PAS, send.
	s, out := run(s, keys("down", "enter", "tab", "tab", "enter")...)
	if _, ok := has[screen.Confirm](out); ok {
		t.Fatal("confirmed without the PAS answer")
	}
	if !strings.Contains(view(s), "! Say whether the appointment has been cancelled") {
		t.Fatalf("no PAS error:\n%s", view(s))
	}
	s, out = run(s, keys("down", "enter", "enter")...) // "No", then send
	_, _ = yes(s, confirmOf(t, out))
	if got.AppointmentCancelledInPAS == nil || *got.AppointmentCancelledInPAS {
		t.Errorf("PAS flag = %v, want false", got.AppointmentCancelledInPAS)
	}
}

func TestConflictReloadsShowsWhatChangedAndKeepsTheInput(t *testing.T) {
	f := &uitest.FakeERS{}
	var versions []string
	f.Reject = func(r ersclient.RejectReferralRequest) (*ersclient.Referral, error) {
		versions = append(versions, r.Version)
		if len(versions) == 1 {
			return nil, &ersclient.Error{Op: ersclient.OpRejectReferral, Kind: ersclient.KindAPI, Status: 409}
		}
		return referral(t, "7", "REJECTED", "", "URGENT", ""), nil
	}
	f.Referral = func(ubrn string) (*ersclient.Referral, error) {
		return referral(t, "6", "BOOKED", "", "URGENT", "slot"), nil
	}
	s := rejectReady(t, f, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, out := run(s, uitest.Key("enter"))
	s, out = yes(s, confirmOf(t, out))
	if _, ok := has[screen.Back](out); ok {
		t.Fatal("went back after a conflict")
	}
	v := view(s)
	for _, want := range []string{"Someone else changed this referral", "Version: 5 -> 6", "Priority: ROUTINE -> URGENT", "Your entries are kept"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if !strings.Contains(v, "Seen privately") || !s.Dirty() {
		t.Errorf("typed comments lost:\n%s", v)
	}
	// Send again, against the new version.
	s, out = run(s, uitest.Key("enter"))
	_, out = yes(s, confirmOf(t, out))
	if len(versions) != 2 || versions[1] != "6" {
		t.Errorf("versions sent = %v, want [5 6]", versions)
	}
	if _, ok := has[screen.ReferralChanged](out); !ok {
		t.Error("no success after sending again")
	}
}

func TestLockedIsTreatedAsAConflict(t *testing.T) {
	f := &uitest.FakeERS{}
	f.Accept = func(string, string) (*ersclient.Referral, error) {
		return nil, &ersclient.Error{Op: ersclient.OpAcceptReferral, Kind: ersclient.KindAPI, Status: 423}
	}
	f.Referral = func(string) (*ersclient.Referral, error) {
		return referral(t, "5", "BOOKED", "", "ROUTINE", "slot"), nil
	}
	s := newAction(t, f, Accept, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, out := run(s, uitest.Key("enter"))
	s, _ = yes(s, confirmOf(t, out))
	v := view(s)
	if !strings.Contains(v, "Someone else is updating this referral right now") || !strings.Contains(v, "Nothing has changed yet (version 5)") {
		t.Errorf("locked not explained:\n%s", v)
	}
	if f.CallCount("A005") != 1 {
		t.Errorf("calls = %v, want one reload", f.Calls())
	}
}

func unknownOutcome() error {
	return &ersclient.Error{Op: ersclient.OpRejectReferral, Kind: ersclient.KindOutcomeUnknown, Err: errors.New("timeout")}
}

func TestUnknownOutcomeReadBackAppliedIsASuccess(t *testing.T) {
	f := &uitest.FakeERS{}
	f.Reject = func(ersclient.RejectReferralRequest) (*ersclient.Referral, error) { return nil, unknownOutcome() }
	f.Reconcile = func(ubrn, sent string) (*ersclient.Reconciliation, error) {
		return &ersclient.Reconciliation{Applied: true, SentVersion: sent, CurrentVersion: "6",
			Referral: referral(t, "6", "REJECTED", "", "ROUTINE", "")}, nil
	}
	s := rejectReady(t, f, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, out := run(s, uitest.Key("enter"))
	_, out = yes(s, confirmOf(t, out))
	if ch, ok := has[screen.ReferralChanged](out); !ok || ch.Referral.Version != "6" {
		t.Errorf("reconciled write not treated as success: %+v", out)
	}
	if f.CallCount("A014") != 1 {
		t.Errorf("the write was repeated: %v", f.Calls())
	}
}

func TestUnknownOutcomeNotAppliedOffersToSendAgainButNeverRetriesSilently(t *testing.T) {
	f := &uitest.FakeERS{}
	f.Reject = func(ersclient.RejectReferralRequest) (*ersclient.Referral, error) { return nil, unknownOutcome() }
	f.Reconcile = func(ubrn, sent string) (*ersclient.Reconciliation, error) {
		return &ersclient.Reconciliation{NotApplied: true, SentVersion: sent, CurrentVersion: sent,
			Referral: referral(t, "5", "BOOKED", "", "ROUTINE", "slot")}, nil
	}
	s := rejectReady(t, f, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, out := run(s, uitest.Key("enter"))
	s, out = yes(s, confirmOf(t, out))
	if _, ok := has[screen.Back](out); ok {
		t.Fatal("went back although the change was not made")
	}
	if f.CallCount("A014") != 1 || f.CallCount("A005") != 0 {
		t.Errorf("calls = %v", f.Calls())
	}
	if v := view(s); !strings.Contains(v, "the change was NOT made") || !strings.Contains(v, "Seen privately") {
		t.Errorf("not-applied outcome not shown with the input kept:\n%s", v)
	}
	// Sending again goes through a confirmation again.
	_, out = run(s, uitest.Key("enter"))
	confirmOf(t, out)
}

func TestUnknownOutcomeWhoseReadBackFailsOffersToCheckAgain(t *testing.T) {
	f := &uitest.FakeERS{}
	f.Reject = func(ersclient.RejectReferralRequest) (*ersclient.Referral, error) { return nil, unknownOutcome() }
	calls := 0
	f.Reconcile = func(ubrn, sent string) (*ersclient.Reconciliation, error) {
		calls++
		if calls == 1 {
			return nil, &ersclient.Error{Op: ersclient.OpRetrieveReferral, Kind: ersclient.KindNotSent}
		}
		return &ersclient.Reconciliation{Applied: true, Referral: referral(t, "6", "REJECTED", "", "ROUTINE", "")}, nil
	}
	s := rejectReady(t, f, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, out := run(s, uitest.Key("enter"))
	s, _ = yes(s, confirmOf(t, out))
	if !strings.Contains(view(s), "may or may not have been made") {
		t.Fatalf("unknown outcome not explained:\n%s", view(s))
	}
	_, out = run(s, uitest.Key("r"))
	if _, ok := has[screen.ReferralChanged](out); !ok || f.CallCount("A014") != 1 {
		t.Errorf("r did not check again, or the write was repeated: %v", f.Calls())
	}
}

func TestBusinessErrorIsShownWithCodeAndCorrelationIDAndTheFormKept(t *testing.T) {
	f := &uitest.FakeERS{}
	f.Reject = func(ersclient.RejectReferralRequest) (*ersclient.Referral, error) {
		return nil, &ersclient.Error{Op: ersclient.OpRejectReferral, Kind: ersclient.KindAPI, Status: 422,
			Code: "UNABLE_TO_CANCEL_APPOINTMENT", CorrelationID: "corr-4711", Diagnostics: "The appointment could not be cancelled"}
	}
	s := rejectReady(t, f, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, out := run(s, uitest.Key("enter"))
	s, _ = yes(s, confirmOf(t, out))
	v := view(s)
	for _, want := range []string{"e-RS did not make the change", "UNABLE_TO_CANCEL_APPOINTMENT", "corr-4711", "Seen privately"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// r sends again, through a confirmation.
	_, out = run(s, uitest.Key("r"))
	confirmOf(t, out)
}

func TestPASRequiredByERSAddsTheQuestion(t *testing.T) {
	f := &uitest.FakeERS{}
	f.Reject = func(ersclient.RejectReferralRequest) (*ersclient.Referral, error) {
		return nil, &ersclient.Error{Op: ersclient.OpRejectReferral, Kind: ersclient.KindAPI, Status: 422,
			Code: "VALUE_IS_REQUIRED", Diagnostics: "'appointmentCancelledInPAS' is required"}
	}
	s := rejectReady(t, f, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, out := run(s, uitest.Key("enter"))
	s, _ = yes(s, confirmOf(t, out))
	if !strings.Contains(view(s), "Appointment cancelled in PAS?") {
		t.Errorf("PAS question not added:\n%s", view(s))
	}
}

func TestStaleRepliesAreDropped(t *testing.T) {
	f := &uitest.FakeERS{}
	s := newAction(t, f, Reject, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, _ = run(s, reasonsMsg{id: -1, data: &ersclient.ReferenceData{}})
	if !strings.Contains(view(s), "Wrong service") {
		t.Error("a stale reasons reply replaced the list")
	}
	s, out := run(s, writtenMsg{id: 99, ref: referral(t, "9", "REJECTED", "", "ROUTINE", "")})
	if len(out) != 0 || strings.Contains(view(s), "REJECTED") {
		t.Errorf("a write reply nobody asked for was used: %v", out)
	}
	_, out = run(s, confirmedMsg{id: 99})
	if len(out) != 0 || f.CallCount("A014") != 0 {
		t.Error("an unknown confirmation sent a write")
	}
}

func TestReasonsLoadFailureShowsTheErrorAndRetries(t *testing.T) {
	f := &uitest.FakeERS{}
	n := 0
	f.ReferenceData = func(string) (*ersclient.ReferenceData, error) {
		n++
		if n == 1 {
			return nil, &ersclient.Error{Op: ersclient.OpRetrieveReferenceData, Kind: ersclient.KindAPI, Status: 503, CorrelationID: "corr-9"}
		}
		return rejectData(), nil
	}
	s := newAction(t, f, Reject, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	if v := view(s); !strings.Contains(v, "The reasons could not be loaded.") || !strings.Contains(v, "corr-9") {
		t.Fatalf("load error not shown:\n%s", v)
	}
	s, _ = run(s, uitest.Key("r"))
	if !strings.Contains(view(s), "Wrong service") {
		t.Errorf("r did not load the reasons:\n%s", view(s))
	}
}

func TestCancelReferralReasonsFollowTheState(t *testing.T) {
	triaged := newAction(t, &uitest.FakeERS{}, CancelReferral, referral(t, "5", "TRIAGED_PROVIDER_TO_ACTION", "", "ROUTINE", ""))
	v := view(triaged)
	if !strings.Contains(v, "Triage Ended") || strings.Contains(v, "Patient died") || strings.Contains(v, "created by mistake") {
		t.Errorf("triage state must offer end-of-triage reasons only:\n%s", v)
	}
	booked := newAction(t, &uitest.FakeERS{}, CancelReferral, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	v = view(booked)
	if strings.Contains(v, "Triage Ended") || !strings.Contains(v, "Patient died") || !strings.Contains(v, "booked outside") ||
		strings.Contains(v, "created by mistake") {
		t.Errorf("a booked referral must offer provider and patient reasons:\n%s", v)
	}
	referrer := New(uitest.Common(nil, nil), Request{Referral: referral(t, "5", "NOT_BOOKED", "", "ROUTINE", ""), Action: CancelReferral,
		Role: ersclient.ReferringClinician}).(*Model)
	referrer.refData = cancelData()
	referrer.applyReasons()
	if len(referrer.f.reasons) != 2 { // PATIENT_DIED and RAISED_IN_ERROR
		t.Errorf("referrer reasons = %+v", referrer.f.reasons)
	}
}

func TestCancelReferralSendsTheReasonAndBroadcastsTheCancelledReferral(t *testing.T) {
	f := &uitest.FakeERS{}
	var got ersclient.CancelReferralRequest
	f.Cancel = func(r ersclient.CancelReferralRequest) (*ersclient.CancelReferralResult, error) {
		got = r
		return &ersclient.CancelReferralResult{UpdatedReferral: referral(t, "6", "CANCELLED_REFERRAL", "", "ROUTINE", "")}, nil
	}
	s := newAction(t, f, CancelReferral, referral(t, "5", "TRIAGED_PROVIDER_TO_ACTION", "", "ROUTINE", ""))
	s, out := run(s, keys("enter", "tab", "enter")...) // Triage Ended (no comment needed), send
	_, out = yes(s, confirmOf(t, out))
	if got.Reason.Code != "TRIAGE_ENDED" || got.Version != "5" {
		t.Errorf("A036 request = %+v", got)
	}
	if ch, ok := has[screen.ReferralChanged](out); !ok || ch.Action != "Cancelled" || ch.Referral.Version != "6" {
		t.Errorf("ReferralChanged = %+v", ch)
	}
}

func TestReviewOutcomeHidesPriorityWhenReturningToTheReferrer(t *testing.T) {
	f := &uitest.FakeERS{}
	var got ersclient.ReviewOutcomeRequest
	f.ReviewOutcome = func(r ersclient.ReviewOutcomeRequest) (*ersclient.Referral, error) {
		got = r
		return referral(t, "6", "TRIAGED_PROVIDER_TO_ACTION", "RETURN_TO_REFERRER_WITH_ADVICE", "ROUTINE", ""), nil
	}
	s := newAction(t, f, RecordReviewOutcome, referral(t, "5", "AWAITING_TRIAGE", "", "ROUTINE", ""))
	if !strings.Contains(view(s), "Priority") {
		t.Fatal("no priority before an outcome is chosen")
	}
	// Pick "Return to referrer with advice", then the priority disappears.
	s, _ = run(s, keys("down", "enter")...)
	if strings.Contains(view(s), "TWO WEEK WAIT") {
		t.Errorf("priority offered with return to referrer:\n%s", view(s))
	}
	msgs := append(uitest.Type("Please refer to community clinic"), keys("tab", "tab", "enter")...) // comments -> file -> send
	s, out := run(s, msgs...)
	_, out = yes(s, confirmOf(t, out))
	if got.Outcome != ersclient.ReviewReturnToReferrer || got.Priority != "" || got.Comments != "Please refer to community clinic" {
		t.Errorf("A028 request = %+v", got)
	}
}

func TestReviewOutcomeUploadsAttachmentsThenLinksThem(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/triage-note.txt"
	if err := writeFile(path, "synthetic triage note"); err != nil {
		t.Fatal(err)
	}
	f := &uitest.FakeERS{}
	var up ersclient.Upload
	f.Upload = func(u ersclient.Upload) (*ersclient.UploadedFile, error) {
		up = u
		return &ersclient.UploadedFile{AttachmentID: "bin-1"}, nil
	}
	var got ersclient.ReviewOutcomeRequest
	f.ReviewOutcome = func(r ersclient.ReviewOutcomeRequest) (*ersclient.Referral, error) {
		got = r
		return referral(t, "6", "TRIAGED_PROVIDER_TO_ACTION", "", "URGENT", ""), nil
	}
	s := newAction(t, f, RecordReviewOutcome, referral(t, "5", "AWAITING_TRIAGE", "", "ROUTINE", ""))
	msgs := keys("enter") // accept, book later
	msgs = append(msgs, uitest.Type("Book into urgent clinic")...)
	msgs = append(msgs, keys("tab", "down", "down", "enter")...) // priority URGENT, on to the files
	msgs = append(msgs, keys("a", "tab")...)                     // the picker, then a typed path from its folder
	msgs = append(msgs, uitest.Type("missing.pdf")...)
	msgs = append(msgs, keys("enter")...)
	withHome(s, dir)
	s, _ = run(s, msgs...)
	if !strings.Contains(view(s), "No file can be read at") || !s.Capturing() {
		t.Fatalf("a missing file was not refused:\n%s", view(s))
	}
	msgs = keys(strings.Split(strings.Repeat("backspace ", len("missing.pdf")), " ")[:len("missing.pdf")]...)
	msgs = append(msgs, uitest.Type("triage-note.txt")...)
	s, out := run(s, append(msgs, keys("enter", "tab", "enter")...)...) // attach, on to send, send
	if !strings.Contains(view(s), "triage-note.txt") {
		t.Fatalf("file not listed:\n%s", view(s))
	}
	c := confirmOf(t, out)
	if !strings.Contains(c.Body, "1 file(s) will be uploaded") || !strings.Contains(c.Body, "Priority: ROUTINE -> URGENT") {
		t.Errorf("confirmation body %q", c.Body)
	}
	_, _ = yes(s, c)
	if up.FileName != "triage-note.txt" || up.ReferralID != testUBRN {
		t.Errorf("upload = %+v", up)
	}
	if got.Priority != ersclient.PriorityUrgent || len(got.Attachments) != 1 || got.Attachments[0].BinaryID != "bin-1" {
		t.Errorf("A028 request = %+v", got)
	}
}

func TestCancelAppointmentActionLaterNeedsComments(t *testing.T) {
	f := &uitest.FakeERS{}
	var got ersclient.CancelAppointmentActionLaterRequest
	f.CancelAppointmentActionLaterFn = func(r ersclient.CancelAppointmentActionLaterRequest) (*ersclient.Referral, error) {
		got = r
		return referral(t, "6", "TRIAGED_PROVIDER_TO_ACTION", "CANCEL_APPOINTMENT_ACTION_LATER", "ROUTINE", ""), nil
	}
	s := newAction(t, f, CancelAppointmentActionLater, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	if !s.Capturing() {
		t.Fatal("the comments field has focus first and captures typing")
	}
	s, out := run(s, keys("tab", "tab", "tab", "enter")...)
	if _, ok := has[screen.Confirm](out); ok || !strings.Contains(view(s), "! Comments are required: tell the admin team what to do.") {
		t.Fatalf("empty comments accepted:\n%s", view(s))
	}
	msgs := append(uitest.Type("Rebook with Dr Example"), keys("tab", "tab", "tab", "enter")...)
	s, out = run(s, msgs...)
	_, _ = yes(s, confirmOf(t, out))
	if got.Comments != "Rebook with Dr Example" || got.Version != "5" || got.Priority != "" {
		t.Errorf("A022 request = %+v", got)
	}
}

func TestAnotherScreensChangeMovesTheFormToTheNewVersion(t *testing.T) {
	s := newAction(t, &uitest.FakeERS{}, Accept, referral(t, "5", "BOOKED", "", "ROUTINE", "slot"))
	s, _ = run(s, screen.ReferralChanged{UBRN: testUBRN, Referral: referral(t, "6", "BOOKED", "", "URGENT", "slot"), Action: "Accepted"})
	if v := view(s); !strings.Contains(v, "Version: 5 -> 6") {
		t.Errorf("change not shown:\n%s", v)
	}
}

func TestWithoutAReferralTheFormSaysSoAndBindsNothing(t *testing.T) {
	s := New(uitest.Common(nil, nil), nil)
	s.SetSize(80, 24)
	if !strings.Contains(view(s), "No referral to act on") || s.Init() != nil {
		t.Errorf("view:\n%s", view(s))
	}
	for _, b := range s.KeyMap().ShortHelp() {
		if b.Enabled() {
			t.Errorf("key %v enabled without a referral", b.Keys())
		}
	}
}

func TestRouteKeysDoNotCollide(t *testing.T) {
	uitest.CheckKeys(t, []screen.Route{Route()}, uitest.Common(nil, nil))
}
