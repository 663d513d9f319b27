package sandbox

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
)

func TestReferenceDataServesEveryCodeSystemType(t *testing.T) {
	e := newTestEnv(t, nil)
	ref := refdata.Default()
	for _, typ := range ersclient.ReferenceDataTypes() {
		t.Run(typ, func(t *testing.T) {
			d, err := e.rc().RetrieveReferenceData(h5Ctx(t), typ)
			if err != nil {
				t.Fatal(err)
			}
			cs, _ := ref.System(typ)
			if d.Type != typ || d.System != e.srv.URL+BasePath+"/STU3/CodeSystem/"+typ || d.Name != cs.Name {
				t.Errorf("type %q, system %q, name %q", d.Type, d.System, d.Name)
			}
			if len(d.Concepts) != len(cs.Concepts) {
				t.Errorf("%d concepts, the reference data has %d", len(d.Concepts), len(cs.Concepts))
			}
		})
	}
}

func TestReferenceDataCarriesTheRulesProperties(t *testing.T) {
	e := newTestEnv(t, nil)
	get := func(typ, code string) ersclient.ReferenceConcept {
		t.Helper()
		d, err := e.spc().RetrieveReferenceData(h5Ctx(t), typ)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := d.Lookup(code)
		if !ok {
			t.Fatalf("%s %s missing", typ, code)
		}
		return c
	}
	cancelOther := get(refdata.AppointmentCancellationReason, "PATIENT_APPOINTMENT_CANCELLATION_OTHER")
	if m, _ := cancelOther.Bool("commentIsMandatory"); !m || cancelOther.Value("usage") != "CANCEL" || !cancelOther.Has("businessFunction", "REFERRING_CLINICIAN") {
		t.Errorf("PATIENT_APPOINTMENT_CANCELLATION_OTHER properties: %v", cancelOther.Properties)
	}
	private := get(refdata.ReferralCancellationReason, "INTEND_PRIVATE")
	if len(private.Strings("businessFunction")) != 5 || private.Value("referrerUsage") != "CANCEL_REFERRAL" {
		t.Errorf("INTEND_PRIVATE properties: %v", private.Properties)
	}
	clinic := get(refdata.ClinicType, "CARDIOLOGY_GENERAL")
	if clinic.Value("specialty") != "CARDIOLOGY" {
		t.Errorf("CARDIOLOGY_GENERAL belongs to %q", clinic.Value("specialty"))
	}
	if n, _ := get(refdata.Priority, "URGENT").Int("triageContactDays"); n != 5 {
		t.Errorf("URGENT triageContactDays = %d", n)
	}
	retired := get(refdata.Specialty, "ADULT_MENTAL_ILLNESS")
	if retired.EffectiveAt(testNow) || !retired.EffectiveAt(time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ADULT_MENTAL_ILLNESS effective %v to %v", retired.EffectiveFrom, retired.EffectiveTo)
	}
}

func TestReferenceDataWhoMayAsk(t *testing.T) {
	e := newTestEnv(t, nil)
	const path = BasePath + "/STU3/CodeSystem/PRIORITY"
	cases := []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"a referring clinician may", userHeaders(userRC, ersclient.ReferringClinician, orgGP), 200},
		{"a referring clinician admin may", userHeaders(userRCA, ersclient.ReferringClinicianAdmin, orgGP), 200},
		{"a provider clinician may", userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust), 200},
		{"a provider application may", map[string]string{HeaderSandboxApp: appProvider, HeaderSandboxAppRestricted: "true"}, 200},
		{"a referrer application may", map[string]string{HeaderSandboxApp: appReferrer, HeaderSandboxAppRestricted: "true"}, 200},
		{"a referring admin may not", userHeaders(userRA, ersclient.ReferringAdmin, orgGP), 403},
		{"a provider admin may not", userHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust), 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if status, _, body := e.raw(http.MethodGet, path, "", tc.headers); status != tc.status {
				t.Errorf("status %d %s, want %d", status, body, tc.status)
			}
		})
	}
	if _, err := e.spca().RetrieveReferenceData(h5Ctx(t), refdata.Priority); err != nil {
		t.Errorf("a clinician admin acting for a clinician was refused: %v", err)
	}
}

