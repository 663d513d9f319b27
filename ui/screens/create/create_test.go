package create

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// recorder keeps the requests the fake received.
type recorder struct {
	mu      sync.Mutex
	creates []ersclient.CreateReferralRequest
	changes []ersclient.ChangeShortlistRequest
}

func (r *recorder) create(req ersclient.CreateReferralRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.creates = append(r.creates, req)
}

func (r *recorder) change(req ersclient.ChangeShortlistRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, req)
}

func TestCreatingAReferralConfirmsSendsOnceAndOpensIt(t *testing.T) {
	rec := &recorder{}
	f := &uitest.FakeERS{Create: func(req ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
		rec.create(req)
		return referral(t, "000000090001", "1", "NOT_BOOKED", "svc-1", "svc-2"), nil
	}}
	m := newForm(f, services())
	res := uitest.Run(screen.Screen(m), uitest.Key("enter"))
	conf, done := confirmAndRun(t, m, res.ToRoot())
	for _, want := range []string{"999 000 0018", "Cardiology Clinic (Synthetic General)", "Heart Failure Service", "letter to follow"} {
		if !strings.Contains(conf.Body, want) {
			t.Errorf("confirmation %q does not name %q", conf.Body, want)
		}
	}
	if f.CallCount("A011") != 1 || len(rec.creates) != 1 {
		t.Fatalf("calls = %v, want one A011", f.Calls())
	}
	got := rec.creates[0]
	if got.NHSNumber != testNHS || len(got.Services) != 2 || got.Services[0].ID != "svc-1" || got.Services[1].ID != "svc-2" {
		t.Errorf("request = %+v, want the patient and both services in order", got)
	}
	if got.LetterIntention != ersclient.LetterToFollow || got.FirstReminderLetterFollowUpDays != 0 {
		t.Errorf("intention %q days %d, want letter to follow and 0", got.LetterIntention, got.FirstReminderLetterFollowUpDays)
	}
	if ch, ok := find[screen.ReferralChanged](done.Msgs); !ok || ch.UBRN != "000000090001" {
		t.Errorf("no ReferralChanged for the new referral: %#v", done.Msgs)
	}
	if toast, ok := find[screen.Toast](done.Msgs); !ok || !strings.Contains(toast.Text, "000000090001") {
		t.Errorf("toast %q does not give the UBRN", toast.Text)
	}
	if open, ok := find[screen.Open](done.Msgs); !ok || open.Route != "referral" || open.Arg != "000000090001" {
		t.Errorf("open = %#v, want the referral screen for the new UBRN", open)
	}
	if m.Dirty() || m.KeyMap().(keyMap).Send.Enabled() {
		t.Error("a created referral still offers to send, or says it is unsent")
	}
}

func TestNoLetterAndReminderDaysAreSentAsChosen(t *testing.T) {
	rec := &recorder{}
	f := &uitest.FakeERS{Create: func(req ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
		rec.create(req)
		return referral(t, "000000090001", "1", "NOT_BOOKED"), nil
	}}
	m := newForm(f, services())
	keys := append(uitest.Keys("space", "tab"), uitest.Keys("1", "4")...)
	res := uitest.Run(screen.Screen(m), append(keys, uitest.Key("enter"))...)
	if !m.Dirty() {
		t.Error("changed choices are not reported as unsent")
	}
	confirmAndRun(t, m, res.ToRoot())
	if len(rec.creates) != 1 {
		t.Fatalf("calls = %v", f.Calls())
	}
	if got := rec.creates[0]; got.LetterIntention != ersclient.NoLetterIntended || got.FirstReminderLetterFollowUpDays != 14 {
		t.Errorf("intention %q days %d, want no letter and 14", got.LetterIntention, got.FirstReminderLetterFollowUpDays)
	}
}

func TestEmptyReminderDaysIsRefusedBesideTheField(t *testing.T) {
	m := newForm(&uitest.FakeERS{}, services())
	res := uitest.Run(screen.Screen(m), uitest.Key("tab"), uitest.Key("backspace"), uitest.Key("enter"))
	if _, ok := find[screen.Confirm](res.ToRoot()); ok {
		t.Fatal("a form with no reminder days asked to send")
	}
	if m.focus != fieldDays || m.errs[fieldDays] == "" {
		t.Errorf("focus %v errs %v, want the days field with its problem", m.focus, m.errs)
	}
	if !strings.Contains(m.View(), "Enter the number of days") {
		t.Error("the problem is not shown")
	}
}

