package ersclient

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestGeneratedPDFsMatchTheOfficialExamples(t *testing.T) {
	type fetchFn func(c *Client, ubrn string, w io.Writer) (*Download, error)
	cases := []struct {
		name     string
		fixture  string
		ubrn     string
		path     string
		uc       UserContext
		fetch    fetchFn
		fallback string
	}{
		{name: "A007 clinical information", fixture: "stu3/retrieveClinicalInformation/responses/000000070000_Clinical_Information_Summary_20210706114852.pdf",
			ubrn: "000000070000", path: "/FHIR/STU3/ReferralRequest/000000070000/$ers.generateCRI", uc: asClinicianAdmin,
			fetch: func(c *Client, u string, w io.Writer) (*Download, error) {
				return c.RetrieveClinicalInformation(context.Background(), u, w)
			},
			fallback: "000000070000_Clinical_Information.pdf"},
		{name: "A019 patient letter", fixture: "stu3/generatePatientLetter/responses/000000070000_Appointment_Confirmation_Summary_20210603121353.pdf",
			ubrn: "000000070000", path: "/FHIR/STU3/ReferralRequest/000000070000/$ers.generatePatientLetter", uc: asReferrer,
			fetch: func(c *Client, u string, w io.Writer) (*Download, error) {
				return c.GeneratePatientLetter(context.Background(), u, w)
			},
			fallback: "000000070000_Patient_Letter.pdf"},
		{name: "A043 A&G overview", fixture: "stu3/retrieveAdviceAndGuidanceOverviewPdf/responses/000049146177_Advice_And_Guidance_20220610143044.pdf",
			ubrn: "000049146177", path: "/FHIR/STU3/CommunicationRequest/000049146177/$ers.generateCRI", uc: asProviderClinician,
			fetch: func(c *Client, u string, w io.Writer) (*Download, error) {
				return c.RetrieveAdviceOverview(context.Background(), u, w)
			},
			fallback: "000049146177_Advice_And_Guidance.pdf"},
	}
	for _, tc := range cases {
		pdf := fixture(t, tc.fixture)
		name := tc.fixture[strings.LastIndex(tc.fixture, "/")+1:]
		t.Run(tc.name+" is streamed with its own name", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: pdf, Header: map[string]string{
				"Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="` + name + `"`, "X-Request-ID": "req-pdf"}})
			var buf bytes.Buffer
			d, err := tc.fetch(testClient(t, ts, tc.uc), tc.ubrn, &buf)
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			if rec.Method != http.MethodPost || rec.Path != tc.path || len(rec.Body) != 0 || rec.Header.Get("Content-Type") != "" {
				t.Errorf("sent %s %s with body %q (%q)", rec.Method, rec.Path, rec.Body, rec.Header.Get("Content-Type"))
			}
			// The context headers are those of every call; only Accept
			// differs, asking for the PDF first.
			ctxOnly := rec
			ctxOnly.Header = rec.Header.Clone()
			ctxOnly.Header.Set("Accept", "application/fhir+json")
			assertHeaders(t, ctxOnly, tc.uc)
			if !strings.HasPrefix(rec.Header.Get("Accept"), "application/pdf") {
				t.Errorf("Accept = %q, want the PDF first", rec.Header.Get("Accept"))
			}
			if !bytes.Equal(buf.Bytes(), pdf) || d.Size != int64(len(pdf)) {
				t.Errorf("got %d bytes, want the %d of the example", buf.Len(), len(pdf))
			}
			if d.FileName != name || d.ContentType != "application/pdf" || d.RequestID != "req-pdf" {
				t.Errorf("download %+v", d)
			}
		})
		t.Run(tc.name+" without a Content-Disposition gets a fallback name", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: pdf, Header: map[string]string{"Content-Type": "application/pdf"}})
			d, err := tc.fetch(testClient(t, ts, tc.uc), tc.ubrn, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if d.FileName != tc.fallback {
				t.Errorf("file name %q, want %q", d.FileName, tc.fallback)
			}
		})
		t.Run(tc.name+" refuses a UBRN that is not digits", func(t *testing.T) {
			assertRefusedBeforeSending(t, func(c *Client) error { _, err := tc.fetch(c, "../Binary/1", io.Discard); return err }, "digits only")
		})
	}
}

func TestGeneratedPDFsOverTenMegabytesAreRefused(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: bytes.Repeat([]byte("x"), MaxGeneratedPDFBytes+1),
		Header: map[string]string{"Content-Type": "application/pdf"}})
	var buf bytes.Buffer
	_, err := testClient(t, ts, asProviderClinician).RetrieveClinicalInformation(context.Background(), "000000070000", &buf)
	if e, ok := AsError(err); !ok || e.Kind != KindTooLarge {
		t.Fatalf("err = %v, want too large", err)
	}
	if buf.Len() > MaxGeneratedPDFBytes {
		t.Errorf("%d bytes were written", buf.Len())
	}
}

func TestGeneratedPDFsAtTheLimitAreAccepted(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: bytes.Repeat([]byte("x"), MaxGeneratedPDFBytes),
		Header: map[string]string{"Content-Type": "application/pdf"}})
	d, err := testClient(t, ts, asProviderClinician).RetrieveAdviceOverview(context.Background(), "000049146177", io.Discard)
	if err != nil || d.Size != MaxGeneratedPDFBytes {
		t.Fatalf("err %v, download %+v", err, d)
	}
}

