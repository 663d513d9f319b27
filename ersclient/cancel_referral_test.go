package ersclient

import (
	"context"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// referralCancellationReason is a REFERRAL-CANCELLATION-REASON coding as the
// official examples spell its system.
func referralCancellationReason(code string) fhir.Coding {
	return fhir.Coding{System: "_baseurl_/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON", Code: code}
}

func TestCancelReferralMatchesTheOfficialExamples(t *testing.T) {
	const comment = "This is a cancellation reason comment"
	cases := []struct {
		request, response, code, comments string
		uc                                UserContext
		appointmentCancelled              bool
	}{
		{"IntendPrivateWithoutComment", "CancelledReferralIntendPrivateWithoutComment", "INTEND_PRIVATE", "", asReferrer, false},
		{"PatientRequestCancellationOther", "CancelledReferralPatientOther", "PATIENT_REQUEST_CANCELLATION_OTHER", comment, asProviderClinician, false},
		{"RaisedInError", "CancelledReferralRaisedInError", "RAISED_IN_ERROR", comment, asReferrer, false},
		{"ReferrerCancellation", "CancelledBookedReferralReferrerCancellation", "REFERRER_CANCELLATION", comment, asReferrer, true},
		{"NoLongerRequired", "CancelledReferralWithCancelledBookingNoLongerRequired", "TREATMENT_NO_LONGER_REQUIRED", comment, asClinicianAdmin, false},
		{"IntendPrivateWithComment", "CancelledReferralResolvedDeferralIntendPrivateWithComment", "INTEND_PRIVATE", comment, asProviderClinician, false},
		{"bookedOutsideCabWithoutComment", "CancelledReferralBookedOutsideCabWithoutComment", "BOOKED_OUTSIDE_CAB", "", asProviderClinician, false},
		{"outpatientService", "CancelledReferralOutpatientService", "OUTPATIENT_SERVICE_NA", comment, asReferrer, false},
	}
	for _, tc := range cases {
		t.Run(tc.request+" as "+string(tc.uc.BusinessFunction), func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/cancelReferral/responses/"+tc.response+".json"),
				Header: map[string]string{"X-Request-ID": "req-36"}})
			res, err := testClient(t, ts, tc.uc).CancelReferral(context.Background(), CancelReferralRequest{
				UBRN: "000000070000", Version: "3", Reason: referralCancellationReason(tc.code), Comments: tc.comments})
			if err != nil {
				t.Fatal(err)
			}
			assertVersionedPost(t, ts.last(), "/FHIR/STU3/ReferralRequest/000000070000/$ers.cancelReferral", "3", tc.uc,
				fixture(t, "stu3/cancelReferral/requests/"+tc.request+".json"))
			ref := res.UpdatedReferral
			s := ref.Summary()
			if ref.Version != "4" || !s.IsCancelled() || s.Status != "cancelled" || s.State.Code != ReferralStateCancelledReferral {
				t.Errorf("version %q status %q state %+v", ref.Version, s.Status, s.State)
			}
			if res.RequestID != "req-36" || ref.RequestID != "req-36" {
				t.Errorf("request ids %q, %q", res.RequestID, ref.RequestID)
			}
			if (res.UpdatedAppointment != nil) != tc.appointmentCancelled {
				t.Fatalf("updated appointment %+v, want one: %v", res.UpdatedAppointment, tc.appointmentCancelled)
			}
			if res.UpdatedAppointment != nil && res.UpdatedAppointment.Status != "cancelled" {
				t.Errorf("appointment status %q", res.UpdatedAppointment.Status)
			}
		})
	}
}

func TestCancelReferralInApplicationMode(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/cancelReferral/responses/CancelledReferralRaisedInError.json")})
	_, err := referralAppClient(t, ts).CancelReferral(context.Background(), CancelReferralRequest{
		UBRN: "000000070000", Version: "3", Reason: referralCancellationReason("RAISED_IN_ERROR")})
	if err != nil {
		t.Fatal(err)
	}
	if h := ts.last().Header; h.Get("NHSD-eRS-Business-Function") != "" || h.Get("If-Match") != `W/"3"` {
		t.Errorf("headers %v", h)
	}
}

