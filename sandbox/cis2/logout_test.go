package cis2

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	testPostLogout   = "http://127.0.0.1:9/signed-out"
	logoutPathPKJWT  = "/auth/cis2/backchannel-logout"
	logoutPathSecret = "/secret-client/backchannel-logout"
)

// logoutReceiver is a relying party's back-channel logout endpoint. Its
// status answers every delivery; zero means 200.
type logoutReceiver struct {
	srv *httptest.Server

	mu       sync.Mutex
	status   int
	received []delivery
}

type delivery struct {
	path, contentType, token string
}

func newLogoutReceiver(t *testing.T) *logoutReceiver {
	t.Helper()
	rc := &logoutReceiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.ParseForm() != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		rc.received = append(rc.received, delivery{r.URL.Path, r.Header.Get("Content-Type"), r.PostForm.Get("logout_token")})
		status := rc.status
		rc.mu.Unlock()
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *logoutReceiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.received)
}

// newLogoutMock is a sign-in mock whose two clients register
// testPostLogout and a back-channel logout URI on rc, and whose browser
// keeps cookies.
func newLogoutMock(t *testing.T, rc *logoutReceiver) *signInMock {
	t.Helper()
	m := newSignInMockWith(t, false, func(c *Config) {
		c.Clients[0].PostLogoutRedirectURIs = []string{testPostLogout}
		c.Clients[0].BackchannelLogoutURI = rc.srv.URL + logoutPathPKJWT
		c.Clients[1].PostLogoutRedirectURIs = []string{testPostLogout}
		c.Clients[1].BackchannelLogoutURI = rc.srv.URL + logoutPathSecret
	})
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	m.browser.Jar = jar
	return m
}

// login signs persona in through the page for testClientID and redeems the
// code.
func (m *signInMock) login(t *testing.T, persona string) TokenResponse {
	t.Helper()
	code := m.signIn(t, persona, Smartcard)
	status, tok, bad := m.redeem(t, m.tokenForm(t, code))
	if status != http.StatusOK {
		t.Fatalf("redeem: %d %+v", status, bad)
	}
	return tok
}

