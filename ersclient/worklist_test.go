package ersclient

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

const (
	worklistPath       = "/FHIR/STU3/ReferralRequest/$ers.fetchworklist"
	adviceWorklistPath = "/FHIR/STU3/CommunicationRequest/$ers.fetchworklist"
)

// worklistFixture reads an official A008 or A023 example.
func worklistFixture(t testing.TB, rel string) []byte {
	t.Helper()
	return fixture(t, "stu3/"+rel)
}

// worklistAssertNoRequest checks that a call was refused before sending.
func worklistAssertNoRequest(t *testing.T, ts *testServer, err error, words string) {
	t.Helper()
	e, ok := AsError(err)
	if !ok || e.Kind != KindInvalid {
		t.Fatalf("error = %v, want a KindInvalid *Error", err)
	}
	if !strings.Contains(e.Message(), words) {
		t.Errorf("message %q does not say %q", e.Message(), words)
	}
	if len(ts.Requests) != 0 {
		t.Errorf("the server saw %d requests; invalid input must not be sent", len(ts.Requests))
	}
}

func TestRetrieveWorklistSendsTheOfficialExampleRequests(t *testing.T) {
	cases := []struct {
		name     string
		request  string
		response string
		uc       UserContext
		query    WorklistQuery
		rows     int
	}{
		{"referrals for review", "MinimalReferralsForReview.json", "ReferralsForReview.json", asProviderClinician,
			WorklistQuery{ListType: WorklistReferralsForReview}, 2},
		{"appointment slot issues", "MinimalAppointmentSlotIssues.json", "AppointmentSlotIssues.json", asProviderClinician,
			WorklistQuery{ListType: WorklistAppointmentSlotIssues}, 2},
		{"filtering by specialty", "FilteringBySpecialty.json", "FilteredBySpecialty.json", asProviderClinician,
			WorklistQuery{ListType: WorklistReferralsForReview, SpecialtyAssigned: fhir.Ptr(true),
				Specialty: fhir.Coding{System: "_baseUrl_/STU3/CodeSystem/SPECIALTY", Code: "CARDIOLOGY"}}, 2},
		{"filtering by clinician", "FilteringByClinician.json", "FilteredByClinician.json", asClinicianAdmin,
			WorklistQuery{ListType: WorklistReferralsForReview, Clinician: "021600556514"}, 2},
		{"filtering by service", "FilteringByService.json", "FilteredByService.json", asProviderClinician,
			WorklistQuery{ListType: WorklistReferralsForReview, Service: "21012"}, 1},
		{"rejected triage response", "MinimalRejectedTriageResponse.json", "RejectedTriageResponse.json", asReferrer,
			WorklistQuery{ListType: WorklistRejectedTriageResponse}, 2},
		{"assessment returned cancelled DNA", "MinimalAssessmentReturnedCancelledDna.json", "AssessmentReturnedCancelledDna.json", asReferrer,
			WorklistQuery{ListType: WorklistAssessmentReturnedCancelledDNA}, 2},
		{"awaiting booking", "MinimalAwaitingBooking.json", "AwaitingBooking.json", asReferrer,
			WorklistQuery{ListType: WorklistAwaitingBooking}, 2},
		{"letters outstanding", "MinimalLettersOutstanding.json", "LettersOutstanding.json", asReferrer,
			WorklistQuery{ListType: WorklistLettersOutstanding}, 2},
	}
	for _, tc := range cases {
		t.Run("the "+tc.name+" request matches the example", func(t *testing.T) {
			want := worklistFixture(t, "retrieveWorklist/requests/"+tc.request)
			resp := worklistFixture(t, "retrieveWorklist/responses/"+tc.response)
			ts := newTestServer(t, reply{Status: http.StatusOK, Body: resp, Header: map[string]string{"X-Request-ID": "req-8"}})
			w, err := testClient(t, ts, tc.uc).RetrieveWorklist(context.Background(), tc.query)
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			if rec.Method != http.MethodPost || rec.Path != worklistPath || len(rec.Query) != 0 {
				t.Errorf("sent %s %s?%v", rec.Method, rec.Path, rec.Query)
			}
			if ct := rec.Header.Get("Content-Type"); ct != "application/fhir+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			assertHeaders(t, rec, tc.uc)
			assertJSONEqual(t, rec.Body, want)
			if w.ListType != tc.query.ListType || len(w.Rows) != tc.rows || w.List == nil || len(w.List.Entry) != tc.rows {
				t.Errorf("got %s with %d rows", w.ListType, len(w.Rows))
			}
			if w.RequestID != "req-8" || w.Status != http.StatusOK {
				t.Errorf("response info = %+v", w.ResponseInfo)
			}
			for _, r := range w.Rows {
				if r.ListType != tc.query.ListType || r.Kind != RequestKindReferral || len(r.UBRN) != 12 || r.NHSNumber == "" || r.Priority == "" {
					t.Errorf("row lacks its key facts: %+v", r)
				}
			}
		})
	}
}

