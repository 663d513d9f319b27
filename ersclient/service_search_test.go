package ersclient

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Helpers shared by the referrer's-journey tests (search, referral, letters,
// shortlist, slots, booking, appointments, services, uploads).

// journeyAsRCA is a referring clinician admin at the GP practice.
var journeyAsRCA = UserContext{BusinessFunction: ReferringClinicianAdmin, Organisation: "D82106"}

// journeySpecialty is the local SPECIALTY coding as the official examples
// write it.
var journeySpecialty = fhir.Coding{System: fhir.LocalSystemPrefix + fhir.LocalSpecialty, Code: "CARDIOLOGY"}

// journeyOutcome is an STU3 OperationOutcome with one e-RS error code.
func journeyOutcome(code, issueType, diagnostics string) []byte {
	return []byte(`{"resourceType":"OperationOutcome","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1"]},` +
		`"issue":[{"severity":"error","code":"` + issueType + `","details":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1","code":"` +
		code + `"}]},"diagnostics":"` + diagnostics + `"}]}`)
}

// journeyRequestOf returns the request received, checking the method, the
// exact path below the server root and the user-context headers.
func journeyRequestOf(t *testing.T, ts *testServer, uc UserContext, method, path string) recorded {
	t.Helper()
	if len(ts.Requests) != 1 {
		t.Fatalf("the server received %d requests, want 1", len(ts.Requests))
	}
	r := ts.last()
	if r.Method != method || r.Path != path {
		t.Errorf("request %s %s, want %s %s", r.Method, r.Path, method, path)
	}
	assertHeaders(t, r, uc)
	return r
}

// journeyFHIRBody checks that a request carried a FHIR JSON body.
func journeyFHIRBody(t *testing.T, r recorded) []byte {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/fhir+json" {
		t.Errorf("Content-Type %q, want application/fhir+json", ct)
	}
	return r.Body
}

// journeyRefusedBeforeSending checks that err is a client-side refusal and
// that nothing reached the server.
func journeyRefusedBeforeSending(t *testing.T, ts *testServer, err error) *Error {
	t.Helper()
	e, ok := AsError(err)
	if !ok || e.Kind != KindInvalid {
		t.Fatalf("want a refusal before sending, got %v", err)
	}
	if len(ts.Requests) != 0 {
		t.Errorf("the server received %d requests; nothing should have been sent", len(ts.Requests))
	}
	if e.Message() == "" {
		t.Error("the refusal has no message")
	}
	return e
}

// journeyNotRetried runs a write against a server that answers 503 and
// checks that it was sent exactly once.
func journeyNotRetried(t *testing.T, uc UserContext, write func(*Client) error) {
	t.Helper()
	ts := newTestServer(t, reply{Status: http.StatusServiceUnavailable, Body: fixture(t, "stu3/STU3-ServiceUnavailable.json")})
	err := write(testClient(t, ts, uc))
	if e, ok := AsError(err); !ok || e.Status != http.StatusServiceUnavailable {
		t.Fatalf("want the 503 back, got %v", err)
	}
	if n := len(ts.Requests); n != 1 {
		t.Errorf("a write was sent %d times after a 503; writes must never be retried", n)
	}
}

// journeyCriteriaOf decodes the searchCriteria of an official A010 request.
func journeyCriteriaOf(t *testing.T, body []byte, param string) *fhir.Parameters {
	t.Helper()
	var p fhir.Parameters
	if err := fhir.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	var crit fhir.Parameters
	if ok, err := p.ResourceParam(param, &crit); !ok || err != nil {
		t.Fatalf("no %s in the example (%v)", param, err)
	}
	return &crit
}

