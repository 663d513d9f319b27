package sandbox

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Helpers of the referrer journey's tests (A010, A011, A012, A015, A016,
// A021, A031, A032, A034, A038).

const (
	refNHS        = "9990001235" // the base world's patient
	refNHSOther   = "9990000018" // another valid synthetic patient
	refExampleRC  = "021600556514"
	svcDerm       = "31000" // a dermatology service at the trust
	slotPast      = "11000099"
	refSTU3       = BasePath + "/STU3"
	refOfficialEx = "../../shared/reference/ers-api/sandbox-mocks/stu3"
)

// referrerWorld adds what the referrer tests need to the base world: the
// official examples' referring clinician at the practice, a service of
// another specialty and a slot in the past.
func referrerWorld(st *store.State) {
	st.Users[refExampleRC] = &store.User{ID: refExampleRC, Given: "Dev", Family: "Referrer", Title: "Dr",
		Roles: []store.Role{{Org: orgGP, BusinessFunction: ersclient.ReferringClinician, ID: "PractitionerRole-dev"}}}
	derm := *st.Services[svcDBS]
	derm.ID, derm.Name, derm.Specialty, derm.ClinicTypes = svcDerm, "Dermatology Outpatients", "DERMATOLOGY", []string{"DERMATOLOGY_GENERAL"}
	st.Services[svcDerm] = &derm
	start := testNow.Add(-48 * time.Hour)
	st.AddSlot(&store.Slot{ID: slotPast, ServiceID: svcDBS, Start: start, End: start.Add(15 * time.Minute), Type: "ROUTINE", Free: true})
}

// newReferrerEnv starts a simulator on the referrer world changed by build.
func newReferrerEnv(t *testing.T, build func(st *store.State)) *testEnv {
	t.Helper()
	return newTestEnv(t, func(st *store.State) {
		referrerWorld(st)
		if build != nil {
			build(st)
		}
	})
}

// refCriteria builds search criteria with a priority, a CARDIOLOGY
// specialty unless extra replaces it, and the mandatory age-and-gender flag.
func refCriteria(priority string, extra ...fhir.Parameter) *fhir.Parameters {
	p := fhir.NewParameters("https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ServiceSearchCriteria-Parameters-1")
	p.ID = "ServiceSearchCriteria-1"
	p.Add(fhir.Parameter{Name: "priority", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSPriority, Code: priority}}})
	hasSpecialty := false
	for _, e := range extra {
		hasSpecialty = hasSpecialty || e.Name == "specialty"
	}
	if !hasSpecialty {
		p.Add(refSpecialty("CARDIOLOGY"))
	}
	for _, e := range extra {
		p.Add(e)
	}
	p.Add(fhir.Parameter{Name: "ageAndGenderAppropriate", Value: fhir.Value{ValueBoolean: fhir.Ptr(false)}})
	return p
}

func refSpecialty(code string) fhir.Parameter {
	return fhir.Parameter{Name: "specialty", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.LocalSystemPrefix + fhir.LocalSpecialty, Code: code}}}
}

// refShortlist builds the shortlist parameter: a List of the services with
// the criteria contained and linked.
func refShortlist(t testing.TB, criteria *fhir.Parameters, services ...string) fhir.Parameter {
	t.Helper()
	list := &fhir.List{Status: "current", Mode: "snapshot"}
	list.ResourceType = "List"
	list.Meta = &fhir.Meta{Profile: []string{"https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Shortlist-List-1"}}
	raw, err := fhir.NewRawResource(criteria)
	if err != nil {
		t.Fatal(err)
	}
	list.Contained = []fhir.RawResource{raw}
	list.Extension = fhir.Extensions{{URL: fhir.ExtShortlistCriteria, Value: fhir.Value{ValueReference: &fhir.Reference{Reference: "#" + criteria.ID}}}}
	for _, s := range services {
		list.Entry = append(list.Entry, fhir.ListEntry{Item: fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: s}}})
	}
	return refResourceParam(t, "shortlist", list)
}

func refResourceParam(t testing.TB, name string, res any) fhir.Parameter {
	t.Helper()
	raw, err := fhir.NewRawResource(res)
	if err != nil {
		t.Fatal(err)
	}
	return fhir.Parameter{Name: name, Resource: raw}
}

