package proxy

import (
	"bytes"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/seed"
)

// callCounter is a Metrics that remembers what it was told.
type callCounter struct {
	mu     sync.Mutex
	calls  []string
	failed []string
}

func (c *callCounter) ObserveCall(op string, status int, _ time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, op+" "+http.StatusText(status))
}

func (c *callCounter) AuditFailure(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed = append(c.failed, op)
}

func TestMetricsByOperationAndStatus(t *testing.T) {
	m := &callCounter{}
	e := newEnv(t, func(o *Options) { o.Metrics = m })
	e.do("rc", "GET", pathReferral, "", nil)
	e.do("rc", "GET", Prefix+"/STU3/Patient/1", "", nil)
	e.audit.mu.Lock()
	e.audit.failBegin = true
	e.audit.mu.Unlock()
	e.do("rc", "GET", pathReferral, "", nil)
	e.proxy.Close()
	// A call is observed after its answer is written, so the order of
	// observations may differ from the order of calls.
	want := []string{"A005 OK", "A005 Service Unavailable", "none Not Found"}
	slices.Sort(m.calls)
	if strings.Join(m.calls, ",") != strings.Join(want, ",") {
		t.Errorf("observed %q, want %q", m.calls, want)
	}
	if len(m.failed) == 0 || m.failed[0] != "A005" {
		t.Errorf("audit failures %q", m.failed)
	}
}

func TestLogsCarryNoTokenOrCredential(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	e := newEnv(t, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	e.do("rc", "GET", pathReferral, "", http.Header{"Authorization": {"DPoP session-secret"}, "Dpop": {"proof-secret"}, "X-Correlation-Id": {"corr-1"}})
	e.proxy.Close()
	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	if !strings.Contains(logs, "corr-1") {
		t.Fatalf("no log line for the call: %s", logs)
	}
	for _, secret := range []string{"tok-" + seed.ExampleRC, "session-secret", "proof-secret", "Bearer"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q: %s", secret, logs)
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
