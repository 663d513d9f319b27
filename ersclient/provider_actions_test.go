package ersclient

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// assertVersionedPost checks a write's method, exact path, version and
// context headers, and (when wantBody is set) that its FHIR body is
// JSON-equal to it.
func assertVersionedPost(t *testing.T, rec recorded, path, version string, uc UserContext, wantBody []byte) {
	t.Helper()
	if rec.Method != http.MethodPost || rec.Path != path || len(rec.Query) != 0 {
		t.Errorf("sent %s %s ?%v, want POST %s", rec.Method, rec.Path, rec.Query, path)
	}
	assertHeaders(t, rec, uc)
	if got := rec.Header.Get("If-Match"); got != `W/"`+version+`"` {
		t.Errorf("If-Match = %q, want W/%q", got, version)
	}
	if wantBody == nil {
		return
	}
	if got := rec.Header.Get("Content-Type"); got != "application/fhir+json" {
		t.Errorf("Content-Type = %q", got)
	}
	assertJSONEqual(t, rec.Body, wantBody)
}

// referralAt is an official response fixture path.
func actionFixture(t *testing.T, rel string) []byte {
	t.Helper()
	return fixture(t, "stu3/"+rel)
}

// referralAppClient is a client in application-restricted mode.
func referralAppClient(t *testing.T, ts *testServer) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: ts.URL + "/FHIR", AppRestricted: true, Timeout: 5 * time.Second,
		Token:   func(context.Context) (string, error) { return "app-token", nil },
		Context: asProviderClinician})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// appointmentReason is an APPOINTMENT-CANCELLATION-REASON coding as the
// official examples spell its system.
func appointmentReason(code string) fhir.Coding {
	return fhir.Coding{System: "_baseurl_/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON", Code: code}
}

func TestAcceptReferralSendsNoBodyAndTheVersion(t *testing.T) {
	for _, uc := range []UserContext{asProviderClinician, asClinicianAdmin} {
		t.Run("as "+string(uc.BusinessFunction), func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: actionFixture(t, "acceptReferral/responses/ExampleResponse.json"),
				Header: map[string]string{"ETag": `W/"9"`}})
			ref, err := testClient(t, ts, uc).AcceptReferral(context.Background(), "000000070000", "8")
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			assertVersionedPost(t, rec, "/FHIR/STU3/ReferralRequest/000000070000/$ers.acceptReferral", "8", uc, nil)
			if len(rec.Body) != 0 || rec.Header.Get("Content-Type") != "" {
				t.Errorf("A013 has no body; sent %q (%q)", rec.Body, rec.Header.Get("Content-Type"))
			}
			if ref.Version != "9" || ref.UBRN() != "000000070000" || ref.Summary().State.Code != ReferralStateBooked {
				t.Errorf("accepted referral %q version %q state %q", ref.UBRN(), ref.Version, ref.Summary().State.Code)
			}
		})
	}
}

func TestAcceptReferralErrors(t *testing.T) {
	invoke := func(c *Client) error {
		_, err := c.AcceptReferral(context.Background(), "000000070000", "8")
		return err
	}
	runReferralErrorCases(t, asProviderClinician, referralWriteErrors("INVALID_REQUEST_STATE", "PATIENT_ERROR", "NO_RELATIONSHIP"), invoke)
	t.Run("a 503 is not retried", func(t *testing.T) {
		assertWriteNotRetried(t, asProviderClinician, referralBody("000000070000", "9"), invoke)
	})
	t.Run("a missing version is refused before sending", func(t *testing.T) {
		assertRefusedBeforeSending(t, func(c *Client) error {
			_, err := c.AcceptReferral(context.Background(), "000000070000", "")
			return err
		}, "no version")
	})
}

func TestAcceptReferralInApplicationModeSendsNoUserContext(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: referralBody("000000070000", "9")})
	if _, err := referralAppClient(t, ts).AcceptReferral(context.Background(), "000000070000", "8"); err != nil {
		t.Fatal(err)
	}
	rec := ts.last()
	for _, h := range []string{"NHSD-eRS-Business-Function", "NHSD-End-User-Organisation-ODS", "NHSD-eRS-On-Behalf-Of-User-ID"} {
		if v := rec.Header.Get(h); v != "" {
			t.Errorf("application mode sent %s: %q", h, v)
		}
	}
	if rec.Header.Get("If-Match") != `W/"8"` {
		t.Errorf("If-Match = %q", rec.Header.Get("If-Match"))
	}
}

