package ersclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
)

// sharedMocks is where the official example messages live, beside the
// repository. Tests that need them skip when it is absent.
const sharedMocks = "../../shared/reference/ers-api/sandbox-mocks"

// fixture reads an official example under sandbox-mocks/, or skips the test
// with a clear message when ../shared is not there.
func fixture(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedMocks, rel))
	if os.IsNotExist(err) {
		if _, statErr := os.Stat(sharedMocks); os.IsNotExist(statErr) {
			t.Skipf("official examples not found at %s (../shared is absent); skipping", sharedMocks)
		}
	}
	if err != nil {
		t.Fatalf("reading fixture %s: %v", rel, err)
	}
	return b
}

// assertJSONEqual fails unless got and want are the same JSON value
// (member order and spacing aside).
func assertJSONEqual(t testing.TB, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want is not JSON: %v\n%s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON differs\n got: %s\nwant: %s", got, want)
	}
}

// recorded is one request the test server received.
type recorded struct {
	Method string
	Path   string // unescaped path below the server root
	Query  map[string][]string
	Header http.Header
	Body   []byte
}

// reply is what the test server answers.
type reply struct {
	Status int
	Header map[string]string
	Body   []byte
}

// testServer answers every request with the next reply (the last one
// repeats) and records what it received.
type testServer struct {
	*httptest.Server
	t        testing.TB
	replies  []reply
	Requests []recorded
}

func newTestServer(t testing.TB, replies ...reply) *testServer {
	t.Helper()
	ts := &testServer{t: t, replies: replies}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts.Requests = append(ts.Requests, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		rep := reply{Status: http.StatusOK}
		if n := len(ts.Requests); len(ts.replies) > 0 {
			rep = ts.replies[min(n, len(ts.replies))-1]
		}
		for k, v := range rep.Header {
			w.Header().Set(k, v)
		}
		if rep.Body != nil && w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/fhir+json")
		}
		w.WriteHeader(rep.Status)
		_, _ = w.Write(rep.Body)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// last returns the last request received, failing if there was none.
func (ts *testServer) last() recorded {
	ts.t.Helper()
	if len(ts.Requests) == 0 {
		ts.t.Fatal("the server received no request")
	}
	return ts.Requests[len(ts.Requests)-1]
}

// testClient is a client for the test server acting as a provider clinician
// at R69, with no retry delays.
func testClient(t testing.TB, ts *testServer, uc UserContext) *Client {
	t.Helper()
	c, err := New(Options{
		BaseURL: ts.URL + "/FHIR",
		Token:   func(context.Context) (string, error) { return "test-token", nil },
		Context: uc,
		Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(context.Context, time.Duration) error { return nil }
	return c
}

// Roles used by tests.
var (
	asProviderClinician = UserContext{BusinessFunction: ServiceProviderClinician, Organisation: "R69"}
	asClinicianAdmin    = UserContext{BusinessFunction: ServiceProviderClinicianAdmin, Organisation: "R69", OnBehalfOf: "021600556514"}
	asReferrer          = UserContext{BusinessFunction: ReferringClinician, Organisation: "D82106"}
)

// assertHeaders checks the headers every user-mode call must carry.
func assertHeaders(t testing.TB, r recorded, uc UserContext) {
	t.Helper()
	want := map[string]string{
		"Authorization":                  "Bearer test-token",
		"NHSD-eRS-Business-Function":     string(uc.BusinessFunction),
		"NHSD-End-User-Organisation-ODS": uc.Organisation,
		"Accept":                         "application/fhir+json",
	}
	if uc.BusinessFunction == ServiceProviderClinicianAdmin {
		want["NHSD-eRS-On-Behalf-Of-User-ID"] = uc.OnBehalfOf
	} else if got := r.Header.Get("NHSD-eRS-On-Behalf-Of-User-ID"); got != "" {
		t.Errorf("on-behalf-of header sent for %s: %q", uc.BusinessFunction, got)
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if r.Header.Get("X-Correlation-ID") == "" {
		t.Error("no X-Correlation-ID sent")
	}
}
