package proxy

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/store"
)

const pathWorklist = Prefix + "/STU3/ReferralRequest/$ers.fetchworklist" // A008, a POST
const pathUpload = Prefix + "/STU3/Binary"                               // A020

func TestRequestBodyLimits(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		name, path string
		size       int
		proxy413   bool
	}{
		{"a write over 1 MB", pathWorklist, DefaultMaxBody + 1, true},
		{"an upload over 5 MB and the margin", pathUpload, DefaultMaxUploadBody + 1, true},
		{"an upload of 2 MB reaches e-RS", pathUpload, 2 << 20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(e.upstream.seen())
			h := http.Header{"Content-Type": {"application/pdf"}, "Nhsd-Ers-File-Name": {"letter.pdf"}}
			resp := e.do("rc", "POST", tc.path, strings.Repeat("x", tc.size), h)
			reached := len(e.upstream.seen()) > before
			if tc.proxy413 {
				if resp.StatusCode != http.StatusRequestEntityTooLarge {
					t.Fatalf("status %d, want 413", resp.StatusCode)
				}
				if got := decodeError(t, resp).Error; got != codeTooLarge {
					t.Errorf("error %q", got)
				}
				if reached {
					t.Errorf("the body reached e-RS")
				}
				return
			}
			if !reached {
				t.Fatalf("status %d: not forwarded", resp.StatusCode)
			}
			last := e.upstream.seen()[len(e.upstream.seen())-1]
			if got := last.Header.Get("NHSD-eRS-File-Name"); got != "letter.pdf" {
				t.Errorf("the upload's documented file name header was %q at e-RS", got)
			}
		})
	}
}

func TestPerSessionRateLimit(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Rate, o.Burst = 0.5, 2 })
	for i := range 2 {
		if resp := e.do("rc", "GET", pathReferral, "", nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("call %d: status %d", i, resp.StatusCode)
		}
	}
	resp := e.do("rc", "GET", pathReferral, "", nil)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third call: status %d, want 429", resp.StatusCode)
	}
	if got := resp.Header.Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After %q, want 2 (one token at 0.5/s)", got)
	}
	if got := decodeError(t, resp).Error; got != codeRateLimited {
		t.Errorf("error %q", got)
	}
	if n := len(e.upstream.seen()); n != 2 {
		t.Errorf("upstream saw %d calls, want 2", n)
	}
	if resp := e.do("spca", "GET", Prefix+"/STU3/ReferralRequest/000000070001", "", nil); resp.StatusCode == http.StatusTooManyRequests {
		t.Errorf("another session was limited too")
	}
	e.advance(1 * time.Second)
	if resp := e.do("rc", "GET", pathReferral, "", nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after 1 s: status %d, still want 429", resp.StatusCode)
	} else if got := resp.Header.Get("Retry-After"); got != "1" {
		t.Errorf("after 1 s: Retry-After %q, want 1", got)
	}
	e.advance(1 * time.Second)
	if resp := e.do("rc", "GET", pathReferral, "", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after 2 s: status %d, want 200", resp.StatusCode)
	}
}

func TestUpstreamFailures(t *testing.T) {
	t.Run("e-RS down answers 502 and completes the audit", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		e := newEnv(t, func(o *Options) { o.Upstream = down.URL + "/referrals/FHIR" })
		resp := e.do("rc", "GET", pathReferral, "", nil)
		if resp.StatusCode != http.StatusBadGateway {
			t.Fatalf("status %d, want 502", resp.StatusCode)
		}
		if got := decodeError(t, resp).Error; got != codeUpstreamFailed {
			t.Errorf("error %q", got)
		}
		e.proxy.Close()
		recs := e.audit.all()
		if len(recs) != 1 || recs[0].Status != 502 || recs[0].Outcome != codeUpstreamFailed {
			t.Errorf("audit %+v", recs)
		}
	})
	t.Run("e-RS too slow answers 504, once", func(t *testing.T) {
		var calls atomic.Int32
		release := make(chan struct{})
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		defer slow.Close()
		defer close(release)
		e := newEnv(t, func(o *Options) { o.Upstream = slow.URL + "/referrals/FHIR"; o.Timeout = 50 * time.Millisecond })
		resp := e.do("rc", "POST", pathWorklist, `{}`, nil)
		if resp.StatusCode != http.StatusGatewayTimeout {
			t.Fatalf("status %d, want 504", resp.StatusCode)
		}
		if got := decodeError(t, resp).Error; got != codeUpstreamTimeout {
			t.Errorf("error %q", got)
		}
		e.proxy.Close()
		if calls := calls.Load(); calls != 1 {
			t.Errorf("e-RS was called %d times, want 1 (no retry)", calls)
		}
	})
	t.Run("a session that must sign in again gets 401 login_required", func(t *testing.T) {
		e := newEnv(t, nil)
		e.sessions["rc"].tokenErr = fmt.Errorf("refresh: invalid_grant: %w", ErrLoginRequired)
		resp := e.do("rc", "GET", pathReferral, "", nil)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), "login_required") {
			t.Fatalf("status %d, WWW-Authenticate %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
		if n := len(e.upstream.seen()); n != 0 {
			t.Errorf("upstream saw %d calls", n)
		}
	})
}

func TestOnlySafeResponseHeadersReturn(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Set-Cookie", "apim=secret")
		h.Set("X-Backend-Host", "ers-node-7")
		h.Set("Location", "https://elsewhere.example/")
		h.Set("ETag", `W/"3"`)
		h.Set("X-Request-ID", "req-1")
		h.Set("Content-Type", "application/fhir+json")
		io.WriteString(w, `{"resourceType":"ReferralRequest"}`)
	}))
	defer fake.Close()
	e := newEnv(t, func(o *Options) { o.Upstream = fake.URL })
	resp := e.do("rc", "GET", pathReferral, "", nil)
	for _, k := range []string{"Set-Cookie", "X-Backend-Host", "Location"} {
		if v := resp.Header.Get(k); v != "" {
			t.Errorf("%s came back: %q", k, v)
		}
	}
	if resp.Header.Get("ETag") != `W/"3"` || resp.Header.Get("X-Request-ID") != "req-1" || resp.Header.Get("Content-Type") != "application/fhir+json" {
		t.Errorf("safe headers lost: %v", resp.Header)
	}
}

func TestNewRefusesIncompleteOptions(t *testing.T) {
	auth := func(http.ResponseWriter, *http.Request) (Caller, bool) { return nil, false }
	audit := &auditLog{events: &timeline{}}
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"no upstream", Options{Authenticate: auth, Auditor: audit}},
		{"an upstream with a query", Options{Upstream: "https://x.example/FHIR?a=b", Authenticate: auth, Auditor: audit}},
		{"no authenticator", Options{Upstream: "https://x.example/FHIR", Auditor: audit}},
		{"no auditor", Options{Upstream: "https://x.example/FHIR", Authenticate: auth}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.opts); err == nil {
				t.Error("New accepted it")
			}
		})
	}
}

var _ Auditor = store.Store(nil) // the gateway passes its store as is