func TestRejectReferralMatchesTheOfficialExamples(t *testing.T) {
	cases := []struct {
		name     string
		request  string
		response string
		req      RejectReferralRequest
		reason   string
	}{
		{name: "a directly bookable service needs no PAS flag", request: "BasicExampleDbs", response: "ExampleResponseDbs",
			req: RejectReferralRequest{UBRN: "000000070000", Version: "9",
				// A004's display is not sent: the example has system and code only.
				Reason:   fhir.Coding{System: "_baseurl_/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON", Code: "SERVICE_INAPPROPRIATE", Display: "Service inappropriate"},
				Comments: "This is a short comment"},
			reason: "SERVICE_INAPPROPRIATE"},
		{name: "an indirectly bookable service says the PAS appointment is cancelled", request: "BasicExampleIbs", response: "ExampleResponseIbs",
			req: RejectReferralRequest{UBRN: "000000070000", Version: "9", Reason: appointmentReason("OTHER"),
				Comments: "This is a short comment", AppointmentCancelledInPAS: fhir.Ptr(true)},
			reason: "OTHER"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: actionFixture(t, "rejectReferral/responses/"+tc.response+".json"),
				Header: map[string]string{"ETag": `W/"10"`}})
			ref, err := testClient(t, ts, asClinicianAdmin).RejectReferral(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			assertVersionedPost(t, ts.last(), "/FHIR/STU3/ReferralRequest/000000070000/$ers.rejectReferral", "9", asClinicianAdmin,
				actionFixture(t, "rejectReferral/requests/"+tc.request+".json"))
			s := ref.Summary()
			if ref.Version != "10" || s.State.Code != ReferralStateRejected || s.StateReason.Code != tc.reason || s.StateComments != tc.req.Comments {
				t.Errorf("version %q state %+v reason %+v comments %q", ref.Version, s.State, s.StateReason, s.StateComments)
			}
		})
	}
}

func TestRejectReferralLeavesOutWhatIsNotGiven(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: referralBody("000000070000", "10")})
	_, err := testClient(t, ts, asProviderClinician).RejectReferral(context.Background(),
		RejectReferralRequest{UBRN: "000000070000", Version: "9", Reason: appointmentReason("OTHER"), AppointmentCancelledInPAS: fhir.Ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, ts.last().Body, []byte(`{"meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-RejectReferral-Parameters-1"]},
"resourceType":"Parameters","parameter":[
{"name":"rejectionReason","valueCoding":{"system":"_baseurl_/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON","code":"OTHER"}},
{"name":"appointmentCancelledInPAS","valueBoolean":false}]}`))
}

func TestRejectReferralErrors(t *testing.T) {
	req := RejectReferralRequest{UBRN: "000000070000", Version: "9", Reason: appointmentReason("OTHER")}
	invoke := func(c *Client) error { _, err := c.RejectReferral(context.Background(), req); return err }
	cases := referralWriteErrors("INAPPROPRIATE_VALUE", "MISSING_VALUE", "UNABLE_TO_CANCEL_APPOINTMENT", "INVALID_REQUEST_STATE", "NO_RELATIONSHIP")
	cases = append(cases, referralErrorCase{name: "a PAS timeout leaves the outcome unknown", status: 504,
		fixture: "stu3/PasNotRespondingOperationOutcome.json",
		is:      func(err error) bool { return IsOutcomeUnknown(err) && HasCode(err, "PAS_NOT_RESPONDING") }})
	runReferralErrorCases(t, asProviderClinician, cases, invoke)
	t.Run("a 503 is not retried", func(t *testing.T) {
		assertWriteNotRetried(t, asProviderClinician, referralBody("000000070000", "10"), invoke)
	})
}