func (m *signInMock) idClaims(t *testing.T, raw string) IDToken {
	t.Helper()
	idt, err := m.verifier(t).Verify(t.Context(), raw)
	if err != nil {
		t.Fatal(err)
	}
	var c IDToken
	if err := idt.Claims(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

// userInfoStatus is the status /userinfo answers for the access token.
func (m *signInMock) userInfoStatus(t *testing.T, at string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, m.p.Issuer()+UserInfoPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+at)
	return m.do(t, req).status
}

// silent is a prompt=none authorize request for clientID.
func (m *signInMock) silent(t *testing.T, clientID string) url.Values {
	t.Helper()
	return callback(t, m.get(t, m.authorizeURL(clientID, map[string]string{"prompt": "none"})))
}

func (m *signInMock) endSessionURL(v url.Values) string {
	return m.p.Issuer() + EndSessionPath + "?" + v.Encode()
}

func TestEndSessionEndsTheSessionAndRedirectsWithState(t *testing.T) {
	m := newLogoutMock(t, newLogoutReceiver(t))
	tok := m.login(t, PersonaReferrer)
	sid := m.idClaims(t, tok.IDToken).SessionID

	t.Run("before, prompt=none signs in silently to the same session", func(t *testing.T) {
		q := m.silent(t, testClientID)
		status, again, bad := m.redeem(t, m.tokenForm(t, q.Get("code")))
		if status != http.StatusOK {
			t.Fatalf("redeem: %d %+v", status, bad)
		}
		if got := m.idClaims(t, again.IDToken).SessionID; got != sid {
			t.Errorf("sid %q, want %q", got, sid)
		}
	})

	r := m.get(t, m.endSessionURL(url.Values{"id_token_hint": {tok.IDToken},
		"post_logout_redirect_uri": {testPostLogout}, "state": {"bye-123"}}))
	if r.status != http.StatusFound || r.header.Get("Location") != testPostLogout+"?state=bye-123" {
		t.Fatalf("status %d Location %q", r.status, r.header.Get("Location"))
	}
	t.Run("the cookie is cleared", func(t *testing.T) {
		if c := r.header.Get("Set-Cookie"); !strings.HasPrefix(c, SessionCookie+"=;") || !strings.Contains(c, "Max-Age=0") {
			t.Errorf("Set-Cookie %q", c)
		}
	})
	t.Run("after, prompt=none answers login_required", func(t *testing.T) {
		q := m.silent(t, testClientID)
		if q.Get("error") != ErrLoginRequired || q.Get("code") != "" || q.Get("state") != testState {
			t.Errorf("callback %v", q)
		}
	})
	t.Run("after, the session's access token is refused at userinfo", func(t *testing.T) {
		if s := m.userInfoStatus(t, tok.AccessToken); s != http.StatusUnauthorized {
			t.Errorf("status %d", s)
		}
	})
	t.Run("after, no session is listed", func(t *testing.T) {
		if ss := m.p.Sessions(); len(ss) != 0 {
			t.Errorf("sessions %+v", ss)
		}
	})
}

func TestEndSessionWithoutARedirectShowsTheSignedOutPage(t *testing.T) {
	m := newLogoutMock(t, newLogoutReceiver(t))
	tok := m.login(t, PersonaReferrer)
	r := m.get(t, m.endSessionURL(url.Values{"client_id": {testClientID}})) // the cookie names the session
	if r.status != http.StatusOK || !strings.Contains(r.body, "<h1>Signed out</h1>") {
		t.Fatalf("status %d body %s", r.status, r.body)
	}
	if s := m.userInfoStatus(t, tok.AccessToken); s != http.StatusUnauthorized {
		t.Errorf("userinfo status %d", s)
	}
}

func TestEndSessionRefusals(t *testing.T) {
	rc := newLogoutReceiver(t)
	m := newLogoutMock(t, rc)
	tok := m.login(t, PersonaReferrer)
	other, err := GenerateKey(m.p.Keys().CurrentKID(), testBits) // same kid, other key
	if err != nil {
		t.Fatal(err)
	}
	forged, err := (&KeySet{keys: []SigningKey{other}, current: other.KID}).sign(m.idClaims(t, tok.IDToken))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		v    url.Values
		desc string
	}{
		{"an unregistered post_logout_redirect_uri", url.Values{"id_token_hint": {tok.IDToken},
			"post_logout_redirect_uri": {"http://127.0.0.1:9/elsewhere"}}, DescPostLogoutNotRegistered},
		{"a post_logout_redirect_uri that only starts like a registered one", url.Values{"id_token_hint": {tok.IDToken},
			"post_logout_redirect_uri": {testPostLogout + "/more"}}, DescPostLogoutNotRegistered},
		{"a post_logout_redirect_uri without hint or client", url.Values{"post_logout_redirect_uri": {testPostLogout}},
			DescPostLogoutNeedsClient},
		{"a post_logout_redirect_uri of an unknown client", url.Values{"client_id": {"nobody"},
			"post_logout_redirect_uri": {testPostLogout}}, DescUnknownClient},
		{"a client_id that is not the hint's audience", url.Values{"id_token_hint": {tok.IDToken},
			"client_id": {secretClientID}}, DescClientHintMismatch},
		{"a hint signed by another key", url.Values{"id_token_hint": {forged}}, DescIDTokenHintInvalid},
		{"a hint that is not a JWT", url.Values{"id_token_hint": {"not-a-jwt"}}, DescIDTokenHintInvalid},
	} {
		t.Run(tc.name+" is an error page and ends nothing", func(t *testing.T) {
			r := m.get(t, m.endSessionURL(tc.v))
			if r.status != http.StatusBadRequest || r.header.Get("Location") != "" || !strings.Contains(r.body, tc.desc) {
				t.Errorf("status %d Location %q body %s", r.status, r.header.Get("Location"), r.body)
			}
			if len(m.p.Sessions()) != 1 || m.userInfoStatus(t, tok.AccessToken) != http.StatusOK {
				t.Error("the session was ended")
			}
		})
	}
	if d := rc.deliveries(); len(d) != 0 {
		t.Errorf("%d logout tokens sent", len(d))
	}
	t.Run("an expired hint is still accepted", func(t *testing.T) {
		m.clock.Advance(2 * DefaultIDTokenLifetime)
		r := m.get(t, m.endSessionURL(url.Values{"id_token_hint": {tok.IDToken}, "post_logout_redirect_uri": {testPostLogout}}))
		if r.status != http.StatusFound || r.header.Get("Location") != testPostLogout {
			t.Errorf("status %d Location %q", r.status, r.header.Get("Location"))
		}
	})
}