func TestPatientServiceSearchSendsTheOfficialExamples(t *testing.T) {
	urgent := PriorityCoding(PriorityUrgent)
	lipid := fhir.Coding{Code: "LIPID_MANAGEMENT"}
	cases := []struct {
		name    string
		example string
		as      UserContext
		search  ServiceSearch
	}{
		{name: "a minimal search by specialty and clinic type", example: "RcMinimal", as: asReferrer,
			search: ServiceSearch{RequestType: RequestAppointment, NHSNumber: "9912003888",
				Criteria: SearchCriteria{Priority: urgent, Specialty: journeySpecialty, ClinicType: lipid, AgeAndGenderAppropriate: true}}},
		{name: "a search by clinical term near a postcode, sorted by wait", example: "RcSearchByClinicalTerm", as: asReferrer,
			search: ServiceSearch{RequestType: RequestAppointment, SortBy: SortByWaitTime, NHSNumber: "9912003888", ReferringClinician: "021600556514",
				Criteria: SearchCriteria{Priority: urgent, IndicativeWaitLimit: fhir.Ptr(15), Postcode: "BR1 1AB", DistanceLimit: fhir.Ptr(23),
					ClinicalTerm: fhir.Coding{Code: "1003"}, Organisation: "R69", AgeAndGenderAppropriate: true,
					// This example puts the organisation before the age flag.
					Order: []string{"priority", "indicativeAppointmentWaitTimeLimit", "postcode", "distanceLimit", "clinicalTerm", "organisation"}}}},
		{name: "a search for a named clinician", example: "RcSearchByNamedClinician", as: asReferrer,
			search: ServiceSearch{RequestType: RequestAppointment, SortBy: SortByDistance, NHSNumber: "9912003888",
				Criteria: SearchCriteria{Priority: urgent, NamedClinician: "021600556514", AgeAndGenderAppropriate: true}}},
		{name: "a search for advice and guidance services", example: "RcSearchForAdviceService", as: asReferrer,
			search: ServiceSearch{RequestType: RequestAdviceAndGuidance, NHSNumber: "9912003888",
				Criteria: SearchCriteria{Priority: urgent, Specialty: journeySpecialty, ClinicType: lipid, AgeAndGenderAppropriate: true}}},
		{name: "a search to change an existing referral's shortlist", example: "RcSearchWithCommissioningRuleOrganisation", as: asReferrer,
			search: ServiceSearch{RequestType: RequestAppointment, NHSNumber: "9912003888", CommissioningRuleOrg: "R69",
				Criteria: SearchCriteria{Priority: urgent, Specialty: journeySpecialty, ClinicType: lipid, AgeAndGenderAppropriate: true}}},
		{name: "an admin searching for a clinician with a wait limit", example: "RcaWithIWT", as: journeyAsRCA,
			search: ServiceSearch{RequestType: RequestAppointment, NHSNumber: "9912003888", ReferringClinician: "021600556514",
				Criteria: SearchCriteria{Priority: urgent, Specialty: journeySpecialty, ClinicType: lipid, IndicativeWaitLimit: fhir.Ptr(15), AgeAndGenderAppropriate: true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := fixture(t, "stu3/patientServiceSearch/requests/"+c.example+".json")
			ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/patientServiceSearch/responses/FetchServiceListWithSingleService.json")})
			res, err := testClient(t, ts, c.as).SearchServicesForPatient(context.Background(), c.search)
			if err != nil {
				t.Fatal(err)
			}
			r := journeyRequestOf(t, ts, c.as, http.MethodPost, "/FHIR/STU3/HealthcareService/$ers.searchHealthcareServicesForPatient")
			if len(r.Query) != 0 {
				t.Errorf("query %v, want none", r.Query)
			}
			assertJSONEqual(t, journeyFHIRBody(t, r), want)
			if len(res.Services) != 1 || res.Services[0].ID != "11002" {
				t.Errorf("services %+v, want service 11002", res.Services)
			}
			if res.Criteria.Priority.Code != "URGENT" {
				t.Errorf("the results do not keep the criteria searched with: %+v", res.Criteria)
			}
		})
	}
}

func TestSearchCriteriaReadBackAreSentBackAsRead(t *testing.T) {
	for _, example := range []string{
		"patientServiceSearch/requests/RcSearchByClinicalTerm.json",
		"patientServiceSearch/requests/RcaWithIWT.json",
		"patientServiceSearch/requests/RcSearchByNamedClinician.json",
	} {
		t.Run("the criteria of "+example+" survive a round trip", func(t *testing.T) {
			crit := journeyCriteriaOf(t, fixture(t, "stu3/"+example), "searchCriteria")
			p, err := ParseSearchCriteria(crit).Parameters(OpPatientServiceSearch)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := fhir.Marshal(p)
			want, _ := fhir.Marshal(crit)
			assertJSONEqual(t, got, want)
		})
	}
}

func TestPatientServiceSearchResultsShowWhatTheScreenNeeds(t *testing.T) {
	t.Run("several services with limited availability and two request flows", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/patientServiceSearch/responses/FetchServiceListWithMultipleServices.json")})
		res, err := testClient(t, ts, asReferrer).SearchServicesForPatient(context.Background(), journeySearch())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Services) != 6 {
			t.Fatalf("%d services, want 6", len(res.Services))
		}
		first := res.Services[0]
		if first.ID != "11030" || first.Name != "A LOCALLY_COMMISSIONABLE Service" || first.LocationCode != "R69" || first.LocationName != "Cicero-Clinic" {
			t.Errorf("first service %+v", first)
		}
		if first.IndicativeWait.Known() || first.IndicativeWait.Code != "LIMITED_AVAILABILITY" || first.IndicativeWait.String() != "Limited availability" {
			t.Errorf("wait %+v (%q), want LIMITED_AVAILABILITY", first.IndicativeWait, first.IndicativeWait.String())
		}
		if first.Distance == nil || *first.Distance != 0 {
			t.Errorf("distance %v, want 0", first.Distance)
		}
		if !first.DirectlyBookable() || first.ReferralLetterRequired || first.GenderTreated != "MALE_AND_FEMALE" ||
			!fhir.IsLocalSystem(first.Specialty.System, fhir.LocalSpecialty) || first.Specialty.Code != "CARDIOLOGY" {
			t.Errorf("first service facts %+v", first)
		}
		if got := res.Services[2]; got.ID != "11010" || !got.Supports(FlowAppointment) || !got.Supports(FlowAdviceAndGuidance) || got.Supports(FlowTriage) {
			t.Errorf("service 11010 flows %v", got.RequestFlowTypes)
		}
		if !strings.HasSuffix(first.NHSWebsite, "serviceId=11030") || len(first.AppointmentTypes) != 1 || first.AppointmentTypes[0] != "DIAGNOSTIC" {
			t.Errorf("website %q, appointment types %v", first.NHSWebsite, first.AppointmentTypes)
		}
	})
	t.Run("a single service with a wait in days", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/patientServiceSearch/responses/WithIndicativeAppointmentWaitTime.json")})
		res, err := testClient(t, ts, asReferrer).SearchServicesForPatient(context.Background(), journeySearch())
		if err != nil {
			t.Fatal(err)
		}
		w := res.Services[0].IndicativeWait
		if !w.Known() || *w.Days != 21 || w.String() != "21 days" || w.SortKey() != 21 {
			t.Errorf("wait %+v (%q)", w, w.String())
		}
		if res.Services[0].Distance != nil {
			t.Errorf("distance %v, want none", *res.Services[0].Distance)
		}
	})
	t.Run("a triage service whose wait does not apply", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/patientServiceSearch/responses/TriageAndAppointmentRequestType.json")})
		res, err := testClient(t, ts, asReferrer).SearchServicesForPatient(context.Background(), journeySearch())
		if err != nil {
			t.Fatal(err)
		}
		s := res.Services[0]
		if !s.Supports(FlowTriage) || s.IndicativeWait.String() != "Not applicable" || s.IndicativeWait.SortKey() <= 1000 {
			t.Errorf("service %+v wait %q", s, s.IndicativeWait.String())
		}
	})
	t.Run("advice and guidance services", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/patientServiceSearch/responses/AdviceServiceSearch.json")})
		res, err := testClient(t, ts, asReferrer).SearchServicesForPatient(context.Background(), journeySearch())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Services) == 0 || !res.Services[0].Supports(FlowAdviceAndGuidance) {
			t.Errorf("services %+v", res.Services)
		}
	})
	t.Run("nothing found says why", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/patientServiceSearch/responses/EmptyResponse.json")})
		res, err := testClient(t, ts, asReferrer).SearchServicesForPatient(context.Background(), journeySearch())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Services) != 0 || res.EmptyReason != "no results" {
			t.Errorf("services %d, empty reason %q", len(res.Services), res.EmptyReason)
		}
	})
	t.Run("every summary field a service may carry", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: []byte(journeyFullServiceList)})
		res, err := testClient(t, ts, asReferrer).SearchServicesForPatient(context.Background(), journeySearch())
		if err != nil {
			t.Fatal(err)
		}
		s := res.Services[0]
		checks := map[string]bool{
			"display prominently":      s.DisplayProminently,
			"distance 12":              s.Distance != nil && *s.Distance == 12,
			"referrer alert":           s.ReferrerAlert == "Surgery at Harrogate",
			"conditions treated":       s.ConditionsTreated == "Hip pain",
			"exclusions":               s.Exclusions == "Under 18s",
			"suggested investigations": s.SuggestedInvestigations == "Relevant Xray",
			"age range":                s.AgeTreated != nil && s.AgeTreated.String() == "18 years to 100 years",
			"treatment wait code":      s.TreatmentWait.Code == "LOW" && !s.TreatmentWait.Known(),
			"additional requirements":  len(s.AdditionalRequirements) == 2 && s.AdditionalRequirements[1] == "INTERPRETER",
			"indirectly bookable":      !s.DirectlyBookable() && s.BookableType == IndirectlyBookable,
			"gender treated":           s.GenderTreated == "FEMALE",
		}
		for what, ok := range checks {
			if !ok {
				t.Errorf("%s not read: %+v", what, s)
			}
		}
	})
}

