package search

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/advicenew"
	"github.com/ers-workstation/ers-workstation/ui/screens/create"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func view(m *Model) string { return ansi.Strip(m.View()) }

func TestRouteIsOnHomeForReferrersOnly(t *testing.T) {
	r := Route()
	if r.Name != "search" || r.Key != "s" || !r.OnHome || r.Title != "Service search" {
		t.Fatalf("route %+v", r)
	}
	for bf, want := range map[ersclient.BusinessFunction]bool{
		ersclient.ReferringClinician: true, ersclient.ReferringClinicianAdmin: true,
		ersclient.ServiceProviderClinician: false, ersclient.ServiceProviderAdmin: false, ersclient.ReferringAdmin: false,
	} {
		if got := r.For(session.Role{BusinessFunction: string(bf)}); got != want {
			t.Errorf("For(%s) = %v, want %v", bf, got, want)
		}
	}
}

func TestAnNHSNumberWithAWrongCheckDigitIsRefusedBeforeSending(t *testing.T) {
	f := newFake(3)
	m := openScreen(t, f, nil, 120, 40)
	press(m, append(keys("tab"), typed(badNHS, "enter")...)...)
	if n := f.CallCount("A010"); n != 0 {
		t.Fatalf("A010 called %d times with an invalid NHS number", n)
	}
	v := view(m)
	if !strings.Contains(v, "correct check digit") || !strings.Contains(v, "Choose a priority") {
		t.Fatalf("the problems are not shown beside their fields:\n%s", v)
	}
	if m.f.focus != fNHS || !m.Capturing() {
		t.Errorf("focus should go to the first field with a problem, got %v", m.f.focus)
	}
}

func TestNumbersCodesAndPostcodeAreCheckedBesideEachField(t *testing.T) {
	m := New(common(newFake(1)), nil)
	m.f.texts[fNHS].SetValue("999 000 0018")
	m.f.priority = pick{Coding: ersclient.PriorityCoding(ersclient.PriorityRoutine), Label: "Routine"}
	m.f.texts[fDistance].SetValue("ten")
	m.f.texts[fWait].SetValue("-3")
	m.f.texts[fClinicalTerm].SetValue("12ab")
	m.f.texts[fClinician].SetValue("dr who")
	m.f.texts[fPostcode].SetValue("not a postcode")
	m.f.texts[fOrganisation].SetValue("RV-1")
	if _, ok := m.f.build("", ""); ok {
		t.Fatal("a form with bad values was accepted")
	}
	for _, id := range []fieldID{fDistance, fWait, fClinicalTerm, fClinician, fPostcode, fOrganisation} {
		if m.f.errs[id] == "" {
			t.Errorf("no problem shown for %s", id.label())
		}
	}
	if m.f.errs[fNHS] != "" {
		t.Errorf("spaces between the NHS number's groups must be accepted: %s", m.f.errs[fNHS])
	}
}

