package worklist

import (
	"strings"
	"sync"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func providerFake(n int) *uitest.FakeERS {
	return fakeFor(map[ersclient.WorklistType][]ersclient.WorklistRow{
		ersclient.WorklistReferralsForReview:    reviewRows(n),
		ersclient.WorklistAppointmentSlotIssues: nil,
	})
}

func TestLoadsEveryTabAndShowsCounts(t *testing.T) {
	fake := providerFake(12)
	m := started(t, fake, identity("SERVICE_PROVIDER_ADMIN"))
	if fake.CallCount("A008") != 2 || fake.CallCount("A023") != 1 {
		t.Errorf("calls %v", fake.Calls())
	}
	mustContain(t, m.View(), "1 Referrals for review (12)", "2 Appointment slot issues (0)",
		"3 Advice and guidance requests (0)", "000000100001", "999 000 0107")
	if got := m.Status(); got != "12 of 12 · refreshed 09:30:00" {
		t.Errorf("status %q", got)
	}
}

func TestStaleRepliesAreDropped(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	fake := &uitest.FakeERS{Worklist: func(q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return &ersclient.Worklist{Rows: reviewRows(calls)}, nil
	}}
	m := New(common(fake), identity("SERVICE_PROVIDER_ADMIN"))
	m.SetSize(120, 40)
	tb := m.tabs[0]
	first := m.load(tb)()  // 1 row, request 1
	second := m.load(tb)() // 2 rows, request 2
	m.Update(second)
	m.Update(first)
	if _, total := tb.grid.Counts(); total != 2 {
		t.Errorf("the older reply replaced the newer: %d rows", total)
	}
}

func TestFilterAsYouTypeKeepThenClear(t *testing.T) {
	m := started(t, providerFake(12), identity("SERVICE_PROVIDER_ADMIN"))
	run(m, uitest.Key("/"))
	if !m.Capturing() {
		t.Fatal("the filter input does not capture keys")
	}
	run(m, uitest.Type("Skin")...)
	if shown, total := m.tabs[0].grid.Counts(); shown != 6 || total != 12 {
		t.Errorf("after typing: %d of %d", shown, total)
	}
	run(m, uitest.Key("enter"))
	if m.Capturing() || !strings.Contains(m.Status(), "6 of 12 (filter: Skin)") {
		t.Errorf("enter did not keep the filter: capturing %v, status %q", m.Capturing(), m.Status())
	}
	run(m, uitest.Key("/"), uitest.Key("esc"))
	if shown, _ := m.tabs[0].grid.Counts(); shown != 12 || m.Capturing() {
		t.Errorf("esc did not clear: %d shown", shown)
	}
}

func TestSortCyclesColumnsAndReverses(t *testing.T) {
	m := started(t, providerFake(6), identity("SERVICE_PROVIDER_ADMIN"))
	g := m.tabs[0].grid
	run(m, uitest.Key("s"))
	if col, desc := g.Sort(); col != colUBRN || desc {
		t.Errorf("first s: %d %v", col, desc)
	}
	run(m, uitest.Key("s"), uitest.Key("s"))
	if col, _ := g.Sort(); col != colPriority {
		t.Fatalf("third s sorts by %d", col)
	}
	run(m, uitest.Key("g"))
	if selected(m) != "000000100003" {
		t.Errorf("by priority, two week wait first: selected %s", selected(m))
	}
	run(m, uitest.Key("S"))
	if col, desc := g.Sort(); col != colPriority || !desc {
		t.Errorf("S: %d %v", col, desc)
	}
}

func TestSelectionSurvivesRefreshByUBRN(t *testing.T) {
	rows := reviewRows(10)
	var mu sync.Mutex
	fake := &uitest.FakeERS{Worklist: func(q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
		mu.Lock()
		defer mu.Unlock()
		return &ersclient.Worklist{Rows: rows}, nil
	}, AdviceWorklist: func(ersclient.AdviceWorklistQuery) (*ersclient.Worklist, error) { return &ersclient.Worklist{}, nil }}
	m := started(t, fake, identity("SERVICE_PROVIDER_ADMIN"))
	run(m, uitest.Key("j"), uitest.Key("j"), uitest.Key("j"))
	want := selected(m)
	mu.Lock()
	rows = append([]ersclient.WorklistRow{reviewRows(12)[11], reviewRows(12)[10]}, rows[1:]...)
	mu.Unlock()
	run(m, uitest.Key("r"))
	if got := selected(m); got != want {
		t.Errorf("after refresh selected %s, want %s", got, want)
	}
}

func TestEnterOpensTheReferralOrTheAdviceRequest(t *testing.T) {
	fake := fakeFor(map[ersclient.WorklistType][]ersclient.WorklistRow{
		ersclient.WorklistReferralsForReview:        reviewRows(2),
		ersclient.WorklistAdviceAndGuidanceRequests: {{UBRN: "000000300001", Kind: ersclient.RequestKindAdvice}},
	})
	m := started(t, fake, identity("SERVICE_PROVIDER_CLINICIAN"))
	out := run(m, uitest.Key("enter"))
	if len(out) != 1 {
		t.Fatalf("enter sent %#v", out)
	}
	// The referral screen gets the row: its list decides the review actions.
	if o, ok := out[0].(screen.Open); !ok || o.Route != RouteReferral || o.Arg.(ersclient.WorklistRow).UBRN != "000000100001" {
		t.Errorf("enter sent %#v", out)
	}
	out = run(m, uitest.Key("3"), uitest.Key("enter"))
	if len(out) != 1 || out[0] != (screen.Open{Route: RouteAdvice, Arg: "000000300001"}) {
		t.Errorf("enter on A&G sent %#v", out)
	}
	if l, v, ok := m.FocusedID(); !ok || l != "UBRN" || v != "000000300001" {
		t.Errorf("focused %s %s %v", l, v, ok)
	}
}

func TestTabKeysSwitchLists(t *testing.T) {
	m := started(t, providerFake(2), identity("SERVICE_PROVIDER_ADMIN"))
	for _, tt := range []struct {
		key  string
		want int
	}{{"tab", 1}, {"]", 2}, {"tab", 0}, {"shift+tab", 2}, {"[", 1}, {"1", 0}, {"3", 2}, {"9", 2}} {
		run(m, uitest.Key(tt.key))
		if m.active != tt.want {
			t.Fatalf("%s: tab %d, want %d", tt.key, m.active, tt.want)
		}
	}
}

func TestAnAcceptedReferralLeavesReferralsForReviewAtOnce(t *testing.T) {
	m := started(t, providerFake(5), identity("SERVICE_PROVIDER_ADMIN"))
	run(m, uitest.Key("j"))
	run(m, screen.ReferralChanged{UBRN: "000000100002", Action: "Accepted"})
	if _, total := m.tabs[0].grid.Counts(); total != 4 {
		t.Errorf("%d rows left", total)
	}
	if m.tabs[0].index("000000100002") >= 0 {
		t.Error("the accepted referral is still listed")
	}
	mustContain(t, m.View(), "Accepted 000000100002: off Referrals for review", "(4)")
	if !m.tabs[1].stale {
		t.Error("the other lists are not marked for reloading")
	}
}

func TestAChangedReferrerRowShowsItsNewState(t *testing.T) {
	row := ersclient.WorklistRow{UBRN: "000000200001", ListType: ersclient.WorklistAwaitingBooking,
		NHSNumber: nhsNumber(7), Priority: ersclient.PriorityRoutine, StatusCode: "NOT_BOOKED"}
	m := started(t, fakeFor(map[ersclient.WorklistType][]ersclient.WorklistRow{ersclient.WorklistAwaitingBooking: {row}}),
		identity("REFERRING_ADMIN"))
	run(m, screen.ReferralChanged{UBRN: "000000200001", Action: "Shortlist changed"})
	mustContain(t, m.View(), "✓", "Shortlist changed")
}

func TestLookupValidatesSearchesAndOpens(t *testing.T) {
	tests := []struct {
		name    string
		typed   string
		matches *ersclient.ServiceRequestMatches
		err     error
		want    screen.Open
		shows   string
	}{
		{name: "too short", typed: "1234", shows: "A UBRN is 12 digits."},
		{name: "letters", typed: "12345678901X", shows: "no letters"},
		{name: "a referral", typed: "000000 100001", want: screen.Open{Route: RouteReferral, Arg: "000000100001"},
			matches: &ersclient.ServiceRequestMatches{Matches: []ersclient.ServiceRequestMatch{{ID: "r.1", UBRN: "000000100001"}}}},
		{name: "advice only", typed: "000000300001", want: screen.Open{Route: RouteAdvice, Arg: "000000300001"},
			matches: &ersclient.ServiceRequestMatches{Matches: []ersclient.ServiceRequestMatch{{ID: "a.1", IsAdvice: true}}}},
		{name: "no match", typed: "000000999999", matches: &ersclient.ServiceRequestMatches{}, shows: "No referral or advice and guidance request has this UBRN."},
		{name: "an e-RS error", typed: "000000100001",
			err:   &ersclient.Error{Op: ersclient.OpSearchServiceRequest, Status: 403, Code: "ACCESS_DENIED", CorrelationID: "corr-123", Kind: ersclient.KindAPI},
			shows: "corr-123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := providerFake(1)
			fake.SearchServiceRequestsFn = func(string) (*ersclient.ServiceRequestMatches, error) { return tt.matches, tt.err }
			m := started(t, fake, identity("SERVICE_PROVIDER_CLINICIAN"))
			run(m, uitest.Key("u"))
			if !m.Capturing() {
				t.Fatal("the UBRN input does not capture keys")
			}
			out := run(m, append(uitest.Type(tt.typed), uitest.Key("enter"))...)
			if tt.shows != "" {
				mustContain(t, m.View(), tt.shows)
				if len(out) != 0 {
					t.Errorf("sent %#v", out)
				}
				return
			}
			if len(out) != 1 || out[0] != tt.want {
				t.Errorf("sent %#v, want %#v", out, tt.want)
			}
			if m.Capturing() {
				t.Error("the input stayed open")
			}
		})
	}
}

