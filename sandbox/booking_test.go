package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const pathBookOrDefer = refSTU3 + "/Appointment"

// bookBody is an A016 Appointment. reason "" books the slot; any other is a
// proposed appointment with that eRS-ReviewReason-1 code.
type bookBody struct {
	ubrn, version, service, nhs, slot, clinician, reason, comment string
}

func (b bookBody) json(t testing.TB) string {
	t.Helper()
	a := fhir.Appointment{Status: "booked", Description: appointmentDescription, Comment: b.comment,
		IncomingReferral: []fhir.Reference{{Reference: "ReferralRequest/" + b.ubrn + "/_history/" + b.version}},
		Participant: []fhir.AppointmentParticipant{
			{Actor: &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: b.service}}, Status: "accepted"},
			{Actor: &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemNHSNumberSTU3, Value: b.nhs}}, Status: "accepted"},
		}}
	a.ResourceType, a.ID, a.Language = "Appointment", "appointment", "en"
	if b.reason != "" {
		a.Status = "proposed"
		a.Reason = []fhir.CodeableConcept{*fhir.NewConcept(fhir.CSReviewReason, b.reason)}
	}
	if b.slot != "" {
		a.Slot = []fhir.Reference{{Reference: "Slot/" + b.slot}}
	}
	if b.clinician != "" {
		a.Participant = append(a.Participant, fhir.AppointmentParticipant{
			Type:  fhir.One(fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.SystemParticipantCON, Code: "CON"}}}),
			Actor: &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: b.clinician}}, Status: "accepted"})
	}
	return encodeJSON(t, a)
}

// bookingWorld has NOT_BOOKED referrals to book: 1 shortlists every
// cardiology service, 2 is BOOKED already, 3 belongs to the other practice,
// 4 is urgent.
func bookingWorld(st *store.State) {
	all := []string{svcDBS, svcDBSEmpty, svcIBS, svcTriage}
	addReferral(st, "000000000001", store.StateNotBooked, func(r *store.Referral) { r.Shortlist, r.Version = all, 6 })
	addReferral(st, "000000000002", store.StateBooked, func(r *store.Referral) { r.Shortlist, r.Version = all, 6 })
	addReferral(st, "000000000003", store.StateNotBooked, func(r *store.Referral) { r.Shortlist, r.Version, r.ReferringOrg = all, 6, orgGP2 })
	addReferral(st, "000000000004", store.StateNotBooked, func(r *store.Referral) { r.Shortlist, r.Version, r.Priority = all, 6, "URGENT" })
	st.Slots["11000023"].Free = false // taken by someone else
}

func TestBookAppointmentBooksTheSlot(t *testing.T) {
	e := newReferrerEnv(t, bookingWorld)
	status, h, body := e.raw(http.MethodPost, pathBookOrDefer,
		bookBody{ubrn: "000000000001", version: "6", service: svcDBS, nhs: refNHS, slot: "11000022"}.json(t), rcHeaders())
	refExpect(t, status, body, http.StatusCreated, "")
	if h.Get("ETag") != `W/"1"` {
		t.Errorf("ETag %q, want W/\"1\"", h.Get("ETag"))
	}
	id, _ := refJSONPath(t, body, "id").(string)
	if read := mustState(t, e.spc(), "000000000001", "BOOKED"); read.Version != "7" {
		t.Errorf("the provider reads version %s, want 7", read.Version)
	}
	r := refReferral(t, e, "000000000001")
	if r.State != store.StateBooked || r.Version != 7 || r.AppointmentID != id || r.ServiceID != svcDBS || r.ContextStatus != "NEVER_REVIEWED" {
		t.Errorf("referral %s v%d appointment %s service %s context %s", r.State, r.Version, r.AppointmentID, r.ServiceID, r.ContextStatus)
	}
	if slotFree(e, "11000022") {
		t.Error("the booked slot is still free")
	}
	appt, err := e.rc().RetrieveAppointment(context.Background(), id)
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	if appt.Status != "booked" || appt.ServiceID != svcDBS || appt.ServiceName != "Cardiology Outpatients" || appt.NHSNumber != refNHS ||
		appt.UBRN != "000000000001" || appt.ReferralVersion != "7" || len(appt.SlotIDs) != 1 || appt.SlotIDs[0] != "11000022" ||
		appt.Start.IsZero() || !appt.Created.Equal(testNow) || appt.Version != "1" {
		t.Errorf("appointment read back as %+v", appt)
	}
}

