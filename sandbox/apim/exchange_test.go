package apim

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The CIS2 side of the token-exchange tests.
const (
	cis2Kid      = "cis2-2026-06-01"
	cis2NewKid   = "cis2-2026-07-01"
	cis2RealmURL = "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"
	testSDSID    = "656005750104"
)

// cis2Fixture is a CIS2-like JWKS server on 127.0.0.1 whose key set tests
// can change, and the issuer it stands for.
type cis2Fixture struct {
	issuer  string
	jwksURL string
	key     *rsa.PrivateKey // published under cis2Kid
	newKey  *rsa.PrivateKey // published under cis2NewKid after rotate
	hits    atomic.Int64

	mu  sync.Mutex
	set jose.JSONWebKeySet
}

func newCIS2Fixture(t *testing.T) *cis2Fixture {
	t.Helper()
	keys := testKeys()
	f := &cis2Fixture{key: keys[1], newKey: keys[0]}
	f.set = jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: cis2Kid, Algorithm: "RS256", Use: "sig"}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		f.mu.Lock()
		set := f.set
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(srv.Close)
	f.issuer = srv.URL + cis2RealmURL
	f.jwksURL = f.issuer + "/connect/jwk_uri"
	return f
}

// rotate publishes the new key beside the old one.
func (f *cis2Fixture) rotate() {
	f.mu.Lock()
	f.set.Keys = append(slices.Clone(f.set.Keys), jose.JSONWebKey{Key: &f.newKey.PublicKey, KeyID: cis2NewKid, Algorithm: "RS256", Use: "sig"})
	f.mu.Unlock()
}

// newExchangeHarness is the APIM harness configured with the fixture as
// its CIS2.
func newExchangeHarness(t *testing.T) (*harness, *cis2Fixture) {
	t.Helper()
	f := newCIS2Fixture(t)
	h := newHarness(t, func(o *Options) {
		o.CIS2Issuer = f.issuer
		o.CIS2JWKSURL = f.jwksURL
	})
	return h, f
}

// idToken is a valid CIS2-shaped ID token for the test SDS user at AAL3,
// made at the harness clock; change header and claims before signing.
func (h *harness) idToken(f *cis2Fixture) assertion {
	now := h.clock.Now()
	return assertion{
		header: map[string]any{"alg": "RS256", "typ": "JWT", "kid": cis2Kid},
		claims: map[string]any{
			"sub": testSDSID, "iss": f.issuer, "aud": "gateway-cis2-client", "azp": "gateway-cis2-client",
			"exp": now.Add(5 * time.Minute).Unix(), "iat": now.Unix(), "auth_time": now.Unix(),
			"acr": "AAL3_ANY", "amr": []string{"N3_SMARTCARD"},
			"id_assurance_level": 3, "authentication_assurance_level": 3,
			"sid": "sid-1", "nonce": rand.Text(), "tokenName": "id_token", "tokenType": "JWTToken",
			"realm": "/NHSIdentity/Healthcare",
		},
		alg: "RS256",
		key: f.key,
	}
}

// exchangeForm is a token-exchange form for the app's fresh assertion and
// the signed subject token.
func (h *harness) exchangeForm(apiKey, subject string) url.Values {
	return url.Values{
		"grant_type":            {GrantTokenExchange},
		"subject_token_type":    {TokenTypeIDToken},
		"subject_token":         {subject},
		"client_assertion_type": {ClientAssertionType},
		"client_assertion":      {h.validAssertion(apiKey).sign(h.t)},
	}
}

// exchange performs a successful token exchange and returns the body.
func (h *harness) exchange(f *cis2Fixture, knobs url.Values) map[string]any {
	h.t.Helper()
	form := h.exchangeForm(appOK, h.idToken(f).sign(h.t))
	for k, v := range knobs {
		form[k] = v
	}
	status, body := h.postForm(form)
	if status != http.StatusOK {
		h.t.Fatalf("exchange: status %d, body %v", status, body)
	}
	return body
}

