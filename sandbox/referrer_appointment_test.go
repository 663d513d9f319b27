package sandbox

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

func pathAppointment(id string) string { return refSTU3 + "/Appointment/" + id }

// appointmentWorld holds a booked referral (1, appointment 70000 in slot
// 11000022, version 2), an older cancelled appointment of it (69999), a
// deferred referral (2, appointment 70001), a booking at the indirectly
// bookable service (3, appointment 70002) and a booking at the other trust
// (4, appointment 70003).
func appointmentWorld(st *store.State) {
	slot := st.Slots["11000022"]
	slot.Free = false
	book := func(ubrn, apptID, service, slotID, state, status string, start time.Time) {
		addReferral(st, ubrn, state, func(r *store.Referral) {
			r.Version, r.ServiceID, r.AppointmentID, r.Shortlist = 5, service, apptID, []string{service}
		})
		st.Appointments[apptID] = &store.Appointment{ID: apptID, Version: 2, UBRN: ubrn, ReferralVersion: 5, ServiceID: service, SlotID: slotID,
			Status: status, Start: start, End: start.Add(15 * time.Minute), Created: testNow.AddDate(0, 0, -3)}
	}
	book("000000000001", "70000", svcDBS, slot.ID, store.StateBooked, "booked", slot.Start)
	st.Appointments["69999"] = &store.Appointment{ID: "69999", Version: 3, UBRN: "000000000001", ReferralVersion: 2, ServiceID: svcDBS,
		Status: "cancelled", Reason: store.Coding{System: fhir.LocalAppointmentCancellationReason, Code: "PATIENT_ILL"}, Created: testNow.AddDate(0, 0, -9)}
	book("000000000002", "70001", svcDBSEmpty, "", store.StateDeferredToProvider, "proposed", time.Time{})
	st.Appointments["70001"].Reason = store.Coding{System: fhir.CSReviewReason, Code: "NO_SLOTS_AT_SERVICE"}
	book("000000000003", "70002", svcIBS, "", store.StateBooked, "booked", testNow.AddDate(0, 0, 20))
	book("000000000004", "70003", svcOther, "", store.StateBooked, "booked", testNow.AddDate(0, 0, 20))
}

func TestRetrieveAppointmentShowsTheBooking(t *testing.T) {
	e := newReferrerEnv(t, appointmentWorld)
	status, h, body := e.raw(http.MethodGet, pathAppointment("70000"), "", rcHeaders())
	refExpect(t, status, body, http.StatusOK, "")
	if h.Get("ETag") != `W/"2"` {
		t.Errorf("ETag %q, want W/\"2\"", h.Get("ETag"))
	}
	for _, c := range []struct {
		path []any
		want any
	}{
		{[]any{"resourceType"}, "Appointment"},
		{[]any{"meta", "versionId"}, "2"},
		{[]any{"meta", "profile", 0}, profileAppointment},
		{[]any{"meta", "profile", 1}, profileCareConnectAppointment},
		{[]any{"language"}, "en"},
		{[]any{"status"}, "booked"},
		{[]any{"description"}, "e-Referral Appointment"},
		{[]any{"slot", 0, "reference"}, "Slot/11000022"},
		{[]any{"incomingReferral", 0, "reference"}, "ReferralRequest/000000000001/_history/5"},
		{[]any{"participant", 0, "actor", "identifier", "system"}, fhir.SystemERSService},
		{[]any{"participant", 0, "actor", "identifier", "value"}, svcDBS},
		{[]any{"participant", 0, "actor", "display"}, "Cardiology Outpatients"},
		{[]any{"participant", 0, "status"}, "accepted"},
		{[]any{"participant", 1, "actor", "identifier", "value"}, refNHS},
		{[]any{"created"}, "2026-05-29T09:00:00.000Z"},
	} {
		if got := refJSONPath(t, body, c.path...); got != c.want {
			t.Errorf("%v = %v, want %v", c.path, got, c.want)
		}
	}
}