// journeySearch is a valid minimal search.
func journeySearch() ServiceSearch {
	return ServiceSearch{RequestType: RequestAppointment, NHSNumber: "9990000018",
		Criteria: SearchCriteria{Priority: PriorityCoding(PriorityRoutine), Specialty: journeySpecialty}}
}

const journeyFullServiceList = `{"resourceType":"List","status":"current","mode":"snapshot","entry":[{
 "extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ServiceSearch-ListItem-1","extension":[
   {"url":"displayProminently","valueBoolean":true},{"url":"distance","valueUnsignedInt":12},{"url":"indicativeAppointmentWaitTime","valueUnsignedInt":1}]}],
 "item":{"identifier":{"system":"http://fhir.nhs.net/Id/ers-service","value":"99001"},
  "extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ServiceSummaryView-1","extension":[
   {"url":"serviceName","valueString":"Synthetic Orthopaedics"},
   {"url":"bookableType","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-BookableType-1","code":"INDIRECTLY_BOOKABLE"}]}},
   {"url":"referrerAlert","valueString":"Surgery at Harrogate"},
   {"url":"conditionsTreated","valueString":"Hip pain"},
   {"url":"exclusions","valueString":"Under 18s"},
   {"url":"suggestedInvestigations","valueString":"Relevant Xray"},
   {"url":"ageTreated","valueRange":{"low":{"value":18,"unit":"YEARS"},"high":{"value":100,"unit":"YEARS"}}},
   {"url":"genderTreated","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-GenderTreated-1","code":"FEMALE"}]}},
   {"url":"indicativeTreatmentWaitTime","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-CapacityAlert-1","code":"LOW"}]}},
   {"url":"additionalRequirementSupported","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AdditionalRequirementType-1","code":"TRANSPORT"}]}},
   {"url":"additionalRequirementSupported","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AdditionalRequirementType-1","code":"INTERPRETER"}]}}
  ]}]}}]}`