func TestBookAppointmentWithANamedClinician(t *testing.T) {
	e := newReferrerEnv(t, bookingWorld)
	status, _, body := e.raw(http.MethodPost, pathBookOrDefer,
		bookBody{ubrn: "000000000001", version: "6", service: svcDBS, nhs: refNHS, slot: "11000021"}.json(t), rcHeaders())
	refExpect(t, status, body, 422, "INAPPROPRIATE_VALUE")

	status, _, body = e.raw(http.MethodPost, pathBookOrDefer,
		bookBody{ubrn: "000000000001", version: "6", service: svcDBS, nhs: refNHS, slot: "11000021", clinician: userSPC}.json(t), rcHeaders())
	refExpect(t, status, body, http.StatusCreated, "")
	if got := refJSONPath(t, body, "participant", 2, "type", "coding", 0, "code"); got != "CON" {
		t.Errorf("clinician participant type %v, want a single CON object", got)
	}
	if r := refReferral(t, e, "000000000001"); r.NamedClinician != userSPC {
		t.Errorf("named clinician %q, want %s", r.NamedClinician, userSPC)
	}
}

func TestDeferToProviderWhenNoSlotsAreFree(t *testing.T) {
	e := newReferrerEnv(t, bookingWorld)
	appt, err := e.rc().DeferToProvider(context.Background(), ersclient.DeferRequest{UBRN: "000000000001", Version: "6",
		Reason: ersclient.NoSlotsAtService, ServiceID: svcDBSEmpty, NHSNumber: refNHS, Comment: "There are no slots"})
	if err != nil {
		t.Fatalf("defer: %v", err)
	}
	if !appt.IsDeferral() || appt.Comment != "There are no slots" || appt.Start.IsZero() == false {
		t.Errorf("appointment %+v, want a proposed deferral without a time", appt)
	}
	r := refReferral(t, e, "000000000001")
	if r.State != store.StateDeferredToProvider || r.StateReason.Code != "NO_SLOTS_AT_SERVICE" || r.StateComments != "There are no slots" {
		t.Errorf("referral %s (%s, %q)", r.State, r.StateReason.Code, r.StateComments)
	}
	if want := e.sb.ref.ContactBy("ROUTINE", false, testNow); !r.ContactBy.Equal(want) || !want.After(testNow) {
		t.Errorf("contact by %v, want %v", r.ContactBy, want)
	}
}

func TestSendForTriageToATriageService(t *testing.T) {
	e := newReferrerEnv(t, bookingWorld)
	appt, err := e.rc().SendForTriage(context.Background(), ersclient.TriageRequest{UBRN: "000000000004", Version: "6", ServiceID: svcTriage, NHSNumber: refNHS})
	if err != nil {
		t.Fatalf("triage: %v", err)
	}
	if !appt.IsTriage() || appt.Status != "proposed" {
		t.Errorf("appointment %+v, want a proposed triage", appt)
	}
	r := refReferral(t, e, "000000000004")
	if r.State != store.StateAwaitingTriage || !r.ContactBy.Equal(e.sb.ref.ContactBy("URGENT", true, testNow)) {
		t.Errorf("referral %s contact by %v", r.State, r.ContactBy)
	}
}

func TestDeferralsThatTheRulesAllow(t *testing.T) {
	for _, tc := range []struct {
		name string
		body bookBody
	}{
		{"a lost slot that is taken", bookBody{reason: "SLOT_NOT_AVAILABLE", service: svcDBS, slot: "11000023", comment: "Patient can only attend at 3pm"}},
		{"a booking attempt that timed out, whatever the slots", bookBody{reason: "BOOKING_ATTEMPT_PROBLEM", service: svcDBS, comment: "Booking failed"}},
		{"a lost slot without naming it", bookBody{reason: "SLOT_NOT_AVAILABLE", service: svcDBS}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, bookingWorld)
			b := tc.body
			b.ubrn, b.version, b.nhs = "000000000001", "6", refNHS
			status, _, body := e.raw(http.MethodPost, pathBookOrDefer, b.json(t), rcHeaders())
			refExpect(t, status, body, http.StatusCreated, "")
			if r := refReferral(t, e, "000000000001"); r.State != store.StateDeferredToProvider || r.StateReason.Code != tc.body.reason {
				t.Errorf("referral %s (%s)", r.State, r.StateReason.Code)
			}
			if _, ok := refJSONPath(t, body, "slot").([]any); ok {
				t.Error("a deferral shows a slot")
			}
		})
	}
}

