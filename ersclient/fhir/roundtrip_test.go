package fhir

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
)

const sharedMocks = "../../../shared/reference/ers-api/sandbox-mocks"

// newResource returns an empty typed resource for a resourceType.
func newResource(resourceType string) (any, bool) {
	switch resourceType {
	case "ReferralRequest":
		return new(ReferralRequest), true
	case "List":
		return new(List), true
	case "Parameters":
		return new(Parameters), true
	case "Bundle":
		return new(Bundle), true
	case "Appointment":
		return new(Appointment), true
	case "Slot":
		return new(Slot), true
	case "Schedule":
		return new(Schedule), true
	case "HealthcareService":
		return new(HealthcareService), true
	case "ServiceRequest":
		return new(ServiceRequest), true
	case "CommunicationRequest":
		return new(CommunicationRequest), true
	case "Communication":
		return new(Communication), true
	case "DocumentReference":
		return new(DocumentReference), true
	case "Task":
		return new(Task), true
	case "CodeSystem":
		return new(CodeSystem), true
	case "PractitionerRole":
		return new(PractitionerRole), true
	case "Practitioner":
		return new(Practitioner), true
	case "Patient":
		return new(Patient), true
	case "OperationOutcome":
		return new(OperationOutcome), true
	}
	return nil, false
}

// assertRoundTrip decodes b into its typed resource, and every nested
// resource into its own type, and checks that encoding gives the same JSON.
func assertRoundTrip(t *testing.T, b []byte) {
	t.Helper()
	var raw RawResource
	if err := Unmarshal(b, &raw); err != nil {
		t.Fatalf("not a resource: %v", err)
	}
	v, ok := newResource(raw.ResourceType())
	if !ok {
		t.Fatalf("no Go type for resourceType %q", raw.ResourceType())
	}
	if err := Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", raw.ResourceType(), err)
	}
	out, err := Marshal(v)
	if err != nil {
		t.Fatalf("encoding %s: %v", raw.ResourceType(), err)
	}
	var want, got any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("re-encoded %s differs from the example\n got: %s", raw.ResourceType(), out)
	}
	for _, nested := range nestedResources(v) {
		assertRoundTrip(t, nested.JSON())
	}
}

// nestedResources lists the resources held inside a resource: bundle
// entries, contained resources and parameter resources.
func nestedResources(v any) []RawResource {
	var out []RawResource
	var params func([]Parameter)
	params = func(ps []Parameter) {
		for _, p := range ps {
			if !p.Resource.IsZero() {
				out = append(out, p.Resource)
			}
			params(p.Part)
		}
	}
	switch r := v.(type) {
	case *Bundle:
		for _, e := range r.Entry {
			out = append(out, e.Resource)
		}
	case *Parameters:
		params(r.Parameter)
	}
	if dr, ok := domainResource(v); ok {
		out = append(out, dr.Contained...)
	}
	return out
}

func domainResource(v any) (*DomainResource, bool) {
	rv := reflect.ValueOf(v).Elem()
	f := rv.FieldByName("DomainResource")
	if !f.IsValid() {
		return nil, false
	}
	return f.Addr().Interface().(*DomainResource), true
}

func TestEveryOfficialExampleRoundTrips(t *testing.T) {
	if _, err := os.Stat(sharedMocks); err != nil {
		t.Skipf("official examples not found at %s (../shared is absent); skipping", sharedMocks)
	}
	seen := map[string]int{}
	err := filepath.WalkDir(sharedMocks, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(sharedMocks, p)
		t.Run(rel, func(t *testing.T) {
			assertRoundTrip(t, b)
			var raw RawResource
			_ = Unmarshal(b, &raw)
			seen[raw.ResourceType()]++
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 9 {
		t.Errorf("only %d resource types among the examples: %v", len(seen), seen)
	}
}

func TestNestedResourcesRoundTripThroughTheirOwnTypes(t *testing.T) {
	// A bundle whose entries decode into typed resources and back.
	bundle := []byte(`{"resourceType":"Bundle","type":"searchset","total":1,
	  "entry":[{"fullUrl":"x","resource":{"resourceType":"Slot","id":"1","status":"free",
	    "schedule":{"reference":"Schedule/1-2"},"start":"2026-12-01T09:00:00Z","_start":{"id":"s"}},
	    "search":{"mode":"match"}}]}`)
	var b Bundle
	if err := Unmarshal(bundle, &b); err != nil {
		t.Fatal(err)
	}
	slots, err := Resources[Slot](&b, "Slot")
	if err != nil || len(slots) != 1 {
		t.Fatalf("slots = %v, %v", slots, err)
	}
	if slots[0].Schedule.Reference != "Schedule/1-2" {
		t.Errorf("schedule = %q", slots[0].Schedule.Reference)
	}
	if _, kept := slots[0].Extra["_start"]; !kept {
		t.Error("the unmodelled _start member was dropped")
	}
	out, err := Marshal(slots[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"_start":{"id":"s"}`) {
		t.Errorf("re-encoded slot lost _start: %s", out)
	}
}

func TestSingleObjectWhereAnArrayIsExpected(t *testing.T) {
	cases := []struct {
		name string
		json string
	}{
		{"a single type object is read and written back as one object", `{"resourceType":"HealthcareService","type":{"coding":[{"code":"DAY_CASE"}]}}`},
		{"an array of types stays an array", `{"resourceType":"HealthcareService","type":[{"coding":[{"code":"DAY_CASE"}]}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hs HealthcareService
			if err := Unmarshal([]byte(c.json), &hs); err != nil {
				t.Fatal(err)
			}
			if len(hs.Type.Items) != 1 || hs.Type.Items[0].FirstCode() != "DAY_CASE" {
				t.Fatalf("type = %+v", hs.Type)
			}
			assertRoundTrip(t, []byte(c.json))
		})
	}
}

func TestLocalCodeSystemsMatchBySuffix(t *testing.T) {
	cases := []struct {
		system string
		want   string
		match  bool
	}{
		{"_baseUrl_/STU3/CodeSystem/SPECIALTY", LocalSpecialty, true},
		{"_baseurl_/STU3/CodeSystem/SPECIALTY", LocalSpecialty, true},
		{"https://int.api.service.nhs.uk/referrals/FHIR/STU3/CodeSystem/SPECIALTY", LocalSpecialty, true},
		{"_baseUrl_/STU3/CodeSystem/CLINIC-TYPE", LocalSpecialty, false},
		{"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ClinicType-1", LocalClinicType, false},
		{CSPriority, CSPriority, true},
		{CSPriority + "x", CSPriority, false},
	}
	for _, c := range cases {
		if got := MatchSystem(c.system, c.want); got != c.match {
			t.Errorf("MatchSystem(%q, %q) = %v, want %v", c.system, c.want, got, c.match)
		}
	}
}

func TestDecodingRejectsWhatFHIRForbids(t *testing.T) {
	cases := map[string]string{
		"duplicate member names":     `{"resourceType":"Task","status":"ready","status":"draft"}`,
		"a resource without a type":  `{"id":"1"}`,
		"a string where a list goes": `{"resourceType":"Task","identifier":"x","code":"nope"}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			var raw RawResource
			err := Unmarshal([]byte(body), &raw)
			if err == nil {
				var task Task
				err = Unmarshal([]byte(body), &task)
			}
			if err == nil {
				t.Errorf("decoded without error: %s", body)
			}
		})
	}
}