func refPatient(nhs string) fhir.Parameter {
	return fhir.Parameter{Name: "patient", Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemNHSNumberSTU3, Value: nhs}}}
}

func refSDS(name, id string) fhir.Parameter {
	return fhir.Parameter{Name: name, Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: id}}}
}

func refLetterIntention(code string) fhir.Parameter {
	return fhir.Parameter{Name: "intentionToAddReferralLetter", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSReferralLetterIntention, Code: code}}}
}

func refReminderDays(n int64) fhir.Parameter {
	return fhir.Parameter{Name: "firstReminderLetterFollowUpDays", Value: fhir.Value{ValueUnsignedInt: fhir.Ptr(n)}}
}

// refBody encodes a Parameters body of the parameters.
func refBody(t testing.TB, params ...fhir.Parameter) string {
	t.Helper()
	p := fhir.NewParameters("")
	p.Parameter = params
	return encodeJSON(t, p)
}

// refCreateBody is an A011 body for the services: a routine cardiology
// referral of the base world's patient with a letter to follow.
func refCreateBody(t testing.TB, services ...string) string {
	t.Helper()
	return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(7),
		refShortlist(t, refCriteria("ROUTINE"), services...))
}

// refOutcome reads the code and diagnostics of an OperationOutcome body.
func refOutcome(t *testing.T, body []byte) (code, diagnostics string) {
	t.Helper()
	oo, ok := ersclient.DecodeOperationOutcome(body)
	if !ok || len(oo.Issue) == 0 {
		t.Fatalf("not an OperationOutcome: %.300s", body)
	}
	is := oo.Issue[0]
	if is.Details != nil && len(is.Details.Coding) > 0 {
		code = is.Details.Coding[0].Code
	}
	return code, is.Diagnostics
}

// refExpect checks a raw answer's status and, when code is set, its
// OperationOutcome code.
func refExpect(t *testing.T, status int, body []byte, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d: %.400s", status, wantStatus, body)
	}
	if wantCode == "" {
		return
	}
	if code, diag := refOutcome(t, body); code != wantCode {
		t.Fatalf("code %q (%s), want %q", code, diag, wantCode)
	}
}

// refReferral reads a copy of a referral from the store.
func refReferral(t *testing.T, e *testEnv, ubrn string) store.Referral {
	t.Helper()
	return storedCopy(t, e, "referral "+ubrn, func(st *store.State) *store.Referral { return st.Referrals[ubrn] })
}

// refAppointment reads a copy of an appointment from the store.
func refAppointment(t *testing.T, e *testEnv, id string) store.Appointment {
	t.Helper()
	return storedCopy(t, e, "appointment "+id, func(st *store.State) *store.Appointment { return st.Appointments[id] })
}

// storedCopy reads a copy of the record find picks, so that a test can
// look at it outside the lock; a record that is not there is fatal.
func storedCopy[T any](t *testing.T, e *testEnv, what string, find func(st *store.State) *T) T {
	t.Helper()
	var v T
	found := false
	e.store.Read(func(st *store.State) error { //nolint:errcheck // the callback cannot fail
		if p := find(st); p != nil {
			v, found = *p, true
		}
		return nil
	})
	if !found {
		t.Fatalf("no %s in the store", what)
	}
	return v
}

// refCreate creates a referral through ersclient as the RC and returns its
// UBRN and version.
func refCreate(t *testing.T, e *testEnv, services ...string) (string, string) {
	t.Helper()
	ref := createReferral(t, e.rc(), services...)
	return ref.Summary().UBRN, ref.Version
}

// refExamples lists the official example request files of an operation, or
// skips the test when the reference copy is absent.
func refExamples(t *testing.T, operation string) map[string][]byte {
	t.Helper()
	dir := filepath.Join(refOfficialEx, operation, "requests")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("official examples not available (%v)", err)
	}
	out := map[string][]byte{}
	for _, en := range entries {
		b, err := os.ReadFile(filepath.Join(dir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(en.Name(), ".json")] = b
	}
	return out
}

// refJSONPath digs a value out of decoded JSON by keys and indexes.
func refJSONPath(t *testing.T, body []byte, path ...any) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("no %q in %v", k, path)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("no [%d] in %v", k, path)
			}
			v = a[k]
		}
	}
	return v
}
