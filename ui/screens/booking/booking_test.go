package booking

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func run(m *Model, msgs ...tea.Msg) uitest.Result[screen.Screen] {
	return uitest.Run(screen.Screen(m), msgs...)
}

func view(m *Model) string { return ansi.Strip(m.View()) }

func hasMsg[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func TestOpeningShowsTheFirstBookableServiceSlotsByDayAndSession(t *testing.T) {
	f := newFake()
	var q ersclient.SlotQuery
	var mu sync.Mutex
	inner := f.Slots
	f.Slots = func(sq ersclient.SlotQuery) (*ersclient.SlotPage, error) {
		mu.Lock()
		q = sq
		mu.Unlock()
		return inner(sq)
	}
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcIBS, svcDBS, svcTri)})
	if q.ServiceID != svcDBS || q.Priority != ersclient.PriorityRoutine || q.CommRuleOrg != "R68" || q.Page != 1 {
		t.Fatalf("A015 query = %+v, want the directly bookable service, ROUTINE, R68, page 1", q)
	}
	v := view(m)
	for _, want := range []string{"Service 2 of 3: Cardiology Outpatients  (directly bookable)", "Tuesday 1 December 2026",
		"Morning", "Afternoon", "Evening", "09:00-09:15  Dr Ada Synthetic  at Main Outpatients", "30 free slots shown of 30"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestScrollingPastTheLastSlotLoadsTheNextPageWithoutRepeats(t *testing.T) {
	all := slots(0, 150)
	f := newFake()
	f.Slots = func(q ersclient.SlotQuery) (*ersclient.SlotPage, error) {
		p, _ := pager(all)(q)
		if q.Page == 2 {
			// Availability moved: page 2 repeats the last two of page 1.
			p.Slots = append(append([]ersclient.SlotView{}, all[98:100]...), p.Slots...)
		}
		return p, nil
	}
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	if len(m.list.slots) != 100 || !m.list.hasNext {
		t.Fatalf("first page: %d slots, next %v", len(m.list.slots), m.list.hasNext)
	}
	run(m, uitest.Key("G"))
	if got := len(m.list.slots); got != 150 {
		t.Fatalf("after the end: %d slots, want 150 (no repeats)", got)
	}
	seen := map[string]bool{}
	for _, s := range m.list.slots {
		if seen[s.ID] {
			t.Fatalf("slot %s shown twice", s.ID)
		}
		seen[s.ID] = true
	}
	if f.CallCount("A015") != 2 {
		t.Errorf("A015 called %d times, want 2", f.CallCount("A015"))
	}
}

func TestRefreshReplacesTheSlotsAndKeepsTheChosenOne(t *testing.T) {
	f := newFake()
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	run(m, uitest.Key("j"), uitest.Key("j"))
	chosen := m.list.selectedID()
	f.Slots = pager(slots(1, 10)) // the first slot has gone
	run(m, uitest.Key("r"))
	if len(m.list.slots) != 10 || m.list.selectedID() != chosen {
		t.Fatalf("after refresh: %d slots, selected %s; want 10 and %s", len(m.list.slots), m.list.selectedID(), chosen)
	}
}

func TestBookingAsksNamingPatientReferralServiceAndSlotThenBooksAndGoesBack(t *testing.T) {
	f := newFake()
	var sent ersclient.BookRequest
	f.Book = func(r ersclient.BookRequest) (*ersclient.AppointmentView, error) {
		sent = r
		return &ersclient.AppointmentView{ID: "A9", Status: ersclient.AppointmentBooked}, nil
	}
	booked := referral(t, "4", ersclient.ReferralStateBooked, svcDBS)
	f.Referral = func(string) (*ersclient.Referral, error) { return booked, nil }
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	res := run(m, uitest.Key("j"), uitest.Key("enter"))
	c := confirmOf(t, res.ToRoot())
	for _, want := range []string{"999 000 0018", testUBRN, "Cardiology Outpatients", "Tuesday 1 December 2026 11:30-11:45", "Dr Ada Synthetic"} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("confirmation lacks %q: %s", want, c.Body)
		}
	}
	if f.CallCount("A016") != 0 {
		t.Fatal("booked before the user said yes")
	}
	res = run(m, c.OnYes())
	if sent.Version != "3" || sent.Slot.ID != "20001" || sent.NHSNumber != testNHS || sent.ServiceID != svcDBS {
		t.Fatalf("A016 sent %+v", sent)
	}
	rc, ok := hasMsg[screen.ReferralChanged](res.Msgs)
	if !ok || rc.Referral != booked || rc.Action != "Booked" {
		t.Fatalf("no ReferralChanged with the referral read back: %+v", rc)
	}
	if _, ok := hasMsg[screen.Back](res.ToRoot()); !ok {
		t.Error("did not go back after booking")
	}
	if toast, _ := hasMsg[screen.Toast](res.ToRoot()); !strings.Contains(toast.Text, "Booked") {
		t.Errorf("toast = %q", toast.Text)
	}
}

