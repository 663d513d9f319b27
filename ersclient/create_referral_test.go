package ersclient

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// journeyExamplePathwayStart is the pathway start of the official A011
// examples; journeyExampleNow is a moment when it was valid.
var (
	journeyExamplePathwayStart = time.Date(2024, 5, 1, 9, 55, 0, 0, time.UTC)
	journeyExampleNow          = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
)

func journeyHeartFailureCriteria() SearchCriteria {
	return SearchCriteria{Priority: PriorityCoding(PriorityUrgent), Specialty: journeySpecialty,
		ClinicType: fhir.Coding{System: fhir.CSClinicTypeSearch, Code: "HEART_FAILURE"}}
}

func journeyServices(ids ...string) []ShortlistedService {
	out := make([]ShortlistedService, len(ids))
	for i, id := range ids {
		out[i] = ShortlistedService{ID: id}
	}
	return out
}

func journeyCreateExamples() []struct {
	name, example string
	as            UserContext
	req           CreateReferralRequest
} {
	var twenty []string
	for i := 0; i < 20; i++ {
		twenty = append(twenty, fmt.Sprint(12000+i))
	}
	base := func(services ...string) CreateReferralRequest {
		return CreateReferralRequest{NHSNumber: "9912003888", Services: journeyServices(services...), Criteria: journeyHeartFailureCriteria(),
			LetterIntention: LetterToFollow, PathwayStart: journeyExamplePathwayStart}
	}
	withClinician := base("11002")
	withClinician.ReferringClinician = "021600556514"
	mixed := base("11002", "51002")
	mixed.PathwayStart = time.Time{}
	many := base(twenty...)
	many.Criteria = SearchCriteria{Priority: PriorityCoding(PriorityRoutine), Specialty: journeySpecialty,
		ClinicType: fhir.Coding{Code: "HEART_FAILURE"}, IndicativeWaitLimit: fhir.Ptr(50), Postcode: "LS1 2UT", DistanceLimit: fhir.Ptr(123),
		ClinicalTerm: fhir.Coding{Code: "1003"}, NamedClinician: "021600556514", AgeAndGenderAppropriate: true, Organisation: "R69"}
	return []struct {
		name, example string
		as            UserContext
		req           CreateReferralRequest
	}{
		{"a minimal referral to one service", "MinimalRequest", asReferrer, base("11002")},
		{"a referral shortlisting twenty services", "RequestTwentyServices", asReferrer, many},
		{"a referral with a bookable and a triage service", "RequestMixedShortlist", asReferrer, mixed},
		{"an admin referring for a clinician", "MinimalRequestWithReferringClinician", journeyAsRCA, withClinician},
	}
}

func TestCreateReferralBuildsTheOfficialExamples(t *testing.T) {
	for _, c := range journeyCreateExamples() {
		t.Run(c.name, func(t *testing.T) {
			want := fixture(t, "stu3/createReferral/requests/"+c.example+".json")
			ts := newTestServer(t)
			// The examples' pathway start (May 2024) is judged as of June 2024.
			p, err := testClient(t, ts, c.as).createReferralParameters(OpCreateReferral, profileCreateReferral, c.req, journeyExampleNow)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := fhir.Marshal(p)
			assertJSONEqual(t, got, want)
		})
	}
}

