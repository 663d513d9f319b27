package broker

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/gateway/upstream"
)

// The broker's own tests run it over real HTTP on 127.0.0.1 with fakes of
// CIS2, APIM and e-RS; the whole sign-in against the simulators is tested
// in package gateway.

var testStart = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// clock is a settable clock shared by the brokers of a test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fakeCIS2 accepts any code and, as upstream.CIS2 would after checking
// the signature, any logout token (the broker's replay memory is under
// test, not upstream's).
type fakeCIS2 struct{ identity upstream.Identity }

func (f *fakeCIS2) AuthCodeURL(state, _, _ string) string {
	return "https://cis2.example/authorize?state=" + url.QueryEscape(state)
}

func (f *fakeCIS2) Redeem(context.Context, string, string, string) (upstream.Identity, error) {
	return f.identity, nil
}

func (f *fakeCIS2) VerifyLogoutToken(context.Context, string) (upstream.Logout, error) {
	return upstream.Logout{Subject: "555000000001"}, nil
}

// fakeAPIM counts refreshes; release, when set, holds each refresh until
// it is closed.
type fakeAPIM struct {
	clock     *clock
	refreshes atomic.Int32
	release   chan struct{}
}

func (f *fakeAPIM) Exchange(context.Context, string) (upstream.Tokens, error) {
	return f.tokens(), nil
}

func (f *fakeAPIM) Refresh(ctx context.Context, _ string) (upstream.Tokens, error) {
	f.refreshes.Add(1)
	if f.release != nil {
		select {
		case <-f.release:
		case <-ctx.Done():
			return upstream.Tokens{}, ctx.Err()
		}
	}
	return f.tokens(), nil
}

func (f *fakeAPIM) tokens() upstream.Tokens {
	now := f.clock.Now()
	return upstream.Tokens{AccessToken: "access-synthetic", RefreshToken: "refresh-synthetic",
		AccessExpires: now.Add(10 * time.Minute), RefreshExpires: now.Add(12 * time.Hour)}
}

type noRoles struct{}

func (noRoles) Choices(context.Context, string) ([]RoleChoice, error) { return nil, nil }
func (noRoles) OnBehalfOf(context.Context, string, string) ([]Clinician, error) {
	return nil, nil
}

// failingJTIs is a store whose replay memory is down.
type failingJTIs struct{ store.Store }

func (failingJTIs) RememberJTI(context.Context, string, string, time.Time, time.Time) (bool, error) {
	return false, store.ErrUnavailable
}

// harness is one store shared by brokers, as gateways behind a load
// balancer share PostgreSQL.
type harness struct {
	t      *testing.T
	clock  *clock
	store  store.Store
	sealer *store.Sealer
	apim   *fakeAPIM
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := store.NewSealer(make([]byte, store.SealKeySize)) // a zero key: synthetic tests only
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{now: testStart}
	return &harness{t: t, clock: clk, store: st, sealer: sealer, apim: &fakeAPIM{clock: clk}}
}

// gateway is one broker served over HTTP.
type gateway struct {
	b   *Broker
	url string // where it is reached; the public URL may differ
}

// serve starts a broker on the harness's store (or st, when given). With
// public empty the broker's public URL is its own address.
func (h *harness) serve(public string, st store.Store) *gateway {
	h.t.Helper()
	if st == nil {
		st = h.store
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	h.t.Cleanup(srv.Close)
	if public == "" {
		public = srv.URL
	}
	b, err := New(Options{
		PublicURL: public, Store: st, Sealer: h.sealer, APIM: h.apim, Roles: noRoles{},
		CIS2: &fakeCIS2{identity: upstream.Identity{Subject: "555000000001", Name: "Dr Synthetic Test", SessionID: "sid-1",
			IAL: 3, AAL: 3, IDToken: "id-token-synthetic"}},
		Now: h.clock.Now,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	b.Register(mux)
	return &gateway{b: b, url: srv.URL}
}

// session creates a signed-in session bound to a new key and returns its
// token and key.
func (h *harness) session(id string) (string, *dpop.Key) {
	h.t.Helper()
	key, err := dpop.NewKey()
	if err != nil {
		h.t.Fatal(err)
	}
	token := "session-token-" + id
	now := h.clock.Now()
	s := store.Session{ID: id, TokenHash: store.Hash(token), KeyThumbprint: key.Thumbprint(), State: store.SessionActive,
		Subject: "555000000001", Name: "Dr Synthetic Test", CIS2SID: "sid-1", IAL: 3, AAL: 3,
		APIMToken: store.APIMTokenTimes{AccessExpires: now.Add(10 * time.Minute)},
		Created:   now, LastSeen: now, Absolute: now.Add(12 * time.Hour)}
	if err := h.store.CreateSession(context.Background(), s); err != nil {
		h.t.Fatal(err)
	}
	return token, key
}

// signedGet is GET /v1/session with the token and the proof given.
func signedGet(t *testing.T, to string, token, proof string) (int, ErrorBody) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, to+SessionPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "DPoP "+token)
	req.Header.Set("DPoP", proof)
	resp, err := testClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var eb ErrorBody
	if resp.StatusCode != http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&eb); err != nil {
			t.Fatalf("status %d without a JSON error: %v", resp.StatusCode, err)
		}
	}
	return resp.StatusCode, eb
}

func testClient() *http.Client { return &http.Client{Timeout: 10 * time.Second} }

// logoutToken is a token shaped like CIS2's (the fake verifier does not
// check its signature).
func logoutToken(t *testing.T, jti string, exp time.Time) string {
	t.Helper()
	claims, err := json.Marshal(map[string]any{"jti": jti, "exp": exp.Unix(), "sub": "555000000001"})
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc(claims) + "." + enc([]byte("signature"))
}

func postLogout(t *testing.T, to, token string) (int, ErrorBody) {
	t.Helper()
	resp, err := testClient().PostForm(to+BackchannelLogoutPath, url.Values{"logout_token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var eb ErrorBody
	if resp.StatusCode != http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&eb); err != nil {
			t.Fatalf("status %d without a JSON error: %v", resp.StatusCode, err)
		}
	}
	return resp.StatusCode, eb
}
