package ersclient

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

func journeyIndexed(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func TestMaintainReferralLettersSendsTheOfficialExamples(t *testing.T) {
	cases := []struct {
		name, example, response, ubrn string
		letters                       []FileLink
	}{
		{"a first letter", "SingleDocumentReference", "ReferralRequestWithSingleDocumentReference", "000000070000", []FileLink{
			{BinaryID: "50f0c0d5-7ed1-4587-8fce-889c8685eb54", Description: "Blood test results showing an anomaly in the values of xxxx",
				Indexed: journeyIndexed("2021-06-24T13:05:03.652Z")}}},
		{"two letters at once", "MultipleDocumentReferences", "ReferralRequestWithMultipleDocumentReferences", "000000070001", []FileLink{
			{BinaryID: "e1015896-92f4-4073-ad3c-5f30fca76448", Description: "First blood test results showing an anomaly in the values of xxxx",
				Indexed: journeyIndexed("2021-06-24T13:22:13.311Z")},
			{BinaryID: "Binary/50f0c0d5-7ed1-4587-8fce-889c8685eb54", Description: "Second blood test results showing an anomaly in the values of xxxx",
				Indexed: journeyIndexed("2021-06-24T13:22:13.465Z")}}},
		{"the set reduced to one letter", "UpdateClinicalInfo", "ReferralRequestWithUpdatedDocumentReferences", "000000070001", []FileLink{
			{BinaryID: "50f0c0d5-7ed1-4587-8fce-889c8685eb54", Description: "Second blood test results showing an anomaly in the values of xxxx",
				Indexed: journeyIndexed("2021-06-24T13:22:13.465Z")}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Header: map[string]string{"ETag": `W/"5"`},
				Body: fixture(t, "stu3/maintainReferralLetter/responses/"+c.response+".json")})
			ref, err := testClient(t, ts, asReferrer).MaintainReferralLetters(context.Background(),
				MaintainLettersRequest{UBRN: c.ubrn, Version: "4", Letters: c.letters})
			if err != nil {
				t.Fatal(err)
			}
			r := journeyRequestOf(t, ts, asReferrer, http.MethodPost, "/FHIR/STU3/ReferralRequest/"+c.ubrn+"/$ers.maintainReferralLetter")
			if got := r.Header.Get("If-Match"); got != `W/"4"` {
				t.Errorf("If-Match %q, want W/\"4\"", got)
			}
			assertJSONEqual(t, journeyFHIRBody(t, r), fixture(t, "stu3/maintainReferralLetter/requests/"+c.example+".json"))
			if ref.UBRN() != c.ubrn || ref.Version != "5" {
				t.Errorf("referral %s version %s", ref.UBRN(), ref.Version)
			}
			if got := LettersOnReferral(ref.Resource); len(got) != len(c.letters) {
				t.Errorf("%d letters on the updated referral, want %d", len(got), len(c.letters))
			}
		})
	}
}