func TestBookOrDeferRefusals(t *testing.T) {
	base := bookBody{ubrn: "000000000001", version: "6", service: svcDBS, nhs: refNHS, slot: "11000022"}
	with := func(change func(b *bookBody)) bookBody {
		b := base
		change(&b)
		return b
	}
	for _, tc := range []struct {
		name    string
		body    bookBody
		headers map[string]string
		status  int
		code    string
	}{
		{"a stale referral version conflicts", with(func(b *bookBody) { b.version = "5" }), rcHeaders(), http.StatusConflict, ""},
		{"a slot someone took is not available", with(func(b *bookBody) { b.slot = "11000023" }), rcHeaders(), 422, "SLOT_NOT_AVAILABLE"},
		{"a slot in the past is inappropriate", with(func(b *bookBody) { b.slot = slotPast }), rcHeaders(), 422, "INAPPROPRIATE_SLOT"},
		{"a routine slot does not fit an urgent referral", with(func(b *bookBody) { b.ubrn = "000000000004" }), rcHeaders(), 422, "INAPPROPRIATE_SLOT"},
		{"an unknown slot is not found", with(func(b *bookBody) { b.slot = "99999999" }), rcHeaders(), 422, "REFERENCE_NOT_FOUND"},
		{"a slot of another service is inappropriate", with(func(b *bookBody) { b.service = svcDBSEmpty }), rcHeaders(), 422, "INAPPROPRIATE_SLOT"},
		{"a service off the shortlist is inappropriate", with(func(b *bookBody) { b.service = svcOther }), rcHeaders(), 422, "INAPPROPRIATE_VALUE"},
		{"an indirectly bookable service cannot be booked", with(func(b *bookBody) { b.service = svcIBS }), rcHeaders(), 422, "INAPPROPRIATE_VALUE"},
		{"a triage service cannot be booked", with(func(b *bookBody) { b.service = svcTriage }), rcHeaders(), 422, "INAPPROPRIATE_VALUE"},
		{"a booked referral cannot be booked again", with(func(b *bookBody) { b.ubrn = "000000000002" }), rcHeaders(), 422, "INVALID_REQUEST_STATE"},
		{"another practice's referral has no relationship", with(func(b *bookBody) { b.ubrn = "000000000003" }), rcHeaders(), 422, "NO_RELATIONSHIP"},
		{"an unknown referral is not found", with(func(b *bookBody) { b.ubrn = "000000000099" }), rcHeaders(), 422, "REFERENCE_NOT_FOUND"},
		{"another patient is inappropriate", with(func(b *bookBody) { b.nhs = refNHSOther }), rcHeaders(), 422, "INAPPROPRIATE_VALUE"},
		{"a booking needs a slot", with(func(b *bookBody) { b.slot = "" }), rcHeaders(), 422, "MISSING_VALUE"},
		{"a deferral while slots are free is refused", with(func(b *bookBody) { b.reason, b.slot = "NO_SLOTS_AT_SERVICE", "" }), rcHeaders(), 422, "SLOTS_CURRENTLY_AVAILABLE"},
		{"a lost slot that is free can be booked", with(func(b *bookBody) { b.reason = "SLOT_NOT_AVAILABLE" }), rcHeaders(), 422, "THIS_SLOT_IS_AVAILABLE"},
		{"an indirectly bookable service takes no deferral", with(func(b *bookBody) { b.reason, b.slot, b.service = "NO_SLOTS_AT_SERVICE", "", svcIBS }), rcHeaders(), 422, "INAPPROPRIATE_VALUE"},
		{"triage needs a triage service", with(func(b *bookBody) { b.reason, b.slot, b.service = "TRIAGE", "", svcDBSEmpty }), rcHeaders(), 422, "INAPPROPRIATE_VALUE"},
		{"an unknown review reason is an invalid code", with(func(b *bookBody) { b.reason, b.slot = "BORED", "" }), rcHeaders(), 422, "INVALID_CODE"},
		{"a comment over 2000 characters is invalid", with(func(b *bookBody) { b.comment = string(make([]byte, 2001)) }), rcHeaders(), 422, "INVALID_VALUE"},
		{"a provider may not book", base, spcHeaders(), http.StatusForbidden, "NO_ACCESS"},
		{"a referring admin may not book", base, userHeaders(userRA, ersclient.ReferringAdmin, orgGP), http.StatusForbidden, "NO_ACCESS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, bookingWorld)
			status, _, body := e.raw(http.MethodPost, pathBookOrDefer, tc.body.json(t), tc.headers)
			refExpect(t, status, body, tc.status, tc.code)
			if tc.body.ubrn != "000000000099" {
				if r := refReferral(t, e, tc.body.ubrn); r.Version != 6 || r.AppointmentID != "" {
					t.Errorf("a refused booking changed the referral: v%d appointment %q", r.Version, r.AppointmentID)
				}
			}
			if !slotFree(e, "11000022") {
				t.Error("a refused booking took the slot")
			}
		})
	}
}