func TestTokenExchangeIssuesAUserTokenWithStringNumbers(t *testing.T) {
	h, f := newExchangeHarness(t)
	body := h.exchange(f, nil)
	want := map[string]string{
		"expires_in": "599", "token_type": "Bearer", "issued_token_type": IssuedTokenTypeAccessToken,
		"refresh_token_expires_in": "43199", "refresh_count": "0",
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("%s = %#v, want %q", k, body[k], v)
		}
	}
	for _, k := range []string{"access_token", "refresh_token", "issued_at"} {
		if s, ok := body[k].(string); !ok || s == "" {
			t.Errorf("%s = %#v, want a non-empty JSON string", k, body[k])
		}
	}
	if _, ok := body["id_token"]; ok {
		t.Error("token exchange must not return an ID token")
	}
	info, ok := h.apim.Tokens().Lookup(body["access_token"].(string))
	if !ok {
		t.Fatal("issued token not found")
	}
	if info.APIKey != appOK || info.AuthType != AuthTypeUser || info.Subject != testSDSID || info.SessionID != "sid-1" ||
		info.ACR != "AAL3_ANY" || !slices.Equal(info.AMR, []string{"N3_SMARTCARD"}) || info.AAL != 3 || info.IAL != 3 {
		t.Errorf("token info %+v, want the user attributes of the ID token", info)
	}
	if !slices.Equal(info.Scopes, []string{ScopeUserAAL3}) {
		t.Errorf("scopes %v, want only %s", info.Scopes, ScopeUserAAL3)
	}
	if _, ok := h.apim.Tokens().Lookup(body["refresh_token"].(string)); ok {
		t.Error("a refresh token is accepted as an access token")
	}
}

func TestTokenExchangeDoesNotCompareTheIDTokenAudience(t *testing.T) {
	h, f := newExchangeHarness(t)
	tok := h.idToken(f)
	tok.claims["aud"] = []string{"somebody-elses-client"}
	status, body := h.postForm(h.exchangeForm(appOK, tok.sign(t)))
	if status != http.StatusOK {
		t.Fatalf("status %d, body %v; APIM accepts any aud", status, body)
	}
}

func TestTokenExchangeFiltersScopesByAssuranceLevel(t *testing.T) {
	h, f := newExchangeHarness(t)
	t.Run("an AAL2 user gets only the aal2 scope", func(t *testing.T) {
		tok := h.idToken(f)
		tok.claims["authentication_assurance_level"] = "2" // userinfo-style string
		tok.claims["acr"], tok.claims["amr"] = "AAL2_OR_ABOVE", []string{"TOTP"}
		status, body := h.postForm(h.exchangeForm(appOK, tok.sign(t)))
		if status != http.StatusOK {
			t.Fatalf("status %d, body %v", status, body)
		}
		info, _ := h.apim.Tokens().Lookup(body["access_token"].(string))
		if !slices.Equal(info.Scopes, []string{ScopeUserAAL2}) || info.AAL != 2 {
			t.Errorf("scopes %v AAL %d, want only %s at 2", info.Scopes, info.AAL, ScopeUserAAL2)
		}
	})
	for name, aal := range map[string]any{"an AAL1 user": 1, "a token without an assurance level": nil} {
		t.Run(name+" is an unauthorized client", func(t *testing.T) {
			tok := h.idToken(f)
			tok.claims["authentication_assurance_level"] = aal
			status, body := h.postForm(h.exchangeForm(appOK, tok.sign(t)))
			wantError(t, status, body, http.StatusUnauthorized, CodeUnauthorizedClient, DescUnauthorizedClient)
		})
	}
}

func TestTokenExchangeRefusesBadSubjectTokens(t *testing.T) {
	h, f := newExchangeHarness(t)
	cases := []struct {
		name       string
		change     func(a *assertion)
		wantStatus int
		wantCode   string
		wantDesc   string
	}{
		{"an expired ID token", func(a *assertion) { a.claims["exp"] = h.clock.Now().Add(-time.Second).Unix() },
			400, CodeInvalidRequest, DescSubjectExpired},
		{"a wrong issuer", func(a *assertion) {
			a.claims["iss"] = "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk" + cis2RealmURL
		},
			400, CodeInvalidRequest, DescSubjectIss},
		{"a missing issuer", func(a *assertion) { delete(a.claims, "iss") }, 400, CodeInvalidRequest, DescSubjectMissingIss},
		{"a missing aud", func(a *assertion) { delete(a.claims, "aud") }, 401, CodeInvalidRequest, DescSubjectMissingAud},
		{"a missing kid", func(a *assertion) { delete(a.header, "kid") }, 400, CodeInvalidRequest, DescSubjectMissingKid},
		{"a typ other than JWT", func(a *assertion) { a.header["typ"] = "at+jwt" }, 400, CodeInvalidRequest, DescSubjectInvalidTyp},
		{"a missing exp", func(a *assertion) { delete(a.claims, "exp") }, 400, CodeInvalidRequest, DescSubjectMissingExp},
		{"a string exp", func(a *assertion) { a.claims["exp"] = "1893456000" }, 400, CodeInvalidRequest, DescSubjectExpInteger},
		{"a kid CIS2 never published", func(a *assertion) { a.header["kid"] = "cis2-unknown" }, 401, CodeInvalidRequest, DescSubjectUnknownKid},
		{"a signature by another key", func(a *assertion) { a.key = f.newKey }, 401, CodeInvalidRequest, DescSubjectBadSignature},
		{"an RS512 signature is accepted", func(a *assertion) { a.header["alg"], a.alg = "RS512", "RS512" }, 200, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := h.idToken(f)
			c.change(&tok)
			status, body := h.postForm(h.exchangeForm(appOK, tok.sign(t)))
			if c.wantStatus == http.StatusOK {
				if status != http.StatusOK {
					t.Fatalf("status %d, body %v", status, body)
				}
				return
			}
			wantError(t, status, body, c.wantStatus, c.wantCode, c.wantDesc)
		})
	}
	t.Run("a missing subject token", func(t *testing.T) {
		status, body := h.postForm(h.exchangeForm(appOK, ""))
		wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, DescSubjectMissing)
	})
	t.Run("a malformed subject token", func(t *testing.T) {
		status, body := h.postForm(h.exchangeForm(appOK, "not-a-jwt"))
		wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, DescSubjectMalformed)
	})
	t.Run("a bad client assertion is refused before the subject token", func(t *testing.T) {
		form := h.exchangeForm(appOK, "not-a-jwt")
		form.Set("client_assertion", "x.y.z")
		status, body := h.postForm(form)
		wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, DescMalformedAssertion)
	})
}

