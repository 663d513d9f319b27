package cis2

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	testRedirect     = "http://127.0.0.1:9/callback"
	secretClientID   = "969567331416.apps.national"
	secretClientPass = "s3cret-for-tests"
	testVerifier     = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-a-long-enough-verifier"
	testState        = "af0ifjsldkj"
	testNonce        = "n-0S6_WzA2Mj"
)

// signInMock is a provider with a private_key_jwt client (testClientID,
// keys served by a relying-party JWKS server) and a client_secret_post one.
type signInMock struct {
	*mock
	rpKey   *rsa.PrivateKey
	browser *http.Client // does not follow redirects
}

func newSignInMock(t *testing.T, autoApprove bool) *signInMock {
	t.Helper()
	return newSignInMockWith(t, autoApprove, nil)
}

// newSignInMockWith is newSignInMock with change applied to the config
// before the provider is made.
func newSignInMockWith(t *testing.T, autoApprove bool, change func(*Config)) *signInMock {
	t.Helper()
	rpKey, err := rsa.GenerateKey(rand.Reader, testBits)
	if err != nil {
		t.Fatal(err)
	}
	rp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &rpKey.PublicKey, KeyID: "rp-1", Algorithm: "RS512", Use: "sig"}}})
	}))
	t.Cleanup(rp.Close)
	k, err := GenerateKey("cis2-mock-2026-11-01", testBits)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := NewKeySet(k)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	srv := httptest.NewUnstartedServer(nil)
	cfg := Config{Issuer: IssuerFor("http://" + srv.Listener.Addr().String()), Keys: keys, Now: clk.Now,
		AutoApprove: autoApprove, HTTPClient: &http.Client{Timeout: 5 * time.Second}, KeyBits: testBits,
		Clients: []Client{
			{ID: testClientID, RedirectURIs: []string{testRedirect}, AuthMethod: AuthPrivateKeyJWT, JWKSURL: rp.URL},
			{ID: secretClientID, RedirectURIs: []string{testRedirect}, AuthMethod: AuthClientSecretPost, Secret: secretClientPass},
		}}
	if change != nil {
		change(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = p.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	client := &http.Client{Timeout: 10 * time.Second}
	browser := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return &signInMock{mock: &mock{p: p, srv: srv, client: client, clock: clk}, rpKey: rpKey, browser: browser}
}

func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizeURL is a valid request for clientID with changes applied (an
// empty value deletes the parameter).
func (m *signInMock) authorizeURL(clientID string, changes map[string]string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {testRedirect},
		"scope": {"openid profile nationalrbacaccess"}, "state": {testState}, "nonce": {testNonce},
		"code_challenge": {challenge(testVerifier)}, "code_challenge_method": {"S256"},
		"acr_values": {ACRAAL2OrAAL3}, "prompt": {"login"}, "max_age": {"300"}}
	for k, v := range changes {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return m.p.Issuer() + AuthorizePath + "?" + q.Encode()
}

type response struct {
	status int
	header http.Header
	body   string
}

func (m *signInMock) do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := m.browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(b)}
}

func (m *signInMock) get(t *testing.T, u string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m.do(t, req)
}

func (m *signInMock) post(t *testing.T, u string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return m.do(t, req)
}

