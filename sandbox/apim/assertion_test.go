package apim

import (
	"net/http"
	"testing"
	"time"
)

func TestClientAssertionFailures(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name       string
		apiKey     string
		edit       func(a *assertion)
		wantStatus int
		wantCode   string
		wantDesc   string
	}{
		{"exp more than five minutes ahead", appOK, func(a *assertion) {
			a.claims["exp"] = h.clock.Now().Add(MaxAssertionLifetime + time.Second).Unix()
		}, 400, CodeInvalidRequest, DescExpTooLong},
		{"exp in the past", appOK, func(a *assertion) {
			a.claims["exp"] = h.clock.Now().Add(-time.Second).Unix()
		}, 400, CodeInvalidRequest, DescExpired},
		{"exp as a string", appOK, func(a *assertion) {
			a.claims["exp"] = "1780000000"
		}, 400, CodeInvalidRequest, DescExpInteger},
		{"exp as a fraction", appOK, func(a *assertion) {
			a.claims["exp"] = float64(h.clock.Now().Unix()) + 100.5
		}, 400, CodeInvalidRequest, DescExpInteger},
		{"exp missing", appOK, func(a *assertion) { delete(a.claims, "exp") }, 400, CodeInvalidRequest, DescMissingExp},
		{"aud not the token URL", appOK, func(a *assertion) {
			a.claims["aud"] = "https://api.service.nhs.uk/oauth2/token"
		}, 401, CodeInvalidRequest, DescAud},
		{"aud missing", appOK, func(a *assertion) { delete(a.claims, "aud") }, 401, CodeInvalidRequest, DescAud},
		{"kid missing", appOK, func(a *assertion) { delete(a.header, "kid") }, 400, CodeInvalidRequest, DescMissingKid},
		{"kid unknown", appOK, func(a *assertion) { a.header["kid"] = "test-1999-01-01" }, 401, CodeInvalidRequest, DescUnknownKid},
		{"alg RS256", appOK, func(a *assertion) { a.header["alg"] = "RS256"; a.alg = "RS256" }, 400, CodeInvalidRequest, DescInvalidAlg},
		{"alg missing", appOK, func(a *assertion) { delete(a.header, "alg") }, 400, CodeInvalidRequest, DescMissingAlg},
		{"typ not JWT", appOK, func(a *assertion) { a.header["typ"] = "JOSE" }, 400, CodeInvalidRequest, DescInvalidTyp},
		{"typ missing", appOK, func(a *assertion) { delete(a.header, "typ") }, 400, CodeInvalidRequest, DescInvalidTyp},
		{"signed by a key the app did not publish", appOK, func(a *assertion) { a.key = h.otherKey }, 401, CodePublicKey, DescBadSignature},
		{"iss and sub differ", appOK, func(a *assertion) { a.claims["sub"] = appNoKey }, 400, CodeInvalidRequest, DescIssSub},
		{"iss missing", appOK, func(a *assertion) { delete(a.claims, "iss") }, 400, CodeInvalidRequest, DescIssSub},
		{"iss an unknown API key", "unknown-api-key", nil, 401, CodeInvalidRequest, DescUnknownIss},
		{"jti missing", appOK, func(a *assertion) { delete(a.claims, "jti") }, 400, CodeInvalidRequest, DescMissingJti},
		{"jti a number", appOK, func(a *assertion) { a.claims["jti"] = 42 }, 400, CodeInvalidRequest, DescInvalidJti},
		{"no JWKS registered", appNoKey, nil, 403, CodePublicKey, DescNoPublicKey},
		{"JWKS unreachable", appJWKSDown, nil, 403, CodePublicKey, DescJWKSDown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := h.validAssertion(c.apiKey)
			if c.edit != nil {
				c.edit(&a)
			}
			status, body := h.postForm(ccForm(a.sign(t)))
			wantError(t, status, body, c.wantStatus, c.wantCode, c.wantDesc)
		})
	}
}

func TestClientAssertionExpiryBoundaries(t *testing.T) {
	h := newHarness(t)
	t.Run("exp exactly 310 seconds ahead is accepted", func(t *testing.T) {
		a := h.validAssertion(appOK)
		a.claims["exp"] = h.clock.Now().Add(MaxAssertionLifetime).Unix()
		if status, body := h.postForm(ccForm(a.sign(t))); status != http.StatusOK {
			t.Errorf("status %d, body %v", status, body)
		}
	})
	t.Run("exp equal to now is not yet expired", func(t *testing.T) {
		a := h.validAssertion(appOK)
		a.claims["exp"] = h.clock.Now().Unix()
		if status, body := h.postForm(ccForm(a.sign(t))); status != http.StatusOK {
			t.Errorf("status %d, body %v", status, body)
		}
	})
}