func TestATriageServiceCanBeCreatedAndSentForTriage(t *testing.T) {
	rec := &recorder{}
	f := &uitest.FakeERS{CreateForTriage: func(req ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
		rec.create(req)
		return referral(t, "000000090002", "1", "AWAITING_TRIAGE", "svc-9"), nil
	}}
	m := newForm(f, triageService())
	// No letter and 5 days first: sending for triage puts both back.
	keys := uitest.Keys("space", "tab", "5", "tab", "space", "enter")
	res := uitest.Run(screen.Screen(m), keys...)
	conf, _ := confirmAndRun(t, m, res.ToRoot())
	if conf.Yes != "Create referral and send for triage" {
		t.Errorf("confirm verb %q", conf.Yes)
	}
	if f.CallCount("A021") != 1 || f.CallCount("A011") != 0 {
		t.Fatalf("calls = %v, want A021 only", f.Calls())
	}
	if got := rec.creates[0]; got.LetterIntention != ersclient.LetterToFollow || got.FirstReminderLetterFollowUpDays != 0 {
		t.Errorf("triage request %+v must have a letter to follow and 0 days", got)
	}
}

func TestTriageIsOfferedOnlyForOneTriageService(t *testing.T) {
	if newForm(&uitest.FakeERS{}, services()).triageOffered() {
		t.Error("two appointment services offer triage")
	}
	if !newForm(&uitest.FakeERS{}, triageService()).triageOffered() {
		t.Error("one triage service does not offer triage")
	}
}

