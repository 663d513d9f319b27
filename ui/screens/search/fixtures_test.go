package search

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// Synthetic patients: 999xxxxxxx numbers with valid check digits, and one
// whose check digit is wrong.
const (
	testNHS    = "9990000018"
	otherNHS   = "9990000026"
	badNHS     = "9990000019"
	testUBRN   = "000000070002"
	specSystem = "https://example.test/STU3/CodeSystem/SPECIALTY"
)

func concept(system, code, display string, props map[string][]string) ersclient.ReferenceConcept {
	return ersclient.ReferenceConcept{Code: code, Display: display, System: system, Properties: props}
}

// referenceData is a small PRIORITY, SPECIALTY and CLINIC-TYPE.
func referenceData(kind string) (*ersclient.ReferenceData, error) {
	sys := "https://example.test/STU3/CodeSystem/" + kind
	d := &ersclient.ReferenceData{Type: kind, System: sys}
	switch kind {
	case csPriority:
		d.Concepts = []ersclient.ReferenceConcept{
			concept(sys, "ROUTINE", "Routine", nil), concept(sys, "URGENT", "Urgent", nil),
			concept(sys, "TWO_WEEK_WAIT", "Two Week Wait", nil)}
	case csSpecialty:
		d.Concepts = []ersclient.ReferenceConcept{
			concept(sys, "CARDIOLOGY", "Cardiology", nil), concept(sys, "DERMATOLOGY", "Dermatology", nil),
			concept(sys, "GASTRO", "Gastroenterology", nil)}
	case csClinicType:
		sp := func(s string) map[string][]string { return map[string][]string{"specialty": {s}} }
		d.Concepts = []ersclient.ReferenceConcept{
			concept(sys, "HEART_FAILURE", "Heart Failure", sp("CARDIOLOGY")),
			concept(sys, "ARRHYTHMIA", "Arrhythmia", sp("CARDIOLOGY")),
			concept(sys, "ACNE", "Acne", sp("DERMATOLOGY")),
			concept(sys, "ECZEMA", "Eczema", sp("DERMATOLOGY"))}
	default:
		return nil, fmt.Errorf("unexpected code system %s", kind)
	}
	return d, nil
}

// services are n synthetic results: the second has a referrer alert, the
// third limited availability, every fourth is indirectly bookable, every
// fifth a triage service.
func services(n int) []ersclient.ServiceResult {
	out := make([]ersclient.ServiceResult, n)
	for i := range out {
		miles, days := i%40, 7+i%60
		s := ersclient.ServiceResult{
			ID: fmt.Sprint(100001 + i), Name: fmt.Sprintf("Cardiology clinic %d", i+1),
			Specialty:    fhir.Coding{System: specSystem, Code: "CARDIOLOGY", Display: "Cardiology"},
			LocationCode: fmt.Sprintf("RV1%02d", i%90), LocationName: fmt.Sprintf("Town %d Hospital", i%17),
			Distance: &miles, IndicativeWait: ersclient.IndicativeWait{Days: &days},
			BookableType: ersclient.DirectlyBookable, RequestFlowTypes: []string{ersclient.FlowAppointment},
			ConditionsTreated: "Chest pain, palpitations", Exclusions: "Under 16s",
		}
		switch {
		case i == 1:
			s.ReferrerAlert = "Reduced capacity this month: expect longer waits."
		case i == 2:
			s.IndicativeWait = ersclient.IndicativeWait{Code: "LIMITED_AVAILABILITY"}
			s.ReferralLetterRequired = true
		}
		if i%4 == 3 {
			s.BookableType = ersclient.IndirectlyBookable
		}
		if i%5 == 4 {
			s.RequestFlowTypes = []string{ersclient.FlowTriage}
		}
		out[i] = s
	}
	return out
}

// fake is a FakeERS with the reference data and a search answering n
// services; the searches sent are kept.
type fake struct {
	*uitest.FakeERS
	mu       sync.Mutex
	searches []ersclient.ServiceSearch
}

func newFake(n int) *fake {
	f := &fake{FakeERS: &uitest.FakeERS{}}
	f.ReferenceData = referenceData
	f.ServiceSearch = func(s ersclient.ServiceSearch) (*ersclient.ServiceSearchResults, error) {
		f.mu.Lock()
		f.searches = append(f.searches, s)
		f.mu.Unlock()
		svcs := services(n)
		if s.RequestType == ersclient.RequestAdviceAndGuidance {
			for i := range svcs {
				svcs[i].Name = fmt.Sprintf("Advice service %d", i+1)
				svcs[i].RequestFlowTypes = []string{ersclient.FlowAdviceAndGuidance}
			}
		}
		return &ersclient.ServiceSearchResults{Services: svcs, Criteria: s.Criteria}, nil
	}
	return f
}

func (f *fake) sent() []ersclient.ServiceSearch {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ersclient.ServiceSearch(nil), f.searches...)
}

func common(ers screen.ERS) screen.Common {
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	c.ERS = ers
	return c
}

