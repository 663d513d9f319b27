package ersclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

func TestReconcileReferralComparesVersionsAsNumbers(t *testing.T) {
	cases := []struct {
		name, sent, current string
		applied, notApplied bool
	}{
		{"a version one higher means the write applied", "5", "6", true, false},
		{"the same version means nothing happened", "5", "5", false, true},
		{"ten is higher than nine, not lower", "9", "10", true, false},
		{"leading zeros do not matter", "007", "7", false, true},
		{"a lower version is unclear", "6", "5", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: referralBody("000000070000", tc.current)})
			r, err := testClient(t, ts, asProviderClinician).ReconcileReferral(context.Background(), "000000070000", tc.sent)
			if err != nil {
				t.Fatal(err)
			}
			if r.Applied != tc.applied || r.NotApplied != tc.notApplied || r.Unclear() != (!tc.applied && !tc.notApplied) {
				t.Errorf("applied %v, not applied %v, unclear %v", r.Applied, r.NotApplied, r.Unclear())
			}
			if r.SentVersion != tc.sent || r.CurrentVersion != tc.current || r.Referral == nil || r.Referral.Version != tc.current {
				t.Errorf("reconciliation %+v", r)
			}
			rec := ts.last()
			if len(ts.Requests) != 1 || rec.Method != http.MethodGet || rec.Path != "/FHIR/STU3/ReferralRequest/000000070000" {
				t.Errorf("%d requests, last %s %s; want one A005", len(ts.Requests), rec.Method, rec.Path)
			}
		})
	}
}

func TestReconcileReferralWithoutAVersionIsUnclear(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: []byte(`{"resourceType":"ReferralRequest","id":"000000070000"}`)})
	r, err := testClient(t, ts, asProviderClinician).ReconcileReferral(context.Background(), "000000070000", "5")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Unclear() || r.Referral == nil {
		t.Errorf("reconciliation %+v", r)
	}
}

func TestReconcileReferralPassesReadErrorsOn(t *testing.T) {
	ts := newTestServer(t, reply{Status: 404, Body: []byte("Not Found")})
	if _, err := testClient(t, ts, asProviderClinician).ReconcileReferral(context.Background(), "000000070000", "5"); !IsNotFound(err) {
		t.Errorf("err = %v, want not found", err)
	}
	assertRefusedBeforeSending(t, func(c *Client) error {
		_, err := c.ReconcileReferral(context.Background(), "000000070000", "")
		return err
	}, "no version")
}

func TestReconcileAdviceRequestReadsTheRequestBack(t *testing.T) {
	cases := []struct {
		name, sent          string
		applied, notApplied bool
	}{
		{"a version that moved on means the write applied", "5", true, false},
		{"the same version means nothing happened", "6", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: []byte(`{"resourceType":"CommunicationRequest","id":"000000070000","meta":{"versionId":"6"}}`)})
			r, err := testClient(t, ts, asProviderClinician).ReconcileAdviceRequest(context.Background(), "000000070000", tc.sent)
			if err != nil {
				t.Fatal(err)
			}
			if r.Applied != tc.applied || r.NotApplied != tc.notApplied || r.AdviceRequest == nil || r.Referral != nil {
				t.Errorf("reconciliation %+v", r)
			}
			if rec := ts.last(); rec.Method != http.MethodGet || rec.Path != "/FHIR/STU3/CommunicationRequest/000000070000" {
				t.Errorf("sent %s %s, want A024", rec.Method, rec.Path)
			}
		})
	}
	assertRefusedBeforeSending(t, func(c *Client) error {
		_, err := c.ReconcileAdviceRequest(context.Background(), "000000070000", "v6")
		return err
	}, "whole number")
}

// lostReplyServer applies a reject (raising the referral's version) and then
// drops the connection without answering, so that the client cannot know
// whether the write happened; reads answer with the current referral.
type lostReplyServer struct {
	*httptest.Server
	mu      sync.Mutex
	version string
	posts   int
}

func newLostReplyServer(t *testing.T) *lostReplyServer {
	t.Helper()
	s := &lostReplyServer{version: "5"}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.Method == http.MethodPost {
			s.posts++
			s.version = "6"
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write(referralBody("000000070000", s.version))
	}))
	t.Cleanup(s.Close)
	return s
}

func TestALostRejectIsReconciledByReadingBack(t *testing.T) {
	srv := newLostReplyServer(t)
	c, err := New(Options{BaseURL: srv.URL + "/FHIR", Context: asProviderClinician, Timeout: 5 * time.Second,
		Token: func(context.Context) (string, error) { return "test-token", nil }})
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(context.Context, time.Duration) error { return nil }
	_, err = c.RejectReferral(context.Background(), RejectReferralRequest{UBRN: "000000070000", Version: "5",
		Reason: fhir.Coding{System: "_baseurl_/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON", Code: "OTHER"}})
	if !IsOutcomeUnknown(err) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
	srv.mu.Lock()
	posts := srv.posts
	srv.mu.Unlock()
	if posts != 1 {
		t.Fatalf("the reject was sent %d times; a write with an unknown outcome must not be repeated", posts)
	}
	r, err := c.ReconcileReferral(context.Background(), "000000070000", "5")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Applied || r.CurrentVersion != "6" {
		t.Errorf("reconciliation %+v, want applied at version 6", r)
	}
}
