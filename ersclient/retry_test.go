package ersclient

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sleeps records the back-off delays instead of sleeping.
func recordSleeps(c *Client) *[]time.Duration {
	var got []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error {
		got = append(got, d)
		return nil
	}
	return &got
}

func TestReadsAreRetried(t *testing.T) {
	ok := reply{Status: 200, Body: []byte(`{"resourceType":"ReferralRequest","id":"000000070000"}`)}
	cases := []struct {
		name      string
		first     reply
		wantDelay time.Duration // 0: any back-off
	}{
		{"after a 429, honouring Retry-After", reply{Status: 429, Header: map[string]string{"Retry-After": "3"}}, 3 * time.Second},
		{"after a 503, honouring Retry-After", reply{Status: 503, Header: map[string]string{"Retry-After": "2"}}, 2 * time.Second},
		{"after a 503 without Retry-After, with back-off", reply{Status: 503}, 0},
		{"after a 502", reply{Status: 502}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.first, ok)
			cl := testClient(t, ts, asProviderClinician)
			sleeps := recordSleeps(cl)
			if err := callRead(t, cl); err != nil {
				t.Fatalf("read failed after a retry: %v", err)
			}
			if len(ts.Requests) != 2 {
				t.Fatalf("server saw %d requests, want 2", len(ts.Requests))
			}
			if len(*sleeps) != 1 {
				t.Fatalf("slept %d times", len(*sleeps))
			}
			if c.wantDelay != 0 && (*sleeps)[0] != c.wantDelay {
				t.Errorf("waited %v, want %v", (*sleeps)[0], c.wantDelay)
			}
			if (*sleeps)[0] <= 0 {
				t.Errorf("no back-off: %v", (*sleeps)[0])
			}
			if a, b := ts.Requests[0].Header.Get("X-Correlation-ID"), ts.Requests[1].Header.Get("X-Correlation-ID"); a != b {
				t.Errorf("retries of one call change correlation id: %q then %q", a, b)
			}
		})
	}
}

func TestReadsGiveUpAfterTheAttemptsAllowed(t *testing.T) {
	ts := newTestServer(t, reply{Status: 503})
	cl := testClient(t, ts, asProviderClinician)
	sleeps := recordSleeps(cl)
	err := callRead(t, cl)
	if err == nil || len(ts.Requests) != cl.retry.MaxAttempts {
		t.Fatalf("err %v after %d requests, want failure after %d", err, len(ts.Requests), cl.retry.MaxAttempts)
	}
	for i := 1; i < len(*sleeps); i++ {
		if (*sleeps)[i] > cl.retry.MaxDelay+cl.retry.MaxDelay/10 {
			t.Errorf("delay %v over the maximum", (*sleeps)[i])
		}
	}
}

func TestReadsAreNotRetriedOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422} {
		ts := newTestServer(t, reply{Status: status})
		cl := testClient(t, ts, asProviderClinician)
		_ = callRead(t, cl)
		if len(ts.Requests) != 1 {
			t.Errorf("status %d: %d requests, want 1", status, len(ts.Requests))
		}
	}
}

func TestWritesAreNeverRetried(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		ts := newTestServer(t, reply{Status: status, Header: map[string]string{"Retry-After": "1"}})
		cl := testClient(t, ts, asProviderClinician)
		_, _, _, err := cl.do(context.Background(), call{op: op(OpAcceptReferral), pathValues: []string{"000000070000"}, ifMatch: IfMatch("4")})
		if err == nil {
			t.Fatalf("status %d: no error", status)
		}
		if len(ts.Requests) != 1 {
			t.Errorf("status %d: the write was sent %d times", status, len(ts.Requests))
		}
	}
}

func TestAWriteWithNoAnswerHasAnUnknownOutcome(t *testing.T) {
	release := make(chan struct{})
	ts := newTestServer(t)
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release })
	defer close(release)
	cl := testClient(t, ts, asProviderClinician)
	cl.opts.Timeout = 50 * time.Millisecond
	_, _, _, err := cl.do(context.Background(), call{op: op(OpAcceptReferral), pathValues: []string{"000000070000"}, ifMatch: IfMatch("4")})
	if !IsOutcomeUnknown(err) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "may or may not have been made") {
		t.Errorf("message does not warn the change may have been made: %q", msg)
	}
}

func TestRetriesStopWhenTheDeadlineCannotBeMet(t *testing.T) {
	ts := newTestServer(t, reply{Status: 429, Header: map[string]string{"Retry-After": "120"}})
	cl := testClient(t, ts, asProviderClinician)
	sleeps := recordSleeps(cl)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, _, err := cl.do(ctx, call{op: op(OpRetrieveReferral), pathValues: []string{"1"}})
	if !IsRateLimited(err) || len(ts.Requests) != 1 || len(*sleeps) != 0 {
		t.Errorf("err %v, %d requests, %d sleeps: want the 429 at once", err, len(ts.Requests), len(*sleeps))
	}
}

func TestRetryAfterAcceptsAnHTTPDate(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	if got := parseRetryAfter(now.Add(30*time.Second).Format(http.TimeFormat), now); got != 30*time.Second {
		t.Errorf("got %v", got)
	}
	for _, bad := range []string{"", "soon", "-1"} {
		if got := parseRetryAfter(bad, now); got != 0 {
			t.Errorf("parseRetryAfter(%q) = %v", bad, got)
		}
	}
}