func TestTokenExchangeWithoutAConfiguredIssuerRefusesEveryIssuer(t *testing.T) {
	f := newCIS2Fixture(t)
	h := newHarness(t)
	status, body := h.postForm(h.exchangeForm(appOK, h.idToken(f).sign(t)))
	wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, DescSubjectIss)
}

func TestTokenExchangeCachesCIS2KeysAndRefetchesOnAnUnknownKid(t *testing.T) {
	h, f := newExchangeHarness(t)
	h.exchange(f, nil)
	h.exchange(f, nil)
	if n := f.hits.Load(); n != 1 {
		t.Fatalf("CIS2 JWKS fetched %d times for two exchanges, want 1 (cached)", n)
	}

	f.rotate()
	tok := h.idToken(f)
	tok.header["kid"], tok.key = cis2NewKid, f.newKey
	if status, body := h.postForm(h.exchangeForm(appOK, tok.sign(t))); status != http.StatusOK {
		t.Fatalf("token signed with the rotated key: status %d, body %v", status, body)
	}
	if n := f.hits.Load(); n != 2 {
		t.Errorf("CIS2 JWKS fetched %d times, want 2 (one refetch for the new kid)", n)
	}
	h.exchange(f, nil) // the old key is still published and cached
	if n := f.hits.Load(); n != 2 {
		t.Errorf("CIS2 JWKS fetched %d times, want still 2", n)
	}

	h.clock.Advance(CIS2JWKSCacheTTL)
	h.exchange(f, nil)
	if n := f.hits.Load(); n != 3 {
		t.Errorf("CIS2 JWKS fetched %d times after a day, want 3", n)
	}
}

// refreshForm is a refresh_token form for appOK.
func refreshForm(refresh, secret string) url.Values {
	return url.Values{
		"grant_type":    {GrantRefreshToken},
		"refresh_token": {refresh},
		"client_id":     {appOK},
		"client_secret": {secret},
	}
}

