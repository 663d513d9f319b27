package apim

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestClientCredentialsIssuesAnOpaqueAppToken(t *testing.T) {
	h := newHarness(t)
	status, body := h.postForm(ccForm(h.validAssertion(appOK).sign(t)))
	if status != http.StatusOK {
		t.Fatalf("status %d, body %v", status, body)
	}
	for _, k := range []string{"access_token", "expires_in", "token_type", "issued_at"} {
		if _, ok := body[k].(string); !ok {
			t.Errorf("%s = %#v, want a JSON string", k, body[k])
		}
	}
	if body["expires_in"] != "599" || body["token_type"] != "Bearer" {
		t.Errorf("expires_in %v token_type %v, want \"599\" \"Bearer\"", body["expires_in"], body["token_type"])
	}
	if want := strconv.FormatInt(h.clock.Now().UnixMilli(), 10); body["issued_at"] != want {
		t.Errorf("issued_at %v, want %s", body["issued_at"], want)
	}
	if _, ok := body["refresh_token"]; ok {
		t.Error("client_credentials must not return a refresh token")
	}

	tok := body["access_token"].(string)
	info, ok := h.apim.Tokens().Lookup(tok)
	if !ok {
		t.Fatal("issued token not found")
	}
	if info.APIKey != appOK || info.AuthType != AuthTypeApp || len(info.Scopes) != 1 || info.Scopes[0] != ScopeAppLevel3 {
		t.Errorf("token info %+v, want app token for %s with only the level3 scope", info, appOK)
	}
	if want := h.clock.Now().Add(AccessTokenLifetime); !info.ExpiresAt.Equal(want) {
		t.Errorf("expires at %v, want %v", info.ExpiresAt, want)
	}

	h.clock.Advance(AccessTokenLifetime - time.Second)
	if _, ok := h.apim.Tokens().Lookup(tok); !ok {
		t.Error("token gone a second before expiry")
	}
	h.clock.Advance(time.Second)
	if _, ok := h.apim.Tokens().Lookup(tok); ok {
		t.Error("token still valid at expiry")
	}
	if _, ok := h.apim.Tokens().Lookup("not-a-token"); ok {
		t.Error("unknown token found")
	}
}

func TestClientCredentialsRefusesAnAppWithoutTheLevel3Scope(t *testing.T) {
	h := newHarness(t)
	status, body := h.postForm(ccForm(h.validAssertion(appUserOnly).sign(t)))
	wantError(t, status, body, http.StatusUnauthorized, CodeUnauthorizedClient, DescUnauthorizedClient)
}

func TestAccessTokenExpiryKnobOnlyShortens(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, ms, wantExpiresIn string
		wantLifetime            time.Duration
	}{
		{"five seconds shortens the token", "5000", "4", 5 * time.Second},
		{"a longer value is ignored", "3600000", "599", AccessTokenLifetime},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			form := ccForm(h.validAssertion(appOK).sign(t))
			form.Set("_access_token_expiry_ms", c.ms)
			status, body := h.postForm(form)
			if status != http.StatusOK || body["expires_in"] != c.wantExpiresIn {
				t.Fatalf("got %d expires_in %v, want 200 %q", status, body["expires_in"], c.wantExpiresIn)
			}
			info, ok := h.apim.Tokens().Lookup(body["access_token"].(string))
			if !ok || !info.ExpiresAt.Equal(h.clock.Now().Add(c.wantLifetime)) {
				t.Errorf("lookup %v %+v, want expiry in %v", ok, info, c.wantLifetime)
			}
		})
	}
	t.Run("a malformed value is refused", func(t *testing.T) {
		form := ccForm(h.validAssertion(appOK).sign(t))
		form.Set("_access_token_expiry_ms", "soon")
		status, body := h.postForm(form)
		wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, DescExpiryOverride)
	})
}

func TestTokenEndpointRequiresTheExactFormContentType(t *testing.T) {
	h := newHarness(t)
	form := ccForm(h.validAssertion(appOK).sign(t))
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded; charset=utf-8", "", "Application/X-WWW-Form-Urlencoded"} {
		t.Run(ct, func(t *testing.T) {
			status, body := h.post(form, ct)
			wantError(t, status, body, http.StatusUnsupportedMediaType, CodeInvalidRequest, DescContentType)
		})
	}
}

func TestTokenEndpointRoutesByGrantType(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantCode   string
		wantDesc   string
	}{
		{"a missing grant_type is an invalid request", url.Values{"scope": {"x"}}, 400, CodeInvalidRequest, DescGrantTypeMissing},
		{"an unknown grant_type is unsupported", url.Values{"grant_type": {"password"}}, 400, CodeUnsupportedGrantType, DescGrantTypeInvalid},
		{"an unknown grant_type with an id_token subject is an invalid request",
			url.Values{"grant_type": {"token-exchange"}, "subject_token_type": {TokenTypeIDToken}}, 400, CodeInvalidRequest, DescGrantTypeInvalid},
		{"token exchange with an id_token subject is routed to the exchange", url.Values{"grant_type": {GrantTokenExchange}, "subject_token_type": {TokenTypeIDToken}}, 400, CodeInvalidRequest, DescClientAssertionType},
		{"token exchange with another subject type is unsupported", url.Values{"grant_type": {GrantTokenExchange}, "subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}}, 400, CodeUnsupportedGrantType, DescGrantTypeInvalid},
		{"refresh is routed to the refresh grant", url.Values{"grant_type": {GrantRefreshToken}}, 401, CodeInvalidClient, DescClientSecret},
		{"authorization code is not yet supported", url.Values{"grant_type": {GrantAuthorizationCode}}, 400, CodeUnsupportedGrantType, DescNotYetSupported},
		{"client credentials without an assertion type is refused",
			url.Values{"grant_type": {GrantClientCredentials}, "client_assertion": {"x.y.z"}}, 400, CodeInvalidRequest, DescClientAssertionType},
		{"client credentials with a wrong assertion type is refused",
			url.Values{"grant_type": {GrantClientCredentials}, "client_assertion_type": {"jwt"}, "client_assertion": {"x.y.z"}}, 400, CodeInvalidRequest, DescClientAssertionType},
		{"client credentials without an assertion is refused",
			url.Values{"grant_type": {GrantClientCredentials}, "client_assertion_type": {ClientAssertionType}}, 400, CodeInvalidRequest, DescMissingAssertion},
		{"a malformed assertion is refused", ccForm("not-a-jwt"), 400, CodeInvalidRequest, DescMalformedAssertion},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := h.postForm(c.form)
			wantError(t, status, body, c.wantStatus, c.wantCode, c.wantDesc)
		})
	}
}

func TestRegistryRejectsEmptyAndDuplicateAPIKeys(t *testing.T) {
	if _, err := NewRegistry(App{Name: "nameless"}); err == nil {
		t.Error("empty API key accepted")
	}
	if _, err := NewRegistry(App{APIKey: "k"}, App{APIKey: "k"}); err == nil {
		t.Error("duplicate API key accepted")
	}
	if _, err := New(Options{}); err == nil {
		t.Error("New without a registry succeeded")
	}
}