func TestATakenSlotReloadsAndOffersTheNextChoiceWithoutLosingThePlace(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"slot not available", apiErr(http.StatusUnprocessableEntity, "SLOT_NOT_AVAILABLE"), "That slot was taken"},
		{"version conflict", apiErr(http.StatusConflict, ""), "Someone else changed this referral"},
		{"locked", apiErr(http.StatusLocked, ""), "Someone else is updating"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.Book = func(ersclient.BookRequest) (*ersclient.AppointmentView, error) { return nil, tc.err }
			fresh := referral(t, "5", ersclient.ReferralStateNotBooked, svcDBS)
			f.Referral = func(string) (*ersclient.Referral, error) { return fresh, nil }
			m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
			res := run(m, uitest.Key("j"), uitest.Key("j"), uitest.Key("b"))
			c := confirmOf(t, res.ToRoot())
			f.Slots = pager(append(slots(0, 2), slots(3, 20)...)) // slot 2 went
			res = run(m, c.OnYes())
			if _, back := hasMsg[screen.Back](res.ToRoot()); back {
				t.Fatal("went back after a failed booking")
			}
			if m.ref != fresh || f.CallCount("A016") != 1 || f.CallCount("A015") != 2 {
				t.Fatalf("ref v%s, A016 x%d, A015 x%d: want the referral and slots reloaded, one booking", m.ref.Version, f.CallCount("A016"), f.CallCount("A015"))
			}
			if m.list.cursor != 2 || m.mode != modeSlots {
				t.Errorf("cursor %d mode %d: the place in the list is lost", m.list.cursor, m.mode)
			}
			if v := view(m); !strings.Contains(v, tc.want) || !strings.Contains(v, "choose a slot again") {
				t.Errorf("view does not say what happened:\n%s", v)
			}
		})
	}
}

func TestAPASErrorIsReadBackBeforeAnyRetry(t *testing.T) {
	for _, tc := range []struct {
		name      string
		rec       func(t *testing.T) *ersclient.Reconciliation
		wantBack  bool
		wantWords string
	}{
		{"not booked", func(t *testing.T) *ersclient.Reconciliation {
			return &ersclient.Reconciliation{NotApplied: true, CurrentVersion: "3", Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)}
		}, false, "nothing was changed"},
		{"booked after all", func(t *testing.T) *ersclient.Reconciliation {
			return &ersclient.Reconciliation{Applied: true, CurrentVersion: "4", Referral: referral(t, "4", ersclient.ReferralStateBooked, svcDBS)}
		}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.Book = func(ersclient.BookRequest) (*ersclient.AppointmentView, error) {
				return nil, apiErr(http.StatusBadGateway, "PAS_RESPONDED_WITH_ERROR")
			}
			var sentVersion string
			f.Reconcile = func(ubrn, v string) (*ersclient.Reconciliation, error) { sentVersion = v; return tc.rec(t), nil }
			m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
			// The read-back booking starts 10:00 on 1 December: slot 0 is 09:00, so
			// the booked case matches any time (the contained copy's start differs).
			res := run(m, uitest.Key("enter"))
			res = run(m, confirmOf(t, res.ToRoot()).OnYes())
			if f.CallCount("A016") != 1 || sentVersion != "3" {
				t.Fatalf("A016 x%d, reconciled at %q: a write must be read back, never resent", f.CallCount("A016"), sentVersion)
			}
			_, back := hasMsg[screen.Back](res.ToRoot())
			v := view(m)
			if tc.wantBack {
				// The booking read back is at 10:00, the slot at 09:00: not ours.
				if back {
					t.Fatal("a different booking was taken for this one")
				}
				if !strings.Contains(v, "not as you asked") {
					t.Errorf("view:\n%s", v)
				}
				return
			}
			if back || !strings.Contains(v, tc.wantWords) || !strings.Contains(v, "PAS") || !strings.Contains(v, "booking attempt") {
				t.Errorf("view does not explain the PAS error and the next choice:\n%s", v)
			}
			// Deferring now offers BOOKING_ATTEMPT_PROBLEM first.
			run(m, uitest.Key("d"))
			if o, ok := m.form.picked(); !ok || o.deferral != ersclient.BookingAttemptProblem {
				t.Errorf("defer reason preselected %+v", o)
			}
		})
	}
}

