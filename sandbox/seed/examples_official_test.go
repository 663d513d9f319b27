package seed

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// officialMocks is where the official example messages are, relative to
// this package; the tests skip when it is absent.
const officialMocks = "../../../shared/reference/ers-api/sandbox-mocks"

func readOfficial(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(officialMocks, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func skipWithoutOfficialExamples(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(officialMocks); err != nil {
		t.Skipf("the official example messages are not here (%s): %v", officialMocks, err)
	}
}

// Every file, slot and service an official example request names is in the
// examples data set: a request about a record the simulator lacks could
// only fail.
func TestTheExamplesHoldEveryRecordTheOfficialRequestsName(t *testing.T) {
	skipWithoutOfficialExamples(t)
	st := Examples(testNow)
	files, _ := filepath.Glob(filepath.Join(officialMocks, "*", "*", "requests", "*.json"))
	if len(files) == 0 {
		t.Fatal("no official example requests found")
	}
	patterns := []struct {
		what string
		re   *regexp.Regexp
		has  func(string) bool
	}{
		{"file", regexp.MustCompile(`Binary/([0-9a-f-]{36})`), func(id string) bool { return st.Binaries[id] != nil }},
		{"slot", regexp.MustCompile(`"Slot/([0-9]+)"`), func(id string) bool { return st.Slots[id] != nil }},
		{"service", regexp.MustCompile(`"http://fhir.nhs.net/Id/ers-service",\s*"value":\s*"([0-9]+)"`), func(id string) bool { return st.Services[id] != nil }},
		{"referral", regexp.MustCompile(`"ReferralRequest/([0-9]{12})/_history/[0-9]+"`), func(id string) bool { return st.Referrals[id] != nil }},
		{"advice request", regexp.MustCompile(`"CommunicationRequest/([0-9]{12})/_history/[0-9]+"`), func(id string) bool { return st.Advice[id] != nil }},
		{"user", regexp.MustCompile(`"http://fhir.nhs.net/Id/sds-user-id",\s*"value":\s*"([0-9]+)"`), func(id string) bool { return st.Users[id] != nil }},
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range patterns {
			for _, m := range p.re.FindAllSubmatch(body, -1) {
				if id := string(m[1]); !p.has(id) {
					t.Errorf("%s names %s %s, which the examples data set lacks", filepath.Base(f), p.what, id)
				}
			}
		}
	}
}

// The records the official read examples show are in the states the
// examples show them in, except where a write example needs another; those
// exceptions are listed, with the reason.
func TestTheExamplesRecordsAreInTheStatesOfTheOfficialReads(t *testing.T) {
	skipWithoutOfficialExamples(t)
	st := Examples(testNow)
	referralStates := map[string]string{}
	changed := map[string]string{
		"000000070004": "booked at service 50 with appointment 70003: the A034 example MinimalCancellationReasonOnlyCommentNotMandatory cancels it",
	}
	files, _ := filepath.Glob(filepath.Join(officialMocks, "stu3", "retrieveReferralRequest", "responses", "*.json"))
	for _, f := range files {
		var r struct {
			ID        string `json:"id"`
			Extension []struct {
				URL       string `json:"url"`
				Extension []struct {
					URL         string `json:"url"`
					ValueCoding struct {
						Code string `json:"code"`
					} `json:"valueCoding"`
				} `json:"extension"`
			} `json:"extension"`
		}
		if err := json.Unmarshal(readOfficial(t, "stu3/retrieveReferralRequest/responses/"+filepath.Base(f)), &r); err != nil {
			t.Fatal(err)
		}
		for _, e := range r.Extension {
			if strings.HasSuffix(e.URL, "Extension-eRS-ReferralState-1") && len(e.Extension) > 0 {
				referralStates[r.ID] = e.Extension[0].ValueCoding.Code
			}
		}
	}
	if len(referralStates) == 0 {
		t.Fatal("no official A005 examples found")
	}
	for ubrn, want := range referralStates {
		r := st.Referrals[ubrn]
		switch {
		case r == nil:
			t.Errorf("referral %s of the A005 examples is missing", ubrn)
		case r.State != want && changed[ubrn] == "":
			t.Errorf("referral %s is %s, the A005 example shows %s", ubrn, r.State, want)
		case r.State == want && changed[ubrn] != "":
			t.Errorf("referral %s is listed as changed (%s) but is as the example shows", ubrn, changed[ubrn])
		}
	}

	appointmentStatus := map[string]string{}
	files, _ = filepath.Glob(filepath.Join(officialMocks, "stu3", "retrieveAppointment", "responses", "*.json"))
	for _, f := range files {
		var a struct{ ID, Status string }
		if err := json.Unmarshal(readOfficial(t, "stu3/retrieveAppointment/responses/"+filepath.Base(f)), &a); err != nil {
			t.Fatal(err)
		}
		appointmentStatus[a.ID] = a.Status
	}
	if len(appointmentStatus) == 0 {
		t.Fatal("no official A038 examples found")
	}
	forA034 := map[string]bool{"70003": true, "70004": true, "70005": true, "70006": true}
	for id, want := range appointmentStatus {
		a := st.Appointments[id]
		switch {
		case a == nil:
			t.Errorf("appointment %s of the A038 examples is missing", id)
		case forA034[id] && a.Status != "booked":
			t.Errorf("appointment %s is %s; the A034 examples cancel it, so it must be booked", id, a.Status)
		case !forA034[id] && a.Status != want:
			t.Errorf("appointment %s is %s, the A038 example shows %s", id, a.Status, want)
		}
	}

	adviceCategory := map[string]string{}
	files, _ = filepath.Glob(filepath.Join(officialMocks, "stu3", "retrieveAdviceAndGuidanceRequest", "responses", "*.json"))
	for _, f := range files {
		var a struct {
			ID       string `json:"id"`
			Category []struct {
				Coding []struct{ Code string } `json:"coding"`
			} `json:"category"`
		}
		if err := json.Unmarshal(readOfficial(t, "stu3/retrieveAdviceAndGuidanceRequest/responses/"+filepath.Base(f)), &a); err != nil {
			t.Fatal(err)
		}
		if len(a.Category) > 0 && len(a.Category[0].Coding) > 0 {
			adviceCategory[a.ID] = a.Category[0].Coding[0].Code
		}
	}
	if len(adviceCategory) == 0 {
		t.Fatal("no official A024 examples found")
	}
	// A041's example ResponseExampleReferralAndAdvice shows 000000070002
	// as an advice request completed by conversion to the referral of the
	// same UBRN; A024's shows it waiting for the provider. The data set
	// follows A041, whose point is the conversion.
	convertedForA041 := "000000070002"
	for ubrn, want := range adviceCategory {
		a := st.Advice[ubrn]
		switch {
		case a == nil:
			t.Errorf("advice request %s of the A024 examples is missing", ubrn)
		case ubrn == convertedForA041:
			if a.Category != store.AdviceConverted || st.Referrals[ubrn] == nil {
				t.Errorf("advice request %s must be converted to the referral of the same UBRN (A041)", ubrn)
			}
		case a.Category != want:
			t.Errorf("advice request %s is %s, the A024 example shows %s", ubrn, a.Category, want)
		}
	}
}
