package sandbox

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

func advicePDFPath(ubrn string) string {
	return BasePath + "/STU3/CommunicationRequest/" + ubrn + "/$ers.generateCRI"
}

func TestAdviceOverviewIsAPDFOfTheConversation(t *testing.T) {
	e := newTestEnv(t, adviceConversationWorld)
	for _, tc := range []struct {
		name   string
		client *ersclient.Client
	}{
		{"the provider's clinician", e.spc()},
		{"the referring clinician", e.rc()},
		{"the provider's application", e.appClient(appProvider)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			dl, err := tc.client.RetrieveAdviceOverview(adviceCtx(t), adviceUBRN, &buf)
			if err != nil {
				t.Fatal(err)
			}
			if want := adviceUBRN + "_Advice_And_Guidance_20260601090000.pdf"; dl.FileName != want || dl.ContentType != "application/pdf" {
				t.Errorf("got %s (%s), want %s", dl.FileName, dl.ContentType, want)
			}
			pdf := buf.Bytes()
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
				t.Fatalf("not a PDF: %.40q", pdf)
			}
			for _, want := range []string{adviceUBRN, adviceNHS, "Please advise on this patient", "Please perform an ECG.", "testResultsA.txt", "Cardiology Advice"} {
				if !bytes.Contains(pdf, []byte(want)) {
					t.Errorf("the PDF does not contain %q", want)
				}
			}
		})
	}
}

func TestAdviceOverviewRefusals(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	for _, tc := range []struct {
		name    string
		ubrn    string
		body    string
		headers map[string]string
		status  int
		code    string
	}{
		{"a referring admin's role is refused", adviceUBRN, "", userHeaders(userRA, ersclient.ReferringAdmin, orgGP), http.StatusForbidden, "NO_ACCESS"},
		{"a referral's UBRN is the wrong type of request", adviceReferral, "", spcHeaders(), http.StatusUnprocessableEntity, "INVALID_REQUEST_TYPE"},
		{"another trust's request is refused", adviceUBRNOther, "", spcHeaders(), http.StatusUnprocessableEntity, "NO_RELATIONSHIP"},
		{"an unknown UBRN is not found", "000000099999", "", spcHeaders(), http.StatusNotFound, "REFERENCE_NOT_FOUND"},
		{"the operation takes no body", adviceUBRN, `{"resourceType":"Parameters"}`, spcHeaders(), http.StatusUnprocessableEntity, "UNEXPECTED_FIELD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := e.raw(http.MethodPost, advicePDFPath(tc.ubrn), tc.body, tc.headers)
			if status != tc.status || outcomeCode(body) != tc.code || h.Get("Content-Disposition") != "" {
				t.Errorf("got %d %s (disposition %q), want %d %s: %s", status, outcomeCode(body), h.Get("Content-Disposition"), tc.status, tc.code, body)
			}
		})
	}
}

func TestAdviceOverviewHeaders(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	status, h, body := e.raw(http.MethodPost, advicePDFPath(adviceUBRN), "", withHeaders(spcHeaders(), "X-Correlation-ID", "pdf-1"))
	if status != http.StatusOK {
		t.Fatalf("got %d: %s", status, body)
	}
	want := `attachment; filename="` + adviceUBRN + `_Advice_And_Guidance_20260601090000.pdf"`
	if h.Get("Content-Disposition") != want || h.Get("Content-Type") != "application/pdf" || h.Get("X-Correlation-ID") != "pdf-1" {
		t.Errorf("got headers %v", h)
	}
}
