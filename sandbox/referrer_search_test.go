package sandbox

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const pathServiceSearch = refSTU3 + "/HealthcareService/$ers.searchHealthcareServicesForPatient"

// searchWorld spreads the base world's services out for the filters: the
// other trust's service in another town, a short wait at the rapid access
// clinic (which treats over-60s only), and a women's community clinic.
func searchWorld(st *store.State) {
	st.Services[svcOther].Postcode = "BD9 6RJ"
	st.Services[svcOther].Clinicians = []string{userSPCR69}
	st.Services[svcDBSEmpty].IndicativeWaitDays = 5
	st.Services[svcDBSEmpty].AgeFrom = 60
	st.Services[svcIBS].Gender = "FEMALE"
	st.Services[svcIBS].IndicativeWaitDays = -1
}

func refSearch(t *testing.T, c *ersclient.Client, s ersclient.ServiceSearch) *ersclient.ServiceSearchResults {
	t.Helper()
	if s.NHSNumber == "" {
		s.NHSNumber = refNHS
	}
	if s.RequestType == "" {
		s.RequestType = ersclient.RequestAppointment
	}
	if s.Criteria.Priority.Code == "" {
		s.Criteria = cardiologyCriteria()
	}
	res, err := c.SearchServicesForPatient(context.Background(), s)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	return res
}