func TestSearchSendsTheCriteriaChosenFromTheCodeSystems(t *testing.T) {
	f := newFake(5)
	m := openScreen(t, f, nil, 120, 40)
	var msgs = keys("tab")
	msgs = append(msgs, uitest.Type(testNHS)...)
	msgs = append(msgs, keys("tab", "enter")...)
	msgs = append(msgs, typed("urg", "enter")...)  // priority: Urgent
	msgs = append(msgs, keys("enter")...)          // specialty picker
	msgs = append(msgs, typed("derm", "enter")...) // Dermatology
	msgs = append(msgs, keys("enter")...)          // clinic type picker
	msgs = append(msgs, typed("ecz", "enter")...)  // Eczema
	msgs = append(msgs, uitest.Type("123456789")...)
	msgs = append(msgs, keys("tab")...)
	msgs = append(msgs, typed("ls1 4hr", "tab")...)
	msgs = append(msgs, typed("25", "tab")...)
	msgs = append(msgs, typed("90", "tab")...)
	msgs = append(msgs, typed("1234567890", "tab")...)
	msgs = append(msgs, typed("rv1", "tab")...)
	msgs = append(msgs, keys("space", "tab", "space", "tab", "enter")...) // by wait, age and sex, Search
	press(m, msgs...)
	sent := f.sent()
	if len(sent) != 1 {
		t.Fatalf("%d searches sent, want 1:\n%s", len(sent), view(m))
	}
	s := sent[0]
	c := s.Criteria
	if s.NHSNumber != testNHS || s.RequestType != ersclient.RequestAppointment || s.SortBy != ersclient.SortByWaitTime {
		t.Errorf("search %+v", s)
	}
	if p := ersclient.PriorityCoding(ersclient.PriorityUrgent); c.Priority.Code != p.Code || c.Priority.System != p.System {
		t.Errorf("priority %+v: want the eRS-Priority-1 coding", c.Priority)
	}
	if c.Specialty.Code != "DERMATOLOGY" || c.Specialty.System == "" {
		t.Errorf("specialty %+v: want the coding as A004 gave it", c.Specialty)
	}
	if c.ClinicType.Code != "ECZEMA" || c.ClinicType.System != "" {
		t.Errorf("clinic type %+v: want the code alone (the client sets eRS-ClinicType-1)", c.ClinicType)
	}
	if c.ClinicalTerm.Code != "123456789" || c.Postcode != "LS1 4HR" || *c.DistanceLimit != 25 ||
		*c.IndicativeWaitLimit != 90 || c.NamedClinician != "1234567890" || c.Organisation != "RV1" || !c.AgeAndGenderAppropriate {
		t.Errorf("criteria %+v", c)
	}
	if m.pane != paneResults || m.Capturing() {
		t.Errorf("the results should show, with no field capturing keys")
	}
	if got := f.CallCount("A004"); got != 3 {
		t.Errorf("A004 called %d times, want once per code system (3)", got)
	}
}

func TestClinicTypesOfferedAreThoseOfTheChosenSpecialty(t *testing.T) {
	m := openScreen(t, newFake(1), nil, 120, 40)
	press(m, keys("tab", "tab", "tab", "enter")...)
	press(m, typed("cardio", "enter")...)
	press(m, keys("enter")...)
	v := view(m)
	if !strings.Contains(v, "Heart Failure") || !strings.Contains(v, "Arrhythmia") || strings.Contains(v, "Eczema") {
		t.Fatalf("clinic types not filtered by the specialty:\n%s", v)
	}
	press(m, typed("arr", "enter")...)
	// Choosing another specialty drops the clinic type of the first.
	press(m, keys("shift+tab", "shift+tab", "enter")...)
	press(m, typed("derm", "enter")...)
	if !m.f.clinic.none() {
		t.Fatalf("the clinic type %q of another specialty was kept", m.f.clinic.Label)
	}
	if !strings.Contains(view(m), "clinic type was cleared") {
		t.Errorf("the user was not told the clinic type was cleared:\n%s", view(m))
	}
}

func TestThePickerNarrowsAsYouTypeAndEscKeepsTheOldChoice(t *testing.T) {
	m := openScreen(t, newFake(1), nil, 80, 24)
	press(m, keys("tab", "tab", "tab", "enter")...)
	if !m.Capturing() {
		t.Fatal("the picker's filter must capture typing")
	}
	press(m, uitest.Type("gas")...)
	if got := len(m.picker.shown); got != 1 {
		t.Fatalf("%d options after typing gas, want 1", got)
	}
	press(m, keys("esc")...)
	if m.picker != nil || !m.f.specialty.none() {
		t.Fatal("esc should close the picker without choosing")
	}
}

func TestResultsShowAlertsWaitsAndFlowsInWords(t *testing.T) {
	m := openScreen(t, newFake(6), nil, 160, 40)
	searchRoutine(m, testNHS)
	v := view(m)
	for _, want := range []string{"Cardiology clinic 1", "ALERT", "LIMITED AVAILABILITY", "Indirectly", "Directly", "Triage", "Required", "6 services"} {
		if !strings.Contains(v, want) {
			t.Errorf("results lack %q:\n%s", want, v)
		}
	}
	if !strings.Contains(v, "! ") {
		t.Errorf("the alert's glyph is missing:\n%s", v)
	}
}

