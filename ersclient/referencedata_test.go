package ersclient

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetrieveReferenceDataDecodesEveryOfficialCodeSystem(t *testing.T) {
	cases := []struct {
		codeSystemType string
		file           string
		concepts       int
		check          func(t *testing.T, d *ReferenceData)
	}{
		{"SPECIALTY", "SpecialtyCodeSystem.json", 4, func(t *testing.T, d *ReferenceData) {
			c, ok := d.Lookup("ADULT_MENTAL_ILLNESS")
			if !ok || c.Display != "Adult Mental Illness" || c.EffectiveTo.Format(time.DateOnly) != "2008-05-09" {
				t.Errorf("ADULT_MENTAL_ILLNESS = %+v", c)
			}
			if d.Display("ALLERGY") != "Allergy" || d.Display("NO_SUCH_CODE") != "NO_SUCH_CODE" {
				t.Error("Display does not turn codes into words")
			}
		}},
		{"CLINIC-TYPE", "ClinicTypeCodeSystem.json", 7, func(t *testing.T, d *ReferenceData) {
			c, _ := d.Lookup("FOOD_AND_DRUG_ALLERGY")
			if c.Value("specialty") != "ALLERGY" {
				t.Errorf("clinic type's specialty = %q", c.Value("specialty"))
			}
		}},
		{"APPOINTMENT-CANCELLATION-REASON", "AppointmentCancellationReasonCodeSystem.json", 36, func(t *testing.T, d *ReferenceData) {
			if !strings.HasSuffix(d.System, "/CodeSystem/APPOINTMENT-CANCELLATION-REASON") {
				t.Errorf("system = %q", d.System)
			}
			c, _ := d.Lookup("ADDITIONAL_REQ_NOT_AVAILABLE")
			if v, ok := c.Bool("commentIsMandatory"); !ok || v {
				t.Errorf("commentIsMandatory = %v, %v", v, ok)
			}
			if c.Value("appointmentBookingCancellationReasonType") != "PROVIDER" {
				t.Errorf("reason type = %q", c.Value("appointmentBookingCancellationReasonType"))
			}
		}},
		{"REFERRAL-CANCELLATION-REASON", "ReferralCancellationReasonCodeSystem.json", 18, func(t *testing.T, d *ReferenceData) {
			c, _ := d.Lookup("BOOKED_CLINICAL_NEED")
			if v, ok := c.Bool("commentIsMandatory"); !ok || !v {
				t.Errorf("commentIsMandatory = %v, %v", v, ok)
			}
			if len(c.Strings("businessFunction")) < 2 || !c.Has("businessFunction", "SERVICE_PROVIDER_CLINICIAN") {
				t.Errorf("businessFunction = %v", c.Strings("businessFunction"))
			}
		}},
		{"APPOINTMENT-NON-ATTENDANCE-REASON", "AppointmentNonAttendanceReasonCodeSystem.json", 8, nil},
		{"PRIORITY", "PriorityCodeSystem.json", 3, func(t *testing.T, d *ReferenceData) {
			c, _ := d.Lookup("TWO_WEEK_WAIT")
			days, ok := c.Int("deferToProviderContactDays")
			triage, ok2 := c.Int("triageContactDays")
			if !ok || !ok2 || days != 5 || triage != 2 {
				t.Errorf("contact days = %d, %d", days, triage)
			}
			if _, ok := c.Int("nonexistent"); ok {
				t.Error("a missing property read as an integer")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.codeSystemType+" decodes with its properties", func(t *testing.T) {
			body := fixture(t, "stu3/getCodeSystem/responses/"+tc.file)
			ts := newTestServer(t, reply{Status: http.StatusOK, Body: body, Header: map[string]string{"X-Request-ID": "rq"}})
			d, err := testClient(t, ts, asClinicianAdmin).RetrieveReferenceData(context.Background(), tc.codeSystemType)
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			if rec.Method != http.MethodGet || rec.Path != "/FHIR/STU3/CodeSystem/"+tc.codeSystemType || len(rec.Query) != 0 || len(rec.Body) != 0 {
				t.Errorf("sent %s %s?%v with %d body bytes", rec.Method, rec.Path, rec.Query, len(rec.Body))
			}
			assertHeaders(t, rec, asClinicianAdmin)
			if d.Type != tc.codeSystemType || len(d.Concepts) != tc.concepts || d.CodeSystem == nil || d.RequestID != "rq" {
				t.Errorf("type %q, %d concepts", d.Type, len(d.Concepts))
			}
			for _, c := range d.Concepts {
				if c.Code == "" || c.Display == "" || c.System != d.System || c.EffectiveFrom.IsZero() {
					t.Errorf("concept lacks its facts: %+v", c)
				}
				if cd := c.Coding(); cd.System != d.System || cd.Code != c.Code || cd.Display != "" {
					t.Errorf("coding = %+v", cd)
				}
			}
			if tc.check != nil {
				tc.check(t, d)
			}
		})
	}
}

func TestReferenceDataEffectiveAndFilter(t *testing.T) {
	body := fixture(t, "stu3/getCodeSystem/responses/SpecialtyCodeSystem.json")
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
	d, err := testClient(t, ts, asProviderClinician).RetrieveReferenceData(context.Background(), "SPECIALTY")
	if err != nil {
		t.Fatal(err)
	}
	codes := func(cs []ReferenceConcept) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return strings.Join(out, ",")
	}
	t.Run("today excludes the codes whose period ended", func(t *testing.T) {
		got := codes(d.Effective(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
		if strings.Contains(got, "ADULT_MENTAL_ILLNESS") || !strings.Contains(got, "ALLERGY") {
			t.Errorf("effective codes = %s", got)
		}
	})
	t.Run("a past date includes codes then in force", func(t *testing.T) {
		got := codes(d.Effective(time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)))
		if !strings.Contains(got, "ADULT_MENTAL_ILLNESS") {
			t.Errorf("effective codes = %s", got)
		}
	})
	t.Run("the end of the period is exclusive", func(t *testing.T) {
		c, _ := d.Lookup("ADULT_MENTAL_ILLNESS")
		if c.EffectiveAt(c.EffectiveTo) || !c.EffectiveAt(c.EffectiveTo.Add(-time.Millisecond)) || c.EffectiveAt(c.EffectiveFrom.Add(-time.Millisecond)) {
			t.Error("the period bounds are wrong")
		}
	})
	t.Run("filter keeps what the predicate accepts, in order", func(t *testing.T) {
		got := codes(d.Filter(func(c ReferenceConcept) bool { return strings.HasPrefix(c.Code, "A") }))
		if got != "ADULT_MENTAL_ILLNESS,ALLERGY,AUDIOLOGICAL_MEDICINE" {
			t.Errorf("filtered = %s", got)
		}
	})
}

func TestRetrieveReferenceDataErrors(t *testing.T) {
	t.Run("refuses an unknown type before sending", func(t *testing.T) {
		for _, bad := range []string{"", "specialty", "GENDER", "../Patient"} {
			ts := newTestServer(t)
			_, err := testClient(t, ts, asReferrer).RetrieveReferenceData(context.Background(), bad)
			worklistAssertNoRequest(t, ts, err, "reference data type")
		}
	})
	cases := []struct {
		name  string
		reply func(t *testing.T) reply
		check func(error) bool
	}{
		{"404 with an empty body is not found", func(*testing.T) reply { return reply{Status: http.StatusNotFound} }, IsNotFound},
		{"403 is forbidden", func(t *testing.T) reply {
			return reply{Status: http.StatusForbidden, Body: fixture(t, "stu3/STU3-Forbidden.json")}
		}, IsForbidden},
		{"another resource is a bad response", func(*testing.T) reply {
			return reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"ValueSet"}`)}
		}, func(err error) bool { e, ok := AsError(err); return ok && e.Kind == KindBadResponse }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, tc.reply(t))
			_, err := testClient(t, ts, asReferrer).RetrieveReferenceData(context.Background(), "PRIORITY")
			if err == nil || !tc.check(err) {
				t.Errorf("error = %v", err)
			}
		})
	}
	t.Run("is a read and is retried after 503", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusServiceUnavailable},
			reply{Status: http.StatusOK, Body: fixture(t, "stu3/getCodeSystem/responses/PriorityCodeSystem.json")})
		if _, err := testClient(t, ts, asReferrer).RetrieveReferenceData(context.Background(), "PRIORITY"); err != nil || len(ts.Requests) != 2 {
			t.Errorf("err %v after %d requests", err, len(ts.Requests))
		}
	})
}

func TestReferenceDataFlattensNestedConceptsAndReadsExtensions(t *testing.T) {
	body := []byte(`{"resourceType":"CodeSystem","url":"https://example.invalid/FHIR/STU3/CodeSystem/SPECIALTY",
	 "concept":[{"code":"PARENT","display":"Parent",
	   "extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-EffectivefromDate-1","valueDate":"2020-01-01"},
	                {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-EffectivetoDate-1","valueDate":"2021-01-01"}],
	   "concept":[{"code":"CHILD","display":"Child","property":[{"code":"flag","valueBoolean":true},{"code":"n","valueString":"x"}]}]}]}`)
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
	d, err := testClient(t, ts, asReferrer).RetrieveReferenceData(context.Background(), "SPECIALTY")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Concepts) != 2 || d.Concepts[1].Code != "CHILD" {
		t.Fatalf("concepts = %+v", d.Concepts)
	}
	p := d.Concepts[0]
	if p.EffectiveFrom.Format(time.DateOnly) != "2020-01-01" || p.EffectiveTo.Format(time.DateOnly) != "2021-01-01" {
		t.Errorf("period from extensions = %v .. %v", p.EffectiveFrom, p.EffectiveTo)
	}
	c := d.Concepts[1]
	if v, ok := c.Bool("flag"); !ok || !v {
		t.Error("boolean property not read")
	}
	if _, ok := c.Int("n"); ok {
		t.Error("a text property read as an integer")
	}
	if !c.EffectiveAt(time.Now()) || c.Coding().System != "https://example.invalid/FHIR/STU3/CodeSystem/SPECIALTY" {
		t.Errorf("child = %+v", c)
	}
}