func TestRetrieveAppointmentShowsACancellationReasonUnderTheSimulatorsBase(t *testing.T) {
	e := newReferrerEnv(t, appointmentWorld)
	appt, err := e.rc().RetrieveAppointment(context.Background(), "69999")
	if err != nil {
		t.Fatal(err)
	}
	if appt.ReasonSystem != e.srv.URL+BasePath+"/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON" || appt.ReasonCode != "PATIENT_ILL" || len(appt.SlotIDs) != 0 || !appt.Start.IsZero() {
		t.Errorf("cancelled appointment read back as %+v", appt)
	}
}

func TestRetrieveAppointmentAccess(t *testing.T) {
	for _, tc := range []struct {
		name    string
		path    string
		headers map[string]string
		status  int
		code    string
	}{
		{"the provider of the service may read it", pathAppointment("70000"), spcHeaders(), http.StatusOK, ""},
		{"a clinician admin acting for a clinician may read it", pathAppointment("70000"),
			withHeaders(userHeaders(userRCA, ersclient.ServiceProviderClinicianAdmin, orgTrust), headerOnBehalfOf, userSPC2), http.StatusOK, ""},
		{"another trust has no relationship", pathAppointment("70000"), userHeaders(userSPCR69, ersclient.ServiceProviderClinician, orgTrust2), 422, "NO_RELATIONSHIP"},
		{"another practice has no relationship", pathAppointment("70000"), userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), 422, "NO_RELATIONSHIP"},
		{"a provider admin may not read appointments", pathAppointment("70000"), userHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust), http.StatusForbidden, "NO_ACCESS"},
		{"an unknown appointment is not found", pathAppointment("12345"), rcHeaders(), http.StatusNotFound, ""},
		{"the current version may be read", pathAppointment("70000") + "/_history/2", rcHeaders(), http.StatusOK, ""},
		{"an older version is not kept", pathAppointment("70000") + "/_history/1", rcHeaders(), http.StatusNotFound, "HISTORY_NOT_SUPPORTED"},
		{"a version that is no number is not kept", pathAppointment("70000") + "/_history/two", rcHeaders(), http.StatusNotFound, "HISTORY_NOT_SUPPORTED"},
		{"another practice cannot probe the versions", pathAppointment("70000") + "/_history/1", userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), 422, "NO_RELATIONSHIP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, appointmentWorld)
			status, _, body := e.raw(http.MethodGet, tc.path, "", tc.headers)
			refExpect(t, status, body, tc.status, tc.code)
		})
	}
}

// cancelBody is the A034 body for an appointment read with A038.
func cancelBody(t *testing.T, e *testEnv, id, reason, comment string) string {
	t.Helper()
	appt, err := e.rc().RetrieveAppointment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	a := *appt.Resource
	a.Status, a.Comment = "cancelled", comment
	a.Reason = []fhir.CodeableConcept{*fhir.NewConcept(fhir.LocalSystemPrefix+fhir.LocalAppointmentCancellationReason, reason)}
	return encodeJSON(t, a)
}

func TestCancelAppointmentFreesTheSlotAndAwaitsBooking(t *testing.T) {
	e := newReferrerEnv(t, appointmentWorld)
	appt, err := e.rc().RetrieveAppointment(context.Background(), "70000")
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.rc().CancelAppointment(context.Background(), ersclient.CancelAppointmentRequest{Appointment: appt.Resource,
		Reason: fhir.Coding{System: fhir.LocalSystemPrefix + fhir.LocalAppointmentCancellationReason, Code: "PATIENT_ILL"}})
	if err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if got.Status != "cancelled" || got.Version != "3" || got.ReasonCode != "PATIENT_ILL" || got.ReferralVersion != "6" || len(got.SlotIDs) != 0 {
		t.Errorf("cancelled appointment %+v", got)
	}
	if !slotFree(e, "11000022") {
		t.Error("the cancelled appointment's slot is not free again")
	}
	mustState(t, e.rc(), "000000000001", "APPT_CANCELLED_BY_PATIENT")
	if !onWorklist(t, e.rc(), ersclient.WorklistAwaitingBooking, "000000000001") {
		t.Error("the referral whose appointment was cancelled is not on AWAITING_BOOKING")
	}
	r := refReferral(t, e, "000000000001")
	if r.State != store.StateCancelledByPatient || r.StateReason.Code != "PATIENT_ILL" || r.Version != 6 || r.AppointmentID != "70000" {
		t.Errorf("referral %s (%s) v%d appointment %s", r.State, r.StateReason.Code, r.Version, r.AppointmentID)
	}
	// Rebooking: change the shortlist, then book again.
	ref, err := e.rc().ChangeShortlist(context.Background(), ersclient.ChangeShortlistRequest{UBRN: "000000000001", Version: "6",
		Services: []ersclient.ShortlistedService{{ID: svcDBS}}, Criteria: cardiologyCriteria(), LetterIntention: ersclient.NoLetterIntended})
	if err != nil {
		t.Fatalf("change shortlist: %v", err)
	}
	status, _, body := e.raw(http.MethodPost, pathBookOrDefer,
		bookBody{ubrn: "000000000001", version: ref.Version, service: svcDBS, nhs: refNHS, slot: "11000022"}.json(t), rcHeaders())
	refExpect(t, status, body, http.StatusCreated, "")
}

