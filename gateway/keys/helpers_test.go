package keys

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// testBits keeps key generation fast; production uses DefaultBits.
const testBits = 2048

// t0 is the start of every test clock.
func t0() time.Time { return time.Date(2026, 11, 21, 7, 30, 0, 0, time.UTC) }

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *testClock { return &testClock{now: t0()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// openTest opens a set with test-sized keys on clock.
func openTest(t *testing.T, clock *testClock, dir string) *Set {
	t.Helper()
	s, err := Open(Options{Dir: dir, Bits: testBits, Now: clock.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// serveJWKS serves the set's JWKS on 127.0.0.1 and returns its URL.
func serveJWKS(t *testing.T, s *Set) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET "+JWKSPath, s.JWKSHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + JWKSPath
}

// fetchJWKS gets the key set over HTTP.
func fetchJWKS(t *testing.T, url string) jose.JSONWebKeySet {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET JWKS: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET JWKS: status %d", resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatalf("decode JWKS: %v", err)
	}
	return set
}

// kids lists the kids of a key set.
func kids(set jose.JSONWebKeySet) []string {
	var out []string
	for _, k := range set.Keys {
		out = append(out, k.KeyID)
	}
	return out
}

// assertionKID reads the kid header of an assertion without verifying it.
func assertionKID(t *testing.T, assertion string) string {
	t.Helper()
	jws, err := jose.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.RS512})
	if err != nil {
		t.Fatalf("parse assertion: %v", err)
	}
	return jws.Signatures[0].Protected.KeyID
}

// rawPart decodes part i (0 header, 1 claims) of a compact JWS as JSON.
func rawPart(t *testing.T, compact string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("decode part %d: %v", i, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("part %d JSON: %v", i, err)
	}
	return m
}