func TestABookingFoundAfterAnUnknownOutcomeIsReportedAsDone(t *testing.T) {
	f := newFake()
	f.Book = func(ersclient.BookRequest) (*ersclient.AppointmentView, error) {
		return nil, &ersclient.Error{Op: ersclient.OpBookOrDefer, Kind: ersclient.KindOutcomeUnknown}
	}
	booked := referral(t, "4", ersclient.ReferralStateBooked, svcDBS)
	f.Reconcile = func(string, string) (*ersclient.Reconciliation, error) {
		return &ersclient.Reconciliation{Applied: true, CurrentVersion: "4", Referral: booked}, nil
	}
	f.Slots = pager(slots(1, 5)) // the first slot starts 11:30; the booking read back at 10:00 is not it
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	m.list.slots[0].Start = booked.Summary().Appointment.Start
	res := run(m, uitest.Key("enter"))
	res = run(m, confirmOf(t, res.ToRoot()).OnYes())
	if _, ok := hasMsg[screen.Back](res.ToRoot()); !ok || !m.done {
		t.Fatalf("the booking found on reading back was not reported: %v", res.ToRoot())
	}
}

func TestDeferralRefusedWhileSlotsExistIsExplained(t *testing.T) {
	f := newFake()
	var sent ersclient.DeferRequest
	f.Defer = func(r ersclient.DeferRequest) (*ersclient.AppointmentView, error) {
		sent = r
		return nil, apiErr(http.StatusUnprocessableEntity, "SLOTS_CURRENTLY_AVAILABLE")
	}
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	res := run(m, append([]tea.Msg{uitest.Key("d"), uitest.Key("enter")}, uitest.Type("patient prefers later")...)...)
	if !m.Capturing() || !m.Dirty() {
		t.Fatal("the comment field does not capture typing or the form is not dirty")
	}
	res = run(m, uitest.Key("tab"), uitest.Key("enter"))
	c := confirmOf(t, res.ToRoot())
	if !strings.Contains(c.Body, "No slots at the service") || !strings.Contains(c.Body, "999 000 0018") {
		t.Errorf("confirmation: %s", c.Body)
	}
	run(m, c.OnYes())
	if sent.Reason != ersclient.NoSlotsAtService || sent.Comment != "patient prefers later" || sent.Version != "3" {
		t.Fatalf("A016 defer sent %+v", sent)
	}
	v := view(m)
	if !strings.Contains(v, "the service has free slots") || !strings.Contains(v, "SLOTS_CURRENTLY_AVAILABLE") {
		t.Errorf("refusal not explained:\n%s", v)
	}
	if m.form.comment.Value() != "patient prefers later" || m.mode != modeDefer {
		t.Error("the form was lost")
	}
}

func TestDeferringWithNoSlotsSucceeds(t *testing.T) {
	f := newFake()
	f.Slots = pager(nil)
	f.Defer = func(ersclient.DeferRequest) (*ersclient.AppointmentView, error) {
		return &ersclient.AppointmentView{}, nil
	}
	f.Referral = func(string) (*ersclient.Referral, error) {
		return referral(t, "4", ersclient.ReferralStateDeferredToProvider, svcDBS), nil
	}
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	if v := view(m); !strings.Contains(v, "No free slots") {
		t.Fatalf("empty slots not explained:\n%s", v)
	}
	res := run(m, uitest.Key("d"), uitest.Key("tab"), uitest.Key("tab"), uitest.Key("enter"))
	res = run(m, confirmOf(t, res.ToRoot()).OnYes())
	if rc, ok := hasMsg[screen.ReferralChanged](res.Msgs); !ok || rc.Action != "Deferred to provider" {
		t.Fatalf("no broadcast: %v", res.Msgs)
	}
}