func TestLookupByAnAdminOpensTheReferralWithoutA041(t *testing.T) {
	fake := providerFake(1)
	m := started(t, fake, identity("SERVICE_PROVIDER_ADMIN"))
	out := run(m, append(append(uitest.Keys("u"), uitest.Type("000000100001")...), uitest.Key("enter"))...)
	if len(out) != 1 || out[0] != (screen.Open{Route: RouteReferral, Arg: "000000100001"}) || fake.CallCount("A041") != 0 {
		t.Errorf("sent %#v, calls %v", out, fake.Calls())
	}
}

func TestPaletteCommandOpensTheLookup(t *testing.T) {
	m := started(t, providerFake(1), identity("SERVICE_PROVIDER_CLINICIAN"))
	cmds := m.Commands()
	if len(cmds) != 1 || cmds[0].Name != "ubrn" {
		t.Fatalf("commands %#v", cmds)
	}
	run(m, cmds[0].Run()())
	if m.lookup == nil {
		t.Error("the palette command did not open the look-up")
	}
	run(m, uitest.Key("esc"))
	if m.lookup != nil || m.Capturing() {
		t.Error("esc did not close the look-up")
	}
}

func TestProviderFiltersAreChosenFromListsAndSent(t *testing.T) {
	var mu sync.Mutex
	var queries []ersclient.WorklistQuery
	fake := providerFake(4)
	inner := fake.Worklist
	fake.Worklist = func(q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
		mu.Lock()
		queries = append(queries, q)
		mu.Unlock()
		return inner(q)
	}
	fake.ReferenceData = func(string) (*ersclient.ReferenceData, error) {
		return ersclient.NewReferenceData(nil), nil
	}
	m := started(t, fake, identity("SERVICE_PROVIDER_ADMIN"))
	run(m, uitest.Key("f"))
	mustContain(t, m.View(), "Service", "Specialty", "Location", "Clinician", "Clear all filters")
	run(m, uitest.Key("enter")) // Service
	mustContain(t, m.View(), "Any service", "Cardiology OPD (1001)", "Skin clinic (1002)")
	run(m, uitest.Key("j"), uitest.Key("j"), uitest.Key("enter")) // Skin clinic
	mu.Lock()
	last := queries[len(queries)-1]
	mu.Unlock()
	if last.Service != "1002" {
		t.Errorf("last query %#v", last)
	}
	mustContain(t, m.View(), "Filters: service Skin clinic")
	run(m, uitest.Key("f"), uitest.Key("j"), uitest.Key("j"), uitest.Key("j"), uitest.Key("enter"), uitest.Key("j"), uitest.Key("enter"))
	mu.Lock()
	last = queries[len(queries)-1]
	mu.Unlock()
	if last.ClinicianAssigned == nil || !*last.ClinicianAssigned || last.Service != "1002" {
		t.Errorf("last query %#v", last)
	}
}