var (
	formRe   = regexp.MustCompile(`<form method="post" action="([^"]*)">`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// page is the sign-in form as a plain client sees it.
type page struct {
	action string
	hidden url.Values
	body   string
}

func parsePage(t *testing.T, r response) page {
	t.Helper()
	f := formRe.FindStringSubmatch(r.body)
	if f == nil {
		t.Fatalf("no form in the page (status %d): %s", r.status, r.body)
	}
	pg := page{action: html.UnescapeString(f[1]), hidden: url.Values{}, body: r.body}
	for _, h := range hiddenRe.FindAllStringSubmatch(r.body, -1) {
		pg.hidden.Set(h[1], html.UnescapeString(h[2]))
	}
	return pg
}

// submit posts the page's form with the hidden fields and fields.
func (m *signInMock) submit(t *testing.T, pg page, fields map[string]string) response {
	t.Helper()
	form := url.Values{}
	for k, v := range pg.hidden {
		form[k] = v
	}
	for k, v := range fields {
		form.Set(k, v)
	}
	return m.post(t, m.srv.URL+pg.action, form)
}

// callback checks a redirect to the client and returns its query.
func callback(t *testing.T, r response) url.Values {
	t.Helper()
	if r.status != http.StatusFound {
		t.Fatalf("status %d, want 302: %s", r.status, r.body)
	}
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != testRedirect {
		t.Fatalf("redirected to %q", got)
	}
	return u.Query()
}

// signIn drives the page: GET, choose, approve; it returns the code.
func (m *signInMock) signIn(t *testing.T, persona string, a Authenticator) string {
	t.Helper()
	pg := parsePage(t, m.get(t, m.authorizeURL(testClientID, nil)))
	q := callback(t, m.submit(t, pg, map[string]string{"persona": persona, "authenticator": string(a), "action": "approve"}))
	if q.Get("state") != testState || q.Get("code") == "" {
		t.Fatalf("callback %v", q)
	}
	return q.Get("code")
}

// assertion is a private_key_jwt client assertion with changes applied.
func (m *signInMock) assertion(t *testing.T, change func(*jwt.Claims)) string {
	t.Helper()
	now := m.clock.Now()
	c := jwt.Claims{Issuer: testClientID, Subject: testClientID, Audience: jwt.Audience{m.p.Issuer() + TokenPath},
		ID: randomID(), Expiry: jwt.NewNumericDate(now.Add(5 * time.Minute)), IssuedAt: jwt.NewNumericDate(now)}
	if change != nil {
		change(&c)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS512, Key: jose.JSONWebKey{Key: m.rpKey, KeyID: "rp-1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(signer).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (m *signInMock) tokenForm(t *testing.T, code string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect},
		"code_verifier": {testVerifier}, "client_id": {testClientID},
		"client_assertion_type": {ClientAssertionType}, "client_assertion": {m.assertion(t, nil)}}
}

func (m *signInMock) redeem(t *testing.T, form url.Values) (int, TokenResponse, ErrorResponse) {
	t.Helper()
	r := m.post(t, m.p.Issuer()+TokenPath, form)
	var ok TokenResponse
	var bad ErrorResponse
	if r.status == http.StatusOK {
		if err := json.Unmarshal([]byte(r.body), &ok); err != nil {
			t.Fatal(err)
		}
	} else if err := json.Unmarshal([]byte(r.body), &bad); err != nil {
		t.Fatalf("status %d body %q: %v", r.status, r.body, err)
	}
	return r.status, ok, bad
}

func wantOAuthError(t *testing.T, status int, e ErrorResponse, wantStatus int, code, desc string) {
	t.Helper()
	if status != wantStatus || e.Error != code || e.Description != desc {
		t.Errorf("got %d %+v, want %d %s %q", status, e, wantStatus, code, desc)
	}
}

func TestTheFullCodeFlowWithPKCEAndPrivateKeyJWTVerifiesWithGoOIDC(t *testing.T) {
	m := newSignInMock(t, false)
	code := m.signIn(t, PersonaReferrer, Smartcard)
	status, tok, bad := m.redeem(t, m.tokenForm(t, code))
	if status != http.StatusOK {
		t.Fatalf("status %d %+v", status, bad)
	}
	if tok.TokenType != "Bearer" || tok.AccessToken == "" || tok.ExpiresIn <= 0 || tok.Scope != "openid profile nationalrbacaccess" {
		t.Errorf("token response %+v", tok)
	}
	idt, err := m.verifier(t).Verify(t.Context(), tok.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	if idt.Subject != "656005750104" || idt.Nonce != testNonce {
		t.Errorf("sub %q nonce %q", idt.Subject, idt.Nonce)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}
	var c IDToken
	if err := idt.Claims(&c); err != nil {
		t.Fatal(err)
	}
	if c.ACR != ACRAAL2OrAAL3 || c.AuthenticationAssuranceLevel != 3 || c.AMR[0] != "N3_SMARTCARD" || c.SessionID == "" ||
		c.AuthTime != m.clock.Now().Unix() {
		t.Errorf("claims %+v", c)
	}

	t.Run("userinfo answers the persona's claims for the granted scopes", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, m.p.Issuer()+UserInfoPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		r := m.do(t, req)
		var ui map[string]any
		if err := json.Unmarshal([]byte(r.body), &ui); err != nil || r.status != http.StatusOK {
			t.Fatalf("status %d %v", r.status, err)
		}
		if ui["sub"] != "656005750104" || ui["family_name"] != "Hart" || ui["nhsid_nrbac_roles"] == nil {
			t.Errorf("userinfo %v", ui)
		}
		if _, has := ui["email"]; has {
			t.Errorf("email without the email scope: %v", ui)
		}
	})
	t.Run("userinfo refuses an unknown token", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, m.p.Issuer()+UserInfoPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer not-a-token")
		r := m.do(t, req)
		if r.status != http.StatusUnauthorized || !strings.Contains(r.header.Get("WWW-Authenticate"), ErrInvalidToken) {
			t.Errorf("status %d, WWW-Authenticate %q", r.status, r.header.Get("WWW-Authenticate"))
		}
	})
	t.Run("userinfo refuses the token once it has expired", func(t *testing.T) {
		m.clock.Advance(DefaultAccessTokenLifetime)
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, m.p.Issuer()+UserInfoPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		if r := m.do(t, req); r.status != http.StatusUnauthorized {
			t.Errorf("status %d", r.status)
		}
	})
}

func TestACodeCannotBeReplayed(t *testing.T) {
	m := newSignInMock(t, false)
	code := m.signIn(t, PersonaReferrer, Smartcard)
	if status, _, bad := m.redeem(t, m.tokenForm(t, code)); status != http.StatusOK {
		t.Fatalf("first use: %d %+v", status, bad)
	}
	status, _, bad := m.redeem(t, m.tokenForm(t, code))
	wantOAuthError(t, status, bad, http.StatusBadRequest, ErrInvalidGrant, DescGrantInvalid)
}

func TestCodeRedemptionFailures(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, m *signInMock, f url.Values)
		status int
		code   string
		desc   string
	}{
		{"a wrong verifier", func(_ *testing.T, _ *signInMock, f url.Values) {
			f.Set("code_verifier", "another-verifier-of-enough-length-0123456789")
		},
			400, ErrInvalidGrant, DescVerifierMismatch},
		{"no verifier", func(_ *testing.T, _ *signInMock, f url.Values) { f.Del("code_verifier") }, 400, ErrInvalidRequest, DescVerifierMissing},
		{"a different redirect_uri", func(_ *testing.T, _ *signInMock, f url.Values) { f.Set("redirect_uri", testRedirect+"/other") },
			400, ErrInvalidGrant, DescRedirectMismatch},
		{"an expired code", func(_ *testing.T, m *signInMock, _ url.Values) { m.clock.Advance(CodeLifetime) }, 400, ErrInvalidGrant, DescGrantInvalid},
		{"another client's code", func(_ *testing.T, _ *signInMock, f url.Values) {
			f.Del("client_assertion")
			f.Del("client_assertion_type")
			f.Set("client_id", secretClientID)
			f.Set("client_secret", secretClientPass)
		}, 400, ErrInvalidGrant, DescGrantInvalid},
		{"an assertion for another audience", func(t *testing.T, m *signInMock, f url.Values) {
			f.Set("client_assertion", m.assertion(t, func(c *jwt.Claims) { c.Audience = jwt.Audience{"https://elsewhere"} }))
		}, 401, ErrInvalidClient, DescJWTNotValid},
		{"an expired assertion", func(t *testing.T, m *signInMock, f url.Values) {
			f.Set("client_assertion", m.assertion(t, func(c *jwt.Claims) { c.Expiry = jwt.NewNumericDate(m.clock.Now().Add(-time.Second)) }))
		}, 401, ErrInvalidClient, DescJWTNotValid},
		{"an assertion whose iss is not sub", func(t *testing.T, m *signInMock, f url.Values) {
			f.Set("client_assertion", m.assertion(t, func(c *jwt.Claims) { c.Subject = "someone-else" }))
		}, 401, ErrInvalidClient, DescJWTNotValid},
		{"a bad assertion type", func(_ *testing.T, _ *signInMock, f url.Values) { f.Set("client_assertion_type", "jwt") },
			401, ErrInvalidClient, DescJWTNotValid},
		{"a wrong client secret", func(_ *testing.T, _ *signInMock, f url.Values) {
			f.Del("client_assertion")
			f.Set("client_id", secretClientID)
			f.Set("client_secret", "wrong")
		}, 401, ErrInvalidClient, DescClientAuthFailed},
		{"another grant type", func(_ *testing.T, _ *signInMock, f url.Values) { f.Set("grant_type", "refresh_token") },
			400, ErrUnsupportedGrantType, DescGrantType},
	}
	for _, tc := range cases {
		t.Run("fails with "+tc.name, func(t *testing.T) {
			m := newSignInMock(t, false)
			code := m.signIn(t, PersonaReferrer, Smartcard)
			f := m.tokenForm(t, code)
			tc.change(t, m, f)
			status, _, bad := m.redeem(t, f)
			wantOAuthError(t, status, bad, tc.status, tc.code, tc.desc)
		})
	}
}

