package stack

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// These tests run the three simulators on one real listener on 127.0.0.1
// and drive them as a gateway would: the browser's redirect chain to CIS2
// (auto-approved by login_hint), the code redeemed with a private_key_jwt,
// the ID token exchanged at APIM, and e-RS called with the access token.

const (
	testBits     = 2048
	rpClientID   = "test-gateway.apps.national"
	rpAPIKey     = "test-gateway-api-key"
	rpSecret     = "test-gateway-app-secret"
	rpRedirect   = "http://127.0.0.1:1/auth/cis2/callback" // never dialled: the test reads the Location
	appAPIKey    = "test-unattended-app"
	testVerifier = "a-pkce-verifier-that-is-long-enough-to-be-valid-0123456789"
)

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

// relyingParty is the test's stand-in for the gateway: its key (published
// at a JWKS URL) and the back-channel logouts it received.
type relyingParty struct {
	key     *rsa.PrivateKey
	srv     *httptest.Server
	mu      sync.Mutex
	logouts []string
}

func newRelyingParty(t *testing.T) *relyingParty {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, testBits)
	if err != nil {
		t.Fatal(err)
	}
	rp := &relyingParty{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &key.PublicKey, KeyID: "rp-1", Algorithm: "RS512", Use: "sig"}}})
	})
	mux.HandleFunc("POST /auth/cis2/backchannel-logout", func(w http.ResponseWriter, r *http.Request) {
		rp.mu.Lock()
		rp.logouts = append(rp.logouts, r.FormValue("logout_token"))
		rp.mu.Unlock()
	})
	rp.srv = httptest.NewServer(mux)
	t.Cleanup(rp.srv.Close)
	return rp
}

func (rp *relyingParty) received() []string {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return append([]string(nil), rp.logouts...)
}

// assertion is a client assertion for clientID and the audience, signed
// with the relying party's key at the stack's time.
func (rp *relyingParty) assertion(t *testing.T, clientID, aud string, now time.Time) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS512, Key: rp.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "rp-1"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(signer).Claims(jwt.Claims{
		Issuer: clientID, Subject: clientID, Audience: jwt.Audience{aud}, ID: uuid.NewString(),
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(4 * time.Minute)),
	}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type world struct {
	t       *testing.T
	stack   *Stack
	urls    URLs
	srv     *httptest.Server
	admin   *httptest.Server
	rp      *relyingParty
	clock   *clock
	client  *http.Client
	browser *http.Client
}

// newWorld serves a stack built from the synthetic seed on 127.0.0.1, with
// the relying party registered at CIS2 and APIM and an unattended
// application at APIM.
func newWorld(t *testing.T, change ...func(*Options)) *world {
	t.Helper()
	rp := newRelyingParty(t)
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{
		BaseURL: "http://" + ln.Addr().String(),
		Seed: func() *store.State {
			return seed.Synthetic(seed.SyntheticOptions{Seed: 1, Referrals: 60, Services: 20, Now: clk.Now()})
		},
		Clients: []cis2.Client{{
			ID: rpClientID, RedirectURIs: []string{rpRedirect}, AuthMethod: cis2.AuthPrivateKeyJWT,
			JWKSURL: rp.srv.URL + "/.well-known/jwks.json", BackchannelLogoutURI: rp.srv.URL + "/auth/cis2/backchannel-logout",
		}},
		Apps: []apim.App{
			{
				APIKey: rpAPIKey, Secret: rpSecret, Name: "test gateway", JWKSURL: rp.srv.URL + "/.well-known/jwks.json",
				ASID: "200000000001", AllowedODS: []string{cis2.ReferrerODS, cis2.SecondGPODS, cis2.ProviderODS},
				Scopes: []string{apim.ScopeUserAAL2, apim.ScopeUserAAL3}, AllowLifetimeOverrides: true,
			},
			{
				APIKey: appAPIKey, Name: "unattended", JWKSURL: rp.srv.URL + "/.well-known/jwks.json",
				ASID: "200000000002", Scopes: []string{apim.ScopeAppLevel3},
				AppODS: cis2.ProviderODS, AppBusinessFunction: string(store.ProviderAuthorisedApplication), AppUserID: "656005750105",
			},
		},
		AutoApprove: true,
		KeyBits:     testBits,
		Now:         clk.Now,
		HTTPClient:  &http.Client{Timeout: 5 * time.Second},
	}
	for _, c := range change {
		c(&opts)
	}
	st, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: st.Handler()}}
	srv.Start()
	t.Cleanup(srv.Close)
	admin := httptest.NewServer(st.AdminHandler())
	t.Cleanup(admin.Close)
	return &world{
		t: t, stack: st, urls: st.URLs(), srv: srv, admin: admin, rp: rp, clock: clk,
		client: &http.Client{Timeout: 10 * time.Second},
		browser: &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
	}
}