func refIDs(res *ersclient.ServiceSearchResults) []string {
	var ids []string
	for _, s := range res.Services {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestPatientServiceSearchFindsReferralServicesNearestFirst(t *testing.T) {
	e := newReferrerEnv(t, searchWorld)
	res := refSearch(t, e.rc(), ersclient.ServiceSearch{})
	want := []string{svcDBS, svcIBS, svcDBSEmpty, svcTriage, svcOther}
	if got := refIDs(res); !slices.Equal(got, want) {
		t.Fatalf("services %v, want %v (advice and dermatology left out, the far one last)", got, want)
	}
	byID := map[string]ersclient.ServiceResult{}
	for _, s := range res.Services {
		byID[s.ID] = s
	}
	dbs := byID[svcDBS]
	if dbs.Name != "Cardiology Outpatients" || dbs.Specialty.Code != "CARDIOLOGY" || !strings.HasSuffix(dbs.Specialty.System, "/STU3/CodeSystem/SPECIALTY") ||
		!dbs.DirectlyBookable() || !dbs.Supports(ersclient.FlowAppointment) || dbs.LocationCode != orgTrust+"01" ||
		dbs.IndicativeWait.Days == nil || *dbs.IndicativeWait.Days != 21 || dbs.GenderTreated != "MALE_AND_FEMALE" ||
		dbs.Distance == nil || dbs.NHSWebsite == "" || len(dbs.AppointmentTypes) != 1 {
		t.Errorf("bookable service read back as %+v", dbs)
	}
	if tr := byID[svcTriage]; !tr.Supports(ersclient.FlowTriage) || tr.IndicativeWait.Code != "NOT_APPLICABLE" {
		t.Errorf("triage service read back as %+v", tr)
	}
	if ibs := byID[svcIBS]; ibs.BookableType != ersclient.IndirectlyBookable || ibs.IndicativeWait.Code != "LIMITED_AVAILABILITY" {
		t.Errorf("indirectly bookable service read back as %+v", ibs)
	}
	if rapid := byID[svcDBSEmpty]; rapid.AgeTreated == nil || rapid.AgeTreated.Low != 60 || rapid.AgeTreated.LowUnit != "YEARS" {
		t.Errorf("the over-60s clinic's ages read back as %+v", rapid.AgeTreated)
	}
	if far := byID[svcOther]; far.Distance == nil || *far.Distance <= *dbs.Distance {
		t.Errorf("the other town's service is not further away: %v vs %v", far.Distance, dbs.Distance)
	}
}

func TestPatientServiceSearchFilters(t *testing.T) {
	e := newReferrerEnv(t, searchWorld)
	withCriteria := func(change func(sc *ersclient.SearchCriteria)) ersclient.ServiceSearch {
		sc := cardiologyCriteria()
		change(&sc)
		return ersclient.ServiceSearch{Criteria: sc}
	}
	five, ten := 5, 10
	for _, tc := range []struct {
		name   string
		search ersclient.ServiceSearch
		want   []string
	}{
		{"an advice search finds only advice services", ersclient.ServiceSearch{RequestType: ersclient.RequestAdviceAndGuidance}, []string{svcAdvice}},
		{"an organisation keeps its own services", withCriteria(func(sc *ersclient.SearchCriteria) { sc.Organisation = orgTrust2 }), []string{svcOther}},
		{"a named clinician keeps their services", withCriteria(func(sc *ersclient.SearchCriteria) { sc.NamedClinician = userSPCR69 }), []string{svcOther}},
		{"a wait limit leaves out longer and unknown waits but not triage", withCriteria(func(sc *ersclient.SearchCriteria) { sc.IndicativeWaitLimit = &ten }), []string{svcDBSEmpty, svcTriage}},
		{"a distance limit leaves out the far service", withCriteria(func(sc *ersclient.SearchCriteria) { sc.Postcode = "LS1 4HR"; sc.DistanceLimit = &five }), []string{svcDBS, svcIBS, svcDBSEmpty, svcTriage}},
		{"age and sex appropriate leaves out the women's and the over-60s' clinics", withCriteria(func(sc *ersclient.SearchCriteria) { sc.AgeAndGenderAppropriate = true }), []string{svcDBS, svcTriage, svcOther}},
		{"a specialty finds its own services", withCriteria(func(sc *ersclient.SearchCriteria) { sc.Specialty.Code = "DERMATOLOGY" }), []string{svcDerm}},
		{"a clinic type no service runs finds nothing", withCriteria(func(sc *ersclient.SearchCriteria) { sc.ClinicType = fhir.Coding{Code: "HEART_FAILURE"} }), nil},
		{"a commissioner finds the services it commissions", ersclient.ServiceSearch{CommissioningRuleOrg: "R68"}, []string{svcDBS, svcIBS, svcDBSEmpty, svcTriage, svcOther}},
		{"another commissioner finds none", ersclient.ServiceSearch{CommissioningRuleOrg: "R99"}, nil},
		{"sorting by wait puts the shortest known wait first", ersclient.ServiceSearch{SortBy: ersclient.SortByWaitTime}, []string{svcDBSEmpty, svcDBS, svcOther, svcIBS, svcTriage}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := refSearch(t, e.rc(), tc.search)
			if got := refIDs(res); !slices.Equal(got, tc.want) {
				t.Errorf("services %v, want %v", got, tc.want)
			}
			if len(tc.want) == 0 && res.EmptyReason != "no results" {
				t.Errorf("empty reason %q, want \"no results\"", res.EmptyReason)
			}
		})
	}
}

func TestPatientServiceSearchByAClinicianAdminNamesTheClinician(t *testing.T) {
	e := newReferrerEnv(t, nil)
	res := refSearch(t, e.rca(), ersclient.ServiceSearch{ReferringClinician: userRC})
	if len(res.Services) == 0 {
		t.Error("the clinician admin's search found nothing")
	}
}

func TestPatientServiceSearchRefusals(t *testing.T) {
	search := func(t *testing.T, extra ...fhir.Parameter) string {
		base := []fhir.Parameter{
			{Name: "requestType", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSRequestType, Code: "APPOINTMENT_REQUEST"}}},
			{Name: "sortBy", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSSortBy, Code: "DISTANCE"}}},
			refPatient(refNHS),
			refResourceParam(t, "searchCriteria", refCriteria("ROUTINE")),
		}
		for _, x := range extra {
			replaced := false
			for i := range base {
				if base[i].Name == x.Name {
					base[i], replaced = x, true
				}
			}
			if !replaced {
				base = append(base, x)
			}
		}
		return refBody(t, base...)
	}
	advice := fhir.Parameter{Name: "requestType", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSRequestType, Code: "ADVICE_AND_GUIDANCE_REQUEST"}}}
	commRule := fhir.Parameter{Name: "commissioningRuleOrganisation", Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemODSOrgCode, Value: "R68"}}}
	for _, tc := range []struct {
		name    string
		headers map[string]string
		body    func(t *testing.T) string
		status  int
		code    string
	}{
		{"a clinician admin must name the referring clinician", rcaHeaders(), func(t *testing.T) string { return search(t) }, 422, "VALUE_IS_REQUIRED"},
		{"a provider may not search for patients", spcHeaders(), func(t *testing.T) string { return search(t) }, http.StatusForbidden, "NO_ACCESS"},
		{"an invalid NHS number is an invalid value", rcHeaders(), func(t *testing.T) string { return search(t, refPatient("1234567890")) }, 422, "INVALID_VALUE"},
		{"advice searches take no commissioning rule organisation", rcHeaders(), func(t *testing.T) string { return search(t, advice, commRule) }, 422, "FIELD_NOT_PERMITTED"},
		{"an unknown sort order is an invalid code", rcHeaders(), func(t *testing.T) string {
			return search(t, fhir.Parameter{Name: "sortBy", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSSortBy, Code: "NAME"}}})
		}, 422, "INVALID_CODE"},
		{"the criteria are mandatory", rcHeaders(), func(t *testing.T) string {
			return refBody(t, fhir.Parameter{Name: "requestType", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSRequestType, Code: "APPOINTMENT_REQUEST"}}},
				fhir.Parameter{Name: "sortBy", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSSortBy, Code: "DISTANCE"}}}, refPatient(refNHS))
		}, 422, "MISSING_VALUE"},
		{"a postcode must be a postcode", rcHeaders(), func(t *testing.T) string {
			return search(t, refResourceParam(t, "searchCriteria", refCriteria("ROUTINE", fhir.Parameter{Name: "postcode", Value: fhir.Value{ValueString: fhir.Ptr("nowhere")}})))
		}, 422, "INVALID_VALUE"},
		{"a clinical term must be a SNOMED code", rcHeaders(), func(t *testing.T) string {
			return search(t, refResourceParam(t, "searchCriteria", refCriteria("ROUTINE", fhir.Parameter{Name: "clinicalTerm", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.SystemSNOMED, Code: "chest pain"}}})))
		}, 422, "SNOMED_NOT_FOUND"},
		{"an unknown criterion is an unexpected field", rcHeaders(), func(t *testing.T) string {
			return search(t, refResourceParam(t, "searchCriteria", refCriteria("ROUTINE", fhir.Parameter{Name: "colour", Value: fhir.Value{ValueString: fhir.Ptr("blue")}})))
		}, 422, "UNEXPECTED_FIELD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, nil)
			status, _, body := e.raw(http.MethodPost, pathServiceSearch, tc.body(t), tc.headers)
			refExpect(t, status, body, tc.status, tc.code)
		})
	}
}

// Every official A010 example request is answered 200 with a service list.
func TestPatientServiceSearchAnswersTheOfficialExamples(t *testing.T) {
	examples := refExamples(t, "patientServiceSearch")
	e := newReferrerEnv(t, nil)
	for name, body := range examples {
		t.Run(name, func(t *testing.T) {
			h := rcHeaders()
			if strings.HasPrefix(name, "Rca") {
				h = rcaHeaders()
			}
			status, _, resp := e.raw(http.MethodPost, pathServiceSearch, string(body), h)
			refExpect(t, status, resp, http.StatusOK, "")
			if rt := refJSONPath(t, resp, "resourceType"); rt != "List" {
				t.Errorf("resourceType %v, want List", rt)
			}
		})
	}
}
