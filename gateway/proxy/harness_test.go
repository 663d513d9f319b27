package proxy

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/sandbox"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	sbstore "github.com/ers-workstation/ers-workstation/sandbox/store"
)

// testNow is the fixed clock of the simulator and, unless a test moves it,
// of the proxy.
var testNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// fakeCaller is a signed-in session as the broker would hand it over.
type fakeCaller struct {
	id, user, token string
	bf, ods, obo    string
	noRole          bool
	tokenErr        error
}

func (c *fakeCaller) SessionID() string { return c.id }
func (c *fakeCaller) User() string      { return c.user }
func (c *fakeCaller) AccessToken(context.Context) (string, error) {
	return c.token, c.tokenErr
}
func (c *fakeCaller) Context() (string, string, string, bool) {
	return c.bf, c.ods, c.obo, !c.noRole
}

// The sessions of the tests, by the X-Test-Session header the fake
// authenticator reads. The APIM token "tok-<sds id>" is how the upstream
// wrapper knows the user, as APIM knows it from its token.
func rcSession() *fakeCaller {
	return &fakeCaller{id: "s-rc", user: seed.ExampleRC, token: "tok-" + seed.ExampleRC, bf: "REFERRING_CLINICIAN", ods: seed.ExampleReferringOrg}
}

func spcaSession() *fakeCaller {
	return &fakeCaller{id: "s-spca", user: seed.ExampleSPCA, token: "tok-" + seed.ExampleSPCA, bf: "SERVICE_PROVIDER_CLINICIAN_ADMIN",
		ods: seed.ExampleProviderOrg, obo: seed.ExampleSPCAActsFor}
}

// timeline is the order in which audit records were written and requests
// reached the upstream.
type timeline struct {
	mu     sync.Mutex
	events []string
}

func (t *timeline) add(ev string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.events = append(t.events, ev)
}

func (t *timeline) all() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.events...)
}

// auditLog is an in-memory Auditor that also records, in one sequence with
// the upstream's requests, when each record was written.
type auditLog struct {
	mu        sync.Mutex
	events    *timeline
	records   []store.AuditRecord
	failBegin bool
}

func (a *auditLog) AppendAudit(_ context.Context, r store.AuditRecord) (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failBegin {
		return 0, errors.New("database is down")
	}
	a.records = append(a.records, r)
	a.events.add("audit " + string(r.Kind) + " " + r.Operation)
	return int64(len(a.records)), nil
}

func (a *auditLog) CompleteAudit(_ context.Context, id int64, status int, outcome, requestID string, latency time.Duration, completed time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	r := &a.records[id-1]
	if !r.Completed.IsZero() {
		return errors.New("already complete")
	}
	r.Status, r.Outcome, r.RequestID, r.Latency, r.Completed = status, outcome, requestID, latency, completed
	a.events.add("complete " + r.Operation)
	return nil
}

func (a *auditLog) all() []store.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]store.AuditRecord(nil), a.records...)
}

// upstream is the simulator behind a stand-in for APIM's token check: it
// turns the bearer token into the simulator's user header (after dropping
// any the proxy let through, which would be a bug) and records what it saw.
type upstream struct {
	mu       sync.Mutex
	events   *timeline
	requests []*http.Request
}

func (u *upstream) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.requests = append(u.requests, r.Clone(context.Background()))
		u.events.add("upstream " + r.Method + " " + r.URL.Path)
		u.mu.Unlock()
		r.Header.Del(sandbox.HeaderSandboxUser)
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer tok-"); ok {
			r.Header.Set(sandbox.HeaderSandboxUser, tok)
		}
		next.ServeHTTP(w, r)
	})
}

func (u *upstream) seen() []*http.Request {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]*http.Request(nil), u.requests...)
}

// env is a proxy in front of the simulator, both on loopback.
type env struct {
	t     testing.TB
	proxy *httptest.Server
	// upstreamURL is the e-RS base the proxy forwards to.
	upstreamURL string
	upstream    *upstream
	audit       *auditLog
	sessions    map[string]*fakeCaller
	now         time.Time
	nowMu       sync.Mutex
	events      timeline
}

// newEnv starts the simulator and a proxy; change adjusts the options.
func newEnv(t testing.TB, change func(o *Options)) *env {
	t.Helper()
	e := &env{t: t, now: testNow, sessions: map[string]*fakeCaller{"rc": rcSession(), "spca": spcaSession()}}
	e.upstream = &upstream{events: &e.events}
	e.audit = &auditLog{events: &e.events}
	st := sbstore.New(func() *sbstore.State { return seed.Examples(testNow) }, func() time.Time { return testNow })
	sim := httptest.NewServer(e.upstream.wrap(sandbox.New(sandbox.Options{Store: st})))
	t.Cleanup(sim.Close)
	opts := Options{
		Upstream:     sim.URL + sandbox.BasePath,
		Authenticate: e.authenticate,
		Auditor:      e.audit,
		Now:          e.clock,
		Rate:         1000,
		Burst:        1000,
	}
	if change != nil {
		change(&opts)
	}
	p, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.upstreamURL = opts.Upstream
	e.proxy = httptest.NewServer(p)
	t.Cleanup(e.proxy.Close)
	return e
}

func (e *env) clock() time.Time {
	e.nowMu.Lock()
	defer e.nowMu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.nowMu.Lock()
	defer e.nowMu.Unlock()
	e.now = e.now.Add(d)
}

// authenticate is the broker's stand-in: the session named by X-Test-Session.
func (e *env) authenticate(w http.ResponseWriter, r *http.Request) (Caller, bool) {
	c, ok := e.sessions[r.Header.Get("X-Test-Session")]
	if !ok {
		http.Error(w, "unauthenticated", http.StatusUnauthorized)
		return nil, false
	}
	return c, true
}

// do sends a request through the proxy as the session.
func (e *env) do(session, method, path string, body string, header http.Header) *http.Response {
	e.t.Helper()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(method, e.proxy.URL+path, rd)
	} else {
		req, err = http.NewRequest(method, e.proxy.URL+path, nil)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if session != "" {
		req.Header.Set("X-Test-Session", session)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}
