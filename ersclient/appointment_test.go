package ersclient

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

func TestRetrieveAppointmentReadsEveryKindOfAppointment(t *testing.T) {
	cases := []struct {
		example, id, status, reason, ubrn string
		slots                             []string
		booked                            bool
	}{
		{"BookedDBS", "70000", "booked", "", "000000070000", []string{"410241"}, true},
		{"BookedIBS", "70001", "booked", "", "", nil, true},
		{"AppointmentDeferral", "70002", "proposed", "NO_SLOTS_AT_SERVICE", "", nil, false},
		{"TriageDeferral", "70003", "proposed", "TRIAGE", "", nil, false},
		{"TriageResponse", "70004", "proposed", "RETURN_TO_REFERRER_WITH_ADVICE", "", nil, false},
		{"CAAL", "70005", "proposed", "CANCEL_APPOINTMENT_ACTION_LATER", "", nil, false},
		{"Cancelled", "70006", "cancelled", "PATIENT_HOLIDAY", "000000070007", nil, false},
		{"AandGConvertedToDBS", "70007", "booked", "", "", nil, true},
	}
	for _, c := range cases {
		t.Run("the "+c.example+" appointment", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Header: map[string]string{"ETag": `W/"5"`},
				Body: fixture(t, "stu3/retrieveAppointment/responses/"+c.example+".json")})
			a, err := testClient(t, ts, asReferrer).RetrieveAppointment(context.Background(), c.id)
			if err != nil {
				t.Fatal(err)
			}
			journeyRequestOf(t, ts, asReferrer, http.MethodGet, "/FHIR/STU3/Appointment/"+c.id)
			if a.ID != c.id || a.Status != c.status || a.ReasonCode != c.reason || a.Version != "5" {
				t.Errorf("appointment %s %s reason %s version %s", a.ID, a.Status, a.ReasonCode, a.Version)
			}
			if c.ubrn != "" && a.UBRN != c.ubrn {
				t.Errorf("UBRN %s, want %s", a.UBRN, c.ubrn)
			}
			if a.UBRN == "" || a.ReferralVersion == "" || a.ServiceID == "" || a.NHSNumber == "" || a.Created.IsZero() {
				t.Errorf("appointment facts missing: %+v", a)
			}
			if c.slots != nil && !reflect.DeepEqual(a.SlotIDs, c.slots) {
				t.Errorf("slots %v, want %v", a.SlotIDs, c.slots)
			}
			if c.booked == a.Start.IsZero() {
				t.Errorf("start %v for a %s appointment", a.Start, c.status)
			}
		})
	}
	t.Run("the booked appointment's facts", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/retrieveAppointment/responses/BookedDBS.json")})
		a, err := testClient(t, ts, asClinicianAdmin).RetrieveAppointment(context.Background(), "70000")
		if err != nil {
			t.Fatal(err)
		}
		assertHeaders(t, ts.last(), asClinicianAdmin)
		want := time.Date(2022, 3, 1, 8, 0, 0, 0, time.UTC)
		if !a.Start.Equal(want) || !a.End.Equal(want.Add(time.Hour)) || a.ServiceName != "Direct SVC 1" || a.NHSNumber != "1000000001" || a.ReferralVersion != "6" {
			t.Errorf("appointment %+v", a)
		}
	})
	t.Run("a participant type sent as a single object", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/bookOrDeferAppointment/responses/BookingWithNamedClinician.json")})
		a, err := testClient(t, ts, asReferrer).RetrieveAppointment(context.Background(), "70000")
		if err != nil {
			t.Fatal(err)
		}
		if a.ClinicianSDS != "021600556514" {
			t.Errorf("clinician %q", a.ClinicianSDS)
		}
	})
}

func TestRetrieveAppointmentVersion(t *testing.T) {
	t.Run("the latest version is read by its history path", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Header: map[string]string{"ETag": `W/"5"`},
			Body: fixture(t, "stu3/retrieveAppointment/responses/BookedDBS.json")})
		a, err := testClient(t, ts, asProviderClinician).RetrieveAppointmentVersion(context.Background(), "70000", "5")
		if err != nil {
			t.Fatal(err)
		}
		journeyRequestOf(t, ts, asProviderClinician, http.MethodGet, "/FHIR/STU3/Appointment/70000/_history/5")
		if a.Version != "5" {
			t.Errorf("version %s", a.Version)
		}
	})
	t.Run("an older version is not found", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 404, Body: journeyOutcome("HISTORY_NOT_SUPPORTED", "not-found", "version mismatch")})
		_, err := testClient(t, ts, asReferrer).RetrieveAppointmentVersion(context.Background(), "70000", "4")
		if !IsNotFound(err) || !HasCode(err, "HISTORY_NOT_SUPPORTED") {
			t.Errorf("error %v", err)
		}
	})
	for _, c := range []struct{ name, id, version string }{
		{"no id", "", "5"}, {"an id with a slash", "70000/1", "5"}, {"no version", "70000", ""}, {"a version that is not a number", "70000", "v5"},
	} {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			_, err := testClient(t, ts, asReferrer).RetrieveAppointmentVersion(context.Background(), c.id, c.version)
			journeyRefusedBeforeSending(t, ts, err)
		})
	}
	t.Run("an appointment is a read and is asked for again after a 503", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 503}, reply{Status: 200, Body: fixture(t, "stu3/retrieveAppointment/responses/BookedDBS.json")})
		if _, err := testClient(t, ts, asReferrer).RetrieveAppointment(context.Background(), "70000"); err != nil {
			t.Fatal(err)
		}
		if len(ts.Requests) != 2 {
			t.Errorf("%d requests, want 2", len(ts.Requests))
		}
	})
}