// servedJWKS fetches the provider's JWKS over HTTP.
func (m *signInMock) servedJWKS(t *testing.T) jose.JSONWebKeySet {
	t.Helper()
	var set jose.JSONWebKeySet
	m.mock.get(t, m.p.Issuer()+JWKSPath, &set)
	return set
}

// verifyLogoutToken checks a logout token with go-jose against the served
// JWKS and returns its claims as a map.
func (m *signInMock) verifyLogoutToken(t *testing.T, raw string) map[string]any {
	t.Helper()
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	h := tok.Headers[0]
	if h.Algorithm != "RS256" || h.ExtraHeaders["typ"] != "JWT" || h.KeyID != m.p.Keys().CurrentKID() {
		t.Errorf("header alg %q typ %v kid %q", h.Algorithm, h.ExtraHeaders["typ"], h.KeyID)
	}
	set := m.servedJWKS(t)
	keys := set.Key(h.KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q: %d served keys", h.KeyID, len(keys))
	}
	var claims map[string]any
	if err := tok.Claims(keys[0], &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

func TestRevokeSessionSendsLogoutTokensToEveryClientOfTheSession(t *testing.T) {
	rc := newLogoutReceiver(t)
	m := newLogoutMock(t, rc)
	tok := m.login(t, PersonaReferrer)
	sid := m.idClaims(t, tok.IDToken).SessionID
	// The secret client joins the session silently.
	q := m.silent(t, secretClientID)
	status, secretTok, bad := m.redeem(t, url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")},
		"redirect_uri": {testRedirect}, "code_verifier": {testVerifier}, "client_id": {secretClientID},
		"client_secret": {secretClientPass}})
	if status != http.StatusOK {
		t.Fatalf("redeem: %d %+v", status, bad)
	}
	// Another user's session is not touched.
	other := newLogoutBrowser(t, m)
	otherTok := other.login(t, PersonaProviderClinician)

	if err := m.p.RevokeSession(t.Context(), sid); err != nil {
		t.Fatal(err)
	}
	got := rc.deliveries()
	if len(got) != 2 || got[0].path != logoutPathPKJWT || got[1].path != logoutPathSecret {
		t.Fatalf("deliveries %+v", got)
	}
	now := m.clock.Now().Unix()
	jtis := map[string]bool{}
	for i, d := range got {
		aud := []string{testClientID, secretClientID}[i]
		t.Run("the token to "+aud+" has exactly the claims of the notes", func(t *testing.T) {
			if d.contentType != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type %q", d.contentType)
			}
			c := m.verifyLogoutToken(t, d.token)
			keys := slices.Sorted(maps.Keys(c))
			if want := []string{"aud", "events", "exp", "iat", "iss", "jti", "sid", "sub"}; !slices.Equal(keys, want) {
				t.Errorf("claims %v, want %v (no nonce)", keys, want)
			}
			if c["iss"] != m.p.Issuer() || c["aud"] != aud || c["sub"] != "656005750104" || c["sid"] != sid ||
				c["iat"] != float64(now) || c["exp"] != float64(now+120) {
				t.Errorf("claims %v", c)
			}
			ev, ok := c["events"].(map[string]any)
			if inner, isMap := ev[BackchannelLogoutEvent].(map[string]any); !ok || len(ev) != 1 || !isMap || len(inner) != 0 {
				t.Errorf("events %v", c["events"])
			}
			jti, _ := c["jti"].(string)
			if jti == "" || jtis[jti] {
				t.Errorf("jti %q empty or repeated", jti)
			}
			jtis[jti] = true
		})
	}
	t.Run("go-oidc's VerifyLogout accepts the token", func(t *testing.T) {
		ctx := oidc.ClientContext(t.Context(), m.client)
		op, err := oidc.NewProvider(ctx, m.p.Issuer())
		if err != nil {
			t.Fatal(err)
		}
		v := op.VerifierContext(ctx, &oidc.Config{ClientID: testClientID, Now: m.clock.Now})
		lt, err := v.VerifyLogout(ctx, got[0].token)
		if err != nil {
			t.Fatal(err)
		}
		if lt.SessionID != sid || lt.Subject != "656005750104" {
			t.Errorf("logout token %+v", lt)
		}
	})
	t.Run("the session's access tokens are refused at userinfo", func(t *testing.T) {
		for _, at := range []string{tok.AccessToken, secretTok.AccessToken} {
			if s := m.userInfoStatus(t, at); s != http.StatusUnauthorized {
				t.Errorf("status %d", s)
			}
		}
	})
	t.Run("the other user's session lives on", func(t *testing.T) {
		if s := m.userInfoStatus(t, otherTok.AccessToken); s != http.StatusOK {
			t.Errorf("status %d", s)
		}
		if ss := m.p.Sessions(); len(ss) != 1 || ss[0].Subject != "656005750105" {
			t.Errorf("sessions %+v", ss)
		}
	})
	t.Run("the browser's prompt=none gets login_required", func(t *testing.T) {
		if q := m.silent(t, testClientID); q.Get("error") != ErrLoginRequired {
			t.Errorf("callback %v", q)
		}
	})
	t.Run("revoking it again is ErrSessionNotFound", func(t *testing.T) {
		if err := m.p.RevokeSession(t.Context(), sid); !errors.Is(err, ErrSessionNotFound) {
			t.Errorf("err %v", err)
		}
	})
}