func TestAReusedAssertionJTIIsRefused(t *testing.T) {
	m := newSignInMock(t, false)
	f := m.tokenForm(t, m.signIn(t, PersonaReferrer, Smartcard))
	if status, _, bad := m.redeem(t, f); status != http.StatusOK {
		t.Fatalf("%d %+v", status, bad)
	}
	f2 := m.tokenForm(t, m.signIn(t, PersonaReferrer, Smartcard))
	f2.Set("client_assertion", f.Get("client_assertion"))
	status, _, bad := m.redeem(t, f2)
	wantOAuthError(t, status, bad, http.StatusUnauthorized, ErrInvalidClient, DescJWTNotValid)
}

func TestClientSecretPostRedeemsItsCode(t *testing.T) {
	m := newSignInMock(t, false)
	pg := parsePage(t, m.get(t, m.authorizeURL(secretClientID, nil)))
	q := callback(t, m.submit(t, pg, map[string]string{"persona": PersonaProviderAdmin, "authenticator": "fido2", "action": "approve"}))
	f := url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "redirect_uri": {testRedirect},
		"code_verifier": {testVerifier}, "client_id": {secretClientID}, "client_secret": {secretClientPass}}
	status, tok, bad := m.redeem(t, f)
	if status != http.StatusOK || tok.IDToken == "" {
		t.Fatalf("%d %+v", status, bad)
	}
}

