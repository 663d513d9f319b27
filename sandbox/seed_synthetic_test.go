package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The synthetic data set is served without a failure: a sample of its
// referrals, appointments, advice requests and files read back for the
// users who may see them, and every worklist of its organisations answers.
// A 500 here is a record the renderers cannot handle.
func TestTheSyntheticDataSetIsServedForEveryKindOfRecord(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	st := store.New(func() *store.State {
		return seed.Synthetic(seed.SyntheticOptions{Seed: 11, Referrals: 1500, Services: 80, Now: now})
	}, func() time.Time { return now })
	e := newTestEnvWith(t, st, Options{})

	var (
		referrals []store.Referral
		advice    []store.Advice
		orgs      []store.Organisation
		binaries  []store.Binary
		users     = map[string]map[ersclient.BusinessFunction]string{}
	)
	st.Read(func(s *store.State) error { //nolint:errcheck // the callback returns nil
		for _, u := range slices.Sorted(maps.Keys(s.Referrals)) {
			referrals = append(referrals, *s.Referrals[u])
		}
		for _, u := range slices.Sorted(maps.Keys(s.Advice)) {
			advice = append(advice, *s.Advice[u])
		}
		for _, o := range slices.Sorted(maps.Keys(s.Orgs)) {
			orgs = append(orgs, *s.Orgs[o])
			users[o] = map[ersclient.BusinessFunction]string{}
			for _, bf := range []ersclient.BusinessFunction{ersclient.ReferringClinician, ersclient.ServiceProviderClinician} {
				users[o][bf] = firstUserWith(s, o, bf, "")
			}
		}
		for _, id := range slices.Sorted(maps.Keys(s.Binaries)) {
			binaries = append(binaries, *s.Binaries[id])
		}
		return nil
	})
	providerOf := func(serviceID string) string {
		org := ""
		st.Read(func(s *store.State) error { //nolint:errcheck // the callback returns nil
			if svc := s.Services[serviceID]; svc != nil {
				org = svc.Org
			}
			return nil
		})
		return org
	}
	as := func(org string, bf ersclient.BusinessFunction) map[string]string {
		return userHeaders(users[org][bf], bf, org)
	}
	expect := func(what string, status int, body []byte, want ...int) {
		t.Helper()
		if !slices.Contains(want, status) {
			t.Errorf("%s answered %d, want %v: %s", what, status, want, exSnippet(body))
		}
	}

	// Every 25th referral, read by its referrer and by its provider.
	states := map[string]bool{}
	for i := 0; i < len(referrals); i += 25 {
		r := referrals[i]
		states[r.State] = true
		rc := as(r.ReferringOrg, ersclient.ReferringClinician)
		status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+r.UBRN, "", rc)
		expect("A005 "+r.UBRN+" ("+r.State+") for its referrer", status, body, 200)
		status, _, body = e.raw(http.MethodGet, fmt.Sprintf("%s/STU3/Task?focus=ReferralRequest/%s/_history/%d&intent=proposal&status=ready", BasePath, r.UBRN, r.Version), "", rc)
		expect("A029 "+r.UBRN+" ("+r.State+")", status, body, 200)
		status, _, body = e.raw(http.MethodPost, BasePath+"/STU3/ReferralRequest/"+r.UBRN+"/$ers.generateCRI", "", rc)
		expect("A007 "+r.UBRN, status, body, 200)
		if r.AppointmentID != "" {
			status, _, body = e.raw(http.MethodGet, BasePath+"/STU3/Appointment/"+r.AppointmentID, "", rc)
			expect("A038 "+r.AppointmentID+" of "+r.UBRN, status, body, 200)
		}
		if org := providerOf(r.ServiceID); org != "" {
			status, _, body = e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+r.UBRN, "", as(org, ersclient.ServiceProviderClinician))
			expect("A005 "+r.UBRN+" ("+r.State+") for its provider", status, body, 200)
		}
	}
	if len(states) < 10 {
		t.Errorf("the sample covers %d states, want nearly all", len(states))
	}

	// Every 10th advice request, read by its referrer.
	for i := 0; i < len(advice); i += 10 {
		a := advice[i]
		rc := as(a.ReferringOrg, ersclient.ReferringClinician)
		status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/CommunicationRequest/"+a.UBRN, "", rc)
		expect("A024 "+a.UBRN+" ("+a.Category+")", status, body, 200)
		status, _, body = e.raw(http.MethodGet, fmt.Sprintf("%s/STU3/Communication?based-on=CommunicationRequest/%s/_history/%d", BasePath, a.UBRN, a.Version), "", rc)
		expect("A025 "+a.UBRN, status, body, 200)
		status, _, body = e.raw(http.MethodPost, BasePath+"/STU3/CommunicationRequest/"+a.UBRN+"/$ers.generateCRI", "", rc)
		expect("A043 "+a.UBRN, status, body, 200)
	}

	// Files: available ones redirect to the object store, the others are
	// refused with their availability.
	for i := 0; i < len(binaries); i += 40 {
		b := binaries[i]
		status, _, body := e.raw(http.MethodGet, BasePath+"/R4/Binary/"+b.ID, "", as(b.UploadedOrg, exRoleAt(users, b.UploadedOrg)))
		want := http.StatusTemporaryRedirect
		if b.Availability != store.Available {
			want = http.StatusUnprocessableEntity
		}
		expect("A042 "+b.ID+" ("+b.Availability+")", status, body, want)
	}

	// Every worklist of every organisation.
	items := map[string]int{}
	for _, o := range orgs {
		lists, bf, path := []string{"REJECTED_TRIAGE_RESPONSE", "ASSESSMENT_RETURNED_CANCELLED_DNA", "AWAITING_BOOKING", "LETTERS_OUTSTANDING"},
			ersclient.ReferringClinician, "/STU3/ReferralRequest/$ers.fetchworklist"
		switch o.Kind {
		case store.OrgProvider:
			lists, bf = []string{"REFERRALS_FOR_REVIEW", "APPOINTMENT_SLOT_ISSUES"}, ersclient.ServiceProviderClinician
		case store.OrgCommissioner:
			continue
		}
		for _, list := range lists {
			status, _, body := e.raw(http.MethodPost, BasePath+path, exWorklistBody("eRS-ReferralListSelector-1", list), as(o.ODS, bf))
			expect("A008 "+list+" of "+o.ODS, status, body, 200)
			items[list] += exEntries(body)
		}
		if o.Kind == store.OrgProvider {
			status, _, body := e.raw(http.MethodPost, BasePath+"/STU3/CommunicationRequest/$ers.fetchworklist",
				exWorklistBody("eRS-CommunicationListSelector-1", "ADVICE_AND_GUIDANCE_REQUESTS"), as(o.ODS, bf))
			expect("A023 of "+o.ODS, status, body, 200)
			items["ADVICE_AND_GUIDANCE_REQUESTS"] += exEntries(body)
		}
	}
	t.Logf("%d referrals, %d advice requests, %d files; worklist items %v", len(referrals), len(advice), len(binaries), items)
	for _, list := range []string{"REFERRALS_FOR_REVIEW", "APPOINTMENT_SLOT_ISSUES", "REJECTED_TRIAGE_RESPONSE", "ASSESSMENT_RETURNED_CANCELLED_DNA",
		"AWAITING_BOOKING", "LETTERS_OUTSTANDING", "ADVICE_AND_GUIDANCE_REQUESTS"} {
		if items[list] == 0 {
			t.Errorf("no organisation has anything on %s", list)
		}
	}
}

// exWorklistBody is an A008/A023 request for a list type.
func exWorklistBody(selector, list string) string {
	return fmt.Sprintf(`{"resourceType":"Parameters","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1"]},`+
		`"parameter":[{"name":"listType","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/%s","code":"%s"}]}}]}`, selector, list)
}

// exEntries counts a List's entries.
func exEntries(body []byte) int {
	var l struct {
		Entry []json.RawMessage `json:"entry"`
	}
	if json.Unmarshal(body, &l) != nil {
		return 0
	}
	return len(l.Entry)
}

// exRoleAt is a business function someone holds at the organisation:
// a referring or a provider clinician.
func exRoleAt(users map[string]map[ersclient.BusinessFunction]string, org string) ersclient.BusinessFunction {
	if users[org][ersclient.ReferringClinician] != "" {
		return ersclient.ReferringClinician
	}
	return ersclient.ServiceProviderClinician
}
