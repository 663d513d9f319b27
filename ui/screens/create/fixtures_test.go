package create

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// Synthetic patient and referral: 9990000018 has a valid check digit.
const (
	testNHS  = "9990000018"
	testUBRN = "000000070002"
)

func days(n int) *int { return &n }

// services is a synthetic shortlist: a directly bookable cardiology clinic
// and an indirectly bookable one with a referrer alert.
func services() []ersclient.ServiceResult {
	return []ersclient.ServiceResult{
		{ID: "svc-1", Name: "Cardiology Clinic", LocationName: "Synthetic General", BookableType: "DIRECTLY_BOOKABLE",
			RequestFlowTypes: []string{"APPOINTMENT_REQUEST"}, IndicativeWait: ersclient.IndicativeWait{Days: days(12)}},
		{ID: "svc-2", Name: "Heart Failure Service", LocationName: "Synthetic Community", BookableType: "INDIRECTLY_BOOKABLE",
			RequestFlowTypes: []string{"APPOINTMENT_REQUEST"}, ReferralLetterRequired: true,
			ReferrerAlert: "Include a recent ECG with every referral."},
	}
}

// triageService is a single triage service.
func triageService() []ersclient.ServiceResult {
	return []ersclient.ServiceResult{{ID: "svc-9", Name: "Cardiology Triage", LocationName: "Synthetic General",
		BookableType: "INDIRECTLY_BOOKABLE", RequestFlowTypes: []string{"TRIAGE_REQUEST"}}}
}

func criteria() ersclient.SearchCriteria {
	return ersclient.SearchCriteria{Priority: ersclient.PriorityCoding(ersclient.Priority("ROUTINE"))}
}

// referral builds a synthetic referral at a version, in a state, with the
// shortlist of the services ids.
func referral(t testing.TB, ubrn, version, state string, shortlist ...string) *ersclient.Referral {
	t.Helper()
	var entries []string
	for _, id := range shortlist {
		entries = append(entries, fmt.Sprintf(`{"item":{"identifier":{"system":"https://fhir.nhs.uk/Id/ers-service","value":%q}}}`, id))
	}
	body := fmt.Sprintf(`{"resourceType":"ReferralRequest","id":%q,"meta":{"versionId":%q},
	 "contained":[{"resourceType":"List","id":"shortlist","status":"current","mode":"snapshot","entry":[%s]}],
	 "extension":[
	  {"url":%q,"valueReference":{"reference":"#shortlist"}},
	  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralState-1",
	   "extension":[{"url":"state","valueCoding":{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1","code":%q}}]}],
	 "subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":%q}}}`,
		ubrn, version, strings.Join(entries, ","), fhir.ExtReferralShortlist, state, testNHS)
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal([]byte(body), &rr); err != nil {
		t.Fatal(err)
	}
	return &ersclient.Referral{Resource: &rr, Version: version}
}

func common(f *uitest.FakeERS) screen.Common {
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	c.ERS = f
	return c
}

// newForm builds a sized form for a new referral from svcs.
func newForm(f *uitest.FakeERS, svcs []ersclient.ServiceResult) *Model {
	m := New(common(f), Request{NHSNumber: testNHS, Criteria: criteria(), Services: svcs})
	m.SetSize(120, 40)
	return m
}

// confirmAndRun finds the Confirm among msgs and runs its OnYes through
// the screen, as the root does when the user presses y.
func confirmAndRun(t *testing.T, s screen.Screen, msgs []tea.Msg) (screen.Confirm, uitest.Result[screen.Screen]) {
	t.Helper()
	for _, msg := range msgs {
		if c, ok := msg.(screen.Confirm); ok {
			return c, uitest.RunInit(s, c.OnYes)
		}
	}
	t.Fatalf("no confirmation among %#v", msgs)
	return screen.Confirm{}, uitest.Result[screen.Screen]{}
}

func outcomeUnknown(op ersclient.OperationID) error {
	return &ersclient.Error{Op: op, Kind: ersclient.KindOutcomeUnknown, Err: fmt.Errorf("timeout")}
}

func find[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

var testNow = uitest.Now()

func recentRow(ubrn string, created time.Time) ersclient.WorklistRow {
	return ersclient.WorklistRow{UBRN: ubrn, NHSNumber: testNHS, ServiceName: "Cardiology Clinic",
		StatusDisplay: "Not booked", ReferralCreated: created}
}