func TestATriageServiceIsSentForTriage(t *testing.T) {
	f := newFake()
	var sent ersclient.TriageRequest
	f.Triage = func(r ersclient.TriageRequest) (*ersclient.AppointmentView, error) {
		sent = r
		return &ersclient.AppointmentView{}, nil
	}
	f.Referral = func(string) (*ersclient.Referral, error) {
		return referral(t, "4", ersclient.ReferralStateAwaitingTriage, svcTri), nil
	}
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcTri)})
	if v := view(m); !strings.Contains(v, "triage service") || !strings.Contains(v, "Press t") {
		t.Fatalf("view:\n%s", v)
	}
	if m.KeyMap().ShortHelp()[0].Enabled() {
		t.Error("book is offered for a triage service")
	}
	res := run(m, uitest.Key("t"))
	res = run(m, confirmOf(t, res.ToRoot()).OnYes())
	if sent.ServiceID != svcTri || sent.Version != "3" {
		t.Fatalf("A016 triage sent %+v", sent)
	}
	if _, ok := hasMsg[screen.Back](res.ToRoot()); !ok {
		t.Error("did not go back")
	}
}

func TestAnIndirectlyBookableServiceIsExplained(t *testing.T) {
	m := open(t, newFake(), Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcIBS)})
	v := view(m)
	if !strings.Contains(v, "indirectly bookable") || !strings.Contains(v, "books by phone") {
		t.Fatalf("view:\n%s", v)
	}
	for _, b := range []int{0, 1, 2} {
		if m.KeyMap().ShortHelp()[b].Enabled() {
			t.Errorf("key %v enabled for an indirectly bookable service", m.KeyMap().ShortHelp()[b].Keys())
		}
	}
}