// newLogoutBrowser is a second browser (its own cookie jar) on m.
func newLogoutBrowser(t *testing.T, m *signInMock) *signInMock {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := *m
	b.browser = &http.Client{Timeout: 10 * time.Second, Jar: jar, CheckRedirect: m.browser.CheckRedirect}
	return &b
}

func TestRevokeSubjectEndsEverySessionOfTheUser(t *testing.T) {
	rc := newLogoutReceiver(t)
	m := newLogoutMock(t, rc)
	first := m.login(t, PersonaReferrer)
	second := newLogoutBrowser(t, m).login(t, PersonaReferrer)
	other := newLogoutBrowser(t, m).login(t, PersonaProviderClinician)
	if err := m.p.RevokeSubject(t.Context(), "656005750104"); err != nil {
		t.Fatal(err)
	}
	if len(rc.deliveries()) != 2 {
		t.Errorf("%d deliveries", len(rc.deliveries()))
	}
	for at, want := range map[string]int{first.AccessToken: 401, second.AccessToken: 401, other.AccessToken: 200} {
		if s := m.userInfoStatus(t, at); s != want {
			t.Errorf("userinfo %d, want %d", s, want)
		}
	}
	if err := m.p.RevokeSubject(t.Context(), "656005750104"); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("again: %v", err)
	}
}

func TestFailedDeliveriesAreReportedAndTheSessionEndsAnyway(t *testing.T) {
	t.Run("a refusing client", func(t *testing.T) {
		rc := newLogoutReceiver(t)
		rc.status = http.StatusBadRequest
		m := newLogoutMock(t, rc)
		tok := m.login(t, PersonaReferrer)
		err := m.p.RevokeSession(t.Context(), m.idClaims(t, tok.IDToken).SessionID)
		var be *BackchannelLogoutError
		if !errors.As(err, &be) || be.ClientID != testClientID || !strings.Contains(err.Error(), "status 400") {
			t.Errorf("err %v", err)
		}
		if s := m.userInfoStatus(t, tok.AccessToken); s != http.StatusUnauthorized {
			t.Errorf("userinfo %d", s)
		}
	})
	t.Run("a client that does not answer in time", func(t *testing.T) {
		release := make(chan struct{})
		hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(hang.Close)
		t.Cleanup(func() { close(release) }) // runs before hang.Close
		m := newSignInMockWith(t, false, func(c *Config) { c.Clients[0].BackchannelLogoutURI = hang.URL })
		tok := m.login(t, PersonaReferrer)
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := m.p.RevokeSession(ctx, m.idClaims(t, tok.IDToken).SessionID)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
			t.Errorf("err %v after %v", err, time.Since(start))
		}
		if s := m.userInfoStatus(t, tok.AccessToken); s != http.StatusUnauthorized {
			t.Errorf("userinfo %d", s)
		}
	})
	t.Run("a client that is not listening", func(t *testing.T) {
		gone := httptest.NewServer(http.NotFoundHandler())
		gone.Close()
		m := newSignInMockWith(t, false, func(c *Config) { c.Clients[0].BackchannelLogoutURI = gone.URL })
		tok := m.login(t, PersonaReferrer)
		var be *BackchannelLogoutError
		if err := m.p.RevokeSession(t.Context(), m.idClaims(t, tok.IDToken).SessionID); !errors.As(err, &be) {
			t.Errorf("err %v", err)
		}
	})
}

