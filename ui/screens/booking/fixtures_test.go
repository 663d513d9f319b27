package booking

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
	svcDBS   = "11001"
	svcTri   = "11002"
	svcIBS   = "11003"
)

// referral builds a synthetic referral at a version and state with the
// shortlist of services (ids), and a booked appointment when booked.
func referral(t testing.TB, version, state string, services ...string) *ersclient.Referral {
	t.Helper()
	var entries []string
	for _, id := range services {
		entries = append(entries, fmt.Sprintf(`{"item":{"identifier":{"system":"http://fhir.nhs.uk/Id/ers-service","value":%q},"display":"Service %s"}}`, id, id))
	}
	apptExt, contained := "", ""
	if state == ersclient.ReferralStateBooked {
		apptExt = `{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-Appointment-1","valueReference":{"reference":"#appointment"}},
		 {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-Appointment-Reference-1","valueReference":{"reference":"Appointment/A1"}},`
		contained = `,{"resourceType":"Appointment","id":"appointment","status":"booked","start":"2026-12-01T10:00:00Z","end":"2026-12-01T10:15:00Z"}`
	}
	body := fmt.Sprintf(`{"resourceType":"ReferralRequest","id":%q,"meta":{"versionId":%q},
	 "contained":[{"resourceType":"List","id":"shortlist","status":"current","mode":"working","entry":[%s]}%s],
	 "extension":[%s
	  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralShortlist-1","valueReference":{"reference":"#shortlist"}},
	  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-Commissioning-Rule-Org-1","valueIdentifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"R68"}},
	  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralPriority-1",
	   "valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1","code":"ROUTINE"}]}},
	  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralState-1",
	   "extension":[{"url":"state","valueCoding":{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1","code":%q}}]}],
	 "subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":%q}},
	 "specialty":{"coding":[{"system":"x/SPECIALTY","code":"CARDIOLOGY","display":"Cardiology"}]}}`,
		testUBRN, version, strings.Join(entries, ","), contained, apptExt, state, testNHS)
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal([]byte(body), &rr); err != nil {
		t.Fatal(err)
	}
	return &ersclient.Referral{Resource: &rr, Version: version}
}

// serviceList is A035's answer for the test services.
func serviceList(ids []string) (*ersclient.ServiceList, error) {
	all := map[string]ersclient.ServiceDetail{
		svcDBS: {ID: svcDBS, Name: "Cardiology Outpatients", RequestFlowTypes: []string{ersclient.ServiceFlowBookable}, BookableType: ersclient.DirectlyBookable},
		svcTri: {ID: svcTri, Name: "Cardiology Triage", RequestFlowTypes: []string{ersclient.ServiceFlowReview}},
		svcIBS: {ID: svcIBS, Name: "Heart Clinic (phone)", RequestFlowTypes: []string{ersclient.ServiceFlowBookable}, BookableType: ersclient.IndirectlyBookable},
	}
	out := &ersclient.ServiceList{}
	for _, id := range ids {
		if d, ok := all[id]; ok {
			out.Services = append(out.Services, d)
		}
	}
	return out, nil
}

// slots makes n synthetic slots from 1 December 2026, four a day at
// 09:00, 11:30, 14:00 and 17:30, ids from first.
func slots(first, n int) []ersclient.SlotView {
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	hours := []time.Duration{9 * time.Hour, 11*time.Hour + 30*time.Minute, 14 * time.Hour, 17*time.Hour + 30*time.Minute}
	out := make([]ersclient.SlotView, 0, n)
	for i := range n {
		k := first + i
		start := base.Add(time.Duration(k/4)*24*time.Hour + hours[k%4])
		out = append(out, ersclient.SlotView{ID: fmt.Sprint(20000 + k), Start: start, End: start.Add(15 * time.Minute),
			ServiceID: svcDBS, ClinicianSDS: "100000000001", ClinicianName: "Dr Ada Synthetic", Location: "Main Outpatients"})
	}
	return out
}

// pager serves all as pages of q.Count.
func pager(all []ersclient.SlotView) func(q ersclient.SlotQuery) (*ersclient.SlotPage, error) {
	return func(q ersclient.SlotQuery) (*ersclient.SlotPage, error) {
		from := min((q.Page-1)*q.Count, len(all))
		to := min(from+q.Count, len(all))
		return &ersclient.SlotPage{Slots: all[from:to], Total: len(all), HasNext: to < len(all), Page: q.Page, Count: q.Count}, nil
	}
}

func cancelReasons() *ersclient.ReferenceData {
	const sys = "https://example.test/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON"
	rc := []string{"REFERRING_CLINICIAN", "REFERRING_CLINICIAN_ADMIN"}
	c := func(code, display, usage, mandatory string, roles []string) ersclient.ReferenceConcept {
		return ersclient.ReferenceConcept{Code: code, Display: display, System: sys,
			Properties: map[string][]string{propUsage: {usage}, propBusinessFunction: roles, propCommentMandatory: {mandatory}}}
	}
	return &ersclient.ReferenceData{Type: "APPOINTMENT-CANCELLATION-REASON", System: sys, Concepts: []ersclient.ReferenceConcept{
		c("PATIENT_ILL", "Patient is sick", "CANCEL", "false", rc),
		c("PATIENT_OTHER", "Other", "CANCEL", "true", rc),
		c("OTHER", "Other reason", "REJECT", "false", []string{"SERVICE_PROVIDER_CLINICIAN"}),
		{Code: "OLD", Display: "Expired", System: sys, EffectiveTo: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
			Properties: map[string][]string{propUsage: {"CANCEL"}, propBusinessFunction: rc}},
	}}
}

// newFake is an e-RS with the test services and 30 free slots.
func newFake() *uitest.FakeERS {
	return &uitest.FakeERS{Services: serviceList, Slots: pager(slots(0, 30))}
}

// open builds the screen for req with f, sized and initialised.
func open(t testing.TB, f *uitest.FakeERS, req Request) *Model {
	t.Helper()
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	c.ERS = f
	s := New(c, req)
	s.SetSize(120, 40)
	return uitest.RunInit(s, s.Init()).Model.(*Model)
}

// confirmOf finds the Confirm among the root-bound messages.
func confirmOf(t testing.TB, msgs []tea.Msg) screen.Confirm {
	t.Helper()
	for _, m := range msgs {
		if c, ok := m.(screen.Confirm); ok {
			return c
		}
	}
	t.Fatalf("no confirmation asked; got %v", msgs)
	return screen.Confirm{}
}

func apiErr(status int, code string) error {
	return &ersclient.Error{Op: ersclient.OpBookOrDefer, Kind: ersclient.KindAPI, Status: status, Code: code, CorrelationID: "corr-1"}
}
