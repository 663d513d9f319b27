package apim

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// testClock is an injectable clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// The applications of the harness.
const (
	appOK       = "app-ok-api-key"
	appNoKey    = "app-nokey-api-key"
	appJWKSDown = "app-jwksdown-api-key"
	appUserOnly = "app-useronly-api-key"
	testKid     = "test-2026-06-01"
)

// testKeys are generated once per test binary: RSA generation is slow
// under -race.
var testKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var ks [2]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		ks[i] = k
	}
	return ks
})

// harness is a mock APIM and an application JWKS endpoint, both real
// servers on 127.0.0.1.
type harness struct {
	t        *testing.T
	clock    *testClock
	key      *rsa.PrivateKey // published under testKid
	otherKey *rsa.PrivateKey // never published
	jwksHits atomic.Int64
	apim     *Server
	srv      *httptest.Server
	tokenURL string
	client   *http.Client
}

func newHarness(t *testing.T, configure ...func(*Options)) *harness {
	t.Helper()
	keys := testKeys()
	h := &harness{
		t:        t,
		clock:    &testClock{now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)},
		key:      keys[0],
		otherKey: keys[1],
		client:   &http.Client{Timeout: 10 * time.Second},
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &h.key.PublicKey, KeyID: testKid, Algorithm: "RS512", Use: "sig",
	}}}
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.jwksHits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(jwks.Close)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL + "/jwks.json"
	down.Close() // nothing listens there any more

	apps, err := NewRegistry(
		App{APIKey: appOK, Secret: "s1", Name: "gateway", JWKSURL: jwks.URL + "/jwks.json", ASID: "200000001234",
			AllowedODS: []string{"A12345"}, Scopes: []string{ScopeAppLevel3, ScopeUserAAL3, ScopeUserAAL2},
			AppODS: "R69", AppBusinessFunction: "PROVIDER_AUTHORISED_APPLICATION", AppUserID: "555000000001",
			AllowLifetimeOverrides: true},
		App{APIKey: appNoKey, Name: "no key", Scopes: []string{ScopeAppLevel3}},
		App{APIKey: appJWKSDown, Name: "jwks down", JWKSURL: downURL, Scopes: []string{ScopeAppLevel3}},
		App{APIKey: appUserOnly, Name: "user only", JWKSURL: jwks.URL + "/jwks.json", Scopes: []string{ScopeUserAAL2, ScopeUserAAL3}},
	)
	if err != nil {
		t.Fatal(err)
	}
	// The listener is created first so the token URL (the assertion
	// audience) has the real port, as the live service's proxy.url does.
	h.srv = httptest.NewUnstartedServer(nil)
	h.tokenURL = "http://" + h.srv.Listener.Addr().String() + TokenPath
	opts := Options{Apps: apps, TokenURL: h.tokenURL, Now: h.clock.Now}
	for _, f := range configure {
		f(&opts)
	}
	h.apim, err = New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h.srv.Config.Handler = h.apim
	h.srv.Start()
	t.Cleanup(h.srv.Close)
	return h
}

// assertion describes a client assertion; zero fields get valid defaults
// via validAssertion.
type assertion struct {
	header map[string]any
	claims map[string]any
	alg    string          // signing algorithm actually used: RS512 or RS256
	key    *rsa.PrivateKey // signing key
}

// validAssertion returns a correct assertion for the app, made at the
// harness clock.
func (h *harness) validAssertion(apiKey string) assertion {
	now := h.clock.Now()
	return assertion{
		header: map[string]any{"alg": "RS512", "typ": "JWT", "kid": testKid},
		claims: map[string]any{
			"iss": apiKey, "sub": apiKey, "aud": h.tokenURL,
			"jti": rand.Text(),
			"exp": now.Add(5 * time.Minute).Unix(), "iat": now.Unix(),
		},
		alg: "RS512",
		key: h.key,
	}
}

// sign encodes and signs the assertion as a compact JWS.
func (a assertion) sign(t *testing.T) string {
	t.Helper()
	hb, err := json.Marshal(a.header)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := json.Marshal(a.claims)
	if err != nil {
		t.Fatal(err)
	}
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(cb)
	var sig []byte
	switch a.alg {
	case "RS512":
		d := sha512.Sum512([]byte(input))
		sig, err = rsa.SignPKCS1v15(rand.Reader, a.key, crypto.SHA512, d[:])
	case "RS256":
		d := sha256.Sum256([]byte(input))
		sig, err = rsa.SignPKCS1v15(rand.Reader, a.key, crypto.SHA256, d[:])
	default:
		t.Fatalf("unsupported test alg %q", a.alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// ccForm is a client_credentials form carrying the assertion.
func ccForm(signed string) url.Values {
	return url.Values{
		"grant_type":            {GrantClientCredentials},
		"client_assertion_type": {ClientAssertionType},
		"client_assertion":      {signed},
	}
}

// post sends the form to the token endpoint with the content type and
// returns the status and the decoded JSON body.
func (h *harness) post(form url.Values, contentType string) (int, map[string]any) {
	h.t.Helper()
	req, err := http.NewRequestWithContext(h.t.Context(), http.MethodPost, h.srv.URL+TokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		h.t.Fatalf("decoding body (status %d): %v", resp.StatusCode, err)
	}
	return resp.StatusCode, body
}

// postForm posts with the exact form content type.
func (h *harness) postForm(form url.Values) (int, map[string]any) {
	h.t.Helper()
	return h.post(form, FormContentType)
}

// wantError checks an error answer: status, error, description, and a
// message_id as APIM adds.
func wantError(t *testing.T, status int, body map[string]any, wantStatus int, wantCode, wantDesc string) {
	t.Helper()
	if status != wantStatus || body["error"] != wantCode || body["error_description"] != wantDesc {
		t.Errorf("got %d %v %q, want %d %q %q", status, body["error"], body["error_description"], wantStatus, wantCode, wantDesc)
	}
	if id, _ := body["message_id"].(string); id == "" {
		t.Errorf("error body has no message_id: %v", body)
	}
}