func TestAnEmptyResultSaysWhyInERSWords(t *testing.T) {
	f := newFake(0)
	f.ServiceSearch = func(ersclient.ServiceSearch) (*ersclient.ServiceSearchResults, error) {
		return &ersclient.ServiceSearchResults{EmptyReason: "No services match the search criteria"}, nil
	}
	m := openScreen(t, f, nil, 120, 40)
	searchRoutine(m, testNHS)
	if v := view(m); !strings.Contains(v, "e-RS says: No services match the search criteria") {
		t.Fatalf("the empty reason is not shown:\n%s", v)
	}
}

func TestASearchErrorIsDescribedAndRetriedWithR(t *testing.T) {
	f := newFake(2)
	ok := f.ServiceSearch
	calls := 0
	f.ServiceSearch = func(s ersclient.ServiceSearch) (*ersclient.ServiceSearchResults, error) {
		calls++
		if calls == 1 {
			return nil, errGateway
		}
		return ok(s)
	}
	m := openScreen(t, f, nil, 120, 40)
	searchRoutine(m, testNHS)
	v := view(m)
	if !strings.Contains(v, "corr-123") || !strings.Contains(v, "SERVICE_UNAVAILABLE") {
		t.Fatalf("the error lacks its code or correlation id:\n%s", v)
	}
	press(m, keys("r")...)
	if calls != 2 || m.found == nil || len(m.found.res.Services) != 2 {
		t.Fatalf("r did not search again (calls %d):\n%s", calls, view(m))
	}
}

func TestALateReplyToAnEarlierSearchIsDropped(t *testing.T) {
	m := openScreen(t, newFake(3), nil, 120, 40)
	searchRoutine(m, testNHS)
	old := m.searchReq
	s := m.found.search
	m.send(s) // a newer search is under way
	m.Update(searchedMsg{id: old, search: s, res: &ersclient.ServiceSearchResults{Services: services(9)}})
	if len(m.found.res.Services) != 3 || !m.searching {
		t.Fatalf("a stale reply replaced the results (%d services)", len(m.found.res.Services))
	}
	m.Update(searchedMsg{id: m.searchReq, search: s, res: &ersclient.ServiceSearchResults{Services: services(4)}})
	if len(m.found.res.Services) != 4 || m.searching {
		t.Fatalf("the current reply was not shown")
	}
}

func TestReferenceDataFailureIsShownAndReloadedWithR(t *testing.T) {
	f := newFake(1)
	fails := true
	f.ReferenceData = func(kind string) (*ersclient.ReferenceData, error) {
		if kind == csSpecialty && fails {
			return nil, errGateway
		}
		return referenceData(kind)
	}
	m := openScreen(t, f, nil, 120, 40)
	if v := view(m); !strings.Contains(v, "could not be loaded") || !strings.Contains(v, "corr-123") {
		t.Fatalf("the failure is not shown:\n%s", v)
	}
	fails = false
	press(m, keys("r")...)
	if m.ref.data[csSpecialty] == nil || m.refDataErr() != nil {
		t.Fatal("r did not load the specialties again")
	}
	if got := f.CallCount("A004"); got != 4 {
		t.Errorf("A004 called %d times: only the failed system should load again", got)
	}
}

func TestShortlistAddsRemovesAndKeepsTheOrder(t *testing.T) {
	m := openScreen(t, newFake(6), nil, 120, 40)
	searchRoutine(m, testNHS)
	press(m, keys("j", "j", "space", "k", "k", "+", "G", "space")...)
	ids := func() string {
		var out []string
		for _, s := range m.shortlist {
			out = append(out, s.ID)
		}
		return strings.Join(out, ",")
	}
	if got := ids(); got != "100003,100001,100006" {
		t.Fatalf("shortlist %s", got)
	}
	press(m, keys("g", "-")...)
	if got := ids(); got != "100003,100006" {
		t.Fatalf("after removing the first result: %s", got)
	}
	v := view(m)
	if !strings.Contains(v, "1. Cardiology clinic 3") || !strings.Contains(v, "2. Cardiology clinic 6") || !strings.Contains(v, "#2") {
		t.Fatalf("the shortlist is not shown in order:\n%s", v)
	}
	if !m.Dirty() {
		t.Error("a shortlist is work the root must ask before losing")
	}
	got := opens(press(m, keys("c")...))
	if len(got) != 1 || got[0].Route != create.RouteName {
		t.Fatalf("continue asked %v", got)
	}
	req := got[0].Arg.(create.Request)
	if req.NHSNumber != testNHS || len(req.Services) != 2 || req.Services[0].ID != "100003" || req.Services[1].ID != "100006" ||
		req.Criteria.Priority.Code != "ROUTINE" || req.Referral != nil {
		t.Fatalf("create request %+v", req)
	}
}