func TestCancelAppointmentWithAMandatoryComment(t *testing.T) {
	e := newReferrerEnv(t, appointmentWorld)
	h := withHeaders(rcHeaders(), "If-Match", `W/"2"`)
	status, _, body := e.raw(http.MethodPut, pathAppointment("70000"), cancelBody(t, e, "70000", "PATIENT_APPOINTMENT_CANCELLATION_OTHER", ""), h)
	refExpect(t, status, body, 422, "MISSING_VALUE")
	if _, diag := refOutcome(t, body); diag != "'comment' is missing." {
		t.Errorf("diagnostics %q", diag)
	}
	status, _, body = e.raw(http.MethodPut, pathAppointment("70000"), cancelBody(t, e, "70000", "PATIENT_APPOINTMENT_CANCELLATION_OTHER", "Moving away"), h)
	refExpect(t, status, body, http.StatusOK, "")
	if got := refJSONPath(t, body, "comment"); got != "Moving away" {
		t.Errorf("comment %v", got)
	}
}

func TestCancelAppointmentByAProviderReasonIsCancelledByTheProvider(t *testing.T) {
	// The published reasons give referrers only patient reasons; a set with
	// a provider reason for referrers shows the other state.
	set := refdata.Default()
	acr, _ := set.System(refdata.AppointmentCancellationReason)
	custom := *acr
	custom.Concepts = append([]refdata.Concept{}, acr.Concepts...)
	custom.Concepts = append(custom.Concepts, refdata.Concept{Code: "CLINIC_CLOSED_FOR_REFERRER", Display: "Clinic closed",
		Properties: map[string][]string{refdata.PropUsage: {"CANCEL"}, refdata.PropBusinessFunction: {string(ersclient.ReferringClinician)},
			refdata.PropBookingCancellationType: {"PROVIDER"}, refdata.PropCommentIsMandatory: {"false"}}})
	var systems []*refdata.CodeSystem
	for _, typ := range set.Types() {
		cs, _ := set.System(typ)
		if typ == refdata.AppointmentCancellationReason {
			cs = &custom
		}
		systems = append(systems, cs)
	}
	seed := func() *store.State {
		st := baseWorld()
		referrerWorld(st)
		appointmentWorld(st)
		return st
	}
	e := newTestEnvWith(t, store.New(seed, func() time.Time { return testNow }), Options{RefData: refdata.NewSet(systems...)})
	status, _, body := e.raw(http.MethodPut, pathAppointment("70000"), cancelBody(t, e, "70000", "CLINIC_CLOSED_FOR_REFERRER", ""),
		withHeaders(rcHeaders(), "If-Match", `W/"2"`))
	refExpect(t, status, body, http.StatusOK, "")
	if r := refReferral(t, e, "000000000001"); r.State != store.StateCancelledByProvider {
		t.Errorf("referral %s, want APPT_CANCELLED_BY_PROVIDER", r.State)
	}
}

func TestCancelAppointmentRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		id      string
		reason  string
		headers map[string]string
		ifMatch string
		edit    func(body string) string
		status  int
		code    string
		diag    string
	}{
		{"a referral cancellation reason is not valid here", "70000", "INTEND_PRIVATE", rcHeaders(), `W/"2"`, nil, 422, "INAPPROPRIATE_VALUE", "'reason' The reason provided is not valid in this case"},
		{"a provider's rejection reason is not valid here", "70000", "OTHER", rcHeaders(), `W/"2"`, nil, 422, "INAPPROPRIATE_VALUE", ""},
		{"a retired reason is not valid here", "70000", "PATIENT_APPOINTMENT_CLASH", rcHeaders(), `W/"2"`, nil, 422, "INAPPROPRIATE_VALUE", ""},
		{"without If-Match the precondition fails", "70000", "PATIENT_ILL", rcHeaders(), "", nil, http.StatusPreconditionFailed, "", ""},
		{"a stale appointment version conflicts", "70000", "PATIENT_ILL", rcHeaders(), `W/"1"`, nil, http.StatusConflict, "", ""},
		{"the referral's version is not the appointment's", "70000", "PATIENT_ILL", rcHeaders(), `W/"5"`, nil, http.StatusConflict, "", ""},
		{"a deferral is not a booking to cancel", "70001", "PATIENT_ILL", rcHeaders(), `W/"2"`, nil, 422, "INVALID_REQUEST_STATE", ""},
		{"an earlier appointment cannot be updated", "69999", "PATIENT_ILL", rcHeaders(), `W/"3"`, nil, 422, "INVALID_REQUEST_STATE", ""},
		{"an indirectly bookable booking is the provider's to cancel", "70002", "PATIENT_ILL", rcHeaders(), `W/"2"`, nil, 422, "UNABLE_TO_CANCEL_APPOINTMENT", ""},
		{"another practice has no relationship", "70000", "PATIENT_ILL", userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), `W/"2"`, nil, 422, "NO_RELATIONSHIP", ""},
		{"a provider may not cancel this way", "70000", "PATIENT_ILL", spcHeaders(), `W/"2"`, nil, http.StatusForbidden, "NO_ACCESS", ""},
		{"an unknown appointment is not found", "12345", "PATIENT_ILL", rcHeaders(), `W/"2"`, nil, http.StatusNotFound, "", ""},
		{"only a cancellation is an update", "70000", "PATIENT_ILL", rcHeaders(), `W/"2"`, func(b string) string {
			return strings.Replace(b, `"status":"cancelled"`, `"status":"booked"`, 1)
		}, 422, "INAPPROPRIATE_VALUE", ""},
		{"the body must be the path's appointment", "70000", "PATIENT_ILL", rcHeaders(), `W/"2"`, func(b string) string {
			return strings.Replace(b, `"id":"70000"`, `"id":"70001"`, 1)
		}, 422, "INVALID_VALUE", ""},
		{"a reason is required", "70000", "PATIENT_ILL", rcHeaders(), `W/"2"`, func(b string) string {
			i := strings.Index(b, `"reason":`)
			j := strings.Index(b[i:], `}]}]`) + i + len(`}]}]`)
			return b[:i] + `"reason":[]` + b[j:]
		}, 422, "MISSING_VALUE", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, appointmentWorld)
			id := tc.id
			if id == "12345" {
				id = "70000"
			}
			body := cancelBody(t, e, id, tc.reason, "")
			if tc.edit != nil {
				body = tc.edit(body)
			}
			h := tc.headers
			if tc.ifMatch != "" {
				h = withHeaders(h, "If-Match", tc.ifMatch)
			}
			if tc.id == "12345" {
				body = strings.Replace(body, `"id":"70000"`, `"id":"12345"`, 1)
			}
			status, _, resp := e.raw(http.MethodPut, pathAppointment(tc.id), body, h)
			refExpect(t, status, resp, tc.status, tc.code)
			if tc.diag != "" {
				if _, diag := refOutcome(t, resp); diag != tc.diag {
					t.Errorf("diagnostics %q, want %q", diag, tc.diag)
				}
			}
			if a := refAppointment(t, e, "70000"); a.Status != "booked" || a.Version != 2 {
				t.Errorf("a refused cancellation changed the appointment: %s v%d", a.Status, a.Version)
			}
		})
	}
}