// journeyAsRead turns an official A034 request back into the appointment as
// A038 would have given it: booked, with no reason or comment.
func journeyAsRead(t *testing.T, example string) *fhir.Appointment {
	t.Helper()
	var a fhir.Appointment
	if err := fhir.Unmarshal(fixture(t, "stu3/updateAppointment/requests/"+example+".json"), &a); err != nil {
		t.Fatal(err)
	}
	a.Status, a.Reason, a.Comment = AppointmentBooked, nil, ""
	return &a
}

func journeyCancellationReason(code string) fhir.Coding {
	return fhir.Coding{System: fhir.LocalSystemPrefix + fhir.LocalAppointmentCancellationReason, Code: code}
}

func TestCancelAppointmentSendsTheOfficialExamples(t *testing.T) {
	cases := []struct {
		name, example, id, reason, comment string
		status                             int
		check                              func(error) bool
	}{
		{name: "a reason that needs no comment", example: "MinimalCancellationReasonOnlyCommentNotMandatory", id: "70003", reason: "PATIENT_ILL", status: 200},
		{name: "a reason with its mandatory comment", example: "CancellationReasonAndMandatoryComment", id: "70004",
			reason: "PATIENT_APPOINTMENT_CANCELLATION_OTHER", comment: "Cancellation Comment", status: 200},
		{name: "a reason without its mandatory comment is refused by e-RS", example: "CancellationReasonOnlyCommentMandatory", id: "70005",
			reason: "PATIENT_APPOINTMENT_CANCELLATION_OTHER", status: 422, check: func(err error) bool { return IsBusinessRule(err, "MISSING_VALUE") }},
		{name: "a reason not allowed here is refused by e-RS", example: "CancellationInvalidReason", id: "70006",
			reason: "INTEND_PRIVATE", comment: "Intend Private Comment", status: 422, check: func(err error) bool { return IsBusinessRule(err, "INAPPROPRIATE_VALUE") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: c.status, Header: map[string]string{"ETag": `W/"2"`},
				Body: fixture(t, "stu3/updateAppointment/responses/"+c.example+".json")})
			read := journeyAsRead(t, c.example)
			a, err := testClient(t, ts, asReferrer).CancelAppointment(context.Background(),
				CancelAppointmentRequest{Appointment: read, Reason: journeyCancellationReason(c.reason), Comment: c.comment})
			r := journeyRequestOf(t, ts, asReferrer, http.MethodPut, "/FHIR/STU3/Appointment/"+c.id)
			if got := r.Header.Get("If-Match"); got != `W/"1"` {
				t.Errorf("If-Match %q, want the appointment's version W/\"1\"", got)
			}
			assertJSONEqual(t, journeyFHIRBody(t, r), fixture(t, "stu3/updateAppointment/requests/"+c.example+".json"))
			if read.Status != AppointmentBooked || read.Reason != nil {
				t.Error("the caller's appointment was changed")
			}
			if c.check != nil {
				if err == nil || !c.check(err) {
					t.Errorf("error %v does not match", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != AppointmentCancelled || a.ReasonCode != c.reason || a.Version != "2" || a.Comment != c.comment {
				t.Errorf("cancelled appointment %+v", a)
			}
		})
	}
}

func TestCancelAppointmentByIDReadsTheVersionFirst(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Header: map[string]string{"ETag": `W/"5"`}, Body: fixture(t, "stu3/retrieveAppointment/responses/BookedDBS.json")},
		reply{Status: 200, Body: fixture(t, "stu3/retrieveAppointment/responses/Cancelled.json")})
	_, err := testClient(t, ts, asReferrer).CancelAppointment(context.Background(), CancelAppointmentRequest{
		AppointmentID: "70000", Version: "5", Reason: journeyCancellationReason("PATIENT_HOLIDAY"), Comment: "Patient away"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Requests) != 2 || ts.Requests[0].Method != http.MethodGet || ts.Requests[0].Path != "/FHIR/STU3/Appointment/70000/_history/5" {
		t.Fatalf("requests %+v", ts.Requests)
	}
	put := ts.Requests[1]
	if put.Method != http.MethodPut || put.Path != "/FHIR/STU3/Appointment/70000" || put.Header.Get("If-Match") != `W/"5"` {
		t.Errorf("update %s %s If-Match %q", put.Method, put.Path, put.Header.Get("If-Match"))
	}
	var sent fhir.Appointment
	if err := fhir.Unmarshal(put.Body, &sent); err != nil {
		t.Fatal(err)
	}
	if sent.Status != "cancelled" || sent.Comment != "Patient away" || sent.Reason[0].Coding[0].Code != "PATIENT_HOLIDAY" ||
		sent.Start != "2022-03-01T08:00:00.000Z" || sent.Version() != "5" {
		t.Errorf("sent %s", put.Body)
	}
	t.Run("a stale version stops before the update", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 404, Body: journeyOutcome("HISTORY_NOT_SUPPORTED", "not-found", "")})
		_, err := testClient(t, ts, asReferrer).CancelAppointment(context.Background(), CancelAppointmentRequest{
			AppointmentID: "70000", Version: "4", Reason: journeyCancellationReason("PATIENT_HOLIDAY")})
		if !IsNotFound(err) || len(ts.Requests) != 1 {
			t.Errorf("error %v after %d requests", err, len(ts.Requests))
		}
	})
}