func TestPatientLetterWithoutAnAccessCodeIsExplained(t *testing.T) {
	ts := newTestServer(t, reply{Status: 422, Body: referralOutcome("NO_ACCESS_CODE", "business-rule")})
	var buf bytes.Buffer
	_, err := testClient(t, ts, asReferrer).GeneratePatientLetter(context.Background(), "000000070000", &buf)
	if !IsBusinessRule(err, "NO_ACCESS_CODE") {
		t.Fatalf("err = %v, want NO_ACCESS_CODE", err)
	}
	if e, _ := AsError(err); !strings.Contains(e.Message(), "no access code") {
		t.Errorf("message %q does not explain the missing access code", e.Message())
	}
	if buf.Len() != 0 {
		t.Errorf("the error body was written to the file: %q", buf.Bytes())
	}
}

func TestGeneratedPDFErrors(t *testing.T) {
	cases := []referralErrorCase{
		{name: "an unknown UBRN is not found", status: 404, body: []byte("Not Found"), is: IsNotFound},
		{name: "a refused role is forbidden", status: 403, fixture: "stu3/STU3-Forbidden.json", is: IsForbidden},
	}
	for _, code := range []string{"INVALID_REQUEST_TYPE", "PATIENT_ERROR", "NO_RELATIONSHIP"} {
		code := code
		cases = append(cases, referralErrorCase{name: "422 " + code + " is that business rule", status: 422,
			body: referralOutcome(code, "business-rule"), is: func(err error) bool { return IsBusinessRule(err, code) }})
	}
	runReferralErrorCases(t, asProviderClinician, cases, func(c *Client) error {
		_, err := c.RetrieveClinicalInformation(context.Background(), "000000070000", io.Discard)
		return err
	})
	runReferralErrorCases(t, asProviderClinician, cases[:2], func(c *Client) error {
		_, err := c.RetrieveAdviceOverview(context.Background(), "000049146177", io.Discard)
		return err
	})
}

func TestRetrieveAttachmentLegacy(t *testing.T) {
	pdf := fixture(t, "stu3/retrieveAttachment/responses/example_attachment.pdf")
	t.Run("streams the official example with its name", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: pdf, Header: map[string]string{
			"Content-Type": "application/pdf", "Content-Disposition": "attachment; filename=example_attachment.pdf"}})
		var buf bytes.Buffer
		d, err := testClient(t, ts, asClinicianAdmin).RetrieveAttachmentLegacy(context.Background(), "att-70000-70001", &buf)
		if err != nil {
			t.Fatal(err)
		}
		rec := ts.last()
		if rec.Method != http.MethodGet || rec.Path != "/FHIR/STU3/Binary/att-70000-70001" || len(rec.Body) != 0 {
			t.Errorf("sent %s %s", rec.Method, rec.Path)
		}
		if rec.Header.Get("Accept") != "*/*" {
			t.Errorf("Accept = %q, want any type", rec.Header.Get("Accept"))
		}
		if !bytes.Equal(buf.Bytes(), pdf) || d.FileName != "example_attachment.pdf" {
			t.Errorf("download %+v", d)
		}
	})
	t.Run("falls back to the id for a name", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: []byte("hello"), Header: map[string]string{"Content-Type": "text/plain"}})
		d, err := testClient(t, ts, asReferrer).RetrieveAttachmentLegacy(context.Background(), "19eb7224-dff3-4730-a5cb-67eac811f1a5", io.Discard)
		if err != nil || d.FileName != "19eb7224-dff3-4730-a5cb-67eac811f1a5" || d.ContentType != "text/plain" {
			t.Fatalf("err %v, download %+v", err, d)
		}
	})
	t.Run("refuses files over five megabytes", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: bytes.Repeat([]byte("x"), MaxAttachmentBytes+1), Header: map[string]string{"Content-Type": "application/pdf"}})
		_, err := testClient(t, ts, asReferrer).RetrieveAttachmentLegacy(context.Background(), "att-1", io.Discard)
		if e, ok := AsError(err); !ok || e.Kind != KindTooLarge {
			t.Fatalf("err = %v, want too large", err)
		}
	})
	cases := []referralErrorCase{
		{name: "an unknown id is not found", status: 404, body: []byte("Not Found"), is: IsNotFound},
		{name: "a refused role is forbidden", status: 403, fixture: "stu3/STU3-Forbidden.json", is: IsForbidden},
	}
	for _, code := range []string{"FILE_SIZE_ERROR", "PENDING", "THREATS_FOUND", "VALIDATION_FAILED"} {
		code := code
		cases = append(cases, referralErrorCase{name: "422 " + code + " is that business rule", status: 422,
			body: referralOutcome(code, "business-rule"), is: func(err error) bool { return IsBusinessRule(err, code) }})
	}
	runReferralErrorCases(t, asProviderClinician, cases, func(c *Client) error {
		_, err := c.RetrieveAttachmentLegacy(context.Background(), "att-1", io.Discard)
		return err
	})
	for _, id := range []string{"", "../ReferralRequest/1", "a?b"} {
		t.Run("id "+id+" is refused before sending", func(t *testing.T) {
			assertRefusedBeforeSending(t, func(c *Client) error {
				_, err := c.RetrieveAttachmentLegacy(context.Background(), id, io.Discard)
				return err
			}, "not an attachment id")
		})
	}
}
