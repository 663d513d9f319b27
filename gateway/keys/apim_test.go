package keys

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/apim"
)

// apimHarness is the sandbox APIM token service trusting the set's JWKS,
// both on 127.0.0.1.
type apimHarness struct {
	tokenURL string
	client   *http.Client
}

func newAPIM(t *testing.T, s *Set, clock *testClock) *apimHarness {
	t.Helper()
	apps, err := apim.NewRegistry(apim.App{
		APIKey: testClientID, Name: "gateway", JWKSURL: serveJWKS(t, s),
		Scopes: []string{apim.ScopeAppLevel3},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	tokenURL := "http://" + srv.Listener.Addr().String() + apim.TokenPath
	a, err := apim.New(apim.Options{Apps: apps, TokenURL: tokenURL, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = a
	srv.Start()
	t.Cleanup(srv.Close)
	return &apimHarness{tokenURL: tokenURL, client: &http.Client{Timeout: 10 * time.Second}}
}

// clientCredentials posts a client_credentials request and returns the
// status and the error description, if any.
func (h *apimHarness) clientCredentials(t *testing.T, assertion string) (int, string) {
	t.Helper()
	form := url.Values{
		"grant_type":            {apim.GrantClientCredentials},
		"client_assertion_type": {apim.ClientAssertionType},
		"client_assertion":      {assertion},
	}
	req, err := http.NewRequest(http.MethodPost, h.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", apim.FormContentType)
	resp, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode == http.StatusOK && body.AccessToken == "" {
		t.Fatal("200 without an access token")
	}
	return resp.StatusCode, body.Description
}

func TestSandboxAPIMAcceptsAssertions(t *testing.T) {
	clock := newClock()
	s := openTest(t, clock, "")
	h := newAPIM(t, s, clock)

	assert := func(t *testing.T) string {
		t.Helper()
		a, err := s.Assertion(testClientID, h.tokenURL)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	t.Run("a client_credentials request with the assertion gets a token", func(t *testing.T) {
		if status, desc := h.clientCredentials(t, assert(t)); status != http.StatusOK {
			t.Fatalf("status %d: %s", status, desc)
		}
	})

	t.Run("a second assertion is accepted too (fresh jti)", func(t *testing.T) {
		if status, desc := h.clientCredentials(t, assert(t)); status != http.StatusOK {
			t.Fatalf("status %d: %s", status, desc)
		}
	})

	t.Run("an assertion for another audience is refused", func(t *testing.T) {
		a, err := s.Assertion(testClientID, h.tokenURL+"x")
		if err != nil {
			t.Fatal(err)
		}
		if status, _ := h.clientCredentials(t, a); status != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", status)
		}
	})

	t.Run("after a rotation and its lead, APIM's refreshed cache accepts the new key", func(t *testing.T) {
		rotatedAt := clock.Now().Add(time.Minute)
		info, err := s.Rotate(rotatedAt)
		if err != nil {
			t.Fatal(err)
		}
		clock.Set(rotatedAt.Add(DefaultLead))
		a := assert(t)
		if kid := assertionKID(t, a); kid != info.KID {
			t.Fatalf("signed with %s, want the rotated key %s", kid, info.KID)
		}
		if status, desc := h.clientCredentials(t, a); status != http.StatusOK {
			t.Fatalf("status %d: %s", status, desc)
		}
	})
}