func TestTheShortlistHoldsAtMostTwentyServices(t *testing.T) {
	m := openScreen(t, newFake(25), nil, 120, 40)
	searchRoutine(m, testNHS)
	for i := 0; i < 21; i++ {
		press(m, keys("space", "j")...)
	}
	if len(m.shortlist) != 20 {
		t.Fatalf("shortlist holds %d", len(m.shortlist))
	}
	if !strings.Contains(view(m), "at most 20") {
		t.Errorf("the refusal is not explained:\n%s", view(m))
	}
}

func TestContinueWithAnEmptyShortlistIsRefused(t *testing.T) {
	m := openScreen(t, newFake(2), nil, 120, 40)
	searchRoutine(m, testNHS)
	if got := opens(press(m, keys("c")...)); len(got) != 0 {
		t.Fatalf("continued with nothing shortlisted: %v", got)
	}
	if m.KeyMap().(keyMap).Continue.Enabled() {
		t.Error("continue is offered with an empty shortlist")
	}
}

func TestAnAdviceSearchSendsExactlyOneServiceToANewRequest(t *testing.T) {
	f := newFake(3)
	m := openScreen(t, f, nil, 120, 40)
	press(m, keys("space")...) // request type: advice
	searchRoutine(m, testNHS)
	if f.sent()[0].RequestType != ersclient.RequestAdviceAndGuidance {
		t.Fatalf("sent %s", f.sent()[0].RequestType)
	}
	press(m, keys("space", "j", "space")...)
	if len(m.shortlist) != 1 || m.shortlist[0].ID != "100002" {
		t.Fatalf("advice shortlist %+v", m.shortlist)
	}
	if !strings.Contains(view(m), "replaces") {
		t.Errorf("the replacement is not said:\n%s", view(m))
	}
	got := opens(press(m, keys("enter")...))
	if len(got) != 1 || got[0].Route != advicenew.RouteName {
		t.Fatalf("continue asked %v", got)
	}
	req := got[0].Arg.(advicenew.Request)
	if req.NHSNumber != testNHS || req.Service.ID != "100002" || req.Criteria.Priority.Code != "ROUTINE" {
		t.Fatalf("advice request %+v", req)
	}
}

func TestANewSearchForAnotherPatientEmptiesTheShortlist(t *testing.T) {
	m := openScreen(t, newFake(3), nil, 120, 40)
	searchRoutine(m, testNHS)
	press(m, keys("space")...)
	press(m, keys("f")...) // back on the NHS number
	for range testNHS {
		press(m, keys("backspace")...)
	}
	press(m, typed(otherNHS, "enter")...)
	if len(m.shortlist) != 0 || !strings.Contains(view(m), "emptied") {
		t.Fatalf("the first patient's shortlist was kept:\n%s", view(m))
	}
}

func TestANewSearchKeepsOnlyShortlistedServicesStillFound(t *testing.T) {
	f := newFake(5)
	m := openScreen(t, f, nil, 120, 40)
	searchRoutine(m, testNHS)
	press(m, keys("space", "G", "space")...)
	f.ServiceSearch = func(s ersclient.ServiceSearch) (*ersclient.ServiceSearchResults, error) {
		return &ersclient.ServiceSearchResults{Services: services(3), Criteria: s.Criteria}, nil
	}
	press(m, keys("r")...)
	if len(m.shortlist) != 1 || m.shortlist[0].ID != "100001" {
		t.Fatalf("shortlist %+v", m.shortlist)
	}
	if !strings.Contains(view(m), "Cardiology clinic 5") {
		t.Errorf("the service that left is not named:\n%s", view(m))
	}
}