func TestRejectReferralRefusesBadInput(t *testing.T) {
	base := RejectReferralRequest{UBRN: "000000070000", Version: "9", Reason: appointmentReason("OTHER")}
	cases := []struct {
		name  string
		edit  func(*RejectReferralRequest)
		words string
	}{
		{"no reason", func(r *RejectReferralRequest) { r.Reason = fhir.Coding{} }, "choose a rejection reason"},
		{"a reason from the wrong list", func(r *RejectReferralRequest) {
			r.Reason = fhir.Coding{System: "_baseurl_/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON", Code: "OTHER"}
		}, "APPOINTMENT-CANCELLATION-REASON"},
		{"comments over 2000 characters", func(r *RejectReferralRequest) { r.Comments = strings.Repeat("é", 2001) }, "at most 2000"},
		{"no version", func(r *RejectReferralRequest) { r.Version = "" }, "no version"},
		{"a UBRN that is not digits", func(r *RejectReferralRequest) { r.UBRN = "ABC" }, "digits only"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused before sending", func(t *testing.T) {
			req := base
			tc.edit(&req)
			assertRefusedBeforeSending(t, func(c *Client) error { _, err := c.RejectReferral(context.Background(), req); return err }, tc.words)
		})
	}
	t.Run("comments of exactly 2000 characters are sent", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: referralBody("000000070000", "10")})
		req := base
		req.Comments = strings.Repeat("é", 2000)
		if _, err := testClient(t, ts, asProviderClinician).RejectReferral(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCancelAppointmentActionLaterMatchesTheOfficialExamples(t *testing.T) {
	indexed := time.Date(2021, 11, 3, 14, 29, 41, 988000000, time.UTC)
	cases := []struct {
		name        string
		example     string
		req         CancelAppointmentActionLaterRequest
		attachments int
	}{
		{name: "a directly bookable appointment needs only comments", example: "MinimalExampleDBS",
			req: CancelAppointmentActionLaterRequest{Comments: "Please contact patient to rebook"}, attachments: 1},
		{name: "an indirectly bookable appointment says whether PAS is done", example: "MinimalExampleIBS",
			req: CancelAppointmentActionLaterRequest{Comments: "Please contact patient to rebook", AppointmentCancelledInPAS: fhir.Ptr(true)}, attachments: 1},
		{name: "a priority change with two provider attachments", example: "PriorityChangeAndWithAttachmentsDBS",
			req: CancelAppointmentActionLaterRequest{Comments: "Please contact patient to rebook", Priority: PriorityUrgent,
				Attachments: []FileLink{
					{BinaryID: "b2b22a7e-b3e9-4625-8d2c-00507bfdffb5", Description: "My first provider attachment", Indexed: indexed},
					// The whole Location value from A020 is accepted too.
					{BinaryID: "Binary/857b901d-1491-47d3-90e2-6c9f13f744dc", Description: "My second provider attachment", Indexed: indexed.In(time.FixedZone("BST", 3600))},
				}},
			attachments: 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: actionFixture(t, "cancelAppointmentActionLater/responses/"+tc.example+".json"),
				Header: map[string]string{"ETag": `W/"11"`}})
			req := tc.req
			req.UBRN, req.Version = "000000070000", "10"
			ref, err := testClient(t, ts, asProviderClinician).CancelAppointmentActionLater(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			assertVersionedPost(t, ts.last(), "/FHIR/STU3/ReferralRequest/000000070000/$ers.cancelAppointmentActionLater", "10",
				asProviderClinician, actionFixture(t, "cancelAppointmentActionLater/requests/"+tc.example+".json"))
			s := ref.Summary()
			if ref.Version != "11" || s.State.Code != ReferralStateTriagedProviderToAction || s.StateReason.Code != "CANCEL_APPOINTMENT_ACTION_LATER" ||
				s.StateComments != "Please contact patient to rebook" {
				t.Errorf("version %q state %+v reason %+v comments %q", ref.Version, s.State, s.StateReason, s.StateComments)
			}
			if len(s.Attachments) != tc.attachments {
				t.Errorf("%d attachments, want %d", len(s.Attachments), tc.attachments)
			}
		})
	}
}

func TestFileLinksAreIndexedNowWhenNoTimeIsGiven(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: referralBody("000000070000", "11")})
	_, err := testClient(t, ts, asProviderClinician).CancelAppointmentActionLater(context.Background(), CancelAppointmentActionLaterRequest{
		UBRN: "000000070000", Version: "10", Comments: "Rebook", Attachments: []FileLink{{BinaryID: "b2b22a7e-b3e9-4625-8d2c-00507bfdffb5"}}})
	if err != nil {
		t.Fatal(err)
	}
	var p fhir.Parameters
	if err := fhir.Unmarshal(ts.last().Body, &p); err != nil {
		t.Fatal(err)
	}
	var doc fhir.DocumentReference
	if ok, err := p.ResourceParam("providerAttachmentFile", &doc); !ok || err != nil {
		t.Fatalf("no providerAttachmentFile: %v", err)
	}
	if tm, ok := ParseFHIRTime(doc.Indexed); !ok || tm.IsZero() {
		t.Errorf("indexed = %q, want a dateTime", doc.Indexed)
	}
	if doc.Description != "" || doc.Content[0].Attachment.URL != "Binary/b2b22a7e-b3e9-4625-8d2c-00507bfdffb5" {
		t.Errorf("document %+v", doc)
	}
}