func TestCancelAppointmentRefusesBadInputBeforeSending(t *testing.T) {
	// Read once here, so that a missing ../shared skips this test rather
	// than a subtest calling Skip on its parent.
	_ = journeyAsRead(t, "MinimalCancellationReasonOnlyCommentNotMandatory")
	booked := func() *fhir.Appointment { return journeyAsRead(t, "MinimalCancellationReasonOnlyCommentNotMandatory") }
	reason := journeyCancellationReason("PATIENT_ILL")
	cases := []struct {
		name string
		req  func() CancelAppointmentRequest
	}{
		{"no reason", func() CancelAppointmentRequest { return CancelAppointmentRequest{Appointment: booked()} }},
		{"a reason from another code system", func() CancelAppointmentRequest {
			return CancelAppointmentRequest{Appointment: booked(), Reason: fhir.Coding{System: fhir.CSReviewReason, Code: "TRIAGE"}}
		}},
		{"an appointment that is not booked", func() CancelAppointmentRequest {
			a := booked()
			a.Status = AppointmentProposed
			return CancelAppointmentRequest{Appointment: a, Reason: reason}
		}},
		{"a version other than the appointment's", func() CancelAppointmentRequest {
			return CancelAppointmentRequest{Appointment: booked(), Version: "7", Reason: reason}
		}},
		{"an appointment without a version", func() CancelAppointmentRequest {
			a := booked()
			a.Meta = nil
			return CancelAppointmentRequest{Appointment: a, Reason: reason}
		}},
		{"neither an appointment nor its id", func() CancelAppointmentRequest { return CancelAppointmentRequest{Version: "1", Reason: reason} }},
		{"an id without a version", func() CancelAppointmentRequest {
			return CancelAppointmentRequest{AppointmentID: "70003", Reason: reason}
		}},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			_, err := testClient(t, ts, asReferrer).CancelAppointment(context.Background(), c.req())
			journeyRefusedBeforeSending(t, ts, err)
		})
	}
}

func TestCancelAppointmentErrors(t *testing.T) {
	req := func() CancelAppointmentRequest {
		return CancelAppointmentRequest{Appointment: journeyAsRead(t, "MinimalCancellationReasonOnlyCommentNotMandatory"),
			Reason: journeyCancellationReason("PATIENT_ILL")}
	}
	cases := []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{"a stale appointment version is a conflict", reply{Status: 409}, IsVersionConflict},
		{"a missing version is a conflict", reply{Status: 412}, IsVersionConflict},
		{"a locked appointment", reply{Status: 423}, IsLocked},
		{"a PAS error leaves the cancellation unknown", reply{Status: 502, Body: fixture(t, "stu3/PasRespondedWithErrorOperationOutcome.json")}, IsOutcomeUnknown},
		{"a PAS timeout leaves the cancellation unknown", reply{Status: 504, Body: fixture(t, "stu3/PasNotRespondingOperationOutcome.json")}, IsOutcomeUnknown},
		{"an appointment that cannot be cancelled", reply{Status: 422, Body: journeyOutcome("UNABLE_TO_CANCEL_APPOINTMENT", "business-rule", "")},
			func(err error) bool { return IsBusinessRule(err, "UNABLE_TO_CANCEL_APPOINTMENT") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			_, err := testClient(t, ts, asReferrer).CancelAppointment(context.Background(), req())
			if err == nil || !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
		})
	}
	t.Run("a cancellation is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error { _, err := c.CancelAppointment(context.Background(), req()); return err })
	})
}