func TestChangingAReferralsShortlistStartsFromItsCriteria(t *testing.T) {
	f := newFake(4)
	ref := referralWithShortlist(t)
	m := openScreen(t, f, Request{Referral: ref}, 120, 40)
	sent := f.sent()
	if len(sent) != 1 {
		t.Fatalf("the search did not start at once: %d sent", len(sent))
	}
	s := sent[0]
	if s.NHSNumber != testNHS || s.CommissioningRuleOrg != "08H" || s.Criteria.Priority.Code != "URGENT" ||
		s.Criteria.Specialty.Code != "CARDIOLOGY" || s.Criteria.Postcode != "LS1 4HR" || !s.Criteria.AgeAndGenderAppropriate {
		t.Fatalf("search %+v", s)
	}
	if len(m.shortlist) != 2 || m.shortlist[0].ID != "100003" || m.shortlist[1].ID != "100001" {
		t.Fatalf("the referral's shortlist was not kept in order: %+v", m.shortlist)
	}
	if v := view(m); !strings.Contains(v, "Closed clinic") || !strings.Contains(v, "Change shortlist") {
		t.Errorf("the service not found is not named:\n%s", v)
	}
	if m.f.has(fNHS) {
		t.Error("the patient of a referral cannot be changed")
	}
	got := opens(press(m, keys("enter")...))
	if len(got) != 1 {
		t.Fatalf("continue asked %v", got)
	}
	req := got[0].Arg.(create.Request)
	if req.Referral != ref || len(req.Services) != 2 {
		t.Fatalf("create request %+v", req)
	}
}

func TestComingBackKeepsCriteriaAndResults(t *testing.T) {
	crit := ersclient.SearchCriteria{Priority: ersclient.PriorityCoding(ersclient.PriorityTwoWeekWait), Postcode: "LS1 4HR"}
	m := openScreen(t, newFake(2), Request{NHSNumber: testNHS, Criteria: &crit}, 120, 40)
	if m.f.nhsNumber() != testNHS || m.f.priority.Coding.Code != "TWO_WEEK_WAIT" || m.f.value(fPostcode) != "LS1 4HR" {
		t.Fatalf("the criteria were not filled in")
	}
	press(m, keys("tab", "enter")...) // search from the NHS number
	press(m, keys("space")...)
	press(m, keys("c")...)
	// The root keeps this screen while create is on top; coming back
	// finds it as it was.
	if m.found == nil || len(m.shortlist) != 1 || m.pane != paneResults {
		t.Fatal("the results or the shortlist were lost")
	}
}

func TestDetailsAreFetchedOnceThenRevalidatedWithAHead(t *testing.T) {
	f := newFake(3)
	version := map[string]string{"100001": "1", "100002": "1"}
	f.Service = func(id string) (*ersclient.Service, error) {
		return &ersclient.Service{Version: version[id], Resource: &fhir.HealthcareService{Name: "Clinic " + id}}, nil
	}
	f.ServiceVersion = func(id string) (string, ersclient.ResponseInfo, error) {
		return version[id], ersclient.ResponseInfo{}, nil
	}
	m := openScreen(t, f, nil, 120, 40)
	searchRoutine(m, testNHS)
	press(m, keys("i")...)
	press(m, keys("j")...)
	press(m, keys("k")...)
	want := []string{"A033 100001", "A033 100002", "A037 100001"}
	if got := details(f); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("calls %v, want %v", got, want)
	}
	version["100002"] = "2"
	press(m, keys("j")...)
	want = append(want, "A037 100002", "A033 100002")
	if got := details(f); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("a changed service was not fetched again: %v", got)
	}
}

func details(f *fake) []string {
	var out []string
	for _, c := range f.Calls() {
		if strings.HasPrefix(c, "A033") || strings.HasPrefix(c, "A037") {
			out = append(out, c)
		}
	}
	return out
}

func TestTheDetailPaneShowsEverythingTheServiceSays(t *testing.T) {
	f := newFake(3)
	f.Service = func(id string) (*ersclient.Service, error) { return serviceFixture(t), nil }
	m := openScreen(t, f, nil, 120, 60)
	searchRoutine(m, testNHS)
	press(m, keys("j", "i")...)
	v := view(m)
	for _, want := range []string{"ALERT for referrers: Reduced capacity", "Conditions treated: Chest pain", "Exclusions: Under 16s",
		"Instructions: Bring a list", "Hours: Mon-Fri", "Contact for Patient: phone 0113 000 0000"} {
		if !strings.Contains(v, want) {
			t.Errorf("the detail pane lacks %q:\n%s", want, v)
		}
	}
}

