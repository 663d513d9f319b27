package refdata

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// officialExamples is where the official A004 example responses are, when
// the shared reference material is checked out beside the repository.
const officialExamples = "../../../shared/reference/ers-api/sandbox-mocks/stu3/getCodeSystem/responses"

// deliberateDisplays are the displays changed on purpose from the official
// examples (which are example data, not the live reference data).
var deliberateDisplays = map[string]string{
	Priority + "/URGENT": "Urgent", // the example says "urgent"
}

// TestOfficialExampleConceptsAreKept checks that every concept of the
// official A004 examples is in the tables with the same display, dates and
// properties, so the rules behave as the examples imply.
func TestOfficialExampleConceptsAreKept(t *testing.T) {
	if _, err := os.Stat(officialExamples); err != nil {
		t.Skipf("official examples not available at %s: %v", officialExamples, err)
	}
	files := map[string]string{
		Specialty:                     "SpecialtyCodeSystem.json",
		ClinicType:                    "ClinicTypeCodeSystem.json",
		AppointmentCancellationReason: "AppointmentCancellationReasonCodeSystem.json",
		ReferralCancellationReason:    "ReferralCancellationReasonCodeSystem.json",
		AppointmentNonAttendance:      "AppointmentNonAttendanceReasonCodeSystem.json",
		Priority:                      "PriorityCodeSystem.json",
	}
	s := Default()
	for typ, file := range files {
		raw, err := os.ReadFile(filepath.Join(officialExamples, file))
		if err != nil {
			t.Fatal(err)
		}
		var cs struct {
			Concept []struct {
				Code     string `json:"code"`
				Display  string `json:"display"`
				Property []struct {
					Code          string `json:"code"`
					ValueDateTime string `json:"valueDateTime"`
					ValueBoolean  *bool  `json:"valueBoolean"`
					ValueInteger  *int   `json:"valueInteger"`
					ValueCoding   *struct {
						Code string `json:"code"`
					} `json:"valueCoding"`
				} `json:"property"`
			} `json:"concept"`
		}
		if err := json.Unmarshal(raw, &cs); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, oc := range cs.Concept {
			c, ok := s.Lookup(typ, oc.Code)
			if !ok {
				t.Errorf("%s %s: missing", typ, oc.Code)
				continue
			}
			display := oc.Display
			if d, ok := deliberateDisplays[typ+"/"+oc.Code]; ok {
				display = d
			}
			if c.Display != display {
				t.Errorf("%s %s: display %q, the example has %q", typ, oc.Code, c.Display, display)
			}
			want := map[string][]string{}
			for _, p := range oc.Property {
				var v string
				switch {
				case p.ValueDateTime != "":
					v = date(p.ValueDateTime).Format("2006-01-02T15:04:05Z")
				case p.ValueBoolean != nil:
					v = boolText(*p.ValueBoolean)
				case p.ValueInteger != nil:
					v = strconv.Itoa(*p.ValueInteger)
				case p.ValueCoding != nil:
					v = p.ValueCoding.Code
				}
				want[p.Code] = append(want[p.Code], v)
			}
			got := map[string][]string{}
			for k, vs := range c.Properties {
				got[k] = slices.Clone(vs)
			}
			got[PropEffectiveFrom] = []string{c.EffectiveFrom.Format("2006-01-02T15:04:05Z")}
			if c.Retired() {
				got[PropEffectiveTo] = []string{c.EffectiveTo.Format("2006-01-02T15:04:05Z")}
			}
			for k := range want {
				slices.Sort(want[k])
			}
			for k := range got {
				slices.Sort(got[k])
			}
			for k, vs := range want {
				if !slices.Equal(got[k], vs) {
					t.Errorf("%s %s: property %s = %v, the example has %v", typ, oc.Code, k, got[k], vs)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s %s: property %s is not in the example", typ, oc.Code, k)
				}
			}
		}
	}
}