func TestCreateReferralSendsTheOfficialExamples(t *testing.T) {
	for _, c := range journeyCreateExamples() {
		t.Run(c.name, func(t *testing.T) {
			want := fixture(t, "stu3/createReferral/requests/"+c.example+".json")
			req := c.req
			if !req.PathwayStart.IsZero() {
				// A pathway start must be within the last year: move the
				// example's to last month, in the body expected too.
				req.PathwayStart = time.Now().UTC().AddDate(0, -1, 0).Truncate(time.Millisecond)
				want = bytes.Replace(want, []byte("2024-05-01T09:55:00.000Z"), []byte(req.PathwayStart.Format(instantLayout)), 1)
			}
			ts := newTestServer(t, reply{Status: 201, Header: map[string]string{"ETag": `W/"1"`},
				Body: fixture(t, "stu3/createReferral/responses/ReferralRequest.json")})
			ref, err := testClient(t, ts, c.as).CreateReferral(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			r := journeyRequestOf(t, ts, c.as, http.MethodPost, "/FHIR/STU3/ReferralRequest/$ers.createReferral")
			if r.Header.Get("If-Match") != "" {
				t.Errorf("If-Match %q sent on a create", r.Header.Get("If-Match"))
			}
			assertJSONEqual(t, journeyFHIRBody(t, r), want)
			if ref.UBRN() != "000000070000" || ref.Version != "3" || ref.Status != 201 || ref.ResponseInfo.Version != "1" {
				t.Errorf("referral %s version %s (ETag version %s), status %d", ref.UBRN(), ref.Version, ref.ResponseInfo.Version, ref.Status)
			}
		})
	}
}

func TestCreatedReferralsDecode(t *testing.T) {
	for _, example := range []string{"ReferralRequest", "ReferralRequestTwentyServices", "ReferralRequestMixedShortlist"} {
		t.Run("the "+example+" example gives its UBRN, version and shortlist", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 201, Header: map[string]string{"ETag": `W/"1"`},
				Body: fixture(t, "stu3/createReferral/responses/"+example+".json")})
			req := journeyCreateExamples()[0].req
			req.PathwayStart = time.Time{}
			ref, err := testClient(t, ts, asReferrer).CreateReferral(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			services, criteria, ok := ReferralShortlist(ref.Resource)
			if !ok || len(services) == 0 || ref.UBRN() != "000000070000" {
				t.Fatalf("shortlist %v (%v) of %s", services, ok, ref.UBRN())
			}
			if criteria.Priority.Code == "" || !fhir.IsLocalSystem(criteria.Specialty.System, fhir.LocalSpecialty) {
				t.Errorf("criteria %+v", criteria)
			}
		})
	}
	t.Run("the shortlist names its services", func(t *testing.T) {
		var rr fhir.ReferralRequest
		if err := fhir.Unmarshal(fixture(t, "stu3/createReferral/responses/ReferralRequest.json"), &rr); err != nil {
			t.Fatal(err)
		}
		services, criteria, _ := ReferralShortlist(&rr)
		if len(services) != 1 || services[0] != (ShortlistedService{ID: "11002", Name: "Good Cardiology Business Service"}) {
			t.Errorf("services %+v", services)
		}
		if criteria.CommissioningProvisioning.Code != "ALL_AVAILABLE_FOR_BOOKING" || criteria.ClinicType.Code != "HEART_FAILURE" {
			t.Errorf("criteria %+v", criteria)
		}
	})
}

func TestCreateReferralRefusesBadInputBeforeSending(t *testing.T) {
	var twentyOne []string
	for i := 0; i < 21; i++ {
		twentyOne = append(twentyOne, fmt.Sprint(12000+i))
	}
	cases := []struct {
		name   string
		as     UserContext
		change func(*CreateReferralRequest)
		code   string
	}{
		{name: "an empty shortlist", change: func(r *CreateReferralRequest) { r.Services = nil }},
		{name: "a shortlist of 21 services", change: func(r *CreateReferralRequest) { r.Services = journeyServices(twentyOne...) }, code: "TOO_MANY_ITEMS"},
		{name: "a service shortlisted twice", change: func(r *CreateReferralRequest) { r.Services = journeyServices("11002", "11003", "11002") }, code: "DUPLICATE_SERVICE"},
		{name: "an empty service id", change: func(r *CreateReferralRequest) { r.Services = journeyServices("") }},
		{name: "a pathway start in the future", change: func(r *CreateReferralRequest) { r.PathwayStart = time.Now().Add(time.Hour) }},
		{name: "a pathway start more than a year ago", change: func(r *CreateReferralRequest) { r.PathwayStart = time.Now().AddDate(-1, 0, -2) }},
		{name: "no letter intention", change: func(r *CreateReferralRequest) { r.LetterIntention = "" }},
		{name: "an unknown letter intention", change: func(r *CreateReferralRequest) { r.LetterIntention = "MAYBE" }},
		{name: "negative reminder days", change: func(r *CreateReferralRequest) { r.FirstReminderLetterFollowUpDays = -1 }},
		{name: "an invalid NHS number", change: func(r *CreateReferralRequest) { r.NHSNumber = "1234567890" }},
		{name: "an admin naming no clinician", as: journeyAsRCA, change: func(r *CreateReferralRequest) {}},
		{name: "criteria without a priority", change: func(r *CreateReferralRequest) { r.Criteria.Priority = fhir.Coding{} }},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			as := c.as
			if as.BusinessFunction == "" {
				as = asReferrer
			}
			ts := newTestServer(t)
			req := CreateReferralRequest{NHSNumber: "9990000018", Services: journeyServices("11002"), Criteria: journeyHeartFailureCriteria(),
				LetterIntention: NoLetterIntended}
			c.change(&req)
			_, err := testClient(t, ts, as).CreateReferral(context.Background(), req)
			e := journeyRefusedBeforeSending(t, ts, err)
			if c.code != "" && !HasCode(err, c.code) {
				t.Errorf("code %q, want %q", e.Code, c.code)
			}
		})
	}
}