func TestClientAssertionJTIIsSingleUsePerClientForThirtyDays(t *testing.T) {
	h := newHarness(t)
	a := h.validAssertion(appOK)
	a.claims["exp"] = h.clock.Now().Add(time.Minute).Unix()
	signed := a.sign(t)
	if status, body := h.postForm(ccForm(signed)); status != http.StatusOK {
		t.Fatalf("first use: status %d, body %v", status, body)
	}
	status, body := h.postForm(ccForm(signed))
	wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, DescReusedJti)

	// The same jti in a fresh assertion, long after the first expired, is
	// still refused until the 30-day cache entry ages out.
	h.clock.Advance(JTICacheTTL - time.Hour)
	b := h.validAssertion(appOK)
	b.claims["jti"] = a.claims["jti"]
	status, body = h.postForm(ccForm(b.sign(t)))
	wantError(t, status, body, http.StatusBadRequest, CodeInvalidRequest, DescReusedJti)

	h.clock.Advance(time.Hour)
	c := h.validAssertion(appOK)
	c.claims["jti"] = a.claims["jti"]
	if status, body := h.postForm(ccForm(c.sign(t))); status != http.StatusOK {
		t.Errorf("after 30 days: status %d, body %v", status, body)
	}
}

func TestClientAssertionFailureDoesNotBurnTheJTI(t *testing.T) {
	h := newHarness(t)
	a := h.validAssertion(appOK)
	a.claims["aud"] = "https://wrong.example/oauth2/token"
	status, body := h.postForm(ccForm(a.sign(t)))
	wantError(t, status, body, http.StatusUnauthorized, CodeInvalidRequest, DescAud)
	a.claims["aud"] = h.tokenURL
	if status, body := h.postForm(ccForm(a.sign(t))); status != http.StatusOK {
		t.Errorf("corrected assertion with the same jti: status %d, body %v", status, body)
	}
}

// A gateway whose clock is two minutes off either way still gets a token
// if it signs with a lifetime of three minutes; five minutes from a fast
// clock exceeds APIM's 310 s allowance, as it does in the live service.
func TestClientAssertionWithTwoMinutesOfClockSkew(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name     string
		skew     time.Duration
		lifetime time.Duration
		wantOK   bool
	}{
		{"client two minutes slow, three-minute assertion", -2 * time.Minute, 3 * time.Minute, true},
		{"client two minutes fast, three-minute assertion", 2 * time.Minute, 3 * time.Minute, true},
		{"client two minutes slow, five-minute assertion", -2 * time.Minute, 5 * time.Minute, true},
		{"client two minutes fast, five-minute assertion", 2 * time.Minute, 5 * time.Minute, false},
		{"client two minutes slow, one-minute assertion", -2 * time.Minute, time.Minute, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := h.validAssertion(appOK)
			clientNow := h.clock.Now().Add(c.skew)
			a.claims["iat"] = clientNow.Unix()
			a.claims["exp"] = clientNow.Add(c.lifetime).Unix()
			status, body := h.postForm(ccForm(a.sign(t)))
			if c.wantOK && status != http.StatusOK {
				t.Errorf("status %d, body %v, want 200", status, body)
			}
			if !c.wantOK && status != http.StatusBadRequest {
				t.Errorf("status %d, body %v, want 400", status, body)
			}
		})
	}
}

func TestApplicationJWKSIsCachedForAnHour(t *testing.T) {
	h := newHarness(t)
	get := func() {
		t.Helper()
		if status, body := h.postForm(ccForm(h.validAssertion(appOK).sign(t))); status != http.StatusOK {
			t.Fatalf("status %d, body %v", status, body)
		}
	}
	get()
	get()
	if n := h.jwksHits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times within the hour, want 1", n)
	}
	// An unknown kid does not trigger a refetch while the cache is fresh.
	a := h.validAssertion(appOK)
	a.header["kid"] = "rotated-but-not-yet-seen"
	status, body := h.postForm(ccForm(a.sign(t)))
	wantError(t, status, body, http.StatusUnauthorized, CodeInvalidRequest, DescUnknownKid)
	if n := h.jwksHits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times after an unknown kid, want 1", n)
	}
	h.clock.Advance(JWKSCacheTTL)
	get()
	if n := h.jwksHits.Load(); n != 2 {
		t.Errorf("JWKS fetched %d times after an hour, want 2", n)
	}
	h.apim.FlushJWKS()
	get()
	if n := h.jwksHits.Load(); n != 3 {
		t.Errorf("JWKS fetched %d times after a flush, want 3", n)
	}
}