func TestLoadErrorShowsErrorViewAndRetries(t *testing.T) {
	fail := true
	var mu sync.Mutex
	fake := providerFake(3)
	inner := fake.Worklist
	fake.Worklist = func(q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return nil, &ersclient.Error{Op: ersclient.OpRetrieveWorklist, Status: 500, Code: "SERVICE_UNAVAILABLE", CorrelationID: "corr-9", Kind: ersclient.KindAPI}
		}
		return inner(q)
	}
	m := started(t, fake, identity("SERVICE_PROVIDER_ADMIN"))
	mustContain(t, m.View(), "(!)", "corr-9", "retry")
	mu.Lock()
	fail = false
	mu.Unlock()
	run(m, uitest.Key("r"))
	mustContain(t, m.View(), "(3)", "000000100001")
}

func TestRoleWithoutListsDrawsAndRouteIsForListRoles(t *testing.T) {
	m := New(common(providerFake(1)), identity("COMMISSIONER"))
	m.SetSize(80, 24)
	mustContain(t, m.View(), "no worklists")
	uitest.AssertFrame(t, m.View(), 80, 24)
	r := Route()
	if r.For(*identity("COMMISSIONER").Role) || !r.For(*identity("REFERRING_CLINICIAN").Role) || r.Name != "worklist" || r.Key != "w" || !r.OnHome {
		t.Errorf("route %#v", r)
	}
}

