package ersclient

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// worklistSyntheticNHSNumber returns the n-th synthetic NHS number in the
// 999 range with a valid modulus 11 check digit (numbers whose check digit
// would be 10 do not exist and are skipped).
func worklistSyntheticNHSNumber(n int) string {
	for stem := 999000000 + n; ; stem++ {
		s := fmt.Sprintf("%09d", stem)
		sum := 0
		for i := 0; i < 9; i++ {
			sum += int(s[i]-'0') * (10 - i)
		}
		check := 11 - sum%11
		if check == 11 {
			check = 0
		}
		if check != 10 {
			return s + string(rune('0'+check))
		}
	}
}

// worklistSyntheticBody builds a REFERRALS_FOR_REVIEW worklist of n items
// shaped like the live service's: contained patients referenced by
// "#Patient-<nhs>", every sub-extension the profile lists, booked and triage
// referrals mixed. It returns the body and the NHS number of each item.
func worklistSyntheticBody(n int) ([]byte, []string) {
	var b strings.Builder
	b.Grow(n * 2200)
	nhs := make([]string, n)
	b.WriteString(`{"resourceType":"List","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-List-1"]},"contained":[`)
	b.WriteString(`{"resourceType":"Practitioner","id":"Practitioner-021600556514","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Practitioner-1"]},"identifier":[{"system":"http://fhir.nhs.net/Id/sds-user-id","value":"021600556514"}]}`)
	for i := 0; i < n; i++ {
		nhs[i] = worklistSyntheticNHSNumber(i * 7)
		fmt.Fprintf(&b, `,{"resourceType":"Patient","id":"Patient-%s","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Patient-1"]},"identifier":[{"system":"http://fhir.nhs.net/Id/nhs-number","value":"%s"}]}`, nhs[i], nhs[i])
	}
	b.WriteString(`],"status":"current","mode":"snapshot","entry":[`)
	priorities := []string{"ROUTINE", "URGENT", "TWO_WEEK_WAIT"}
	contexts := []string{"NEVER_REVIEWED", "LETTER_CHANGED", "PRIORITY_CHANGED", "PRIORITY_AND_LETTER_CHANGED"}
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		booked := i%2 == 0
		refType := "TRIAGE_DEFERRAL"
		if booked {
			refType = "APPOINTMENT"
		}
		pathway := start.Add(time.Duration(i) * 37 * time.Minute).Format("2006-01-02T15:04:05.000Z")
		b.WriteString(`{"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralsforReview-WorkListItem-1","extension":[`)
		fmt.Fprintf(&b, `{"url":"priority","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1","code":"%s"}]}},`, priorities[i%3])
		b.WriteString(`{"url":"specialty","valueCodeableConcept":{"coding":[{"system":"https://api.service.nhs.uk/referrals/FHIR/STU3/CodeSystem/SPECIALTY","code":"CARDIOLOGY"}]}},`)
		fmt.Fprintf(&b, `{"url":"patient","valueReference":{"reference":"#Patient-%s"}},`, nhs[i])
		if i%3 == 0 {
			b.WriteString(`{"url":"namedClinician","valueReference":{"identifier":{"system":"http://fhir.nhs.net/Id/sds-user-id","value":"021600556514"}}},`)
		}
		if i%4 == 0 {
			b.WriteString(`{"url":"allocatedClinician","valueReference":{"reference":"#Practitioner-021600556514"}},`)
		}
		fmt.Fprintf(&b, `{"url":"eReferralPathwayStart","valueDateTime":"%s"},`, pathway)
		fmt.Fprintf(&b, `{"url":"clinicalInfoPrinted","valueBoolean":%t},`, i%5 == 0)
		fmt.Fprintf(&b, `{"url":"requestContextStatus","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-RequestContextStatus-1","code":"%s","display":"Never Reviewed"}]}},`, contexts[i%4])
		fmt.Fprintf(&b, `{"url":"clinicalInfoFirstSubmitted","valueDateTime":"%s"},`, pathway)
		if i%2 == 1 {
			fmt.Fprintf(&b, `{"url":"clinicalInfoLastUpdated","valueDateTime":"%s"},`, pathway)
		}
		if booked {
			fmt.Fprintf(&b, `{"url":"appointmentStart","valueDateTime":"%s"},`, start.AddDate(0, 2, i%60).Format("2006-01-02T15:04:05.000Z"))
		}
		fmt.Fprintf(&b, `{"url":"referralType","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralType-1","code":"%s"}]}},`, refType)
		fmt.Fprintf(&b, `{"url":"service","valueReference":{"identifier":{"system":"http://fhir.nhs.net/Id/ers-service","value":"%d"},"display":"Cardiology Service %d"}},`, 11000+i%40, i%40)
		fmt.Fprintf(&b, `{"url":"referralRequestVersion","valueInteger":%d}`, 1+i%17)
		fmt.Fprintf(&b, `]}],"item":{"reference":"ReferralRequest/%012d"}}`, 100000+i)
	}
	b.WriteString(`]}`)
	return []byte(b.String()), nhs
}

func TestSyntheticWorklistIsWhatTheBenchmarkClaims(t *testing.T) {
	body, nhs := worklistSyntheticBody(200)
	w, err := DecodeWorklist(body)
	if err != nil {
		t.Fatal(err)
	}
	if w.ListType != WorklistReferralsForReview || len(w.Rows) != 200 {
		t.Fatalf("got %s with %d rows", w.ListType, len(w.Rows))
	}
	for i, r := range w.Rows {
		if !ValidNHSNumber(r.NHSNumber) || !strings.HasPrefix(r.NHSNumber, "999") || r.NHSNumber != nhs[i] {
			t.Fatalf("row %d: NHS number %q, want %q (999 range, valid check digit)", i, r.NHSNumber, nhs[i])
		}
		if r.UBRN != fmt.Sprintf("%012d", 100000+i) || r.Version == "" || r.PathwayStart.IsZero() || r.ServiceID == "" {
			t.Fatalf("row %d incomplete: %+v", i, r)
		}
	}
	if w.Rows[0].AllocatedClinician != "021600556514" || w.Rows[0].NamedClinician != "021600556514" {
		t.Errorf("clinicians of row 0: named %q, allocated %q", w.Rows[0].NamedClinician, w.Rows[0].AllocatedClinician)
	}
}

func BenchmarkDecodeWorklist10000(b *testing.B) {
	body, _ := worklistSyntheticBody(10000)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() { // b.Loop times only the loop, not building the body
		w, err := DecodeWorklist(body)
		if err != nil {
			b.Fatal(err)
		}
		if len(w.Rows) != 10000 {
			b.Fatalf("%d rows", len(w.Rows))
		}
	}
	b.ReportMetric(float64(len(body))/1e6, "body-MB")
}