func TestCancelRedirectsWithAccessDenied(t *testing.T) {
	m := newSignInMock(t, false)
	pg := parsePage(t, m.get(t, m.authorizeURL(testClientID, nil)))
	q := callback(t, m.submit(t, pg, map[string]string{"action": "cancel"}))
	if q.Get("error") != ErrAccessDenied || q.Get("state") != testState || q.Get("code") != "" {
		t.Errorf("callback %v", q)
	}
	t.Run("and the page cannot be used again", func(t *testing.T) {
		r := m.submit(t, pg, map[string]string{"persona": PersonaReferrer, "authenticator": "smartcard", "action": "approve"})
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, html.EscapeString(DescSessionExpired)) {
			t.Errorf("status %d", r.status)
		}
	})
}

func TestAWeakerAuthenticatorIsRefusedWithTheReason(t *testing.T) {
	m := newSignInMock(t, false)
	pg := parsePage(t, m.get(t, m.authorizeURL(testClientID, map[string]string{"acr_values": ACRAAL3Any})))
	if !strings.Contains(pg.body, "Not strong enough for this service") {
		t.Error("the page does not mark weak authenticators")
	}
	r := m.submit(t, pg, map[string]string{"persona": PersonaReferrer, "authenticator": "totp", "action": "approve"})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) || !strings.Contains(r.body, "not strong enough") {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	t.Run("the same page then accepts a strong enough one", func(t *testing.T) {
		q := callback(t, m.submit(t, parsePage(t, r), map[string]string{"persona": PersonaReferrer, "authenticator": "smartcard", "action": "approve"}))
		if q.Get("code") == "" {
			t.Errorf("callback %v", q)
		}
	})
	t.Run("an authenticator the persona does not hold is refused", func(t *testing.T) {
		pg := parsePage(t, m.get(t, m.authorizeURL(testClientID, nil)))
		r := m.submit(t, pg, map[string]string{"persona": PersonaAAL2Only, "authenticator": "smartcard", "action": "approve"})
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, html.EscapeString(DescAuthenticatorNotHeld)) {
			t.Errorf("status %d", r.status)
		}
	})
}

func TestAWrongCSRFTokenIsRefused(t *testing.T) {
	m := newSignInMock(t, false)
	pg := parsePage(t, m.get(t, m.authorizeURL(testClientID, nil)))
	pg.hidden.Set("csrf_token", "forged")
	r := m.submit(t, pg, map[string]string{"persona": PersonaReferrer, "authenticator": "smartcard", "action": "approve"})
	if r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
		t.Errorf("status %d location %q", r.status, r.header.Get("Location"))
	}
}