func TestARefusedCreateKeepsTheChoicesAndIsNotResentWithoutAsking(t *testing.T) {
	f := &uitest.FakeERS{Create: func(ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
		return nil, &ersclient.Error{Op: ersclient.OpCreateReferral, Kind: ersclient.KindAPI, Status: 422, Code: "DUPLICATE_SERVICE",
			CorrelationID: "corr-1"}
	}}
	m := newForm(f, services())
	res := uitest.Run(screen.Screen(m), uitest.Keys("space", "enter")...)
	confirmAndRun(t, m, res.ToRoot())
	v := m.View()
	for _, want := range []string{"did not create the referral", "DUPLICATE_SERVICE", "corr-1"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if !m.noLetter {
		t.Error("the choice was lost")
	}
	again := uitest.Run(screen.Screen(m), uitest.Key("r"))
	if _, ok := find[screen.Confirm](again.ToRoot()); !ok {
		t.Error("r does not ask again before resending")
	}
	if f.CallCount("A011") != 1 {
		t.Errorf("calls = %v, want the one confirmed A011", f.Calls())
	}
}

func TestACreateWithNoAnswerLooksForTheReferralInsteadOfResending(t *testing.T) {
	f := &uitest.FakeERS{
		Create: func(ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
			return nil, outcomeUnknown(ersclient.OpCreateReferral)
		},
		Worklist: func(q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
			if q.ListType != ersclient.WorklistAwaitingBooking {
				return &ersclient.Worklist{}, nil
			}
			return &ersclient.Worklist{Rows: []ersclient.WorklistRow{
				recentRow("000000090003", testNow),
				{UBRN: "000000090004", NHSNumber: "9990000026", ReferralCreated: testNow}, // another patient
				recentRow("000000090005", testNow.AddDate(0, 0, -3)),                      // an older referral
			}}, nil
		},
	}
	m := newForm(f, services())
	res := uitest.Run(screen.Screen(m), uitest.Key("enter"))
	confirmAndRun(t, m, res.ToRoot())
	if f.CallCount("A011") != 1 || f.CallCount("A008") != 2 {
		t.Fatalf("calls = %v, want one A011 then both worklists read", f.Calls())
	}
	if len(m.found) != 1 || m.found[0].UBRN != "000000090003" {
		t.Fatalf("found %v, want the recent referral for this patient only", m.found)
	}
	if !strings.Contains(m.View(), "probably the one you just made") {
		t.Errorf("view does not say what was found:\n%s", m.View())
	}
	open := uitest.Run(screen.Screen(m), uitest.Key("o"))
	if o, ok := find[screen.Open](open.ToRoot()); !ok || o.Arg != "000000090003" {
		t.Errorf("o = %#v, want the referral found", o)
	}
}

// The look-up after an unanswered create judges "recent" and shows the
// creation time by the screen's clock alone: with a clock years from the
// wall clock, in a zone unlike the machine's, the same referral is found
// and its time is shown in the clock's zone.
func TestTheLookUpAfterACreateGoesByTheScreensClockNotTheMachines(t *testing.T) {
	zone := time.FixedZone("UTC+13:45", 13*3600+45*60)
	now := time.Date(2041, 3, 14, 23, 50, 0, 0, zone)
	f := &uitest.FakeERS{
		Create: func(ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
			return nil, outcomeUnknown(ersclient.OpCreateReferral)
		},
		Worklist: func(q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
			if q.ListType != ersclient.WorklistAwaitingBooking {
				return &ersclient.Worklist{}, nil
			}
			return &ersclient.Worklist{Rows: []ersclient.WorklistRow{
				recentRow("000000090003", now.Add(-5*time.Minute).UTC()), // e-RS answers in UTC
				recentRow("000000090005", now.AddDate(0, 0, -3).UTC()),
			}}, nil
		},
	}
	c := common(f)
	c.Now = uitest.NewClock(now).Now
	m := New(c, Request{NHSNumber: testNHS, Criteria: criteria(), Services: services()})
	m.SetSize(120, 40)
	res := uitest.Run(screen.Screen(m), uitest.Key("enter"))
	confirmAndRun(t, m, res.ToRoot())
	if len(m.found) != 1 || m.found[0].UBRN != "000000090003" {
		t.Fatalf("found %v, want the referral made 5 minutes before the send only", m.found)
	}
	if v := m.View(); !strings.Contains(v, "created 14 Mar 23:45") {
		t.Errorf("view does not show the creation time in the clock's zone (14 Mar 23:45):\n%s", v)
	}
}

func TestACreateWithNoAnswerAndNothingFoundWarnsBeforeCreatingAgain(t *testing.T) {
	f := &uitest.FakeERS{
		Create: func(ersclient.CreateReferralRequest) (*ersclient.Referral, error) {
			return nil, outcomeUnknown(ersclient.OpCreateReferral)
		},
		Worklist: func(ersclient.WorklistQuery) (*ersclient.Worklist, error) { return &ersclient.Worklist{}, nil },
	}
	m := newForm(f, services())
	res := uitest.Run(screen.Screen(m), uitest.Key("enter"))
	confirmAndRun(t, m, res.ToRoot())
	if !strings.Contains(m.View(), "It may still have been made") {
		t.Errorf("view:\n%s", m.View())
	}
	again := uitest.Run(screen.Screen(m), uitest.Key("enter"))
	conf, ok := find[screen.Confirm](again.ToRoot())
	if !ok || !strings.Contains(conf.Body, "may make a duplicate") {
		t.Errorf("second confirmation %q does not warn of a duplicate", conf.Body)
	}
	if f.CallCount("A011") != 1 {
		t.Errorf("calls = %v: a create was resent without the user", f.Calls())
	}
}

func TestChangingTheShortlistSendsTheVersionAndReloadsOnConflict(t *testing.T) {
	rec := &recorder{}
	var mu sync.Mutex
	current := referral(t, testUBRN, "4", "REJECTED", "svc-0")
	f := &uitest.FakeERS{
		Shortlist: func(req ersclient.ChangeShortlistRequest) (*ersclient.Referral, error) {
			rec.change(req)
			if req.Version == "3" {
				return nil, &ersclient.Error{Op: ersclient.OpChangeShortlist, Kind: ersclient.KindAPI, Status: 409}
			}
			return referral(t, testUBRN, "5", "NOT_BOOKED", "svc-1", "svc-2"), nil
		},
		Referral: func(string) (*ersclient.Referral, error) {
			mu.Lock()
			defer mu.Unlock()
			return current, nil
		},
	}
	old := referral(t, testUBRN, "3", "REJECTED", "svc-0")
	m := New(common(f), Request{NHSNumber: testNHS, Criteria: criteria(), Services: services(), Referral: old})
	m.SetSize(120, 40)
	res := uitest.Run(screen.Screen(m), uitest.Keys("space", "enter")...)
	conf, _ := confirmAndRun(t, m, res.ToRoot())
	if !strings.Contains(conf.Body, "UBRN "+testUBRN) || conf.Yes != "Change shortlist" {
		t.Errorf("confirmation %q / %q", conf.Body, conf.Yes)
	}
	if !strings.Contains(m.View(), "Someone else changed this referral") || m.ref.Version != "4" || !m.noLetter {
		t.Fatalf("after the conflict: version %s, choice kept %v, view:\n%s", m.ref.Version, m.noLetter, m.View())
	}
	res = uitest.Run(screen.Screen(m), uitest.Key("enter"))
	_, done := confirmAndRun(t, m, res.ToRoot())
	if len(rec.changes) != 2 || rec.changes[1].Version != "4" || rec.changes[1].UBRN != testUBRN {
		t.Fatalf("changes = %+v, want a second send at version 4", rec.changes)
	}
	if ch, ok := find[screen.ReferralChanged](done.Msgs); !ok || ch.Referral.Version != "5" || ch.Action != "Shortlist changed" {
		t.Errorf("broadcast = %#v", ch)
	}
}

func TestAShortlistChangeWithNoAnswerIsReadBack(t *testing.T) {
	tests := []struct {
		name      string
		rec       ersclient.Reconciliation
		wantDone  bool
		wantWords string
	}{
		{"applied with our shortlist", ersclient.Reconciliation{Applied: true, CurrentVersion: "4"}, true, ""},
		{"not applied", ersclient.Reconciliation{NotApplied: true, CurrentVersion: "3"}, false, "was NOT changed"},
		{"applied by someone else", ersclient.Reconciliation{Applied: true, CurrentVersion: "4"}, false, "not the one you sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shortlist := []string{"svc-1", "svc-2"}
			if !tt.wantDone {
				shortlist = []string{"svc-0"}
			}
			rec := tt.rec
			rec.Referral = referral(t, testUBRN, rec.CurrentVersion, "NOT_BOOKED", shortlist...)
			f := &uitest.FakeERS{
				Shortlist: func(ersclient.ChangeShortlistRequest) (*ersclient.Referral, error) {
					return nil, outcomeUnknown(ersclient.OpChangeShortlist)
				},
				Reconcile: func(ubrn, sent string) (*ersclient.Reconciliation, error) { return &rec, nil },
			}
			m := New(common(f), Request{NHSNumber: testNHS, Criteria: criteria(), Services: services(),
				Referral: referral(t, testUBRN, "3", "REJECTED", "svc-0")})
			m.SetSize(120, 40)
			res := uitest.Run(screen.Screen(m), uitest.Key("enter"))
			_, done := confirmAndRun(t, m, res.ToRoot())
			if f.CallCount("A031") != 1 {
				t.Fatalf("calls = %v: the change was resent", f.Calls())
			}
			if _, ok := find[screen.ReferralChanged](done.Msgs); ok != tt.wantDone {
				t.Errorf("broadcast sent = %v, want %v", ok, tt.wantDone)
			}
			if tt.wantWords != "" && !strings.Contains(m.View(), tt.wantWords) {
				t.Errorf("view lacks %q:\n%s", tt.wantWords, m.View())
			}
		})
	}
}