func TestRetrieveAdviceWorklistSendsTheOfficialExampleRequest(t *testing.T) {
	want := worklistFixture(t, "retrieveAdviceAndGuidanceWorklist/requests/MinimalAdviceAndGuidanceRequests.json")
	resp := worklistFixture(t, "retrieveAdviceAndGuidanceWorklist/responses/AdviceAndGuidanceRequests.json")
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: resp})
	w, err := testClient(t, ts, asClinicianAdmin).RetrieveAdviceWorklist(context.Background(), AdviceWorklistQuery{})
	if err != nil {
		t.Fatal(err)
	}
	rec := ts.last()
	if rec.Method != http.MethodPost || rec.Path != adviceWorklistPath {
		t.Errorf("sent %s %s", rec.Method, rec.Path)
	}
	assertHeaders(t, rec, asClinicianAdmin)
	assertJSONEqual(t, rec.Body, want)

	if w.ListType != WorklistAdviceAndGuidanceRequests || len(w.Rows) != 2 {
		t.Fatalf("got %s with %d rows", w.ListType, len(w.Rows))
	}
	r := w.Rows[1]
	checks := []struct{ what, got, want string }{
		{"UBRN", r.UBRN, "000000070002"},
		{"kind", string(r.Kind), string(RequestKindAdvice)},
		{"priority", string(r.Priority), string(PriorityTwoWeekWait)},
		{"NHS number", r.NHSNumber, "9462979626"},
		{"advice category", r.AdviceCategory, "REFERRER_TO_SUBMIT_FURTHER_INFORMATION"},
		{"status column", r.StatusCode, "REFERRER_TO_SUBMIT_FURTHER_INFORMATION"},
		{"referrer", r.Referrer, "921600556514"},
		{"service", r.ServiceID + " " + r.ServiceName, "11014 Advice Only"},
		{"clinic type", r.ClinicTypeCode, "HEART_FAILURE"},
		{"specialty", r.SpecialtyCode, "CARDIOLOGY"},
		{"version", r.Version, "10"},
		{"first requested", r.ReferralCreated.Format(time.RFC3339Nano), "2021-09-08T13:17:29.248Z"},
		{"last updated", r.LastUpdated.Format(time.RFC3339Nano), "2021-09-08T13:17:29.86Z"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
}

func TestRetrieveAdviceWorklistSendsFilters(t *testing.T) {
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"List","status":"current","mode":"snapshot"}`)})
	w, err := testClient(t, ts, asProviderClinician).RetrieveAdviceWorklist(context.Background(),
		AdviceWorklistQuery{Service: "11014", Location: "R69"})
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, ts.last().Body, []byte(`{"resourceType":"Parameters",
		"meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1"]},
		"parameter":[
		 {"name":"listType","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-CommunicationListSelector-1","code":"ADVICE_AND_GUIDANCE_REQUESTS"}]}},
		 {"name":"service","valueIdentifier":{"system":"http://fhir.nhs.net/Id/ers-service","value":"11014"}},
		 {"name":"location","valueIdentifier":{"system":"https://directory.spineservices.nhs.uk/STU3/Organization","value":"R69"}}]}`))
	if len(w.Rows) != 0 || w.ListType != WorklistAdviceAndGuidanceRequests {
		t.Errorf("an empty list gave %d rows of %s", len(w.Rows), w.ListType)
	}
}

func TestRetrieveWorklistBuildsEveryFilter(t *testing.T) {
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"List","status":"current","mode":"snapshot"}`)})
	_, err := testClient(t, ts, asProviderClinician).RetrieveWorklist(context.Background(), WorklistQuery{
		ListType:          WorklistAppointmentSlotIssues,
		Service:           "11013",
		SpecialtyAssigned: fhir.Ptr(false),
		Location:          "RCD",
		ClinicianAssigned: fhir.Ptr(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, ts.last().Body, []byte(`{"resourceType":"Parameters",
		"meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1"]},
		"parameter":[
		 {"name":"listType","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralListSelector-1","code":"APPOINTMENT_SLOT_ISSUES"}]}},
		 {"name":"service","valueIdentifier":{"system":"http://fhir.nhs.net/Id/ers-service","value":"11013"}},
		 {"name":"specialtyAssignedIndicator","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AssignedIndicator-1","code":"NOT_ASSIGNED"}]}},
		 {"name":"location","valueIdentifier":{"system":"https://directory.spineservices.nhs.uk/STU3/Organization","value":"RCD"}},
		 {"name":"clinicianAssignedIndicator","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AssignedIndicator-1","code":"NOT_ASSIGNED"}]}}]}`))
}

func TestRetrieveWorklistSendsTheSpecialtyCodingWithoutItsDisplay(t *testing.T) {
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"List"}`)})
	live := "https://api.service.nhs.uk/referrals/FHIR/STU3/CodeSystem/SPECIALTY"
	_, err := testClient(t, ts, asProviderClinician).RetrieveWorklist(context.Background(), WorklistQuery{
		ListType:  WorklistReferralsForReview,
		Specialty: fhir.Coding{System: live, Code: "CARDIOLOGY", Display: "Cardiology"},
	})
	if err != nil {
		t.Fatal(err)
	}
	body := string(ts.last().Body)
	if !strings.Contains(body, `"system":"`+live+`"`) || strings.Contains(body, "Cardiology\"") {
		t.Errorf("specialty not echoed as system and code only: %s", body)
	}
	if !strings.Contains(body, `"code":"ASSIGNED"`) {
		t.Errorf("a specialty filter without an indicator must send ASSIGNED: %s", body)
	}
}

func TestRetrieveWorklistInApplicationRestrictedMode(t *testing.T) {
	resp := worklistFixture(t, "retrieveWorklist/responses/FilteredByService.json")
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: resp})
	c := testClient(t, ts, asProviderClinician)
	c.opts.AppRestricted = true

	t.Run("sends the service filter and no user-context headers", func(t *testing.T) {
		w, err := c.RetrieveWorklist(context.Background(), WorklistQuery{ListType: WorklistReferralsForReview, Service: "21012"})
		if err != nil {
			t.Fatal(err)
		}
		rec := ts.last()
		assertJSONEqual(t, rec.Body, worklistFixture(t, "retrieveWorklist/requests/FilteringByService.json"))
		for _, h := range []string{"NHSD-eRS-Business-Function", "NHSD-End-User-Organisation-ODS", "NHSD-eRS-On-Behalf-Of-User-ID"} {
			if v := rec.Header.Get(h); v != "" {
				t.Errorf("%s sent in application-restricted mode: %q", h, v)
			}
		}
		if len(w.Rows) != 1 || w.Rows[0].ServiceID != "21012" {
			t.Errorf("rows = %+v", w.Rows)
		}
	})
	t.Run("refuses a worklist without the service filter", func(t *testing.T) {
		ts.Requests = nil
		_, err := c.RetrieveWorklist(context.Background(), WorklistQuery{ListType: WorklistAppointmentSlotIssues})
		worklistAssertNoRequest(t, ts, err, "service filter")
	})
	t.Run("refuses a referrer worklist", func(t *testing.T) {
		ts.Requests = nil
		_, err := c.RetrieveWorklist(context.Background(), WorklistQuery{ListType: WorklistAwaitingBooking})
		worklistAssertNoRequest(t, ts, err, "application-restricted")
	})
	t.Run("refuses the advice worklist", func(t *testing.T) {
		ts.Requests = nil
		_, err := c.RetrieveAdviceWorklist(context.Background(), AdviceWorklistQuery{Service: "1"})
		worklistAssertNoRequest(t, ts, err, "application-restricted")
	})
}

func TestRetrieveWorklistRefusesInvalidQueries(t *testing.T) {
	cases := []struct {
		name  string
		uc    UserContext
		query WorklistQuery
		words string
	}{
		{"an unknown list type", asProviderClinician, WorklistQuery{ListType: "MY_LIST"}, "not a referral worklist"},
		{"no list type", asProviderClinician, WorklistQuery{}, "not a referral worklist"},
		{"the advice list", asProviderClinician, WorklistQuery{ListType: WorklistAdviceAndGuidanceRequests}, "A023"},
		{"a filter on a referrer list", asReferrer, WorklistQuery{ListType: WorklistAwaitingBooking, Service: "1"}, "takes no filters"},
		{"a clinician with the indicator NOT_ASSIGNED", asProviderClinician,
			WorklistQuery{ListType: WorklistReferralsForReview, Clinician: "021600556514", ClinicianAssigned: fhir.Ptr(false)}, "ASSIGNED"},
		{"a clinician that is not an SDS id", asProviderClinician,
			WorklistQuery{ListType: WorklistReferralsForReview, Clinician: "dr who"}, "SDS user id"},
		{"a specialty without its system", asProviderClinician,
			WorklistQuery{ListType: WorklistReferralsForReview, Specialty: fhir.Coding{Code: "CARDIOLOGY"}}, "system"},
		{"a provider list for a referring role", asReferrer, WorklistQuery{ListType: WorklistReferralsForReview}, "service provider roles"},
		{"a referrer list for a provider role", asProviderClinician, WorklistQuery{ListType: WorklistLettersOutstanding}, "referring roles"},
	}
	for _, tc := range cases {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			_, err := testClient(t, ts, tc.uc).RetrieveWorklist(context.Background(), tc.query)
			worklistAssertNoRequest(t, ts, err, tc.words)
		})
	}
	t.Run("refuses an advice worklist for a referring role", func(t *testing.T) {
		ts := newTestServer(t)
		_, err := testClient(t, ts, asReferrer).RetrieveAdviceWorklist(context.Background(), AdviceWorklistQuery{})
		worklistAssertNoRequest(t, ts, err, "service provider roles")
	})
	t.Run("leaves the role to e-RS when the gateway sets the headers", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"List"}`)})
		if _, err := testClient(t, ts, UserContext{}).RetrieveWorklist(context.Background(), WorklistQuery{ListType: WorklistLettersOutstanding}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWorklistErrors(t *testing.T) {
	cases := []struct {
		name  string
		reply func(t *testing.T) reply
		check func(error) bool
	}{
		{"422 with the endpoint's code is a business rule", func(t *testing.T) reply {
			return reply{Status: http.StatusUnprocessableEntity, Body: fixture(t, "stu3/STU3-OperationOutcome.json")}
		}, func(err error) bool { return IsBusinessRule(err, "UNEXPECTED_FIELD") }},
		{"403 is forbidden", func(t *testing.T) reply {
			return reply{Status: http.StatusForbidden, Body: fixture(t, "stu3/STU3-Forbidden.json")}
		}, func(err error) bool { return IsForbidden(err) && HasCode(err, "FORBIDDEN") }},
		{"401 asks to sign in again", func(t *testing.T) reply {
			return reply{Status: http.StatusUnauthorized, Body: fixture(t, "stu3/STU3-Unauthorised.json")}
		}, NeedsReauthentication},
		{"400 without a body keeps its status", func(*testing.T) reply { return reply{Status: http.StatusBadRequest} },
			func(err error) bool { return hasStatus(err, http.StatusBadRequest) }},
		{"a body that is not a List is a bad response", func(*testing.T) reply {
			return reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"Bundle"}`)}
		}, func(err error) bool { e, ok := AsError(err); return ok && e.Kind == KindBadResponse }},
		{"a body over 10 MB is refused", func(*testing.T) reply {
			return reply{Status: http.StatusOK, Body: bytes.Repeat([]byte(" "), MaxWorklistBytes+1)}
		}, func(err error) bool { e, ok := AsError(err); return ok && e.Kind == KindTooLarge }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, tc.reply(t))
			_, err := testClient(t, ts, asProviderClinician).RetrieveWorklist(context.Background(), WorklistQuery{ListType: WorklistReferralsForReview})
			if err == nil || !tc.check(err) {
				t.Errorf("error = %v", err)
			}
		})
	}
}

func TestWorklistIsAReadAndIsRetried(t *testing.T) {
	ts := newTestServer(t,
		reply{Status: http.StatusServiceUnavailable, Body: fixture(t, "stu3/STU3-ServiceUnavailable.json")},
		reply{Status: http.StatusOK, Body: fixture(t, "stu3/retrieveWorklist/responses/ReferralsForReview.json")})
	w, err := testClient(t, ts, asProviderClinician).RetrieveWorklist(context.Background(), WorklistQuery{ListType: WorklistReferralsForReview})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Requests) != 2 || len(w.Rows) != 2 {
		t.Errorf("server saw %d requests, %d rows", len(ts.Requests), len(w.Rows))
	}
	if !bytes.Equal(ts.Requests[0].Body, ts.Requests[1].Body) {
		t.Error("the retry sent a different body")
	}
}

func TestWorklistRowsFromTheOfficialResponses(t *testing.T) {
	t.Run("referrals for review resolve contained patients and clinicians", func(t *testing.T) {
		w := worklistDecodeFixture(t, "ReferralsForReview.json")
		triage, booked := w.Rows[0], w.Rows[1]
		worklistCheck(t, "triage row", map[string][2]string{
			"UBRN":          {triage.UBRN, "000000070002"},
			"NHS number":    {triage.NHSNumber, "9462979626"},
			"referral type": {string(triage.ReferralType), string(ReferralTypeTriageDeferral)},
			"service":       {triage.ServiceID + "|" + triage.ServiceName, "11012|Excellent Cardiology Business Service 12"},
			"version":       {triage.Version, "7"},
			"context":       {string(triage.RequestContextStatus), string(ContextNeverReviewed)},
			"allocated":     {triage.AllocatedClinician, ""},
			"pathway start": {triage.PathwayStart.Format(time.RFC3339Nano), "2021-09-03T14:09:15.297Z"},
		})
		worklistCheck(t, "booked row", map[string][2]string{
			"UBRN":              {booked.UBRN, "000000070001"},
			"NHS number":        {booked.NHSNumber, "1000000001"},
			"allocated":         {booked.AllocatedClinician, "021600556514"},
			"referral type":     {string(booked.ReferralType), string(ReferralTypeAppointment)},
			"appointment start": {booked.AppointmentStart.Format(time.RFC3339Nano), "2021-09-05T15:09:03.971Z"},
			"clinical info":     {booked.ClinicalInfoLastUpdated.Format(time.RFC3339Nano), "2021-09-03T14:09:12.573Z"},
			"version":           {booked.Version, "12"},
			"specialty":         {booked.SpecialtyCode, "CARDIOLOGY"},
		})
		if booked.ClinicalInfoPrinted || booked.ClinicalInfoChanged() || booked.NeedsVersionLookup() {
			t.Errorf("flags of the booked row: %+v", booked)
		}
	})
	t.Run("appointment slot issues read the identifier shape and carry no version", func(t *testing.T) {
		w := worklistDecodeFixture(t, "AppointmentSlotIssues.json")
		r := w.Rows[0]
		worklistCheck(t, "slot issue row", map[string][2]string{
			"NHS number":  {r.NHSNumber, "1000000001"},
			"contact by":  {r.ContactBy.Format(time.DateOnly), "2021-09-07"},
			"reason":      {r.ReasonCode, "NO_SLOTS_AT_SERVICE"},
			"clinical":    {r.ClinicalInfoStatus, "PRESENT"},
			"received":    {r.UBRNReceived.Format(time.RFC3339Nano), "2021-09-03T14:16:53.119Z"},
			"service":     {r.ServiceID, "11013"},
			"version":     {r.Version, ""},
			"list":        {string(r.ListType), string(WorklistAppointmentSlotIssues)},
			"kind":        {string(r.Kind), string(RequestKindReferral)},
			"referral ty": {string(r.ReferralType), ""},
		})
		if !r.NeedsVersionLookup() {
			t.Error("a slot-issue row must ask for the version to be looked up")
		}
	})
	t.Run("a row without a service still decodes", func(t *testing.T) {
		w := worklistDecodeFixture(t, "FilteredBySpecialty.json")
		r, ok := w.Row("000000070001")
		if !ok {
			t.Fatal("row 000000070001 missing")
		}
		if r.ServiceID != "" || r.ServiceName != "" || r.NHSNumber != "9462979626" || r.Version != "9" {
			t.Errorf("row = %+v", r)
		}
	})
	t.Run("referrer lists show status, reason, referrer and dates", func(t *testing.T) {
		w := worklistDecodeFixture(t, "AwaitingBooking.json")
		r := w.Rows[1]
		worklistCheck(t, "awaiting booking row", map[string][2]string{
			"status":   {r.StatusCode + "|" + r.StatusDisplay, "APP_CANCELLED_BY_PATIENT|Appointment cancelled by patient"},
			"reason":   {r.ReasonCode + "|" + r.ReasonDisplay, "PATIENT_HOLIDAY|Patient on holiday"},
			"referrer": {r.Referrer, "021600556514"},
			"context":  {r.ClinicalContext, "ORTHAPEDICS/KNEE"},
			"created":  {r.ReferralCreated.Format(time.RFC3339Nano), "2021-09-03T14:19:04.702Z"},
			"updated":  {r.LastUpdated.Format(time.RFC3339Nano), "2021-09-03T14:19:04.702Z"},
		})
		if w.Rows[0].ReasonCode != "" || w.Rows[0].StatusCode != "NOT_BOOKED" {
			t.Errorf("a row without a reason has %q", w.Rows[0].ReasonCode)
		}
	})
	t.Run("letters outstanding show the letter due date", func(t *testing.T) {
		w := worklistDecodeFixture(t, "LettersOutstanding.json")
		if got := w.Rows[1].LetterDue.Format(time.DateOnly); got != "2021-01-25" || w.Rows[1].UBRN != "000000068002" {
			t.Errorf("letter due %s for %s", got, w.Rows[1].UBRN)
		}
	})
}

// worklistDecodeFixture decodes an official A008 response.
func worklistDecodeFixture(t *testing.T, name string) *Worklist {
	t.Helper()
	w, err := DecodeWorklist(worklistFixture(t, "retrieveWorklist/responses/"+name))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func worklistCheck(t *testing.T, what string, checks map[string][2]string) {
	t.Helper()
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s: %s = %q, want %q", what, name, c[0], c[1])
		}
	}
}

// worklistHandWritten is a small REFERRALS_FOR_REVIEW list in both patient
// shapes, with synthetic NHS numbers, used here and as fuzz seeds.
const worklistHandWritten = `{"resourceType":"List","status":"current","mode":"snapshot",
 "contained":[
  {"resourceType":"Patient","id":"pat-a","identifier":[{"system":"http://fhir.nhs.net/Id/nhs-number","value":"9990000018"}]},
  {"resourceType":"Practitioner","id":"prac-a","identifier":{"system":"http://fhir.nhs.net/Id/sds-user-id","value":"555032006106"}}],
 "entry":[
  {"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralsforReview-WorkListItem-1","extension":[
    {"url":"priority","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1","code":"URGENT"}]}},
    {"url":"patient","valueReference":{"reference":"#pat-a"}},
    {"url":"allocatedClinician","valueReference":{"reference":"#prac-a"}},
    {"url":"namedClinician","valueReference":{"identifier":{"system":"http://fhir.nhs.net/Id/sds-user-id","value":"555073103100"}}},
    {"url":"eReferralPathwayStart","valueDateTime":"2025-03-01T08:00:00Z"},
    {"url":"clinicalInfoPrinted","valueBoolean":true},
    {"url":"requestContextStatus","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-RequestContextStatus-1","code":"PRIORITY_AND_LETTER_CHANGED"}]}},
    {"url":"referralType","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralType-1","code":"APPOINTMENT"}]}},
    {"url":"referralRequestVersion","valueInteger":3}]}],
   "item":{"reference":"ReferralRequest/000000100001"}},
  {"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralsforReview-WorkListItem-1","extension":[
    {"url":"patient","valueReference":{"identifier":{"system":"http://fhir.nhs.net/Id/nhs-number","value":"9990000026"}}},
    {"url":"eReferralPathwayStart","valueDateTime":"not a date"}]}],
   "item":{"reference":"ReferralRequest/000000100002/_history/4"}},
  {"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralsforReview-WorkListItem-1","extension":[
    {"url":"patient","valueReference":{"reference":"#Patient-9990000034"}}]}],
   "item":{"reference":"https://example.invalid/FHIR/STU3/ReferralRequest/000000100003"}},
  {"item":{}}]}`

func TestWorklistRowsFromBothPatientShapes(t *testing.T) {
	w, err := DecodeWorklist([]byte(worklistHandWritten))
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Rows) != 4 || w.ListType != WorklistReferralsForReview {
		t.Fatalf("%d rows of %s", len(w.Rows), w.ListType)
	}
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"a contained patient gives its NHS number", w.Rows[0].NHSNumber, "9990000018"},
		{"a contained practitioner with a single identifier gives its SDS id", w.Rows[0].AllocatedClinician, "555032006106"},
		{"a named clinician by identifier gives its SDS id", w.Rows[0].NamedClinician, "555073103100"},
		{"a patient identifier gives the NHS number", w.Rows[1].NHSNumber, "9990000026"},
		{"a UBRN reference with history gives the UBRN", w.Rows[1].UBRN, "000000100002"},
		{"a reference to a missing contained patient falls back to its id", w.Rows[2].NHSNumber, "9990000034"},
		{"an absolute reference gives the UBRN", w.Rows[2].UBRN, "000000100003"},
		{"an unreadable date leaves the cell empty", w.Rows[1].PathwayStart.String(), time.Time{}.String()},
		{"an item without facts is still a row", w.Rows[3].UBRN + string(w.Rows[3].Kind), string(RequestKindReferral)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
	r := w.Rows[0]
	if !r.ClinicalInfoChanged() || !r.RequestContextStatus.PriorityChanged() || !r.ClinicalInfoPrinted || r.Priority != PriorityUrgent {
		t.Errorf("flags of row 0: %+v", r)
	}
}

func TestWorklistRowDaysWaiting(t *testing.T) {
	start := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		row  WorklistRow
		now  time.Time
		want int
	}{
		{"counts whole days", WorklistRow{PathwayStart: start}, start.Add(10*24*time.Hour + 7*time.Hour), 10},
		{"is zero on the first day", WorklistRow{PathwayStart: start}, start.Add(23 * time.Hour), 0},
		{"is zero without a pathway start", WorklistRow{}, start, 0},
		{"is zero for a start in the future", WorklistRow{PathwayStart: start}, start.Add(-time.Hour), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.row.DaysWaiting(tc.now); got != tc.want {
				t.Errorf("DaysWaiting = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestRequestContextStatusSaysWhatChanged(t *testing.T) {
	cases := []struct {
		status                   RequestContextStatus
		letter, priority, change bool
	}{
		{ContextNeverReviewed, false, false, false},
		{ContextLetterChanged, true, false, true},
		{ContextPriorityChanged, false, true, true},
		{ContextPriorityAndLetterChanged, true, true, true},
		{"", false, false, false},
	}
	for _, tc := range cases {
		t.Run(string(tc.status)+" is reported as such", func(t *testing.T) {
			if tc.status.LetterChanged() != tc.letter || tc.status.PriorityChanged() != tc.priority || tc.status.ChangedSinceReview() != tc.change {
				t.Errorf("letter %v priority %v changed %v", tc.status.LetterChanged(), tc.status.PriorityChanged(), tc.status.ChangedSinceReview())
			}
		})
	}
}

func TestWorklistTypes(t *testing.T) {
	for _, lt := range append(ReferralWorklistTypes(), WorklistAdviceAndGuidanceRequests) {
		t.Run(string(lt)+" maps to its item extension and back", func(t *testing.T) {
			got, ok := worklistTypeOfItemURL(lt.ItemExtensionURL())
			if !ok || got != lt || !lt.Valid() || lt.Label() == string(lt) {
				t.Errorf("round trip gave %q, %v", got, ok)
			}
		})
	}
	if WorklistType("X").Valid() || WorklistType("X").ItemExtensionURL() != "" {
		t.Error("an unknown list type is valid")
	}
	if _, ok := worklistTypeOfItemURL(worklistItemPrefix + "Nothing" + worklistItemSuffix); ok {
		t.Error("an unknown item extension maps to a list")
	}
}

func TestDecodeWorklistRejectsWhatIsNotAList(t *testing.T) {
	for name, body := range map[string]string{
		"empty":       ``,
		"not JSON":    `<html>`,
		"an outcome":  `{"resourceType":"OperationOutcome"}`,
		"bad entries": `{"resourceType":"List","entry":{}}`,
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			if _, err := DecodeWorklist([]byte(body)); err == nil {
				t.Error("no error")
			}
		})
	}
}