func TestPatientServiceSearchRefusesBadInputBeforeSending(t *testing.T) {
	cases := []struct {
		name   string
		as     UserContext
		change func(*ServiceSearch)
	}{
		{name: "an NHS number with a wrong check digit", as: asReferrer, change: func(s *ServiceSearch) { s.NHSNumber = "9990000017" }},
		{name: "no NHS number", as: asReferrer, change: func(s *ServiceSearch) { s.NHSNumber = "" }},
		{name: "no request type", as: asReferrer, change: func(s *ServiceSearch) { s.RequestType = "" }},
		{name: "an unknown sort order", as: asReferrer, change: func(s *ServiceSearch) { s.SortBy = "NAME" }},
		{name: "a commissioning rule organisation on an advice search", as: asReferrer, change: func(s *ServiceSearch) {
			s.RequestType, s.CommissioningRuleOrg = RequestAdviceAndGuidance, "R69"
		}},
		{name: "an admin who names no referring clinician", as: journeyAsRCA, change: func(s *ServiceSearch) {}},
		{name: "a referring clinician that is not an SDS id", as: asReferrer, change: func(s *ServiceSearch) { s.ReferringClinician = "dr-smith" }},
		{name: "criteria without a priority", as: asReferrer, change: func(s *ServiceSearch) { s.Criteria.Priority = fhir.Coding{} }},
		{name: "an unknown priority", as: asReferrer, change: func(s *ServiceSearch) { s.Criteria.Priority = fhir.Coding{Code: "SOON"} }},
		{name: "a specialty without its code system", as: asReferrer, change: func(s *ServiceSearch) { s.Criteria.Specialty = fhir.Coding{Code: "CARDIOLOGY"} }},
		{name: "a negative distance limit", as: asReferrer, change: func(s *ServiceSearch) { s.Criteria.DistanceLimit = fhir.Ptr(-1) }},
		{name: "a negative wait limit", as: asReferrer, change: func(s *ServiceSearch) { s.Criteria.IndicativeWaitLimit = fhir.Ptr(-3) }},
		{name: "a named clinician that is not an SDS id", as: asReferrer, change: func(s *ServiceSearch) { s.Criteria.NamedClinician = "x1" }},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			s := journeySearch()
			c.change(&s)
			_, err := testClient(t, ts, c.as).SearchServicesForPatient(context.Background(), s)
			journeyRefusedBeforeSending(t, ts, err)
		})
	}
}