func TestALateReplyToAnOlderRequestIsDropped(t *testing.T) {
	m := newForm(&uitest.FakeERS{}, services())
	m.seq = 2
	m.pending = &write{id: 2}
	m.phase = phaseSending
	m.Update(writtenMsg{id: 1, ref: referral(t, "000000090001", "1", "NOT_BOOKED")})
	if m.done != nil || m.phase != phaseSending {
		t.Error("a reply to an older request was applied")
	}
}

func TestAnEmptyShortlistSaysWhatIsMissing(t *testing.T) {
	m := New(common(&uitest.FakeERS{}), nil)
	m.SetSize(80, 24)
	if !strings.Contains(m.View(), "No shortlist to send") || m.KeyMap().(keyMap).Send.Enabled() {
		t.Error("a form with no services offers to send")
	}
}

func TestTheRouteIsForReferrersOnly(t *testing.T) {
	r := Route()
	if r.OnHome || r.Name != RouteName {
		t.Errorf("route %+v", r)
	}
	for bf, want := range map[string]bool{"REFERRING_CLINICIAN": true, "REFERRING_CLINICIAN_ADMIN": true,
		"SERVICE_PROVIDER_CLINICIAN": false, "REFERRING_ADMIN": false} {
		if got := r.For(session.Role{BusinessFunction: bf}); got != want {
			t.Errorf("For(%s) = %v, want %v", bf, got, want)
		}
	}
}