func TestACodeOfAnEndedSessionCannotBeRedeemed(t *testing.T) {
	m := newLogoutMock(t, newLogoutReceiver(t))
	code := m.signIn(t, PersonaReferrer, Smartcard)
	ss := m.p.Sessions()
	if len(ss) != 1 {
		t.Fatalf("sessions %+v", ss)
	}
	if err := m.p.RevokeSession(t.Context(), ss[0].SessionID); err != nil {
		t.Fatal(err)
	}
	status, _, bad := m.redeem(t, m.tokenForm(t, code))
	wantOAuthError(t, status, bad, http.StatusBadRequest, ErrInvalidGrant, DescGrantInvalid)
}

func TestPromptNoneHonoursACRAndMaxAge(t *testing.T) {
	m := newLogoutMock(t, newLogoutReceiver(t))
	pg := parsePage(t, m.get(t, m.authorizeURL(testClientID, map[string]string{"acr_values": ACRAAL2Any})))
	callback(t, m.submit(t, pg, map[string]string{"persona": PersonaAAL2Only, "authenticator": string(TOTP), "action": "approve"}))
	t.Run("a stronger acr_values is login_required", func(t *testing.T) {
		q := callback(t, m.get(t, m.authorizeURL(testClientID, map[string]string{"prompt": "none", "acr_values": ACRAAL3Any})))
		if q.Get("error") != ErrLoginRequired {
			t.Errorf("callback %v", q)
		}
	})
	t.Run("within max_age it signs in", func(t *testing.T) {
		if q := m.silent(t, testClientID); q.Get("code") == "" {
			t.Errorf("callback %v", q)
		}
	})
	t.Run("past max_age it is login_required", func(t *testing.T) {
		m.clock.Advance(301 * time.Second)
		if q := m.silent(t, testClientID); q.Get("error") != ErrLoginRequired {
			t.Errorf("callback %v", q)
		}
	})
}

// admin serves the provider's admin API on its own 127.0.0.1 listener.
func (m *signInMock) admin(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(m.p.AdminHandler())
	t.Cleanup(srv.Close)
	return srv
}

func (m *signInMock) adminCall(t *testing.T, method, u string, v any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := m.do(t, req)
	if v != nil && r.status == http.StatusOK {
		if err := json.Unmarshal([]byte(r.body), v); err != nil {
			t.Fatalf("%s %s: %v in %s", method, u, err, r.body)
		}
	}
	return r.status
}

func TestAdminSessionsAndRevoke(t *testing.T) {
	rc := newLogoutReceiver(t)
	m := newLogoutMock(t, rc)
	admin := m.admin(t)
	tok := m.login(t, PersonaReferrer)
	sid := m.idClaims(t, tok.IDToken).SessionID

	t.Run("sessions lists ids only", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, admin.URL+AdminSessionsPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := m.do(t, req)
		var ss []map[string]any
		if err := json.Unmarshal([]byte(r.body), &ss); err != nil || r.status != http.StatusOK {
			t.Fatalf("status %d %v", r.status, err)
		}
		if len(ss) != 1 || ss[0]["sid"] != sid || ss[0]["sub"] != "656005750104" || len(ss[0]) != 4 {
			t.Errorf("sessions %v", ss)
		}
		if strings.Contains(r.body, tok.AccessToken) || strings.Contains(r.body, tok.IDToken) {
			t.Error("a token is listed")
		}
	})
	for _, tc := range []struct {
		name, method, query string
		want                int
	}{
		{"revoke needs sid or sub", http.MethodPost, "", http.StatusBadRequest},
		{"revoke takes only one of sid and sub", http.MethodPost, "?sid=a&sub=b", http.StatusBadRequest},
		{"revoke of an unknown sid is 404", http.MethodPost, "?sid=unknown", http.StatusNotFound},
		{"revoke is POST only", http.MethodGet, "?sid=" + sid, http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s := m.adminCall(t, tc.method, admin.URL+AdminRevokePath+tc.query, nil); s != tc.want {
				t.Errorf("status %d, want %d", s, tc.want)
			}
		})
	}
	t.Run("revoke by sid logs the session out", func(t *testing.T) {
		var res RevokeResult
		if s := m.adminCall(t, http.MethodPost, admin.URL+AdminRevokePath+"?sid="+url.QueryEscape(sid), &res); s != http.StatusOK {
			t.Fatalf("status %d", s)
		}
		if !slices.Equal(res.Revoked, []string{sid}) || len(res.DeliveryErrors) != 0 || len(rc.deliveries()) != 1 {
			t.Errorf("result %+v, %d deliveries", res, len(rc.deliveries()))
		}
		if s := m.userInfoStatus(t, tok.AccessToken); s != http.StatusUnauthorized {
			t.Errorf("userinfo %d", s)
		}
	})
	t.Run("revoke by sub reports failed deliveries", func(t *testing.T) {
		tok := m.login(t, PersonaReferrer)
		rc.mu.Lock()
		rc.status = http.StatusInternalServerError
		rc.mu.Unlock()
		var res RevokeResult
		if s := m.adminCall(t, http.MethodPost, admin.URL+AdminRevokePath+"?sub=656005750104", &res); s != http.StatusOK {
			t.Fatalf("status %d", s)
		}
		if len(res.Revoked) != 1 || len(res.DeliveryErrors) != 1 || !strings.Contains(res.DeliveryErrors[0], "status 500") {
			t.Errorf("result %+v", res)
		}
		if strings.Contains(strings.Join(res.DeliveryErrors, " "), tok.IDToken) {
			t.Error("a token in the report")
		}
	})
}