// open builds the screen at a size and runs its Init.
func openScreen(t testing.TB, ers screen.ERS, arg any, w, h int) *Model {
	t.Helper()
	m := New(common(ers), arg)
	m.SetSize(w, h)
	uitest.RunInit(screen.Screen(m), m.Init())
	return m
}

// press feeds messages (keys) and returns what was asked of the root.
func press(m *Model, msgs ...tea.Msg) []tea.Msg {
	return uitest.Run(screen.Screen(m), msgs...).ToRoot()
}

func keys(names ...string) []tea.Msg { return uitest.Keys(names...) }

// typed is text typed then the keys named.
func typed(text string, names ...string) []tea.Msg {
	return append(uitest.Type(text), uitest.Keys(names...)...)
}

// searchRoutine fills the NHS number and priority and searches.
func searchRoutine(m *Model, nhs string) []tea.Msg {
	var msgs []tea.Msg
	msgs = append(msgs, keys("tab")...)                    // NHS number
	msgs = append(msgs, uitest.Type(nhs)...)               // typed
	msgs = append(msgs, keys("tab", "enter")...)           // priority picker
	msgs = append(msgs, typed("routine", "enter")...)      // chosen
	msgs = append(msgs, keys("shift+tab", "shift+tab")...) // back to NHS number
	msgs = append(msgs, keys("enter")...)                  // search
	return press(m, msgs...)
}

// openReqs returns the Open messages among msgs.
func opens(msgs []tea.Msg) []screen.Open {
	var out []screen.Open
	for _, msg := range msgs {
		if o, ok := msg.(screen.Open); ok {
			out = append(out, o)
		}
	}
	return out
}

var errGateway = &ersclient.Error{Op: ersclient.OpPatientServiceSearch, Status: 500, Code: "SERVICE_UNAVAILABLE",
	CorrelationID: "corr-123", Err: errors.New("upstream down")}

// referralWithShortlist is a synthetic referral whose shortlist holds two
// services found with Cardiology, urgent criteria.
func referralWithShortlist(t testing.TB) *ersclient.Referral {
	t.Helper()
	body := `{"resourceType":"ReferralRequest","id":"` + testUBRN + `","meta":{"versionId":"4"},
	 "contained":[
	  {"resourceType":"List","id":"shortlist","status":"current","mode":"snapshot",
	   "extension":[{"url":"` + fhir.ExtShortlistCriteria + `","valueReference":{"reference":"#crit"}}],
	   "entry":[{"item":{"identifier":{"system":"` + fhir.SystemERSService + `","value":"100003"},"display":"Cardiology clinic 3"}},
	            {"item":{"identifier":{"system":"` + fhir.SystemERSService + `","value":"999999"},"display":"Closed clinic"}},
	            {"item":{"identifier":{"system":"` + fhir.SystemERSService + `","value":"100001"},"display":"Cardiology clinic 1"}}]},
	  {"resourceType":"Parameters","id":"crit","parameter":[
	   {"name":"priority","valueCoding":{"system":"` + fhir.CSPriority + `","code":"URGENT"}},
	   {"name":"specialty","valueCoding":{"system":"` + specSystem + `","code":"CARDIOLOGY"}},
	   {"name":"postcode","valueString":"LS1 4HR"},
	   {"name":"ageAndGenderAppropriate","valueBoolean":true}]}],
	 "extension":[
	  {"url":"` + fhir.ExtReferralShortlist + `","valueReference":{"reference":"#shortlist"}},
	  {"url":"` + fhir.ExtCommissioningRuleOrg + `","valueIdentifier":{"system":"` + fhir.SystemODSOrgCode + `","value":"08H"}},
	  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralPriority-1",
	   "valueCodeableConcept":{"coding":[{"system":"` + fhir.CSPriority + `","code":"URGENT"}]}}],
	 "subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"` + testNHS + `"}}}`
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal([]byte(body), &rr); err != nil {
		t.Fatal(err)
	}
	return &ersclient.Referral{Resource: &rr, Version: "4"}
}

// serviceFixture is a synthetic A033 answer with instructions, hours and a
// contact.
func serviceFixture(t testing.TB) *ersclient.Service {
	t.Helper()
	body := `{"resourceType":"HealthcareService","id":"100002","meta":{"versionId":"3"},"name":"Cardiology clinic 2",
	 "extension":[
	  {"url":"` + fhir.ExtServiceInstructions + `","valueString":"Bring a list of current medicines."},
	  {"url":"` + fhir.ExtHoursOfOperation + `","valueString":"Mon-Fri 09:00-17:00"},
	  {"url":"` + fhir.ExtServiceContact + `","extension":[
	    {"url":"purpose","valueCodeableConcept":{"coding":[{"code":"PATIENT","display":"Patient"}]}},
	    {"url":"telecom","valueContactPoint":{"system":"phone","value":"0113 000 0000"}}]}]}`
	var hs fhir.HealthcareService
	if err := fhir.Unmarshal([]byte(body), &hs); err != nil {
		t.Fatal(err)
	}
	return &ersclient.Service{Resource: &hs, Version: "3"}
}