func TestADetailErrorIsShownInWordsAndRetried(t *testing.T) {
	f := newFake(2)
	fail := true
	f.Service = func(id string) (*ersclient.Service, error) {
		if fail {
			return nil, errGateway
		}
		return serviceFixture(t), nil
	}
	m := openScreen(t, f, nil, 120, 40)
	searchRoutine(m, testNHS)
	press(m, keys("i")...)
	if v := view(m); !strings.Contains(v, "could not be read") || !strings.Contains(v, "corr-123") {
		t.Fatalf("the detail error is not shown:\n%s", v)
	}
	fail = false
	press(m, keys("r")...)
	if v := view(m); !strings.Contains(v, "Instructions: Bring a list") {
		t.Fatalf("r did not fetch the details again:\n%s", v)
	}
	if f.CallCount("A010") != 1 {
		t.Error("retrying the details searched again")
	}
}

func TestAClinicianAdminSearchesForTheClinicianTheyActFor(t *testing.T) {
	f := newFake(1)
	id := session.Identity{Role: &session.Role{BusinessFunction: string(ersclient.ReferringClinicianAdmin), OnBehalfOf: "555000111222"}}
	m := openScreen(t, f, id, 120, 40)
	searchRoutine(m, testNHS)
	if got := f.sent()[0].ReferringClinician; got != "555000111222" {
		t.Fatalf("referring clinician %q", got)
	}
}

func TestOpenedWithARequestAClinicianAdminStillSearchesForTheirClinician(t *testing.T) {
	f := newFake(1)
	c := common(f)
	auth := uitest.NewFakeAuth()
	auth.ResumeIdentity = session.Identity{UserID: "555000000009", Role: &session.Role{
		BusinessFunction: string(ersclient.ReferringClinicianAdmin), OnBehalfOf: "555000111222"}}
	c.Auth = auth
	m := New(c, Request{})
	m.SetSize(120, 40)
	uitest.RunInit(screen.Screen(m), m.Init())
	searchRoutine(m, testNHS)
	if got := f.sent()[0].ReferringClinician; got != "555000111222" {
		t.Fatalf("referring clinician %q", got)
	}
}

func TestEscLeavesATextFieldForTheResultsOrTheSearchButton(t *testing.T) {
	m := openScreen(t, newFake(2), nil, 120, 40)
	press(m, keys("tab", "esc")...)
	if m.Capturing() || m.f.focus != fSearch {
		t.Fatalf("esc with no results should move to the Search button, focus %v", m.f.focus)
	}
	m = openScreen(t, newFake(2), nil, 120, 40)
	searchRoutine(m, testNHS)
	press(m, keys("f")...)
	if m.pane != paneForm {
		t.Fatal("f did not open the form")
	}
	press(m, keys("esc")...) // from the NHS number, where the search was
	if m.pane != paneResults || m.Capturing() {
		t.Fatal("esc in a field should return to the results")
	}
}

func TestKeysDoNotCollideWithTheRoot(t *testing.T) {
	uitest.CheckKeys(t, []screen.Route{Route()}, common(newFake(1)))
}

func TestALateDetailReplyIsDropped(t *testing.T) {
	f := newFake(3)
	f.Service = func(id string) (*ersclient.Service, error) { return serviceFixture(t), nil }
	m := openScreen(t, f, nil, 120, 40)
	searchRoutine(m, testNHS)
	m.detailOn = true
	m.detailFor = ""
	m.detailCmd()
	old := m.detailReq
	m.grid.Update(uitest.Key("j"))
	m.detailCmd()
	m.Update(detailMsg{id: old, service: "100001", detail: ersclient.ServiceDetail{ID: "100001", Instructions: "stale"}})
	if _, ok := m.details["100001"]; ok || !m.detailLoading {
		t.Fatal("a reply for a service no longer highlighted was kept")
	}
}