func TestAutoApprove(t *testing.T) {
	t.Run("on, login_hint signs in at once with smartcard", func(t *testing.T) {
		m := newSignInMock(t, true)
		q := callback(t, m.get(t, m.authorizeURL(testClientID, map[string]string{"login_hint": PersonaProviderClinician})))
		_, tok, _ := m.redeem(t, m.tokenForm(t, q.Get("code")))
		idt, err := m.verifier(t).Verify(t.Context(), tok.IDToken)
		if err != nil {
			t.Fatal(err)
		}
		var c IDToken
		if err := idt.Claims(&c); err != nil {
			t.Fatal(err)
		}
		if c.Subject != "656005750105" || c.AMR[0] != "N3_SMARTCARD" {
			t.Errorf("claims %+v", c)
		}
	})
	t.Run("on, a TOTP-only persona gets TOTP", func(t *testing.T) {
		m := newSignInMock(t, true)
		q := callback(t, m.get(t, m.authorizeURL(testClientID, map[string]string{"login_hint": PersonaAAL2Only})))
		_, tok, _ := m.redeem(t, m.tokenForm(t, q.Get("code")))
		idt, err := m.verifier(t).Verify(t.Context(), tok.IDToken)
		if err != nil {
			t.Fatal(err)
		}
		var c IDToken
		if err := idt.Claims(&c); err != nil {
			t.Fatal(err)
		}
		if c.AuthenticationAssuranceLevel != 2 || c.ACR != ACRAAL2OrAAL3 {
			t.Errorf("claims %+v", c)
		}
	})
	t.Run("on, without login_hint the page is shown", func(t *testing.T) {
		m := newSignInMock(t, true)
		if r := m.get(t, m.authorizeURL(testClientID, nil)); r.status != http.StatusOK {
			t.Errorf("status %d", r.status)
		}
	})
	t.Run("off, login_hint only preselects the persona", func(t *testing.T) {
		m := newSignInMock(t, false)
		r := m.get(t, m.authorizeURL(testClientID, map[string]string{"login_hint": PersonaProviderAdmin}))
		if r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
		if !regexp.MustCompile(`value="provider-admin" aria-describedby="persona-provider-admin-hint" checked`).MatchString(r.body) {
			t.Error("provider-admin is not preselected")
		}
	})
}

func TestAuthorizeErrors(t *testing.T) {
	t.Run("an unknown client or redirect_uri is an error page, never a redirect", func(t *testing.T) {
		m := newSignInMock(t, false)
		for _, u := range []string{
			m.authorizeURL("nobody.apps.national", nil),
			m.authorizeURL(testClientID, map[string]string{"redirect_uri": "http://127.0.0.1:9/evil"}),
			m.authorizeURL(testClientID, map[string]string{"redirect_uri": ""}),
		} {
			r := m.get(t, u)
			if r.status != http.StatusBadRequest || r.header.Get("Location") != "" || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: status %d location %q", u, r.status, r.header.Get("Location"))
			}
		}
	})
	cases := []struct {
		name    string
		changes map[string]string
		code    string
		desc    string
	}{
		{"response_type token", map[string]string{"response_type": "token"}, ErrUnsupportedResponseType, DescResponseType},
		{"no openid scope", map[string]string{"scope": "profile"}, ErrInvalidScope, DescScopeOpenID},
		{"no state", map[string]string{"state": ""}, ErrInvalidRequest, DescStateMissing},
		{"no code_challenge", map[string]string{"code_challenge": ""}, ErrInvalidRequest, DescPKCEMissing},
		{"a plain code_challenge_method", map[string]string{"code_challenge_method": "plain"}, ErrInvalidRequest, DescPKCEMethod},
		{"an unknown acr value", map[string]string{"acr_values": "AAL9"}, ErrInvalidRequest, DescACRUnknown},
		{"a negative max_age", map[string]string{"max_age": "-1"}, ErrInvalidRequest, DescMaxAge},
		{"prompt=none with no session", map[string]string{"prompt": "none"}, ErrLoginRequired, DescLoginRequired},
	}
	for _, tc := range cases {
		t.Run(tc.name+" redirects with "+tc.code, func(t *testing.T) {
			m := newSignInMock(t, false)
			q := callback(t, m.get(t, m.authorizeURL(testClientID, tc.changes)))
			if q.Get("error") != tc.code || q.Get("error_description") != tc.desc {
				t.Errorf("callback %v", q)
			}
			if _, ok := tc.changes["state"]; !ok && q.Get("state") != testState {
				t.Errorf("state %q", q.Get("state"))
			}
		})
	}
}

func TestThePageIsAccessibleAndSelfContained(t *testing.T) {
	m := newSignInMock(t, false)
	r := m.get(t, m.authorizeURL(testClientID, nil))
	for _, want := range []string{`<html lang="en-GB">`, "<h1>", "<fieldset>", "<legend>Who are you?</legend>",
		`<label for="persona-referrer">`, `<label for="authenticator-smartcard">`, `type="submit" name="action" value="cancel"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "<script") || strings.Contains(r.body, "tabindex=\"1") {
		t.Error("the page uses scripts or a positive tabindex")
	}
	if !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("CSP %q", r.header.Get("Content-Security-Policy"))
	}
}
