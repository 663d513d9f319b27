package gateway

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/broker"
	"github.com/ers-workstation/ers-workstation/gateway/keys"
	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/gateway/upstream"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/stack"
	sbstore "github.com/ers-workstation/ers-workstation/sandbox/store"
)

// These tests run the real gateway against the real simulators, each on its
// own 127.0.0.1 listener, and play the workstation (its key, PKCE, the
// proofs) and the browser (cookies, the confirmation page, the redirects)
// with plain HTTP clients.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t       *testing.T
	clock   *clock
	sim     *stack.Stack
	simURL  string
	admin   string
	gw      *Server
	gwURL   string
	store   store.Store
	browser *http.Client
}

// tlsServing serves the gateway over TLS with cert; trusting is the
// transport of every client that must reach it (the simulators fetching
// the JWKS and sending back-channel logouts, and the browser).
type tlsServing struct {
	cert     tls.Certificate
	trusting *http.Transport
}

// newEnv serves the gateway over plain HTTP on 127.0.0.1.
func newEnv(t *testing.T, change ...func(*Options)) *env {
	t.Helper()
	return startEnv(t, nil, change...)
}

// newTLSEnv serves the gateway over TLS (the simulators stay on plain HTTP).
func newTLSEnv(t *testing.T, serving tlsServing, change ...func(*Options)) *env {
	t.Helper()
	return startEnv(t, &serving, change...)
}

