package sandbox

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// officialMocks is where the official example messages are, when the shared
// reference material is checked out beside the repository.
const officialMocks = "../../shared/reference/ers-api/sandbox-mocks"

// Every official A005 example, loaded into the store through what the
// workstation's client reads from it, must come back with the same facts and
// with every JSON member the example has (the contained appointment is H2's
// renderer and is left out).
func TestReferralRenderingMatchesTheOfficialExamples(t *testing.T) {
	dir := filepath.Join(officialMocks, "stu3/retrieveReferralRequest/responses")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("official examples not available in %s", dir)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var official fhir.ReferralRequest
			if err := fhir.Unmarshal(raw, &official); err != nil {
				t.Fatal(err)
			}
			want := (&ersclient.Referral{Resource: &official}).Summary()
			e := newTestEnv(t, func(st *store.State) { h1Import(st, &official, want) })
			ref, err := e.rc().RetrieveReferral(context.Background(), want.UBRN)
			if err != nil {
				t.Fatal(err)
			}
			got := ref.Summary()
			h1CompareSummaries(t, got, want)
			mine, _ := fhir.Marshal(ref.Resource)
			have := h1Paths(t, mine)
			for _, p := range h1Paths(t, raw) {
				if !strings.Contains(p, "contained[Appointment]") && !slicesContains(have, p) {
					t.Errorf("missing member %s", p)
				}
			}
		})
	}
}

func slicesContains(list []string, s string) bool {
	i := sort.SearchStrings(list, s)
	return i < len(list) && list[i] == s
}

// h1CompareSummaries compares what a workstation reads from two referrals.
// Displays of local codes are the simulator's reference data, not the
// example's, and are not compared.
func h1CompareSummaries(t *testing.T, got, want ersclient.ReferralSummary) {
	t.Helper()
	got.Specialty.Display, want.Specialty.Display = "", ""
	got.StateReason.Display, want.StateReason.Display = "", ""
	got.Appointment, want.Appointment = nil, nil
	got.Referrer, want.Referrer = nil, nil // the examples name no requester
	if got.SearchCriteria != nil && want.SearchCriteria != nil {
		got.SearchCriteria.Specialty.Display, want.SearchCriteria.Specialty.Display = "", ""
	}
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

// h1Import puts an official example referral into the store: the referral,
// its services, its files and its appointment.
func h1Import(st *store.State, rr *fhir.ReferralRequest, s ersclient.ReferralSummary) {
	r := addReferral(st, s.UBRN, s.State.Code, nil)
	r.Version, _ = atoiOr(s.Version)
	r.RequestID, r.NHSNumber, r.Priority, r.Specialty = s.RequestID, s.NHSNumber, string(s.Priority), s.Specialty.Code
	r.Status, r.CommissioningRuleOrg = s.Status, s.CommissioningRuleOrg
	r.StateComments = s.StateComments
	if st, ok := rr.Extension.Find(fhir.ExtReferralState); ok {
		if sub, ok := st.Sub("reason"); ok && sub.ValueCoding != nil {
			sys := sub.ValueCoding.System
			if i := strings.Index(sys, "/CodeSystem/"); i >= 0 && !strings.HasPrefix(sys, "https://fhir.nhs.uk/STU3/CodeSystem/eRS-") {
				sys = sys[i+len("/CodeSystem/"):]
			}
			r.StateReason = store.Coding{System: sys, Code: sub.ValueCoding.Code}
		}
	}
	r.PathwayStart, r.ClinicalInfoFirst, r.ClinicalInfoLast = s.PathwayStart, s.ClinicalInfoFirstSubmitted, s.ClinicalInfoLastUpdated
	r.AdditionalRequirements, r.RelatedUBRNs = s.AdditionalRequirements, s.RelatedReferrals
	r.FromAdvice = s.ConvertedFromAdvice != ""
	r.Shortlist = nil
	for _, svc := range s.Shortlist {
		r.Shortlist = append(r.Shortlist, svc.ID)
		st.Services[svc.ID] = &store.Service{ID: svc.ID, Name: svc.Name, Org: orgTrust}
	}
	if c := s.SearchCriteria; c != nil {
		r.Criteria = store.SearchCriteria{Priority: string(c.Priority), Specialty: c.Specialty.Code, ClinicType: c.ClinicType.Code,
			ClinicalTerm: store.Coding{Code: c.ClinicalTerm.Code}, Postcode: c.Postcode, DistanceLimit: int(c.DistanceLimit),
			WaitTimeLimit: int(c.IndicativeWaitLimit), NamedClinician: c.NamedClinician, AgeAndGenderAppropriate: c.AgeAndGenderAppropriate}
	}
	if s.AppointmentID != "" {
		r.AppointmentID = s.AppointmentID
		st.Appointments[s.AppointmentID] = &store.Appointment{ID: s.AppointmentID, Version: 1, UBRN: s.UBRN, Status: "booked"}
		if s.Appointment != nil {
			r.ServiceID = s.Appointment.ServiceID
		}
	}
	r.Documents = nil
	for _, a := range s.Attachments {
		st.Binaries[a.ID] = &store.Binary{ID: a.ID, ContentType: a.ContentType, FileName: a.Title, Data: make([]byte, a.Size),
			Created: a.Created, Availability: string(a.Availability)}
		r.Documents = append(r.Documents, store.Document{ID: a.DocumentID, BinaryID: a.ID, Type: string(a.Type), Description: a.Description,
			Indexed: a.Indexed, AttachedBy: a.AttachedBy, AttachedOrg: a.AttachedByOrg, OnBehalfOf: a.AttachedOnBehalfOf})
	}
}

func atoiOr(s string) (int, bool) {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, s != ""
}

// h1Paths lists the member paths of a JSON document, sorted. Array items
// are named by their "url" (extensions), their resourceType (contained
// resources) or their "name" (parameters), so that order does not matter.
func h1Paths(t *testing.T, doc []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				p := prefix + "." + k
				set[p] = true
				walk(p, child)
			}
		case []any:
			for _, item := range x {
				key := ""
				if m, ok := item.(map[string]any); ok {
					for _, k := range []string{"url", "resourceType", "name"} {
						if s, ok := m[k].(string); ok {
							key = s
							break
						}
					}
				}
				walk(prefix+"["+key+"]", item)
			}
		}
	}
	walk("", v)
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