func TestCancelReferralErrors(t *testing.T) {
	req := CancelReferralRequest{UBRN: "000000070000", Version: "3", Reason: referralCancellationReason("RAISED_IN_ERROR")}
	invoke := func(c *Client) error { _, err := c.CancelReferral(context.Background(), req); return err }
	cases := referralWriteErrors("MISSING_VALUE", "INVALID_REQUEST_STATE", "UNABLE_TO_CANCEL_APPOINTMENT", "INAPPROPRIATE_VALUE", "NO_RELATIONSHIP")
	cases = append(cases,
		referralErrorCase{name: "a PAS error leaves the outcome unknown", status: 502, fixture: "stu3/PasRespondedWithErrorOperationOutcome.json",
			is: func(err error) bool { return IsOutcomeUnknown(err) && HasCode(err, "PAS_RESPONDED_WITH_ERROR") }},
		referralErrorCase{name: "a PAS timeout leaves the outcome unknown", status: 504, fixture: "stu3/PasNotRespondingOperationOutcome.json",
			is: func(err error) bool { return IsOutcomeUnknown(err) && HasCode(err, "PAS_NOT_RESPONDING") }},
	)
	runReferralErrorCases(t, asReferrer, cases, invoke)
	t.Run("a 503 is not retried", func(t *testing.T) {
		assertWriteNotRetried(t, asReferrer, fixture(t, "stu3/cancelReferral/responses/CancelledReferralRaisedInError.json"), invoke)
	})
	t.Run("a 502 is not retried", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 502, Body: fixture(t, "stu3/PasRespondedWithErrorOperationOutcome.json")})
		if err := invoke(testClient(t, ts, asReferrer)); err == nil || len(ts.Requests) != 1 {
			t.Errorf("err %v after %d requests", err, len(ts.Requests))
		}
	})
}

func TestCancelReferralRefusesAReplyWithoutTheReferral(t *testing.T) {
	cases := map[string]string{
		"no updatedReferralRequest":   `{"resourceType":"Parameters","parameter":[]}`,
		"a referral that is not one":  `{"resourceType":"Parameters","parameter":[{"name":"updatedReferralRequest","resource":{"resourceType":"Appointment","id":"1"}}]}`,
		"an appointment that is none": `{"resourceType":"Parameters","parameter":[{"name":"updatedReferralRequest","resource":{"resourceType":"ReferralRequest","id":"000000070000"}},{"name":"updatedAppointment","resource":{"resourceType":"Appointment","status":7}}]}`,
	}
	for name, body := range cases {
		t.Run(name+" is a bad response", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: []byte(body)})
			_, err := testClient(t, ts, asReferrer).CancelReferral(context.Background(), CancelReferralRequest{
				UBRN: "000000070000", Version: "3", Reason: referralCancellationReason("RAISED_IN_ERROR")})
			if e, ok := AsError(err); !ok || e.Kind != KindBadResponse {
				t.Errorf("err = %v, want a bad response", err)
			}
		})
	}
}

func TestCancelReferralRefusesBadInput(t *testing.T) {
	base := CancelReferralRequest{UBRN: "000000070000", Version: "3", Reason: referralCancellationReason("RAISED_IN_ERROR")}
	cases := []struct {
		name  string
		edit  func(*CancelReferralRequest)
		words string
	}{
		{"no reason", func(r *CancelReferralRequest) { r.Reason = fhir.Coding{} }, "choose a cancellation reason"},
		{"an appointment cancellation reason", func(r *CancelReferralRequest) { r.Reason = appointmentReason("OTHER") }, "REFERRAL-CANCELLATION-REASON"},
		{"comments over 2000 characters", func(r *CancelReferralRequest) { r.Comments = strings.Repeat("x", 2001) }, "at most 2000"},
		{"no version", func(r *CancelReferralRequest) { r.Version = "" }, "no version"},
		{"no UBRN", func(r *CancelReferralRequest) { r.UBRN = "" }, "no UBRN"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused before sending", func(t *testing.T) {
			req := base
			tc.edit(&req)
			assertRefusedBeforeSending(t, func(c *Client) error { _, err := c.CancelReferral(context.Background(), req); return err }, tc.words)
		})
	}
}
