package keys

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
)

const (
	testClientID = "gw-client-id"
	testAudience = "https://int.api.service.nhs.uk/oauth2/token"
)

func TestAssertion(t *testing.T) {
	clock := newClock()
	s := openTest(t, clock, "")
	url := serveJWKS(t, s)

	t.Run("verifies with the JWKS served over HTTP", func(t *testing.T) {
		a, err := s.Assertion(testClientID, testAudience)
		if err != nil {
			t.Fatal(err)
		}
		jws, err := jose.ParseSigned(a, []jose.SignatureAlgorithm{jose.RS512})
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		kid := jws.Signatures[0].Protected.KeyID
		set := fetchJWKS(t, url)
		keys := set.Key(kid)
		if len(keys) != 1 {
			t.Fatalf("kid %q: %d keys in the served JWKS", kid, len(keys))
		}
		if _, err := jws.Verify(keys[0]); err != nil {
			t.Fatalf("verify with served key: %v", err)
		}
	})

	t.Run("has the header APIM requires", func(t *testing.T) {
		a, _ := s.Assertion(testClientID, testAudience)
		h := rawPart(t, a, 0)
		if h["alg"] != "RS512" || h["typ"] != "JWT" || h["kid"] != s.Current(clock.Now()).KID {
			t.Fatalf("header = %v", h)
		}
	})

	t.Run("has iss and sub the client id, aud a plain string, iat and nbf back-dated, exp 150 s on", func(t *testing.T) {
		a, _ := s.Assertion(testClientID, testAudience)
		c := rawPart(t, a, 1)
		if c["iss"] != testClientID || c["sub"] != testClientID {
			t.Fatalf("iss/sub = %v/%v", c["iss"], c["sub"])
		}
		if aud, ok := c["aud"].(string); !ok || aud != testAudience {
			t.Fatalf("aud = %#v, want the plain string %q", c["aud"], testAudience)
		}
		iat, nbf, exp := int64(c["iat"].(float64)), int64(c["nbf"].(float64)), int64(c["exp"].(float64))
		if want := clock.Now().Add(-140 * time.Second).Unix(); iat != want || nbf != want {
			t.Fatalf("iat, nbf = %d, %d, want both now - 140 s = %d", iat, nbf, want)
		}
		if exp != clock.Now().Add(150*time.Second).Unix() {
			t.Fatalf("exp = %d, want now + 150 s", exp)
		}
		// A receiver two minutes either side accepts it: exp ahead of its
		// clock by at most APIM's 300 s, and iat and nbf in its past.
		for _, skew := range []time.Duration{-2 * time.Minute, 2 * time.Minute} {
			theirs := clock.Now().Add(skew).Unix()
			if exp <= theirs || exp-theirs > 300 || iat > theirs {
				t.Errorf("a receiver %v off sees iat %+d s, exp %+d s", skew, iat-theirs, exp-theirs)
			}
		}
		if exp-iat > 300 || exp <= iat {
			t.Fatalf("exp - iat = %d s, want within (0, 300]", exp-iat)
		}
		if _, err := uuid.Parse(c["jti"].(string)); err != nil {
			t.Fatalf("jti %q is not a UUID: %v", c["jti"], err)
		}
	})

	t.Run("never repeats a jti across 1000 concurrent calls", func(t *testing.T) {
		const n, workers = 1000, 8
		var mu sync.Mutex
		seen := make(map[string]bool, n)
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for i := w; i < n; i += workers {
					a, err := s.Assertion(testClientID, testAudience)
					if err != nil {
						errs <- err
						return
					}
					jti, err := jtiOf(a)
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					seen[jti] = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(seen) != n {
			t.Fatalf("%d distinct jti in %d assertions", len(seen), n)
		}
	})

	t.Run("refuses an empty client id or audience", func(t *testing.T) {
		if _, err := s.Assertion("", testAudience); err == nil {
			t.Error("empty client id accepted")
		}
		if _, err := s.Assertion(testClientID, ""); err == nil {
			t.Error("empty audience accepted")
		}
	})
}

// jtiOf reads the jti of an assertion; safe off the test goroutine.
func jtiOf(a string) (string, error) {
	parts := strings.Split(a, ".")
	if len(parts) != 3 {
		return "", errors.New("not a compact JWS")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", err
	}
	var c struct {
		JTI string `json:"jti"`
	}
	return c.JTI, json.Unmarshal(b, &c)
}
