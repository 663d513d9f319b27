package cis2

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// testBits keeps key generation fast; live keys are 4096 bits.
const testBits = 2048

// clock is a settable clock for the provider and the verifier.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// mock is a provider served on 127.0.0.1 and a client with a timeout.
type mock struct {
	p      *Provider
	srv    *httptest.Server
	client *http.Client
	clock  *clock
}

func newMock(t *testing.T) *mock {
	t.Helper()
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
	p, err := New(Config{Issuer: IssuerFor("http://" + srv.Listener.Addr().String()), Keys: keys, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = p.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &mock{p: p, srv: srv, client: &http.Client{Timeout: 10 * time.Second}, clock: clk}
}

// get fetches url and decodes its JSON body into v, checking status 200
// and the content type.
func (m *mock) get(t *testing.T, url string, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", url, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s: Content-Type %q", url, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
}

func TestIssuerHasTheRealPathAndAnExplicitPort(t *testing.T) {
	m := newMock(t)
	want := m.srv.URL + "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"
	if m.p.Issuer() != want {
		t.Fatalf("issuer %q, want %q", m.p.Issuer(), want)
	}
	if !strings.HasPrefix(want, "http://127.0.0.1:") {
		t.Fatalf("issuer %q is not on 127.0.0.1 with a port", want)
	}
}

func TestNewRefusesAnIssuerWithoutPortOrPath(t *testing.T) {
	k, err := GenerateKey("k1", testBits)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := NewKeySet(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, iss := range []string{
		"http://127.0.0.1" + IssuerPath,
		"http://127.0.0.1:8080/oauth2",
		"ftp://127.0.0.1:21" + IssuerPath,
		"http://127.0.0.1:8080" + IssuerPath + "?x=1",
	} {
		t.Run(iss+" is refused", func(t *testing.T) {
			if _, err := New(Config{Issuer: iss, Keys: keys}); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := New(Config{Issuer: IssuerFor("http://127.0.0.1:8080")}); err == nil {
		t.Error("a provider without keys was accepted")
	}
}

func TestDiscoveryServesTheFieldsOfTheNotes(t *testing.T) {
	m := newMock(t)
	iss := m.p.Issuer()
	var d map[string]any
	m.get(t, iss+"/.well-known/openid-configuration", &d)

	strs := map[string]string{
		"issuer":                 iss,
		"authorization_endpoint": iss + "/authorize",
		"token_endpoint":         iss + "/access_token",
		"userinfo_endpoint":      iss + "/userinfo",
		"jwks_uri":               iss + "/connect/jwk_uri",
		"end_session_endpoint":   iss + "/connect/endSession",
	}
	for k, want := range strs {
		if d[k] != want {
			t.Errorf("%s = %v, want %q", k, d[k], want)
		}
	}
	lists := map[string][]string{
		"id_token_signing_alg_values_supported": {"RS256"},
		"token_endpoint_auth_methods_supported": {"private_key_jwt", "client_secret_post"},
		"code_challenge_methods_supported":      {"S256"},
		"response_types_supported":              {"code"},
		"scopes_supported":                      {"openid", "profile", "email", "nhsperson", "nationalrbacaccess", "associatedorgs", "selectedrole"},
		"acr_values_supported":                  {"AAL3_ANY", "AAL2_OR_AAL3_ANY", "AAL2_ANY", "AAL1_USERPASS", "AAL3_N3_SMARTCARD", "AAL3_FIDO2", "AAL2_TOTP"},
	}
	for k, want := range lists {
		if got := stringList(t, d[k]); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", k, got, want)
		}
	}
	if d["backchannel_logout_supported"] != true {
		t.Errorf("backchannel_logout_supported = %v", d["backchannel_logout_supported"])
	}
	if claims := stringList(t, d["claims_supported"]); !slices.Contains(claims, "nhsid_nrbac_roles") || !slices.Contains(claims, "id_assurance_level") {
		t.Errorf("claims_supported = %v", claims)
	}
}

func TestEndpointsAreServedUnderTheIssuerPathOnly(t *testing.T) {
	m := newMock(t)
	t.Run("end-session without a session shows the signed-out page", func(t *testing.T) {
		resp, err := m.client.Get(m.p.Issuer() + EndSessionPath)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("the admin API is not on the public handler", func(t *testing.T) {
		resp, err := m.client.Get(m.srv.URL + AdminSessionsPath)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("discovery outside the issuer path is not served", func(t *testing.T) {
		resp, err := m.client.Get(m.srv.URL + "/.well-known/openid-configuration")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}

func TestJWKSParsesWithGoJoseAndHoldsPublicKeysOnly(t *testing.T) {
	m := newMock(t)
	var set jose.JSONWebKeySet
	m.get(t, m.p.Issuer()+"/connect/jwk_uri", &set)
	if len(set.Keys) != 1 {
		t.Fatalf("%d keys", len(set.Keys))
	}
	k := set.Keys[0]
	if k.KeyID != "cis2-mock-2026-11-01" || k.Algorithm != "RS256" || k.Use != "sig" {
		t.Errorf("kid %q alg %q use %q", k.KeyID, k.Algorithm, k.Use)
	}
	if !k.IsPublic() || !k.Valid() {
		t.Errorf("key public %v valid %v", k.IsPublic(), k.Valid())
	}
}

func stringList(t *testing.T, v any) []string {
	t.Helper()
	xs, ok := v.([]any)
	if !ok {
		t.Fatalf("%v is not a list", v)
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		s, ok := x.(string)
		if !ok {
			t.Fatalf("%v is not a string", x)
		}
		out[i] = s
	}
	return out
}