func TestRefreshRotatesTheRefreshToken(t *testing.T) {
	h, f := newExchangeHarness(t)
	first := h.exchange(f, nil)
	firstInfo, _ := h.apim.Tokens().Lookup(first["access_token"].(string))

	h.clock.Advance(AccessTokenLifetime) // the access token has expired
	if _, ok := h.apim.Tokens().Lookup(first["access_token"].(string)); ok {
		t.Fatal("access token still valid after its lifetime")
	}
	status, second := h.postForm(refreshForm(first["refresh_token"].(string), "s1"))
	if status != http.StatusOK {
		t.Fatalf("refresh: status %d, body %v", status, second)
	}
	if second["refresh_count"] != "1" || second["expires_in"] != "599" || second["token_type"] != "Bearer" {
		t.Errorf("refresh answer %v, want refresh_count \"1\", expires_in \"599\", Bearer", second)
	}
	// The window runs from the first issue: 12 h less the 10 min elapsed.
	if want := "42599"; second["refresh_token_expires_in"] != want {
		t.Errorf("refresh_token_expires_in %v, want %q", second["refresh_token_expires_in"], want)
	}
	if second["refresh_token"] == first["refresh_token"] || second["access_token"] == first["access_token"] {
		t.Error("refresh did not issue new tokens")
	}
	info, ok := h.apim.Tokens().Lookup(second["access_token"].(string))
	if !ok {
		t.Fatal("refreshed access token not found")
	}
	if info.Subject != firstInfo.Subject || info.AAL != firstInfo.AAL || !slices.Equal(info.Scopes, firstInfo.Scopes) || info.AuthType != AuthTypeUser {
		t.Errorf("refreshed token %+v lost the user attributes of %+v", info, firstInfo)
	}

	t.Run("the old refresh token is invalid", func(t *testing.T) {
		status, body := h.postForm(refreshForm(first["refresh_token"].(string), "s1"))
		wantError(t, status, body, http.StatusUnauthorized, CodeInvalidGrant, DescRefreshInvalid)
	})
	t.Run("the new refresh token works once more", func(t *testing.T) {
		status, third := h.postForm(refreshForm(second["refresh_token"].(string), "s1"))
		if status != http.StatusOK || third["refresh_count"] != "2" {
			t.Fatalf("status %d refresh_count %v, want 200 \"2\"", status, third["refresh_count"])
		}
	})
}

func TestRefreshRefusesWrongClientCredentials(t *testing.T) {
	h, f := newExchangeHarness(t)
	refresh := h.exchange(f, nil)["refresh_token"].(string)
	cases := map[string]url.Values{
		"a wrong secret": refreshForm(refresh, "not-the-secret"),
		"no secret":      refreshForm(refresh, ""),
		"an unknown app": func() url.Values { v := refreshForm(refresh, "s1"); v.Set("client_id", "nobody"); return v }(),
		"an app without a secret": func() url.Values {
			v := refreshForm(refresh, "")
			v.Set("client_id", appUserOnly)
			return v
		}(),
	}
	for name, form := range cases {
		t.Run(name, func(t *testing.T) {
			status, body := h.postForm(form)
			wantError(t, status, body, http.StatusUnauthorized, CodeInvalidClient, DescClientSecret)
		})
	}
	t.Run("the refresh token survives the failed attempts", func(t *testing.T) {
		if status, body := h.postForm(refreshForm(refresh, "s1")); status != http.StatusOK {
			t.Fatalf("status %d, body %v", status, body)
		}
	})
	t.Run("a missing refresh token", func(t *testing.T) {
		status, body := h.postForm(refreshForm("", "s1"))
		wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, DescRefreshMissing)
	})
	t.Run("an unknown refresh token", func(t *testing.T) {
		status, body := h.postForm(refreshForm("made-up", "s1"))
		wantError(t, status, body, http.StatusUnauthorized, CodeInvalidGrant, DescRefreshInvalid)
	})
}

func TestRefreshWindowIsCountedFromTheFirstIssue(t *testing.T) {
	t.Run("the default 12 hour window", func(t *testing.T) {
		h, f := newExchangeHarness(t)
		refresh := h.exchange(f, nil)["refresh_token"].(string)
		for range 3 { // refresh every 4 hours: the window does not slide
			h.clock.Advance(4*time.Hour - time.Second)
			status, body := h.postForm(refreshForm(refresh, "s1"))
			if status != http.StatusOK {
				t.Fatalf("refresh inside the window: status %d, body %v", status, body)
			}
			refresh = body["refresh_token"].(string)
		}
		h.clock.Advance(3 * time.Second) // 12 h since the exchange
		status, body := h.postForm(refreshForm(refresh, "s1"))
		wantError(t, status, body, http.StatusUnauthorized, CodeInvalidGrant, DescRefreshPeriod)
	})
	t.Run("the validity knob shortens the window", func(t *testing.T) {
		h, f := newExchangeHarness(t)
		body := h.exchange(f, url.Values{KnobRefreshTokensValidity: {"3600000"}})
		if body["refresh_token_expires_in"] != "3599" {
			t.Errorf("refresh_token_expires_in %v, want \"3599\"", body["refresh_token_expires_in"])
		}
		h.clock.Advance(30 * time.Minute)
		status, body := h.postForm(refreshForm(body["refresh_token"].(string), "s1"))
		if status != http.StatusOK || body["refresh_token_expires_in"] != "1799" {
			t.Fatalf("status %d refresh_token_expires_in %v, want 200 \"1799\"", status, body["refresh_token_expires_in"])
		}
		h.clock.Advance(30 * time.Minute)
		status, body = h.postForm(refreshForm(body["refresh_token"].(string), "s1"))
		wantError(t, status, body, http.StatusUnauthorized, CodeInvalidGrant, DescRefreshPeriod)
	})
	t.Run("the validity knob at refresh shortens the window too", func(t *testing.T) {
		h, f := newExchangeHarness(t)
		refresh := h.exchange(f, nil)["refresh_token"].(string)
		h.clock.Advance(time.Hour)
		form := refreshForm(refresh, "s1")
		form.Set(KnobRefreshTokensValidity, "1800000") // 30 min since the first issue: over
		status, body := h.postForm(form)
		wantError(t, status, body, http.StatusUnauthorized, CodeInvalidGrant, DescRefreshPeriod)
	})
	t.Run("the refresh token expiry knob shortens one token", func(t *testing.T) {
		h, f := newExchangeHarness(t)
		body := h.exchange(f, url.Values{KnobRefreshTokenExpiry: {"5000"}, KnobAccessTokenExpiry: {"2000"}})
		if body["refresh_token_expires_in"] != "4" || body["expires_in"] != "1" {
			t.Errorf("expires_in %v refresh_token_expires_in %v, want \"1\" \"4\"", body["expires_in"], body["refresh_token_expires_in"])
		}
		h.clock.Advance(5 * time.Second)
		status, body := h.postForm(refreshForm(body["refresh_token"].(string), "s1"))
		wantError(t, status, body, http.StatusUnauthorized, CodeInvalidGrant, DescRefreshInvalid)
	})
	t.Run("a malformed knob is refused", func(t *testing.T) {
		h, f := newExchangeHarness(t)
		form := h.exchangeForm(appOK, h.idToken(f).sign(t))
		form.Set(KnobRefreshTokensValidity, "-1")
		status, body := h.postForm(form)
		wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, KnobRefreshTokensValidity+" must be a positive integer")
	})
}