// signIn runs the browser's side of a CIS2 sign-in for the persona and
// returns the authorization code.
func (w *world) signIn(persona, acr string) string {
	w.t.Helper()
	sum := sha256.Sum256([]byte(testVerifier))
	q := url.Values{
		"response_type": {"code"}, "client_id": {rpClientID}, "redirect_uri": {rpRedirect},
		"scope": {"openid profile nationalrbacaccess"}, "state": {"st-1"}, "nonce": {"n-1"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
		"acr_values": {acr}, "prompt": {"login"}, "login_hint": {persona},
	}
	resp, err := w.browser.Get(w.urls.CIS2Issuer + cis2.AuthorizePath + "?" + q.Encode())
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || loc.Query().Get("code") == "" {
		w.t.Fatalf("authorize for %s: %d to %q, want 302 with a code", persona, resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query().Get("code")
}

// idToken redeems a code at CIS2 with a private_key_jwt.
func (w *world) idToken(code string) string {
	w.t.Helper()
	tokenURL := w.urls.CIS2Issuer + cis2.TokenPath
	status, body := w.postForm(tokenURL, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {rpRedirect},
		"code_verifier": {testVerifier}, "client_id": {rpClientID},
		"client_assertion_type": {cis2.ClientAssertionType},
		"client_assertion":      {w.rp.assertion(w.t, rpClientID, tokenURL, w.clock.Now())},
	})
	if status != http.StatusOK || body["id_token"] == nil {
		w.t.Fatalf("access_token: %d %v", status, body["error"])
	}
	return body["id_token"].(string)
}

// exchange swaps an ID token for an APIM access token; extra adds form
// fields (the lifetime knobs).
func (w *world) exchange(idToken string, extra url.Values) (int, map[string]any) {
	w.t.Helper()
	form := url.Values{
		"grant_type": {apim.GrantTokenExchange}, "subject_token_type": {apim.TokenTypeIDToken},
		"subject_token": {idToken}, "client_assertion_type": {apim.ClientAssertionType},
		"client_assertion": {w.rp.assertion(w.t, rpAPIKey, w.urls.APIMTokenURL, w.clock.Now())},
	}
	for k, v := range extra {
		form[k] = v
	}
	return w.postForm(w.urls.APIMTokenURL, form)
}

// accessToken signs the persona in and returns its APIM access token.
func (w *world) accessToken(persona string) string {
	w.t.Helper()
	status, body := w.exchange(w.idToken(w.signIn(persona, cis2.ACRAAL2OrAAL3)), nil)
	if status != http.StatusOK {
		w.t.Fatalf("token exchange for %s: %d %v %v", persona, status, body["error"], body["error_description"])
	}
	return body["access_token"].(string)
}

func (w *world) postForm(u string, form url.Values) (int, map[string]any) {
	w.t.Helper()
	resp, err := w.client.Post(u, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// ers calls e-RS with the token (none when empty) and headers (pairs).
func (w *world) ers(method, path, token string, headers ...string) (int, http.Header, string) {
	w.t.Helper()
	req, err := http.NewRequest(method, w.urls.ERSBase+path, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

const (
	rolesPath   = "/R4/PractitionerRole"
	specialties = "/STU3/CodeSystem/SPECIALTY"
)

func context(bf ersclient.BusinessFunction, ods string) []string {
	return []string{"NHSD-eRS-Business-Function", string(bf), "NHSD-End-User-Organisation-ODS", ods}
}

func TestAPersonaSignsInAndCallsERSAsThemselves(t *testing.T) {
	w := newWorld(t)
	token := w.accessToken(cis2.PersonaReferrer)

	status, _, body := w.ers(http.MethodGet, rolesPath, token)
	if status != http.StatusOK || !strings.Contains(body, cis2.ReferrerODS) || !strings.Contains(body, cis2.SecondGPODS) {
		t.Fatalf("A030 for the referrer: %d, want 200 naming both practices; body %.300s", status, body)
	}
	for _, ods := range []string{cis2.ReferrerODS, cis2.SecondGPODS} {
		if status, _, body := w.ers(http.MethodGet, specialties, token, context(ersclient.ReferringClinician, ods)...); status != http.StatusOK {
			t.Errorf("A004 as the referrer at %s: %d %.200s", ods, status, body)
		}
	}
	// A role the persona does not hold is refused, whatever the headers claim.
	status, _, _ = w.ers(http.MethodGet, specialties, token, context(ersclient.ServiceProviderClinician, cis2.ProviderODS)...)
	if status != http.StatusForbidden {
		t.Errorf("A004 as a provider clinician the referrer is not: %d, want 403", status)
	}
}

func TestTheTokenNamesTheCallerNotTheSandboxHeaders(t *testing.T) {
	w := newWorld(t)
	token := w.accessToken(cis2.PersonaProviderClinician)
	referrer, _ := cis2.FindPersona(cis2.Personas(), cis2.PersonaReferrer)
	headers := append(context(ersclient.ReferringClinician, cis2.ReferrerODS), sandbox.HeaderSandboxUser, referrer.ID)
	if status, _, _ := w.ers(http.MethodGet, specialties, token, headers...); status != http.StatusForbidden {
		t.Fatalf("a provider clinician's token claiming the referrer by header: %d, want 403", status)
	}
}

func TestEachAssuranceAndRoleCaseMeetsTheLiveRule(t *testing.T) {
	w := newWorld(t)

	// AAL2 (TOTP) is enough for e-RS.
	token := w.accessToken(cis2.PersonaAAL2Only)
	if status, _, body := w.ers(http.MethodGet, specialties, token, context(ersclient.ServiceProviderClinician, cis2.ProviderODS)...); status != http.StatusOK {
		t.Errorf("AAL2 user: %d %.200s, want 200", status, body)
	}

	// AAL1: APIM keeps no e-RS scope and refuses the exchange.
	status, body := w.exchange(w.idToken(w.signIn(cis2.PersonaAAL1, cis2.ACRAAL1UserPass)), nil)
	if status != http.StatusUnauthorized || body["error"] != "unauthorized_client" {
		t.Errorf("AAL1 exchange: %d %v, want 401 unauthorized_client", status, body["error"])
	}

	// IAL2: APIM issues a token, e-RS refuses it.
	token = w.accessToken(cis2.PersonaIAL2)
	status2, _, text := w.ers(http.MethodGet, rolesPath, token)
	if status2 != http.StatusUnauthorized || !strings.Contains(text, "We couldn't verify your identity") {
		t.Errorf("IAL2 user at A030: %d %.300s, want 401 saying the identity could not be verified", status2, text)
	}

	// No e-RS roles: an empty A030 bundle.
	token = w.accessToken(cis2.PersonaNoERSRoles)
	status2, _, text = w.ers(http.MethodGet, rolesPath, token)
	var bundle struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(text), &bundle); status2 != http.StatusOK || err != nil || bundle.Total != 0 {
		t.Errorf("user without e-RS roles at A030: %d total %d, want 200 and none", status2, bundle.Total)
	}

	// An organisation outside the application's allow-list.
	token = w.accessToken(cis2.PersonaOrgNotAllowed)
	status2, _, text = w.ers(http.MethodGet, specialties, token, context(ersclient.ReferringClinician, cis2.NotAllowedODS)...)
	if status2 != http.StatusForbidden || !strings.Contains(text, "Unauthorised ODS code") {
		t.Errorf("organisation not allowed: %d %.300s, want 403 Unauthorised ODS code", status2, text)
	}
}

func TestMissingUnknownAndExpiredTokensGet401(t *testing.T) {
	w := newWorld(t)
	status, body := w.exchange(w.idToken(w.signIn(cis2.PersonaReferrer, cis2.ACRAAL2OrAAL3)),
		url.Values{apim.KnobAccessTokenExpiry: {"5000"}})
	// APIM reports one second less than the lifetime ("599" for ten minutes).
	if status != http.StatusOK || body["expires_in"] != "4" {
		t.Fatalf("exchange with a 5 s token: %d expires_in %v", status, body["expires_in"])
	}
	token := body["access_token"].(string)
	if status, _, _ := w.ers(http.MethodGet, rolesPath, token); status != http.StatusOK {
		t.Fatalf("fresh token: %d", status)
	}
	w.clock.Advance(6 * time.Second)
	for name, tok := range map[string]string{"missing": "", "unknown": "not-a-token", "expired": token} {
		status, h, text := w.ers(http.MethodGet, specialties, tok, context(ersclient.ReferringClinician, cis2.ReferrerODS)...)
		if status != http.StatusUnauthorized || text != "" || !strings.Contains(h.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("%s token: %d %q %q, want 401 with an empty STU3 body and invalid_token", name, status, text, h.Get("WWW-Authenticate"))
		}
	}
}

func TestRefreshRotatesAndTheWindowEnds(t *testing.T) {
	w := newWorld(t)
	status, body := w.exchange(w.idToken(w.signIn(cis2.PersonaProviderAdmin, cis2.ACRAAL2OrAAL3)),
		url.Values{apim.KnobRefreshTokensValidity: {"60000"}})
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %v", status, body)
	}
	refresh := func(rt string) (int, map[string]any) {
		return w.postForm(w.urls.APIMTokenURL, url.Values{
			"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {rpAPIKey}, "client_secret": {rpSecret},
		})
	}
	first := body["refresh_token"].(string)
	status, body = refresh(first)
	if status != http.StatusOK || body["refresh_count"] != "1" {
		t.Fatalf("refresh: %d %v", status, body)
	}
	if status, _, text := w.ers(http.MethodGet, rolesPath, body["access_token"].(string)); status != http.StatusOK {
		t.Fatalf("refreshed token at e-RS: %d %.200s", status, text)
	}
	if status, again := refresh(first); status != http.StatusUnauthorized || again["error_description"] != "refresh_token is invalid" {
		t.Errorf("reused refresh token: %d %v, want 401 refresh_token is invalid", status, again)
	}
	w.clock.Advance(61 * time.Second)
	if status, late := refresh(body["refresh_token"].(string)); status != http.StatusUnauthorized ||
		late["error_description"] != "refresh token refresh period has expired" {
		t.Errorf("refresh after the window: %d %v", status, late)
	}
}

func TestRevokingASessionLogsTheRelyingPartyOutAndRevokingTokensEndsAccess(t *testing.T) {
	w := newWorld(t)
	token := w.accessToken(cis2.PersonaClinicianAdmin)
	sessions := w.adminJSON(http.MethodGet, "/_admin/cis2/sessions")
	list, _ := sessions.([]any)
	if len(list) != 1 {
		t.Fatalf("sessions: %v, want one", sessions)
	}
	persona, _ := cis2.FindPersona(cis2.Personas(), cis2.PersonaClinicianAdmin)
	w.adminJSON(http.MethodPost, "/_admin/cis2/revoke?sub="+persona.ID)
	got := w.rp.received()
	if len(got) != 1 || strings.Count(got[0], ".") != 2 {
		t.Fatalf("back-channel logouts received: %d, want one logout token", len(got))
	}
	claims := jwt.Claims{}
	parsed, err := jwt.ParseSigned(got[0], []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || parsed.Claims(w.stack.CIS2().Keys().Public().Keys[0].Key, &claims) != nil || claims.Subject != persona.ID {
		t.Fatalf("logout token: %v, subject %q", err, claims.Subject)
	}

	// APIM does not revoke on CIS2 logout (the relying party must drop its
	// tokens); the admin API does, for tests.
	ctx := []string{"NHSD-eRS-Business-Function", string(ersclient.ServiceProviderClinicianAdmin),
		"NHSD-End-User-Organisation-ODS", cis2.ProviderODS, "NHSD-eRS-On-Behalf-Of-User-ID", "656005750105"}
	if status, _, text := w.ers(http.MethodGet, specialties, token, ctx...); status != http.StatusOK {
		t.Fatalf("before APIM revocation: %d %.200s", status, text)
	}
	w.adminJSON(http.MethodPost, AdminAPIMRevokePath+"?sub="+persona.ID)
	if status, _, _ := w.ers(http.MethodGet, specialties, token, ctx...); status != http.StatusUnauthorized {
		t.Errorf("after APIM revocation: %d, want 401", status)
	}
}

func (w *world) adminJSON(method, path string) any {
	w.t.Helper()
	req, _ := http.NewRequest(method, w.admin.URL+path, nil)
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		w.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	var v any
	_ = json.NewDecoder(resp.Body).Decode(&v)
	return v
}

func TestAfterCIS2RotatesItsKeyAPIMRefetchesTheKeySet(t *testing.T) {
	w := newWorld(t)
	_ = w.accessToken(cis2.PersonaReferrer) // APIM has now cached the first key set
	w.adminJSON(http.MethodPost, "/_admin/cis2/rotate-key?remove_old=true")
	_ = w.accessToken(cis2.PersonaReferrer) // an unknown kid: APIM must refetch
}

func TestAnApplicationRestrictedTokenActsAsItsRegisteredContext(t *testing.T) {
	w := newWorld(t)
	status, body := w.postForm(w.urls.APIMTokenURL, url.Values{
		"grant_type": {"client_credentials"}, "client_assertion_type": {apim.ClientAssertionType},
		"client_assertion": {w.rp.assertion(t, appAPIKey, w.urls.APIMTokenURL, w.clock.Now())},
	})
	if status != http.StatusOK {
		t.Fatalf("client credentials: %d %v", status, body)
	}
	token := body["access_token"].(string)
	if status, _, text := w.ers(http.MethodGet, specialties, token); status != http.StatusOK {
		t.Errorf("A004 application-restricted: %d %.200s", status, text)
	}
	// An application may not claim a user context.
	if status, _, _ := w.ers(http.MethodGet, specialties, token, context(ersclient.ServiceProviderClinician, cis2.ProviderODS)...); status != http.StatusForbidden {
		t.Errorf("application sending context headers: %d, want 403", status)
	}
	// The user token of the gateway's application cannot be used without one.
	if status, _, _ := w.ers(http.MethodGet, rolesPath, ""); status != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", status)
	}
}

func TestOpenAccessNeedsNoTokenAndKeepsTheOtherRules(t *testing.T) {
	w := newWorld(t, func(o *Options) { o.OpenAccess = true })
	if status, _, text := w.ers(http.MethodGet, specialties, "", context(ersclient.ReferringClinician, cis2.ReferrerODS)...); status != http.StatusOK {
		t.Errorf("open access A004: %d %.200s", status, text)
	}
	if status, _, _ := w.ers(http.MethodGet, specialties, "", "NHSD-eRS-Business-Function", string(ersclient.ReferringClinician)); status != http.StatusBadRequest {
		t.Errorf("open access without the ODS header: %d, want 400", status)
	}
	// CIS2 and APIM are still served.
	if resp, err := w.client.Get(w.urls.CIS2Issuer + cis2.DiscoveryPath); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("discovery under open access: %v", err)
	} else {
		resp.Body.Close()
	}
}

func TestSeparateOriginsServeEachPartOnItsOwn(t *testing.T) {
	cis2Ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	apimLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var st *Stack
	w := newWorld(t, func(o *Options) {
		o.CIS2BaseURL = "http://" + cis2Ln.Addr().String()
		o.APIMBaseURL = "http://" + apimLn.Addr().String()
	})
	st = w.stack
	for _, s := range []struct {
		ln net.Listener
		h  http.Handler
	}{{cis2Ln, st.CIS2Handler()}, {apimLn, st.APIMHandler()}} {
		srv := &httptest.Server{Listener: s.ln, Config: &http.Server{Handler: s.h}}
		srv.Start()
		t.Cleanup(srv.Close)
	}
	if !strings.HasPrefix(w.urls.CIS2Issuer, "http://"+cis2Ln.Addr().String()) || w.urls.APIMTokenURL != "http://"+apimLn.Addr().String()+apim.TokenPath {
		t.Fatalf("URLs %+v do not use the separate origins", w.urls)
	}
	token := w.accessToken(cis2.PersonaReferrer)
	if status, _, _ := w.ers(http.MethodGet, rolesPath, token); status != http.StatusOK {
		t.Errorf("A030 with a token from the separate APIM: %d", status)
	}
	// The e-RS origin no longer answers for CIS2.
	if resp, err := w.client.Get(w.srv.URL + cis2.IssuerPath + cis2.DiscoveryPath); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("the e-RS origin serves CIS2 discovery though CIS2 has its own origin")
		}
	}
}

func TestNewRefusesABadConfiguration(t *testing.T) {
	seedFn := func() *store.State { return seed.Examples(time.Now()) }
	for name, opts := range map[string]Options{
		"no seed":          {BaseURL: "http://127.0.0.1:9000"},
		"no port":          {BaseURL: "http://127.0.0.1", Seed: seedFn},
		"a path":           {BaseURL: "http://127.0.0.1:9000/x", Seed: seedFn},
		"bad CIS2 origin":  {BaseURL: "http://127.0.0.1:9000", CIS2BaseURL: "ftp://x:1", Seed: seedFn},
		"duplicate apps":   {BaseURL: "http://127.0.0.1:9000", Seed: seedFn, Apps: []apim.App{{APIKey: "a"}, {APIKey: "a"}}},
		"bad client entry": {BaseURL: "http://127.0.0.1:9000", Seed: seedFn, Clients: []cis2.Client{{}}},
	} {
		opts.KeyBits = testBits
		if _, err := New(opts); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}
