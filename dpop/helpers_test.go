package dpop

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// t0 is the fixed time the tests run at; no test reads the wall clock.
var t0 = time.Date(2026, 11, 21, 7, 30, 0, 0, time.UTC)

const gatewayURL = "https://gw.example/v1/ers/FHIR/R4/ServiceRequest/000000070000"

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func mustKey(t testing.TB) *Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustVerifier(t testing.TB, opts VerifierOptions) *Verifier {
	t.Helper()
	v, err := NewVerifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustProof(t testing.TB, k *Key, method, url, token string, at time.Time) string {
	t.Helper()
	p, err := k.Proof(method, url, token, at)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// forge builds a compact JWS by hand, so tests can send what a well-behaved signer never would.
func forge(t testing.TB, header, claims any, sign func(input []byte) []byte) string {
	t.Helper()
	enc := base64.RawURLEncoding
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	input := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	return input + "." + enc.EncodeToString(sign([]byte(input)))
}

// es256 signs like RFC 7518 section 3.4: r and s, fixed length each (32 bytes on P-256).
func es256(priv *ecdsa.PrivateKey) func([]byte) []byte {
	return func(input []byte) []byte {
		sum := sha256.Sum256(input)
		r, s, err := ecdsa.Sign(rand.Reader, priv, sum[:])
		if err != nil {
			panic(err)
		}
		n := (priv.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*n)
		r.FillBytes(out[:n])
		s.FillBytes(out[n:])
		return out
	}
}

func hs256(secret []byte) func([]byte) []byte {
	return func(input []byte) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write(input)
		return m.Sum(nil)
	}
}

func header(alg string, jwk any) map[string]any {
	return map[string]any{"typ": "dpop+jwt", "alg": alg, "jwk": jwk}
}

func claimsAt(method, url string, at time.Time) map[string]any {
	return map[string]any{"jti": rand.Text(), "htm": method, "htu": url, "iat": at.Unix()}
}

// assertRefused checks the refusal is the expected one and says nothing secret.
func assertRefused(t *testing.T, err error, code string, reason error, secrets ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *dpop.Error", err)
	}
	if e.Code != code {
		t.Errorf("code %q, want %q", e.Code, code)
	}
	if !errors.Is(err, reason) {
		t.Errorf("reason %v, want %v", e.Reason, reason)
	}
	for _, s := range secrets {
		if s != "" && (strings.Contains(err.Error(), s) || strings.Contains(e.WWWAuthenticate(), s)) {
			t.Errorf("error text leaks a secret: %q", err.Error())
		}
	}
}