func TestUnknownReferenceDataTypeIs404WithAnEmptyBody(t *testing.T) {
	e := newTestEnv(t, nil)
	status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/CodeSystem/NOT-A-TYPE", "", userHeaders(userRC, ersclient.ReferringClinician, orgGP))
	if status != http.StatusNotFound || len(body) != 0 {
		t.Errorf("status %d body %q, want 404 and no body", status, body)
	}
}

func TestReferenceDataUsesTheSimulatorsBaseURL(t *testing.T) {
	e := newTestEnv(t, nil)
	_, _, body := e.raw(http.MethodGet, BasePath+"/STU3/CodeSystem/CLINIC-TYPE", "", userHeaders(userRC, ersclient.ReferringClinician, orgGP))
	cs := h5JSON(t, body)
	concepts := cs["concept"].([]any)
	first := concepts[0].(map[string]any)
	for _, p := range first["property"].([]any) {
		prop := p.(map[string]any)
		if prop["code"] == "specialty" {
			system := prop["valueCoding"].(map[string]any)["system"]
			if system != e.srv.URL+BasePath+"/STU3/CodeSystem/SPECIALTY" {
				t.Errorf("specialty coding system %q", system)
			}
			return
		}
	}
	t.Error("no specialty property on a clinic type")
}

// TestReferenceDataHasTheShapeOfTheOfficialExamples compares each A004
// answer with the official example: the code system's members, its property
// definitions, and every example concept (display, extensions and
// properties in order), apart from the deliberate differences listed.
func TestReferenceDataHasTheShapeOfTheOfficialExamples(t *testing.T) {
	e := newTestEnv(t, nil)
	files := map[string]string{
		refdata.Specialty:                     "SpecialtyCodeSystem.json",
		refdata.ClinicType:                    "ClinicTypeCodeSystem.json",
		refdata.AppointmentCancellationReason: "AppointmentCancellationReasonCodeSystem.json",
		refdata.ReferralCancellationReason:    "ReferralCancellationReasonCodeSystem.json",
		refdata.AppointmentNonAttendance:      "AppointmentNonAttendanceReasonCodeSystem.json",
		refdata.Priority:                      "PriorityCodeSystem.json",
	}
	// The examples are example data: URGENT's display is capitalised here,
	// and the non-attendance example's description ("e-RS Priority") is a
	// copying slip. The date is when each code system was published.
	deliberate := map[string]bool{"PRIORITY/URGENT": true}
	for typ, file := range files {
		t.Run(typ, func(t *testing.T) {
			want := h5Fixture(t, e, "stu3", "getCodeSystem", "responses", file)
			_, _, body := e.raw(http.MethodGet, BasePath+"/STU3/CodeSystem/"+typ, "", userHeaders(userRC, ersclient.ReferringClinician, orgGP))
			got := h5JSON(t, body)
			h5SameJSON(t, typ+" code system", got, want, "concept", "date", "description")
			byCode := map[string]map[string]any{}
			for _, c := range got["concept"].([]any) {
				byCode[c.(map[string]any)["code"].(string)] = c.(map[string]any)
			}
			for _, c := range want["concept"].([]any) {
				wc := c.(map[string]any)
				code := wc["code"].(string)
				gc, ok := byCode[code]
				if !ok {
					t.Errorf("concept %s missing", code)
					continue
				}
				ignore := []string{}
				if deliberate[typ+"/"+code] {
					ignore = append(ignore, "display")
				}
				h5SameJSON(t, typ+" concept "+code, gc, wc, ignore...)
			}
		})
	}
}

func TestReferenceDataListsSpecialtiesInUseAndRetired(t *testing.T) {
	e := newTestEnv(t, nil)
	d, err := e.rca().RetrieveReferenceData(h5Ctx(t), refdata.Specialty)
	if err != nil {
		t.Fatal(err)
	}
	var inUse []string
	for _, c := range d.Effective(testNow) {
		inUse = append(inUse, c.Code)
	}
	if len(inUse) < 25 || !slices.Contains(inUse, "CARDIOLOGY") || slices.Contains(inUse, "ADULT_MENTAL_ILLNESS") {
		t.Errorf("specialties in use: %v", inUse)
	}
}