func TestLettersOnAReferralAreKeptWhenALetterIsAdded(t *testing.T) {
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal(fixture(t, "stu3/maintainReferralLetter/responses/ReferralRequestWithMultipleDocumentReferences.json"), &rr); err != nil {
		t.Fatal(err)
	}
	current := LettersOnReferral(&rr)
	if len(current) != 2 || current[0].BinaryID == "" || current[0].Indexed.IsZero() {
		t.Fatalf("letters on the referral %+v", current)
	}
	added := FileLink{BinaryID: "19eb7224-dff3-4730-a5cb-67eac811f1a5", Description: "Echo report",
		Indexed: time.Date(2026, 1, 2, 3, 4, 5, 6000000, time.UTC)}
	ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/maintainReferralLetter/responses/ReferralRequestWithMultipleDocumentReferences.json")})
	if _, err := testClient(t, ts, asReferrer).MaintainReferralLetters(context.Background(),
		MaintainLettersRequest{UBRN: rr.ID, Version: rr.Version(), Letters: append(current, added)}); err != nil {
		t.Fatal(err)
	}
	var sent fhir.Parameters
	if err := fhir.Unmarshal(ts.last().Body, &sent); err != nil {
		t.Fatal(err)
	}
	files := sent.All("referralLetterFile")
	if len(files) != 3 {
		t.Fatalf("%d letters sent, want the two kept and the new one", len(files))
	}
	for i, f := range files {
		var d fhir.DocumentReference
		if err := f.Resource.Decode(&d); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			var orig fhir.DocumentReference
			_ = rr.ContainedOfType("DocumentReference")[i].Decode(&orig)
			if d.Indexed != orig.Indexed || d.Content[0].Attachment.URL != orig.Content[0].Attachment.URL {
				t.Errorf("kept letter %d sent as %s %s, read as %s %s", i, d.Indexed, d.Content[0].Attachment.URL, orig.Indexed, orig.Content[0].Attachment.URL)
			}
		} else if d.Indexed != "2026-01-02T03:04:05.006000+00:00" || d.Content[0].Attachment.URL != "Binary/19eb7224-dff3-4730-a5cb-67eac811f1a5" {
			t.Errorf("new letter sent as %s %s", d.Indexed, d.Content[0].Attachment.URL)
		}
	}
}

func TestMaintainReferralLettersRefusesBadInputBeforeSending(t *testing.T) {
	letter := FileLink{BinaryID: "19eb7224-dff3-4730-a5cb-67eac811f1a5"}
	cases := []struct {
		name string
		req  MaintainLettersRequest
		want string // the message must say this
	}{
		{"an empty set, which would remove every letter", MaintainLettersRequest{UBRN: "000000070000", Version: "5"}, "at least one"},
		{"no version", MaintainLettersRequest{UBRN: "000000070000", Letters: []FileLink{letter}}, "version"},
		{"a UBRN that is not digits", MaintainLettersRequest{UBRN: "ABC", Version: "5", Letters: []FileLink{letter}}, "UBRN"},
		{"a letter without an attachment", MaintainLettersRequest{UBRN: "000000070000", Version: "5", Letters: []FileLink{{Description: "x"}}}, "attachment id"},
		{"the same file twice", MaintainLettersRequest{UBRN: "000000070000", Version: "5", Letters: []FileLink{letter, letter}}, "twice"},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			_, err := testClient(t, ts, asReferrer).MaintainReferralLetters(context.Background(), c.req)
			e := journeyRefusedBeforeSending(t, ts, err)
			if !strings.Contains(e.Message(), c.want) {
				t.Errorf("message %q does not say %q", e.Message(), c.want)
			}
		})
	}
}

func TestMaintainReferralLettersErrors(t *testing.T) {
	req := MaintainLettersRequest{UBRN: "000000070000", Version: "5", Letters: []FileLink{{BinaryID: "19eb7224-dff3-4730-a5cb-67eac811f1a5"}}}
	cases := []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{"a stale version is a conflict", reply{Status: 409, Body: []byte("Version supplied does not match current version")}, IsVersionConflict},
		{"a missing version is a conflict", reply{Status: 412}, IsVersionConflict},
		{"a locked referral", reply{Status: 423}, IsLocked},
		{"a file uploaded without the UBRN is inappropriate", reply{Status: 422, Body: journeyOutcome("INAPPROPRIATE_VALUE", "business-rule", "attachment not uploaded for this referral")},
			func(err error) bool { return IsBusinessRule(err, "INAPPROPRIATE_VALUE") }},
		{"the same set again changes nothing", reply{Status: 422, Body: journeyOutcome("NO_CHANGES_DETECTED", "business-rule", "")},
			func(err error) bool { return IsBusinessRule(err, "NO_CHANGES_DETECTED") }},
		{"an unknown referral", reply{Status: 404}, IsNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			_, err := testClient(t, ts, asReferrer).MaintainReferralLetters(context.Background(), req)
			if err == nil || !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
		})
	}
	t.Run("a letter change is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error { _, err := c.MaintainReferralLetters(context.Background(), req); return err })
	})
}