func TestCreateReferralErrors(t *testing.T) {
	req := CreateReferralRequest{NHSNumber: "9990000018", Services: journeyServices("11002"), Criteria: journeyHeartFailureCriteria(),
		LetterIntention: LetterToFollow, FirstReminderLetterFollowUpDays: 7}
	cases := []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{name: "a service not in the search results is a business rule failure",
			reply: reply{Status: 422, Body: journeyOutcome("SHORTLISTED_SERVICE_NOT_IN_RESULTS", "business-rule", "service 11002")},
			check: func(err error) bool { return IsBusinessRule(err, "SHORTLISTED_SERVICE_NOT_IN_RESULTS") }},
		{name: "a duplicate found by e-RS is a business rule failure",
			reply: reply{Status: 422, Body: journeyOutcome("DUPLICATE_SERVICE", "business-rule", "")},
			check: func(err error) bool { return IsBusinessRule(err, "DUPLICATE_SERVICE") }},
		{name: "a forbidden role", reply: reply{Status: 403, Body: fixture(t, "stu3/STU3-Forbidden.json")}, check: IsForbidden},
		{name: "a bad request", reply: reply{Status: 400}, check: func(err error) bool { e, ok := AsError(err); return ok && e.Status == 400 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			_, err := testClient(t, ts, asReferrer).CreateReferral(context.Background(), req)
			if err == nil || !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
		})
	}
	t.Run("a create is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error { _, err := c.CreateReferral(context.Background(), req); return err })
	})
}

func TestCreateReferralAndSendForTriage(t *testing.T) {
	examples := []struct {
		name, example string
		as            UserContext
		req           CreateReferralRequest
	}{
		{"a referral sent to one triage service", "Parameters", asReferrer,
			CreateReferralRequest{NHSNumber: "9912003888", Services: journeyServices("11004"), LetterIntention: LetterToFollow,
				Criteria: SearchCriteria{Priority: PriorityCoding(PriorityRoutine), Specialty: journeySpecialty, ClinicType: fhir.Coding{Code: "HEART_FAILURE"}}}},
		{"an admin sending for triage for a named clinician", "ParametersWithNamedClinician", journeyAsRCA,
			CreateReferralRequest{NHSNumber: "9912003888", ReferringClinician: "021600556514", Services: journeyServices("11004"), LetterIntention: LetterToFollow,
				Criteria: SearchCriteria{Priority: PriorityCoding(PriorityRoutine), NamedClinician: "021600556514", ClinicalTerm: fhir.Coding{Code: "1003"},
					AgeAndGenderAppropriate: true, Order: []string{"priority", "namedClinician", "clinicalTerm"}}}},
	}
	responses := map[string]string{"Parameters": "ReferralRequest", "ParametersWithNamedClinician": "ReferralRequestWithNamedClinician"}
	for _, c := range examples {
		t.Run(c.name+" matches the official example", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 201, Header: map[string]string{"ETag": `W/"1"`},
				Body: fixture(t, "stu3/createReferralAndSendForTriage/responses/"+responses[c.example]+".json")})
			ref, err := testClient(t, ts, c.as).CreateReferralAndSendForTriage(context.Background(), c.req)
			if err != nil {
				t.Fatal(err)
			}
			r := journeyRequestOf(t, ts, c.as, http.MethodPost, "/FHIR/STU3/ReferralRequest/$ers.createReferralAndSendForTriage")
			assertJSONEqual(t, journeyFHIRBody(t, r), fixture(t, "stu3/createReferralAndSendForTriage/requests/"+c.example+".json"))
			if ref.UBRN() != "000000070000" || ref.Version != "3" {
				t.Errorf("referral %s version %s", ref.UBRN(), ref.Version)
			}
		})
	}
	refusals := []struct {
		name   string
		change func(*CreateReferralRequest)
	}{
		{"two services", func(r *CreateReferralRequest) { r.Services = journeyServices("11004", "11005") }},
		{"no letter to follow", func(r *CreateReferralRequest) { r.LetterIntention = NoLetterIntended }},
		{"a reminder", func(r *CreateReferralRequest) { r.FirstReminderLetterFollowUpDays = 3 }},
		{"a pathway start", func(r *CreateReferralRequest) { r.PathwayStart = time.Now().AddDate(0, 0, -3) }},
	}
	for _, c := range refusals {
		t.Run("triage with "+c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			req := examples[0].req
			c.change(&req)
			_, err := testClient(t, ts, asReferrer).CreateReferralAndSendForTriage(context.Background(), req)
			journeyRefusedBeforeSending(t, ts, err)
		})
	}
	t.Run("a create and send is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error {
			_, err := c.CreateReferralAndSendForTriage(context.Background(), examples[0].req)
			return err
		})
	})
}
