package upstream

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/keys"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/stack"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The tests run the real CIS2, APIM and e-RS simulators (sandbox/stack) on
// 127.0.0.1 and this package against them, with the relying party's keys
// from a real gateway/keys set published by httptest. The gateway and the
// stack have clocks of their own, so skew and expiry are tested without
// sleeping.

const (
	testBits      = 2048
	rpClientID    = "test-gateway.apps.national"
	otherClientID = "other-relying-party.apps.national"
	rpAPIKey      = "test-gateway-api-key"
	rpSecret      = "test-gateway-app-secret"
	rpRedirect    = "http://127.0.0.1:1/auth/cis2/callback" // never dialled: the test reads the Location
	testVerifier  = "a-pkce-verifier-that-is-long-enough-to-be-valid-0123456789"
	testNonce     = "nonce-0123456789abcdef"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// world is the stack, the relying party's key set and endpoints, and the
// two clocks.
type world struct {
	t         *testing.T
	stack     *stack.Stack
	urls      stack.URLs
	admin     *httptest.Server
	keys      *keys.Set
	cis2Key   cis2.SigningKey
	gw, sc    *clock // gateway and stack clocks
	apimCalls atomic.Int64
	http      *http.Client
	browser   *http.Client

	mu      sync.Mutex
	logouts []string
}

// newWorld serves the stack with the stack clock ahead of the gateway's by
// skew (negative: behind).
func newWorld(t *testing.T, skew time.Duration) *world {
	t.Helper()
	start := time.Now().UTC().Truncate(time.Second)
	w := &world{t: t, gw: newClock(start), sc: newClock(start.Add(skew)),
		http: &http.Client{Timeout: 10 * time.Second},
		browser: &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
	}
	ks, err := keys.Open(keys.Options{Bits: testBits, Now: w.gw.Now})
	if err != nil {
		t.Fatal(err)
	}
	w.keys = ks
	rp := http.NewServeMux()
	rp.Handle("GET "+keys.JWKSPath, ks.JWKSHandler())
	rp.HandleFunc("POST /auth/cis2/backchannel-logout", func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.logouts = append(w.logouts, r.FormValue("logout_token"))
		w.mu.Unlock()
	})
	rpSrv := httptest.NewServer(rp)
	t.Cleanup(rpSrv.Close)
	jwks := rpSrv.URL + keys.JWKSPath

	if w.cis2Key, err = cis2.GenerateKey("cis2-test-1", testBits); err != nil {
		t.Fatal(err)
	}
	cis2Keys, err := cis2.NewKeySet(w.cis2Key)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client := func(id string) cis2.Client {
		return cis2.Client{ID: id, RedirectURIs: []string{rpRedirect}, AuthMethod: cis2.AuthPrivateKeyJWT,
			JWKSURL: jwks, BackchannelLogoutURI: rpSrv.URL + "/auth/cis2/backchannel-logout"}
	}
	st, err := stack.New(stack.Options{
		BaseURL: "http://" + ln.Addr().String(),
		Seed: func() *store.State {
			return seed.Synthetic(seed.SyntheticOptions{Seed: 1, Referrals: 10, Services: 5, Now: w.sc.Now()})
		},
		Clients: []cis2.Client{client(rpClientID), client(otherClientID)},
		Apps: []apim.App{{
			APIKey: rpAPIKey, Secret: rpSecret, Name: "test gateway", JWKSURL: jwks, ASID: "200000000001",
			AllowedODS: []string{cis2.ReferrerODS, cis2.SecondGPODS, cis2.ProviderODS},
			Scopes:     []string{apim.ScopeUserAAL2, apim.ScopeUserAAL3}, AllowLifetimeOverrides: true,
		}},
		AutoApprove: true,
		CIS2Keys:    cis2Keys,
		KeyBits:     testBits,
		Now:         w.sc.Now,
		HTTPClient:  &http.Client{Timeout: 5 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := st.Handler()
	counted := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == apim.TokenPath {
			w.apimCalls.Add(1)
		}
		h.ServeHTTP(rw, r)
	})
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: counted}}
	srv.Start()
	t.Cleanup(srv.Close)
	w.admin = httptest.NewServer(st.AdminHandler())
	t.Cleanup(w.admin.Close)
	w.stack, w.urls = st, st.URLs()
	return w
}

// cis2Client is this package's CIS2 client for clientID, on the gateway
// clock; change adjusts the options.
func (w *world) cis2Client(clientID string, change ...func(*CIS2Options)) *CIS2 {
	w.t.Helper()
	o := CIS2Options{
		Issuer: w.urls.CIS2Issuer, ClientID: clientID, RedirectURL: rpRedirect, Signer: w.keys,
		HTTPClient: &http.Client{Timeout: 5 * time.Second}, Now: w.gw.Now,
	}
	for _, c := range change {
		c(&o)
	}
	c, err := NewCIS2(context.Background(), o)
	if err != nil {
		w.t.Fatalf("NewCIS2: %v", err)
	}
	return c
}

// apimClient is this package's APIM client on the gateway clock.
func (w *world) apimClient(extra url.Values) *APIM {
	w.t.Helper()
	a, err := NewAPIM(APIMOptions{
		TokenURL: w.urls.APIMTokenURL, APIKey: rpAPIKey, AppSecret: rpSecret, Signer: w.keys,
		HTTPClient: &http.Client{Timeout: 5 * time.Second}, Now: w.gw.Now, Extra: extra,
	})
	if err != nil {
		w.t.Fatalf("NewAPIM: %v", err)
	}
	return a
}

// code runs the browser's side of the sign-in: the authorize URL c makes,
// auto-approved for the persona by login_hint, and returns the code.
func (w *world) code(c *CIS2, persona, nonce string) string {
	w.t.Helper()
	u, err := url.Parse(c.AuthCodeURL("state-1", nonce, testVerifier))
	if err != nil {
		w.t.Fatal(err)
	}
	q := u.Query()
	q.Set("login_hint", persona)
	u.RawQuery = q.Encode()
	resp, err := w.browser.Get(u.String())
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || loc.Query().Get("code") == "" {
		w.t.Fatalf("authorize for %s: %d, want 302 with a code (error %q)", persona, resp.StatusCode, loc.Query().Get("error_description"))
	}
	return loc.Query().Get("code")
}

// signIn is the broker's order: redeem and verify, and only then exchange.
func (w *world) signIn(c *CIS2, a *APIM, persona string) (Identity, Tokens, error) {
	w.t.Helper()
	id, err := c.Redeem(context.Background(), w.code(c, persona, testNonce), testVerifier, testNonce)
	if err != nil {
		return id, Tokens{}, err
	}
	tok, err := a.Exchange(context.Background(), id.IDToken)
	return id, tok, err
}

func (w *world) received() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.logouts...)
}

// adminPost calls the stack's admin API.
func (w *world) adminPost(path string) {
	w.t.Helper()
	resp, err := w.http.Post(w.admin.URL+path, "", nil)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		w.t.Fatalf("POST %s: %d", path, resp.StatusCode)
	}
}

// ersStatus calls e-RS A030 with the access token.
func (w *world) ersStatus(token string) int {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.urls.ERSBase+"/R4/PractitionerRole", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := w.http.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// oauthError returns err as an *OAuthError or fails.
func oauthError(t *testing.T, err error) *OAuthError {
	t.Helper()
	var oe *OAuthError
	if !errors.As(err, &oe) {
		t.Fatalf("error %v, want an *OAuthError", err)
	}
	return oe
}