func TestFailuresAreShownWithCodesAndRetried(t *testing.T) {
	f := newFake()
	f.Services = func([]string) (*ersclient.ServiceList, error) { return nil, apiErr(http.StatusInternalServerError, "") }
	m := open(t, f, Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	if v := view(m); !strings.Contains(v, "could not be read") || !strings.Contains(v, "corr-1") {
		t.Fatalf("view:\n%s", v)
	}
	f.Services = serviceList
	run(m, uitest.Key("r"))
	if m.failure != nil || len(m.list.slots) != 30 {
		t.Fatalf("retry did not load: failure %v, %d slots", m.failure, len(m.list.slots))
	}
	f.Slots = func(ersclient.SlotQuery) (*ersclient.SlotPage, error) {
		return nil, apiErr(http.StatusBadRequest, "INVALID_STATE")
	}
	run(m, uitest.Key("r"))
	if v := view(m); !strings.Contains(v, "INVALID_STATE") {
		t.Fatalf("slot failure not shown:\n%s", v)
	}
}

func TestAStaleSlotPageIsDropped(t *testing.T) {
	m := open(t, newFake(), Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	run(m, slotsMsg{id: m.slotsID - 1, service: svcDBS, page: &ersclient.SlotPage{Slots: slots(100, 3), Total: 3, Page: 1}})
	if len(m.list.slots) != 30 {
		t.Fatalf("a stale reply replaced the slots: %d", len(m.list.slots))
	}
}

func TestCancelAndRebook(t *testing.T) {
	f := newFake()
	booked := referral(t, "4", ersclient.ReferralStateBooked, svcDBS)
	f.Appointment = func(id string) (*ersclient.AppointmentView, error) {
		return &ersclient.AppointmentView{ID: id, Version: "2", Status: ersclient.AppointmentBooked, ServiceName: "Cardiology Outpatients"}, nil
	}
	f.ReferenceData = func(string) (*ersclient.ReferenceData, error) { return cancelReasons(), nil }
	var cancelled ersclient.CancelAppointmentRequest
	f.CancelAppointmentFn = func(r ersclient.CancelAppointmentRequest) (*ersclient.AppointmentView, error) {
		cancelled = r
		return &ersclient.AppointmentView{ID: "A1", Status: ersclient.AppointmentCancelled}, nil
	}
	after := referral(t, "5", ersclient.ReferralStateApptCancelledByPatient, svcDBS)
	f.Referral = func(string) (*ersclient.Referral, error) { return after, nil }
	m := open(t, f, Request{Referral: booked, CancelFirst: true})
	if m.mode != modeCancel || len(m.form.options) != 2 {
		t.Fatalf("mode %d, %d reasons: want the cancel form with the two referrer CANCEL reasons", m.mode, len(m.form.options))
	}
	// "Other" needs a comment.
	res := run(m, uitest.Key("down"), uitest.Key("enter"), uitest.Key("tab"), uitest.Key("enter"))
	if _, asked := hasMsg[screen.Confirm](res.ToRoot()); asked || m.form.err[focusComment] == "" {
		t.Fatal("sent without the mandatory comment")
	}
	res = run(m, append(uitest.Type("moving away"), uitest.Key("tab"), uitest.Key("enter"))...)
	c := confirmOf(t, res.ToRoot())
	if !strings.Contains(c.Body, "999 000 0018") || !strings.Contains(c.Body, testUBRN) || !strings.Contains(c.Body, "Cardiology Outpatients") {
		t.Errorf("confirmation: %s", c.Body)
	}
	res = run(m, c.OnYes())
	if cancelled.Reason.Code != "PATIENT_OTHER" || cancelled.Comment != "moving away" || cancelled.Version != "2" {
		t.Fatalf("A034 sent %+v", cancelled)
	}
	if _, back := hasMsg[screen.Back](res.ToRoot()); back {
		t.Fatal("went back instead of offering slots to rebook")
	}
	if rc, ok := hasMsg[screen.ReferralChanged](res.Msgs); !ok || rc.Action != "Appointment cancelled" {
		t.Fatal("no broadcast of the cancellation")
	}
	if m.mode != modeSlots || len(m.list.slots) == 0 || m.ref != after {
		t.Fatalf("mode %d, %d slots: want slots offered again", m.mode, len(m.list.slots))
	}
	// Rebooking confirms the shortlist again (A031), then books (A016).
	var calls []string
	f.Shortlist = func(r ersclient.ChangeShortlistRequest) (*ersclient.Referral, error) {
		calls = append(calls, "A031 v"+r.Version)
		if len(r.Services) != 1 || r.Services[0].ID != svcDBS {
			t.Errorf("A031 shortlist %+v", r.Services)
		}
		return referral(t, "6", ersclient.ReferralStateNotBooked, svcDBS), nil
	}
	f.Book = func(r ersclient.BookRequest) (*ersclient.AppointmentView, error) {
		calls = append(calls, "A016 v"+r.Version)
		return &ersclient.AppointmentView{}, nil
	}
	res = run(m, uitest.Key("enter"))
	c = confirmOf(t, res.ToRoot())
	if !strings.Contains(c.Body, "shortlist confirmed again") {
		t.Errorf("confirmation does not say the shortlist is confirmed again: %s", c.Body)
	}
	res = run(m, c.OnYes())
	if strings.Join(calls, ",") != "A031 v5,A016 v6" {
		t.Fatalf("calls %v", calls)
	}
	if _, ok := hasMsg[screen.Back](res.ToRoot()); !ok {
		t.Error("did not go back after rebooking")
	}
}

func TestACancellationWithNoAnswerIsReadBack(t *testing.T) {
	f := newFake()
	f.Appointment = func(id string) (*ersclient.AppointmentView, error) {
		return &ersclient.AppointmentView{ID: id, Version: "2", Status: ersclient.AppointmentBooked}, nil
	}
	f.ReferenceData = func(string) (*ersclient.ReferenceData, error) { return cancelReasons(), nil }
	f.CancelAppointmentFn = func(ersclient.CancelAppointmentRequest) (*ersclient.AppointmentView, error) {
		return nil, apiErr(http.StatusGatewayTimeout, "PAS_NOT_RESPONDING")
	}
	f.Referral = func(string) (*ersclient.Referral, error) {
		return referral(t, "4", ersclient.ReferralStateBooked, svcDBS), nil
	}
	m := open(t, f, Request{Referral: referral(t, "4", ersclient.ReferralStateBooked, svcDBS), CancelFirst: true})
	res := run(m, uitest.Key("enter"), uitest.Key("tab"), uitest.Key("enter"))
	run(m, confirmOf(t, res.ToRoot()).OnYes())
	if f.CallCount("A034") != 1 || f.CallCount("A038") != 2 {
		t.Fatalf("A034 x%d, A038 x%d: want one cancellation then the appointment read back", f.CallCount("A034"), f.CallCount("A038"))
	}
	if v := view(m); !strings.Contains(v, "NOT cancelled") || !strings.Contains(v, "did not answer in time") {
		t.Errorf("view:\n%s", v)
	}
}

func TestWithoutAReferralTheScreenSaysSo(t *testing.T) {
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	s := New(c, nil)
	s.SetSize(80, 24)
	if s.Init() != nil || !strings.Contains(ansi.Strip(s.View()), "No referral to book") {
		t.Fatal("a screen without a referral does not say so")
	}
}