func TestAdminKeyRotation(t *testing.T) {
	m := newLogoutMock(t, newLogoutReceiver(t))
	admin := m.admin(t)
	oldKID := m.p.Keys().CurrentKID()
	before := m.login(t, PersonaReferrer)
	verifier := m.verifier(t) // caches the JWKS it has seen

	var res RotateKeyResult
	if s := m.adminCall(t, http.MethodPost, admin.URL+AdminRotateKeyPath, &res); s != http.StatusOK {
		t.Fatalf("status %d", s)
	}
	if res.KID == "" || res.KID == oldKID || !slices.Equal(res.Published, []string{oldKID, res.KID}) || len(res.Removed) != 0 {
		t.Fatalf("result %+v", res)
	}
	t.Run("the JWKS publishes both keys", func(t *testing.T) {
		set := m.servedJWKS(t)
		if len(set.Key(oldKID)) != 1 || len(set.Key(res.KID)) != 1 {
			t.Errorf("JWKS %+v", set)
		}
	})
	after := m.login(t, PersonaReferrer)
	t.Run("a new ID token carries the new kid and verifies with go-oidc", func(t *testing.T) {
		if k := headerKID(t, after.IDToken); k != res.KID {
			t.Errorf("kid %q, want %q", k, res.KID)
		}
		if _, err := verifier.Verify(t.Context(), after.IDToken); err != nil {
			t.Error(err)
		}
	})
	t.Run("the old ID token still verifies", func(t *testing.T) {
		if _, err := verifier.Verify(t.Context(), before.IDToken); err != nil {
			t.Error(err)
		}
	})
	t.Run("remove_old withdraws every older key", func(t *testing.T) {
		var res2 RotateKeyResult
		if s := m.adminCall(t, http.MethodPost, admin.URL+AdminRotateKeyPath+"?remove_old=true", &res2); s != http.StatusOK {
			t.Fatalf("status %d", s)
		}
		if !slices.Equal(res2.Removed, []string{oldKID, res.KID}) || !slices.Equal(res2.Published, []string{res2.KID}) {
			t.Errorf("result %+v", res2)
		}
		if _, err := m.verifier(t).Verify(t.Context(), before.IDToken); err == nil {
			t.Error("a token of a removed key still verifies")
		}
		latest := m.login(t, PersonaReferrer)
		if _, err := m.verifier(t).Verify(t.Context(), latest.IDToken); err != nil || headerKID(t, latest.IDToken) != res2.KID {
			t.Errorf("latest token: %v", err)
		}
	})
	t.Run("a bad remove_old is refused", func(t *testing.T) {
		if s := m.adminCall(t, http.MethodPost, admin.URL+AdminRotateKeyPath+"?remove_old=maybe", nil); s != http.StatusBadRequest {
			t.Errorf("status %d", s)
		}
	})
}