func TestCancelAppointmentActionLaterErrors(t *testing.T) {
	req := CancelAppointmentActionLaterRequest{UBRN: "000000070000", Version: "10", Comments: "Rebook"}
	invoke := func(c *Client) error { _, err := c.CancelAppointmentActionLater(context.Background(), req); return err }
	runReferralErrorCases(t, asClinicianAdmin, referralWriteErrors("INAPPROPRIATE_VALUE", "DUPLICATE_FILENAME", "INVALID_REQUEST_STATE", "FIELD_NOT_PERMITTED"), invoke)
	t.Run("a 503 is not retried", func(t *testing.T) {
		assertWriteNotRetried(t, asClinicianAdmin, referralBody("000000070000", "11"), invoke)
	})
}

func TestCancelAppointmentActionLaterRefusesBadInput(t *testing.T) {
	base := CancelAppointmentActionLaterRequest{UBRN: "000000070000", Version: "10", Comments: "Rebook"}
	cases := []struct {
		name  string
		edit  func(*CancelAppointmentActionLaterRequest)
		words string
	}{
		{"blank comments", func(r *CancelAppointmentActionLaterRequest) { r.Comments = "  \n" }, "comments for the admin team are required"},
		{"an unknown priority", func(r *CancelAppointmentActionLaterRequest) { r.Priority = "SOON" }, "not ROUTINE"},
		{"an attachment without an id", func(r *CancelAppointmentActionLaterRequest) { r.Attachments = []FileLink{{Description: "x"}} }, "attachment 1"},
		{"an attachment id that is a path", func(r *CancelAppointmentActionLaterRequest) {
			r.Attachments = []FileLink{{BinaryID: "abc"}, {BinaryID: "Binary/../x"}}
		}, "attachment 2"},
		{"no version", func(r *CancelAppointmentActionLaterRequest) { r.Version = "" }, "no version"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused before sending", func(t *testing.T) {
			req := base
			tc.edit(&req)
			assertRefusedBeforeSending(t, func(c *Client) error {
				_, err := c.CancelAppointmentActionLater(context.Background(), req)
				return err
			}, tc.words)
		})
	}
}

func TestRecordReviewOutcomeMatchesTheOfficialExamples(t *testing.T) {
	cases := []struct {
		name        string
		example     string
		req         ReviewOutcomeRequest
		attachments int
	}{
		{name: "return to referrer with advice", example: "ReturnToReferrerWithAdvice",
			req: ReviewOutcomeRequest{Outcome: ReviewReturnToReferrer, Comments: "Condition not serious. No further action needed"}, attachments: 1},
		{name: "accept and book later with a new priority", example: "AcceptReferBookLater",
			req: ReviewOutcomeRequest{Outcome: ReviewAcceptBookLater, Comments: "Urgent action needed. To be booked ASAP", Priority: PriorityUrgent}, attachments: 1},
		{name: "return to referrer with an attachment", example: "AttachmentIncluded",
			req: ReviewOutcomeRequest{Outcome: ReviewReturnToReferrer, Comments: "Condition not serious. See attached document",
				Attachments: []FileLink{{BinaryID: "a7c98bb4-c0d0-4094-b26d-8dbd1677edc8", Description: "Condition details",
					Indexed: time.Date(2021, 10, 7, 15, 0, 41, 239000000, time.UTC)}}},
			attachments: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: actionFixture(t, "recordTriageOutcome/responses/"+tc.example+".json"),
				Header: map[string]string{"ETag": `W/"10"`}})
			req := tc.req
			req.UBRN, req.Version = "000000070000", "9"
			ref, err := testClient(t, ts, asClinicianAdmin).RecordReviewOutcome(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			assertVersionedPost(t, ts.last(), "/FHIR/STU3/ReferralRequest/000000070000/$ers.recordReviewOutcome", "9",
				asClinicianAdmin, actionFixture(t, "recordTriageOutcome/requests/"+tc.example+".json"))
			s := ref.Summary()
			// The official examples leave both outcomes TRIAGED_PROVIDER_TO_ACTION
			// with the outcome as the reason.
			if ref.Version != "10" || s.State.Code != ReferralStateTriagedProviderToAction || s.StateReason.Code != string(tc.req.Outcome) ||
				s.StateComments != tc.req.Comments {
				t.Errorf("version %q state %+v reason %+v comments %q", ref.Version, s.State, s.StateReason, s.StateComments)
			}
			if len(s.Attachments) != tc.attachments {
				t.Errorf("%d attachments, want %d", len(s.Attachments), tc.attachments)
			}
		})
	}
}