// startEnv starts the simulators and the gateway, over TLS when serving is
// set, and registers them with each other.
func startEnv(t *testing.T, serving *tlsServing, change ...func(*Options)) *env {
	t.Helper()
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	gwLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	simLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gwScheme, trusting := "http://", http.DefaultTransport
	if serving != nil {
		gwScheme, trusting = "https://", serving.trusting
	}
	gwURL, simURL := gwScheme+gwLn.Addr().String(), "http://"+simLn.Addr().String()
	sim, err := stack.New(stack.Options{
		BaseURL: simURL,
		Seed: func() *sbstore.State {
			return seed.Synthetic(seed.SyntheticOptions{Seed: 1, Referrals: 60, Services: 20, Now: clk.Now()})
		},
		Clients: []cis2.Client{{
			ID: config.SandboxCIS2ClientID, RedirectURIs: []string{gwURL + config.GatewayCIS2CallbackPath},
			AuthMethod: cis2.AuthPrivateKeyJWT, JWKSURL: gwURL + config.GatewayJWKSPath,
			BackchannelLogoutURI: gwURL + config.GatewayBackchannelLogoutPath,
		}},
		Apps: []apim.App{{
			APIKey: config.SandboxAPIKey, Secret: config.SandboxAppSecret, JWKSURL: gwURL + config.GatewayJWKSPath,
			ASID: config.SandboxASID, AllowedODS: []string{cis2.ReferrerODS, cis2.SecondGPODS, cis2.ProviderODS},
			Scopes: []string{apim.ScopeUserAAL2, apim.ScopeUserAAL3}, AllowLifetimeOverrides: true,
		}},
		AutoApprove: true, KeyBits: 2048, Now: clk.Now,
		HTTPClient: &http.Client{Timeout: 5 * time.Second, Transport: trusting},
	})
	if err != nil {
		t.Fatal(err)
	}
	simSrv := &httptest.Server{Listener: simLn, Config: &http.Server{Handler: sim.Handler()}}
	simSrv.Start()
	t.Cleanup(simSrv.Close)
	adminSrv := httptest.NewServer(sim.AdminHandler())
	t.Cleanup(adminSrv.Close)

	ks, err := keys.Open(keys.Options{Bits: 2048, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenSQLite(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealKey := make([]byte, 32)
	rand.Read(sealKey)
	sealer, err := store.NewSealer(sealKey)
	if err != nil {
		t.Fatal(err)
	}
	urls := sim.URLs()
	o := Options{
		PublicURL: gwURL, ERSBaseURL: urls.ERSBase, CIS2Issuer: urls.CIS2Issuer, CIS2ClientID: config.SandboxCIS2ClientID,
		APIMTokenURL: urls.APIMTokenURL, APIKey: config.SandboxAPIKey, AppSecret: config.SandboxAppSecret,
		Keys: ks, Store: st, Sealer: sealer, Now: clk.Now, Rate: 1000, Burst: 1000,
	}
	for _, c := range change {
		c(&o)
	}
	gw, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	gwSrv := &httptest.Server{Listener: gwLn, Config: &http.Server{Handler: gw.Handler()}}
	if serving != nil {
		// A client that refuses the certificate ends its handshake: keep that out of the output.
		gwSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
		gwSrv.TLS = &tls.Config{Certificates: []tls.Certificate{serving.cert}, MinVersion: tls.VersionTLS12}
		gwSrv.StartTLS()
	} else {
		gwSrv.Start()
	}
	t.Cleanup(gwSrv.Close)

	jar, _ := cookiejar.New(nil)
	return &env{
		t: t, clock: clk, sim: sim, simURL: simURL, admin: adminSrv.URL, gw: gw, gwURL: gwURL, store: st,
		browser: &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: trusting,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// workstation is the workstation's side of one sign-in.
type workstation struct {
	e        *env
	key      *dpop.Key
	verifier string
	state    string
	login    broker.LoginResponse
	token    string
	loopback string
}

func (e *env) newWorkstation() *workstation {
	e.t.Helper()
	k, err := dpop.NewKey()
	if err != nil {
		e.t.Fatal(err)
	}
	v := make([]byte, 48)
	rand.Read(v)
	return &workstation{e: e, key: k, verifier: base64.RawURLEncoding.EncodeToString(v), state: "ws-state-1",
		loopback: "http://127.0.0.1:49152/callback"}
}

func challenge(v string) string { return upstream.S256Challenge(v) }

// startLogin calls POST /v1/auth/login.
func (w *workstation) startLogin(mode string) (int, broker.ErrorBody) {
	w.e.t.Helper()
	req := broker.LoginRequest{Mode: mode, CodeChallenge: challenge(w.verifier), CodeChallengeMethod: "S256", JWK: w.key.PublicJWK()}
	if mode == "loopback" {
		req.RedirectURI, req.State = w.loopback, w.state
	}
	status, body := w.e.postJSON(broker.LoginPath, "", nil, req)
	if status == http.StatusOK {
		if err := json.Unmarshal(body, &w.login); err != nil {
			w.e.t.Fatal(err)
		}
	}
	var eb broker.ErrorBody
	_ = json.Unmarshal(body, &eb)
	return status, eb
}

// postJSON posts v to the gateway, with a proof by key when key is set.
func (e *env) postJSON(path, token string, key *dpop.Key, v any) (int, []byte) {
	e.t.Helper()
	return e.do(http.MethodPost, path, token, key, v)
}

func (e *env) do(method, path, token string, key *dpop.Key, v any) (int, []byte) {
	e.t.Helper()
	var body io.Reader
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.gwURL+path, body)
	if v != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != nil {
		proof, err := key.Proof(method, e.gwURL+path, token, e.clock.Now())
		if err != nil {
			e.t.Fatal(err)
		}
		req.Header.Set("DPoP", proof)
	}
	if token != "" {
		req.Header.Set("Authorization", "DPoP "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// continueToCIS2 opens the short URL in the browser, checks the page, and
// presses Continue; it returns the CIS2 authorize URL the gateway sent the
// browser to.
func (e *env) continueToCIS2(browser *http.Client, verificationURI string) *url.URL {
	e.t.Helper()
	resp, err := browser.Get(verificationURI)
	if err != nil {
		e.t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		e.t.Fatalf("confirmation page: %d %s", resp.StatusCode, page)
	}
	resp, err = browser.PostForm(verificationURI, url.Values{"csrf": {string(m[1])}})
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	authorize, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil {
		e.t.Fatalf("continue: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return authorize
}

// browse is the person: open the short URL, check the code, continue, sign
// in at CIS2 as the persona (auto-approved), and come back to the gateway.
// It returns the gateway's final answer.
func (e *env) browse(verificationURI, persona string) *http.Response {
	e.t.Helper()
	authorize := e.continueToCIS2(e.browser, verificationURI)
	q := authorize.Query()
	q.Set("login_hint", persona) // the simulator's auto-approval stands in for the sign-in page
	authorize.RawQuery = q.Encode()
	resp, err := e.browser.Get(authorize.String())
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		e.t.Fatalf("CIS2 authorize: %d", resp.StatusCode)
	}
	resp, err = e.browser.Get(resp.Header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	// Remote mode: the callback sends the browser on to the result page at
	// a clean URL (no CIS2 code in the address bar).
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther && loc == broker.DonePath {
		resp.Body.Close()
		if resp, err = e.browser.Get(e.gwURL + loc); err != nil {
			e.t.Fatal(err)
		}
	}
	return resp
}

// handoff returns the handoff code of the gateway's redirect to the loopback.
func (w *workstation) handoff(resp *http.Response) string {
	w.e.t.Helper()
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), w.loopback+"?") {
		w.e.t.Fatalf("callback: %d to %q, want the loopback", resp.StatusCode, resp.Header.Get("Location"))
	}
	if loc.Query().Get("state") != w.state {
		w.e.t.Fatalf("loopback state %q, want %q", loc.Query().Get("state"), w.state)
	}
	return loc.Query().Get("code")
}

// redeem calls POST /v1/auth/token.
func (w *workstation) redeem(code string) (int, broker.TokenResponse, broker.ErrorBody) {
	w.e.t.Helper()
	status, body := w.e.postJSON(broker.TokenPath, "", w.key, broker.TokenRequest{LoginID: w.login.LoginID, Code: code, CodeVerifier: w.verifier})
	var tr broker.TokenResponse
	var eb broker.ErrorBody
	_ = json.Unmarshal(body, &tr)
	_ = json.Unmarshal(body, &eb)
	if status == http.StatusOK {
		w.token = tr.SessionToken
	}
	return status, tr, eb
}

// signIn runs a whole loopback sign-in for the persona.
func (e *env) signIn(persona string) *workstation {
	e.t.Helper()
	w := e.newWorkstation()
	if status, eb := w.startLogin("loopback"); status != http.StatusOK {
		e.t.Fatalf("login: %d %+v", status, eb)
	}
	code := w.handoff(e.browse(w.login.VerificationURI, persona))
	if status, _, eb := w.redeem(code); status != http.StatusOK {
		e.t.Fatalf("redeem: %d %+v", status, eb)
	}
	return w
}

// call makes a gateway call as the workstation, with a fresh proof.
func (w *workstation) call(method, path string, v any) (int, []byte) {
	w.e.t.Helper()
	return w.e.do(method, path, w.token, w.key, v)
}

// chooseRole sets the context and keeps the rotated token.
func (w *workstation) chooseRole(bf, ods, obo string) (int, []byte) {
	w.e.t.Helper()
	status, body := w.call(http.MethodPut, broker.ContextPath, broker.ContextBody{BusinessFunction: bf, ODS: ods, OnBehalfOf: obo})
	if status == http.StatusOK {
		var cr broker.ContextResponse
		if err := json.Unmarshal(body, &cr); err != nil {
			w.e.t.Fatal(err)
		}
		w.token = cr.SessionToken
	}
	return status, body
}

const specialties = "/v1/ers/FHIR/STU3/CodeSystem/SPECIALTY"

func TestALoopbackSignInChoosesARoleAndCallsERSThroughTheProxy(t *testing.T) {
	e := newEnv(t)
	w := e.signIn(cis2.PersonaReferrer)

	status, body := w.call(http.MethodGet, broker.SessionPath, nil)
	if status != http.StatusOK || !strings.Contains(string(body), "Amelia Hart") {
		t.Fatalf("session: %d %s", status, body)
	}
	status, body = w.call(http.MethodGet, broker.RolesPath, nil)
	if status != http.StatusOK || !strings.Contains(string(body), cis2.SecondGPODS) {
		t.Fatalf("roles: %d %s", status, body)
	}
	// Before a role, e-RS calls other than A030 are refused by the proxy.
	if status, _ := w.call(http.MethodGet, specialties, nil); status == http.StatusOK {
		t.Fatalf("A004 before choosing a role: %d", status)
	}
	old := w.token
	if status, body := w.chooseRole("REFERRING_CLINICIAN", cis2.SecondGPODS, ""); status != http.StatusOK {
		t.Fatalf("choose role: %d %s", status, body)
	}
	if w.token == old {
		t.Error("changing role kept the session token")
	}
	if status, body := w.call(http.MethodGet, specialties, nil); status != http.StatusOK {
		t.Fatalf("A004 through the proxy: %d %.300s", status, body)
	}
	// The old token stopped working when the role changed.
	if status, _ := e.do(http.MethodGet, broker.SessionPath, old, w.key, nil); status != http.StatusUnauthorized {
		t.Errorf("the pre-rotation token: %d, want 401", status)
	}
	// A role the user does not hold is refused.
	if status, _ := w.chooseRole("SERVICE_PROVIDER_CLINICIAN", cis2.ProviderODS, ""); status != http.StatusForbidden {
		t.Errorf("a role not held: %d, want 403", status)
	}
}

func TestRemoteModePollsUntilTheBrowserIsDone(t *testing.T) {
	e := newEnv(t)
	w := e.newWorkstation()
	if status, eb := w.startLogin("remote"); status != http.StatusOK {
		t.Fatalf("login: %d %+v", status, eb)
	}
	if _, _, eb := w.redeem(""); eb.Error != "authorization_pending" {
		t.Fatalf("first poll: %+v", eb)
	}
	if _, _, eb := w.redeem(""); eb.Error != "slow_down" {
		t.Fatalf("an immediate second poll: %+v, want slow_down", eb)
	}
	resp := e.browse(w.login.VerificationURI, cis2.PersonaProviderClinician)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Return to your terminal") {
		t.Fatalf("remote callback page: %d %s", resp.StatusCode, page)
	}
	if final := resp.Request.URL; final.String() != e.gwURL+broker.DonePath || final.RawQuery != "" {
		t.Errorf("the result page is at %s, want %s with no code or state", final.Redacted(), e.gwURL+broker.DonePath)
	}
	e.clock.Advance(3 * time.Second)
	status, tr, eb := w.redeem("")
	if status != http.StatusOK || tr.User.Name == "" || tr.TokenType != "DPoP" {
		t.Fatalf("poll after the browser: %d %+v %+v", status, tr, eb)
	}
	if _, _, eb := w.redeem(""); eb.Error != "invalid_grant" {
		t.Errorf("a second redemption: %+v, want invalid_grant", eb)
	}
}

func TestTheAttacksOfTheProtocolFail(t *testing.T) {
	e := newEnv(t)

	t.Run("an open redirect through redirect_uri is refused", func(t *testing.T) {
		for _, uri := range []string{"http://evil.example/callback", "http://localhost:5000/callback", "http://127.0.0.1:5000/other",
			"https://127.0.0.1:5000/callback", "http://127.0.0.1/callback", "http://127.0.0.1:5000/callback?x=1"} {
			w := e.newWorkstation()
			w.loopback = uri
			if status, _ := w.startLogin("loopback"); status != http.StatusBadRequest {
				t.Errorf("redirect_uri %q: %d, want 400", uri, status)
			}
		}
	})

	t.Run("an intercepted handoff code is useless without the verifier and the key", func(t *testing.T) {
		w := e.newWorkstation()
		w.startLogin("loopback")
		code := w.handoff(e.browse(w.login.VerificationURI, cis2.PersonaReferrer))
		thief := e.newWorkstation()
		thief.login = w.login
		if _, _, eb := thief.redeem(code); eb.Error != "invalid_client" {
			t.Errorf("the thief's redemption: %+v, want invalid_client", eb)
		}
		thief.verifier = w.verifier // even with the verifier, the key is wrong
		if _, _, eb := thief.redeem(code); eb.Error != "invalid_client" {
			t.Errorf("the thief with the verifier: %+v, want invalid_client", eb)
		}
		if status, _, _ := w.redeem(code); status != http.StatusOK {
			t.Fatalf("the owner's redemption failed: %d", status)
		}
		if _, _, eb := w.redeem(code); eb.Error != "invalid_grant" {
			t.Errorf("replaying the handoff: %+v, want invalid_grant", eb)
		}
	})

	t.Run("an expired handoff code is refused", func(t *testing.T) {
		w := e.newWorkstation()
		w.startLogin("loopback")
		code := w.handoff(e.browse(w.login.VerificationURI, cis2.PersonaReferrer))
		e.clock.Advance(61 * time.Second)
		if _, _, eb := w.redeem(code); eb.Error != "invalid_grant" {
			t.Errorf("a 61-second-old handoff: %+v, want invalid_grant", eb)
		}
	})

	t.Run("login CSRF: the callback in another browser is refused", func(t *testing.T) {
		w := e.newWorkstation()
		w.startLogin("loopback")
		// The attacker confirms in their browser and sends the victim the
		// CIS2 answer; the victim's browser lacks the binding cookie.
		authorize := e.continueToCIS2(e.browser, w.login.VerificationURI)
		q := authorize.Query()
		q.Set("login_hint", cis2.PersonaReferrer)
		authorize.RawQuery = q.Encode()
		resp, _ := e.browser.Get(authorize.String())
		resp.Body.Close()
		victim := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := victim.Get(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("callback without the browser binding: %d, want 403", resp.StatusCode)
		}
	})

	t.Run("a confirmation posted without the page's token is refused", func(t *testing.T) {
		w := e.newWorkstation()
		w.startLogin("remote")
		resp, err := http.PostForm(w.login.VerificationURI, url.Values{"csrf": {"forged"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("forged confirmation: %d, want 403", resp.StatusCode)
		}
	})

	w := e.signIn(cis2.PersonaReferrer)
	w.chooseRole("REFERRING_CLINICIAN", cis2.ReferrerODS, "")

	t.Run("a stolen session token without the key is refused", func(t *testing.T) {
		thief, _ := dpop.NewKey()
		if status, _ := e.do(http.MethodGet, specialties, w.token, thief, nil); status != http.StatusUnauthorized {
			t.Errorf("stolen token, own key: %d, want 401", status)
		}
		if status, _ := e.do(http.MethodGet, specialties, w.token, nil, nil); status != http.StatusUnauthorized {
			t.Errorf("stolen token, no proof: %d, want 401", status)
		}
	})

	t.Run("a replayed proof is refused", func(t *testing.T) {
		proof, _ := w.key.Proof(http.MethodGet, e.gwURL+specialties, w.token, e.clock.Now())
		send := func() int {
			req, _ := http.NewRequest(http.MethodGet, e.gwURL+specialties, nil)
			req.Header.Set("Authorization", "DPoP "+w.token)
			req.Header.Set("DPoP", proof)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if first := send(); first != http.StatusOK {
			t.Fatalf("first use: %d", first)
		}
		if again := send(); again != http.StatusUnauthorized {
			t.Errorf("replay: %d, want 401", again)
		}
	})

	t.Run("headers the workstation sends cannot change the role", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, e.gwURL+specialties, nil)
		proof, _ := w.key.Proof(http.MethodGet, e.gwURL+specialties, w.token, e.clock.Now())
		req.Header.Set("Authorization", "DPoP "+w.token)
		req.Header.Set("DPoP", proof)
		req.Header.Set("NHSD-eRS-Business-Function", "SERVICE_PROVIDER_CLINICIAN")
		req.Header.Set("NHSD-End-User-Organisation-ODS", cis2.ProviderODS)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// The gateway's own context (the referrer's) applies: 200, not a
		// refusal for a role the user does not hold.
		if resp.StatusCode != http.StatusOK {
			t.Errorf("call with injected headers: %d, want 200 as the session's own role", resp.StatusCode)
		}
	})
}

func TestTheUserCancellingAtCIS2DeniesTheLogin(t *testing.T) {
	e := newEnv(t)
	w := e.newWorkstation()
	w.startLogin("loopback")
	authorize := e.continueToCIS2(e.browser, w.login.VerificationURI)
	// CIS2 answers the cancel with access_denied to the callback.
	cb := authorize.Query().Get("redirect_uri") + "?" + url.Values{"error": {"access_denied"}, "state": {authorize.Query().Get("state")}}.Encode()
	resp, err := e.browser.Get(cb)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != w.state {
		t.Fatalf("cancelled callback sent the browser to %q", resp.Header.Get("Location"))
	}
	if _, _, eb := w.redeem(""); eb.Error != "access_denied" {
		t.Errorf("redeeming a cancelled login: %+v", eb)
	}
}

func TestAnIAL2UserIsRefusedBeforeAnySession(t *testing.T) {
	e := newEnv(t)
	w := e.newWorkstation()
	w.startLogin("remote")
	resp := e.browse(w.login.VerificationURI, cis2.PersonaIAL2)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(page), "identity") {
		t.Errorf("IAL2 callback page: %d %s, want 403 explaining the identity check", resp.StatusCode, page)
	}
	if _, _, eb := w.redeem(""); eb.Error != "access_denied" || eb.Description != "assurance_too_low" {
		t.Errorf("IAL2 redemption: %+v, want access_denied assurance_too_low", eb)
	}
}

func TestAnAAL1UserCannotMeetTheGatewaysACRValues(t *testing.T) {
	e := newEnv(t)
	w := e.newWorkstation()
	w.startLogin("remote")
	authorize := e.continueToCIS2(e.browser, w.login.VerificationURI)
	if authorize.Query().Get("acr_values") != "AAL2_OR_AAL3_ANY" {
		t.Fatalf("the gateway asks CIS2 for %q", authorize.Query().Get("acr_values"))
	}
	q := authorize.Query()
	q.Set("login_hint", cis2.PersonaAAL1)
	authorize.RawQuery = q.Encode()
	resp, err := e.browser.Get(authorize.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// With only a password the persona cannot be approved: CIS2 shows its
	// page instead of issuing a code.
	if resp.StatusCode == http.StatusFound {
		t.Errorf("CIS2 issued a code to a password-only user for %q", authorize.Query().Get("acr_values"))
	}
}

func TestBackChannelLogoutEndsTheSession(t *testing.T) {
	e := newEnv(t)
	w := e.signIn(cis2.PersonaProviderClinician)
	persona, _ := cis2.FindPersona(cis2.Personas(), cis2.PersonaProviderClinician)
	resp, err := http.Post(e.admin+"/_admin/cis2/revoke?sub="+persona.ID, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	status, body := w.call(http.MethodGet, broker.SessionPath, nil)
	if status != http.StatusUnauthorized || !strings.Contains(string(body), "login_required") {
		t.Errorf("after back-channel logout: %d %s, want 401 login_required", status, body)
	}
}

func TestExpiryRefreshAndTheEndOfTheRefreshWindow(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.APIMExtra = url.Values{apim.KnobAccessTokenExpiry: {"30000"}, apim.KnobRefreshTokensValidity: {"120000"}}
	})
	w := e.signIn(cis2.PersonaProviderClinician)
	if status, body := w.chooseRole("SERVICE_PROVIDER_CLINICIAN", cis2.ProviderODS, ""); status != http.StatusOK {
		t.Fatalf("role: %d %s", status, body)
	}
	// The access token has 30 s, under the refresh margin: the gateway
	// refreshes before forwarding, and the call works.
	e.clock.Advance(40 * time.Second)
	if status, body := w.call(http.MethodGet, specialties, nil); status != http.StatusOK {
		t.Fatalf("call after the access token expired: %d %.300s", status, body)
	}
	// After the refresh window APIM refuses: the session needs a new sign-in.
	e.clock.Advance(3 * time.Minute)
	status, body := w.call(http.MethodGet, specialties, nil)
	if status != http.StatusUnauthorized || !strings.Contains(string(body), "login_required") {
		t.Errorf("after the refresh window: %d %s, want 401 login_required", status, body)
	}
}

func TestIdleSessionsEndAndLogoutEndsNow(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.IdleTimeout = time.Minute })
	w := e.signIn(cis2.PersonaReferrer)
	e.clock.Advance(61 * time.Second)
	if status, _ := w.call(http.MethodGet, broker.SessionPath, nil); status != http.StatusUnauthorized {
		t.Errorf("after the idle timeout: %d, want 401", status)
	}
	w = e.signIn(cis2.PersonaReferrer)
	if status, _ := w.call(http.MethodPost, broker.LogoutPath, nil); status != http.StatusNoContent {
		t.Fatalf("logout: %d", status)
	}
	if status, _ := w.call(http.MethodGet, broker.SessionPath, nil); status != http.StatusUnauthorized {
		t.Errorf("after logout: %d, want 401", status)
	}
}

func TestTheGatewayPublishesItsKeysAndHealth(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{config.GatewayJWKSPath, "/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get(e.gwURL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
}

func TestALoginNotFinishedInFiveMinutesExpires(t *testing.T) {
	e := newEnv(t)
	w := e.newWorkstation()
	w.startLogin("remote")
	e.clock.Advance(5*time.Minute + time.Second)
	if _, _, eb := w.redeem(""); eb.Error != "expired_token" {
		t.Errorf("poll after five minutes: %+v, want expired_token", eb)
	}
	resp, err := e.browser.Get(w.login.VerificationURI)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the short URL after five minutes: %d, want 404", resp.StatusCode)
	}
}

func TestTwoWorkstationsSignInAtOnceAndGetTheirOwnSessions(t *testing.T) {
	e := newEnv(t)
	personas := []string{cis2.PersonaReferrer, cis2.PersonaProviderAdmin}
	names := make([]string, len(personas))
	t.Run("at once", func(t *testing.T) {
		for i, p := range personas {
			t.Run(p, func(t *testing.T) {
				t.Parallel()
				jar, _ := cookiejar.New(nil)
				own := *e
				own.t = t
				own.browser = &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: e.browser.CheckRedirect}
				w := own.signIn(p)
				_, body := w.call(http.MethodGet, broker.SessionPath, nil)
				var info broker.SessionInfo
				_ = json.Unmarshal(body, &info)
				names[i] = info.User.Name
			})
		}
	})
	if !strings.Contains(names[0], "Hart") || !strings.Contains(names[1], "Doyle") {
		t.Errorf("sessions belong to %q, want the referrer then the provider admin", names)
	}
}