func TestConcurrentRefreshesWithOneTokenHaveOneWinner(t *testing.T) {
	h, f := newExchangeHarness(t)
	refresh := h.exchange(f, nil)["refresh_token"].(string)
	const n = 8
	var wg sync.WaitGroup
	var ok, invalid atomic.Int64
	for range n {
		wg.Go(func() {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+TokenPath,
				strings.NewReader(refreshForm(refresh, "s1").Encode()))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", FormContentType)
			resp, err := h.client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusOK:
				ok.Add(1)
			case http.StatusUnauthorized:
				invalid.Add(1)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || invalid.Load() != n-1 {
		t.Errorf("%d successes and %d refusals, want 1 and %d", ok.Load(), invalid.Load(), n-1)
	}
}

func TestRevokeSubjectEndsEveryTokenOfTheUser(t *testing.T) {
	h, f := newExchangeHarness(t)
	a1 := h.exchange(f, nil)
	a2 := h.exchange(f, nil)
	other := h.idToken(f)
	other.claims["sub"], other.claims["sid"] = "555000000002", "sid-2"
	status, b := h.postForm(h.exchangeForm(appOK, other.sign(t)))
	if status != http.StatusOK {
		t.Fatalf("status %d, body %v", status, b)
	}
	cc := h.postOK(ccForm(h.validAssertion(appOK).sign(t)))

	if n := h.apim.Tokens().RevokeSubject(testSDSID); n != 4 {
		t.Errorf("revoked %d tokens, want 4 (two access, two refresh)", n)
	}
	for _, body := range []map[string]any{a1, a2} {
		if _, ok := h.apim.Tokens().Lookup(body["access_token"].(string)); ok {
			t.Error("revoked access token still found")
		}
		status, eb := h.postForm(refreshForm(body["refresh_token"].(string), "s1"))
		wantError(t, status, eb, http.StatusUnauthorized, CodeInvalidGrant, DescRefreshInvalid)
	}
	if _, ok := h.apim.Tokens().Lookup(b["access_token"].(string)); !ok {
		t.Error("another user's token was revoked")
	}
	if _, ok := h.apim.Tokens().Lookup(cc["access_token"].(string)); !ok {
		t.Error("an application token was revoked")
	}
	if n := h.apim.Tokens().RevokeSession("sid-2"); n != 2 {
		t.Errorf("revoked %d tokens by session, want 2", n)
	}
	if n := h.apim.Tokens().RevokeSubject(""); n != 0 {
		t.Errorf("an empty subject revoked %d tokens", n)
	}
}

// postOK posts the form and fails the test unless the answer is 200.
func (h *harness) postOK(form url.Values) map[string]any {
	h.t.Helper()
	status, body := h.postForm(form)
	if status != http.StatusOK {
		h.t.Fatalf("status %d, body %v", status, body)
	}
	return body
}