func TestRecordReviewOutcomeErrors(t *testing.T) {
	req := ReviewOutcomeRequest{UBRN: "000000070000", Version: "9", Outcome: ReviewAcceptBookLater, Comments: "Book"}
	invoke := func(c *Client) error { _, err := c.RecordReviewOutcome(context.Background(), req); return err }
	cases := referralWriteErrors("VALUE_IS_REQUIRED", "INVALID_STATE", "INVALID_REQUEST_TYPE", "DUPLICATE_FILENAME", "NO_RELATIONSHIP")
	cases = append(cases, referralErrorCase{name: "422 PRIORITY_NOT_CURRENT is explained", status: 422,
		body: referralOutcome("PRIORITY_NOT_CURRENT", "business-rule"),
		is: func(err error) bool {
			return IsBusinessRule(err, "PRIORITY_NOT_CURRENT") && strings.Contains(err.Error(), "priority cannot be changed")
		}})
	runReferralErrorCases(t, asProviderClinician, cases, invoke)
	t.Run("a 503 is not retried", func(t *testing.T) {
		assertWriteNotRetried(t, asProviderClinician, referralBody("000000070000", "10"), invoke)
	})
}

func TestRecordReviewOutcomeRefusesBadInput(t *testing.T) {
	base := ReviewOutcomeRequest{UBRN: "000000070000", Version: "9", Outcome: ReviewAcceptBookLater, Comments: "Book"}
	cases := []struct {
		name  string
		edit  func(*ReviewOutcomeRequest)
		words string
	}{
		{"a priority change with return to referrer", func(r *ReviewOutcomeRequest) {
			r.Outcome, r.Priority = ReviewReturnToReferrer, PriorityUrgent
		}, "priority cannot be changed"},
		{"no outcome", func(r *ReviewOutcomeRequest) { r.Outcome = "" }, "choose a review outcome"},
		{"an outcome this endpoint does not take", func(r *ReviewOutcomeRequest) { r.Outcome = "CANCEL_APPOINTMENT_ACTION_LATER" }, "not one e-RS accepts"},
		{"no comments", func(r *ReviewOutcomeRequest) { r.Comments = "" }, "review comments are required"},
		{"an unknown priority", func(r *ReviewOutcomeRequest) { r.Priority = "ASAP" }, "not ROUTINE"},
		{"an attachment without an id", func(r *ReviewOutcomeRequest) { r.Attachments = []FileLink{{}} }, "attachment 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused before sending", func(t *testing.T) {
			req := base
			tc.edit(&req)
			assertRefusedBeforeSending(t, func(c *Client) error { _, err := c.RecordReviewOutcome(context.Background(), req); return err }, tc.words)
		})
	}
}

func TestRecordReviewOutcomeInApplicationMode(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: referralBody("000000070000", "10")})
	_, err := referralAppClient(t, ts).RecordReviewOutcome(context.Background(),
		ReviewOutcomeRequest{UBRN: "000000070000", Version: "9", Outcome: ReviewAcceptBookLater, Comments: "Book"})
	if err != nil {
		t.Fatal(err)
	}
	rec := ts.last()
	if rec.Header.Get("NHSD-eRS-Business-Function") != "" || rec.Header.Get("NHSD-End-User-Organisation-ODS") != "" {
		t.Errorf("application mode sent user context headers: %v", rec.Header)
	}
	if rec.Header.Get("Authorization") != "Bearer app-token" || rec.Header.Get("If-Match") != `W/"9"` {
		t.Errorf("headers %v", rec.Header)
	}
}

func TestReviewOutcomeLabelsAreWords(t *testing.T) {
	for _, o := range []ReviewOutcome{ReviewReturnToReferrer, ReviewAcceptBookLater} {
		if l := o.Label(); l == "" || strings.Contains(l, "_") {
			t.Errorf("%s label %q", o, l)
		}
	}
}