func TestASpecialtyFilterSendsTheCodingFromA004(t *testing.T) {
	var mu sync.Mutex
	var last ersclient.WorklistQuery
	fake := providerFake(4)
	inner := fake.Worklist
	fake.Worklist = func(q ersclient.WorklistQuery) (*ersclient.Worklist, error) {
		mu.Lock()
		last = q
		mu.Unlock()
		return inner(q)
	}
	const system = "https://sandbox.example/STU3/CodeSystem/SPECIALTY"
	fake.ReferenceData = func(string) (*ersclient.ReferenceData, error) {
		return &ersclient.ReferenceData{Type: "SPECIALTY", System: system, Concepts: []ersclient.ReferenceConcept{
			{Code: "CARDIOLOGY", Display: "Cardiology", System: system}, {Code: "DERMATOLOGY", Display: "Dermatology", System: system}}}, nil
	}
	m := started(t, fake, identity("SERVICE_PROVIDER_CLINICIAN"))
	run(m, uitest.Key("f"), uitest.Key("j"), uitest.Key("enter"))
	mustContain(t, m.View(), "Specialty assigned", "No specialty assigned", "Cardiology (CARDIOLOGY)", "Dermatology (DERMATOLOGY)")
	run(m, uitest.Key("G"), uitest.Key("enter"))
	mu.Lock()
	defer mu.Unlock()
	if last.Specialty.System != system || last.Specialty.Code != "DERMATOLOGY" || last.SpecialtyAssigned == nil || !*last.SpecialtyAssigned {
		t.Errorf("last query %#v", last)
	}
	if fake.CallCount("A004") != 1 {
		t.Errorf("calls %v", fake.Calls())
	}
}

func TestARespondedAdviceRequestIsNotedAndTheTabReloads(t *testing.T) {
	aag := ersclient.WorklistAdviceAndGuidanceRequests
	row := ersclient.WorklistRow{UBRN: "000000300001", ListType: aag, Kind: ersclient.RequestKindAdvice,
		NHSNumber: nhsNumber(9), Priority: ersclient.PriorityRoutine,
		AdviceCategory: "PROVIDER_RESPONSE_REQUIRED", StatusCode: "PROVIDER_RESPONSE_REQUIRED", StatusDisplay: "Provider response required"}
	f := fakeFor(map[ersclient.WorklistType][]ersclient.WorklistRow{aag: {row}})
	m := started(t, f, identity("SERVICE_PROVIDER_CLINICIAN"))
	run(m, uitest.Key("3"))
	before := f.CallCount("A023")
	req := &ersclient.AdviceRequest{Resource: &fhir.CommunicationRequest{
		Category: []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CSAdviceAndGuidanceStatus, Code: "REFERRER_TO_REVIEW_RESPONSE"}}}}}}
	run(m, screen.AdviceChanged{UBRN: row.UBRN, Request: req, Action: "Responded"})
	mustContain(t, m.View(), "Responded 000000300001")
	if got := f.CallCount("A023"); got != before+1 {
		t.Errorf("A023 called %d more times, want the tab reloaded once", got-before)
	}
}

func TestAnAdviceChangeMarksTheRowBeforeTheReloadAnswers(t *testing.T) {
	aag := ersclient.WorklistAdviceAndGuidanceRequests
	row := ersclient.WorklistRow{UBRN: "000000300001", ListType: aag, Kind: ersclient.RequestKindAdvice,
		NHSNumber: nhsNumber(9), Priority: ersclient.PriorityRoutine,
		AdviceCategory: "PROVIDER_RESPONSE_REQUIRED", StatusCode: "PROVIDER_RESPONSE_REQUIRED", StatusDisplay: "Provider response required"}
	m := started(t, fakeFor(map[ersclient.WorklistType][]ersclient.WorklistRow{aag: {row}}), identity("SERVICE_PROVIDER_CLINICIAN"))
	run(m, uitest.Key("3"))
	req := &ersclient.AdviceRequest{Resource: &fhir.CommunicationRequest{
		Category: []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CSAdviceAndGuidanceStatus, Code: "REFERRER_TO_REVIEW_RESPONSE"}}}}}}
	m.Update(screen.AdviceChanged{UBRN: row.UBRN, Request: req, Action: "Responded"}) // the reload not run
	tb := m.tabs[2]
	if got := tb.rows[tb.index(row.UBRN)].AdviceCategory; got != "REFERRER_TO_REVIEW_RESPONSE" {
		t.Errorf("row category %q after the broadcast", got)
	}
	if !tb.loading {
		t.Error("the A&G tab is not reloading")
	}
}