func TestBookOrDeferRefusesMalformedAppointments(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
	}{
		{"not JSON", `{"resourceType":`, 422, "INVALID_FHIR_STRUCTURE"},
		{"not an Appointment", `{"resourceType":"Parameters"}`, 422, "INVALID_FHIR_STRUCTURE"},
		{"no referral", `{"resourceType":"Appointment","status":"booked"}`, 422, "MISSING_VALUE"},
		{"a referral without a version", `{"resourceType":"Appointment","status":"booked","incomingReferral":[{"reference":"ReferralRequest/000000000001"}]}`, 422, "INVALID_VALUE"},
		{"an unknown status", `{"resourceType":"Appointment","status":"arrived","incomingReferral":[{"reference":"ReferralRequest/000000000001/_history/6"}]}`, 422, "INVALID_VALUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, bookingWorld)
			status, _, body := e.raw(http.MethodPost, pathBookOrDefer, tc.body, rcHeaders())
			refExpect(t, status, body, tc.status, tc.code)
		})
	}
}

// BenchmarkBookAppointment books slots for fresh referrals through the
// handler (A016), one referral and one slot per iteration.
func BenchmarkBookAppointment(b *testing.B) {
	n := b.N
	st := baseWorld()
	start := testNow.Add(24 * time.Hour)
	bodies := make([]string, n)
	for i := range n {
		ubrn := fmt.Sprintf("%012d", 500_000_000_000+i)
		addReferral(st, ubrn, store.StateNotBooked, nil)
		slot := &store.Slot{ID: "B" + ubrn, ServiceID: svcDBS, Start: start.Add(time.Duration(i) * time.Minute), Type: "ROUTINE", Free: true}
		slot.End = slot.Start.Add(time.Minute)
		st.AddSlot(slot)
		bodies[i] = bookBody{ubrn: ubrn, version: "1", service: svcDBS, nhs: refNHS, slot: slot.ID}.json(b)
	}
	sb := New(Options{Store: store.New(func() *store.State { return st }, func() time.Time { return testNow })})
	h := rcHeaders()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range n {
		req := httptest.NewRequest(http.MethodPost, pathBookOrDefer, strings.NewReader(bodies[i]))
		req.Header.Set("Authorization", "Bearer bench")
		req.Header.Set("Content-Type", fhirJSON)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			b.Fatalf("booking %d: %d %s", i, rec.Code, rec.Body.String())
		}
	}
}

// Many referrers racing for one slot: exactly one booking wins; the others
// learn the slot went (or, at one referral, that the version moved on or the
// record is being written).
func TestConcurrentBookingsOfOneSlotHaveOneWinner(t *testing.T) {
	const n = 16
	e := newReferrerEnv(t, func(st *store.State) {
		for i := range n + 1 {
			addReferral(st, fmt.Sprintf("%012d", i+1), store.StateNotBooked, nil)
		}
	})
	for _, sameReferral := range []bool{false, true} {
		name := "different referrals"
		if sameReferral {
			name = "one referral"
		}
		t.Run(name, func(t *testing.T) {
			statuses := make(chan int, n)
			slot := "11000024"
			if sameReferral {
				slot = "11000025"
			}
			for i := range n {
				ubrn := fmt.Sprintf("%012d", i+1)
				if sameReferral {
					ubrn = fmt.Sprintf("%012d", n+1) // left out of the first round
				}
				body := bookBody{ubrn: ubrn, version: "1", service: svcDBS, nhs: refNHS, slot: slot}.json(t)
				go func() {
					status, _, _ := e.raw(http.MethodPost, pathBookOrDefer, body, rcHeaders())
					statuses <- status
				}()
			}
			wins := 0
			for range n {
				switch s := <-statuses; s {
				case http.StatusCreated:
					wins++
				case 422, http.StatusConflict, http.StatusLocked:
				default:
					t.Errorf("unexpected status %d", s)
				}
			}
			if wins != 1 {
				t.Errorf("%d bookings won, want exactly 1", wins)
			}
		})
	}
}