func TestPatientServiceSearchErrors(t *testing.T) {
	cases := []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{name: "an unexpected field is a business rule failure", reply: reply{Status: 422, Body: fixture(t, "stu3/STU3-OperationOutcome.json")},
			check: func(err error) bool { return IsBusinessRule(err, "UNEXPECTED_FIELD") }},
		{name: "an unknown clinical term is a business rule failure", reply: reply{Status: 422, Body: journeyOutcome("SNOMED_NOT_FOUND", "business-rule", "SNOMED code not found")},
			check: func(err error) bool { return IsBusinessRule(err, "SNOMED_NOT_FOUND") }},
		{name: "a role that may not search is forbidden", reply: reply{Status: 403, Body: fixture(t, "stu3/STU3-Forbidden.json")}, check: IsForbidden},
		{name: "an expired sign-in asks to sign in again", reply: reply{Status: 401, Body: fixture(t, "stu3/STU3-Unauthorised.json")}, check: NeedsReauthentication},
		{name: "a reply that is not a List is a bad response", reply: reply{Status: 200, Body: []byte(`{"resourceType":"Bundle"}`)},
			check: func(err error) bool { e, ok := AsError(err); return ok && e.Kind == KindBadResponse }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			_, err := testClient(t, ts, asReferrer).SearchServicesForPatient(context.Background(), journeySearch())
			if err == nil || !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
		})
	}
	t.Run("a search is a read and is tried again after a 503", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 503}, reply{Status: 200, Body: fixture(t, "stu3/patientServiceSearch/responses/EmptyResponse.json")})
		if _, err := testClient(t, ts, asReferrer).SearchServicesForPatient(context.Background(), journeySearch()); err != nil {
			t.Fatal(err)
		}
		if len(ts.Requests) != 2 {
			t.Errorf("%d requests, want 2", len(ts.Requests))
		}
	})
}

func TestIndicativeWaitWords(t *testing.T) {
	cases := []struct {
		wait IndicativeWait
		want string
	}{
		{IndicativeWait{Days: fhir.Ptr(1)}, "1 day"},
		{IndicativeWait{Days: fhir.Ptr(0)}, "0 days"},
		{IndicativeWait{Code: "LIMITED_AVAILABILITY"}, "Limited availability"},
		{IndicativeWait{Code: "NOT_APPLICABLE"}, "Not applicable"},
		{IndicativeWait{}, ""},
	}
	for _, c := range cases {
		t.Run("a wait shows as "+strings.ReplaceAll(c.want, " ", "_"), func(t *testing.T) {
			if got := c.wait.String(); got != c.want {
				t.Errorf("%q, want %q", got, c.want)
			}
		})
	}
}
