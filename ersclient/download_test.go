package ersclient

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// objectStore is a second host serving attachment bytes, recording the
// headers it was sent.
type objectStore struct {
	*httptest.Server
	mu      sync.Mutex
	headers []http.Header
}

func newObjectStore(t *testing.T, body []byte, disposition string) *objectStore {
	t.Helper()
	s := &objectStore{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.headers = append(s.headers, r.Header.Clone())
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/pdf")
		if disposition != "" {
			w.Header().Set("Content-Disposition", disposition)
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestRetrieveAttachmentFollowsTheRedirectWithoutCredentials(t *testing.T) {
	pdf := []byte("%PDF-1.4 synthetic attachment")
	store := newObjectStore(t, pdf, `attachment; filename="=?UTF-8?Q?The_filenam=C3=A9.pdf?="; filename*=UTF-8''The%20filenam%C3%A9.pdf`)
	ts := newTestServer(t, reply{Status: http.StatusTemporaryRedirect, Header: map[string]string{"Location": store.URL + "/ObjectStore/abc", "X-Request-ID": "req-9"}})
	c := testClient(t, ts, asClinicianAdmin)
	var buf bytes.Buffer
	d, err := c.RetrieveAttachment(context.Background(), "d497bbe3-f88b-45f1-b3d4-9c563e4c0f5f", &buf)
	if err != nil {
		t.Fatal(err)
	}
	rec := ts.last()
	if rec.Method != http.MethodGet || rec.Path != "/FHIR/R4/Binary/d497bbe3-f88b-45f1-b3d4-9c563e4c0f5f" {
		t.Errorf("asked e-RS %s %s", rec.Method, rec.Path)
	}
	assertHeaders(t, rec, asClinicianAdmin)
	if !bytes.Equal(buf.Bytes(), pdf) || d.Size != int64(len(pdf)) {
		t.Errorf("downloaded %q (%d bytes)", buf.Bytes(), d.Size)
	}
	if d.FileName != "The filenamé.pdf" {
		t.Errorf("file name = %q", d.FileName)
	}
	if d.RequestID != "req-9" || d.CorrelationID != rec.Header.Get("X-Correlation-ID") {
		t.Errorf("ids = %q, %q", d.RequestID, d.CorrelationID)
	}
	if len(ts.Requests) != 1 {
		t.Errorf("e-RS saw %d requests; the redirect must not come back to it", len(ts.Requests))
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.headers) != 1 {
		t.Fatalf("object store saw %d requests", len(store.headers))
	}
	for k := range store.headers[0] {
		if strings.EqualFold(k, "Authorization") || strings.HasPrefix(strings.ToLower(k), "nhsd-") {
			t.Errorf("header %s was sent to the redirect host", k)
		}
	}
}

func TestRetrieveAttachmentRefusesFilesOverFiveMegabytes(t *testing.T) {
	store := newObjectStore(t, bytes.Repeat([]byte("x"), MaxAttachmentBytes+1), "")
	ts := newTestServer(t, reply{Status: http.StatusTemporaryRedirect, Header: map[string]string{"Location": store.URL + "/o/1"}})
	c := testClient(t, ts, asProviderClinician)
	var buf bytes.Buffer
	_, err := c.RetrieveAttachment(context.Background(), "id", &buf)
	if e, ok := AsError(err); !ok || e.Kind != KindTooLarge {
		t.Fatalf("err = %v, want too large", err)
	}
	if buf.Len() > MaxAttachmentBytes {
		t.Errorf("wrote %d bytes past the cap", buf.Len())
	}
}

func TestRetrieveAttachmentExplainsUnavailableFiles(t *testing.T) {
	for _, code := range []string{"PENDING", "THREATS_FOUND", "VALIDATION_FAILED"} {
		t.Run(code, func(t *testing.T) {
			body := `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"business-rule","details":{"coding":[{"system":"https://fhir.nhs.uk/CodeSystem/ers-error-codes","code":"` + code + `"}]}}]}`
			ts := newTestServer(t, reply{Status: 422, Body: []byte(body)})
			c := testClient(t, ts, asProviderClinician)
			_, err := c.RetrieveAttachment(context.Background(), "id", &bytes.Buffer{})
			if !IsBusinessRule(err, code) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "business rules") {
				t.Errorf("%s not explained: %v", code, err)
			}
		})
	}
}

func TestRetrieveAttachmentRefusesNonHTTPRedirects(t *testing.T) {
	ts := newTestServer(t, reply{Status: http.StatusTemporaryRedirect, Header: map[string]string{"Location": "file:///etc/passwd"}})
	c := testClient(t, ts, asProviderClinician)
	_, err := c.RetrieveAttachment(context.Background(), "id", &bytes.Buffer{})
	if e, ok := AsError(err); !ok || e.Kind != KindBadResponse {
		t.Fatalf("err = %v", err)
	}
}
