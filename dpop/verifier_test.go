package dpop

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func fixed(at time.Time) func() time.Time { return func() time.Time { return at } }

func TestProofRoundTrip(t *testing.T) {
	k := mustKey(t)
	cases := []struct {
		name                 string
		method, signURL, tok string
		at                   time.Time
		verifyURL            string
	}{
		{"a proof without a session token", "POST", "https://gw.example/v1/auth/token", "", t0, "https://gw.example/v1/auth/token"},
		{"a proof bound to the session token", "GET", gatewayURL, "session-token-1", t0, gatewayURL},
		{"query and fragment are ignored", "GET", gatewayURL + "?a=1#frag", "tok", t0, gatewayURL + "?b=2"},
		{"scheme, host and default port are normalised", "GET", "HTTPS://GW.Example:443/v1/session", "tok", t0, "https://gw.example/v1/session"},
		{"unreserved percent-escapes are equivalent", "GET", "https://gw.example/v1/%7Euser", "tok", t0, "https://gw.example/v1/~user"},
		{"iat exactly a window old is accepted", "GET", gatewayURL, "tok", t0.Add(-DefaultWindow), gatewayURL},
		{"iat exactly a window ahead is accepted", "GET", gatewayURL, "tok", t0.Add(DefaultWindow), gatewayURL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := mustVerifier(t, VerifierOptions{Now: fixed(t0)})
			thumb, err := v.Verify(mustProof(t, k, c.method, c.signURL, c.tok, c.at), c.method, c.verifyURL, c.tok)
			if err != nil {
				t.Fatal(err)
			}
			if thumb != k.Thumbprint() {
				t.Errorf("thumbprint %s, want %s", thumb, k.Thumbprint())
			}
			if err := CheckBinding(thumb, k.Thumbprint()); err != nil {
				t.Errorf("binding: %v", err)
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	k := mustKey(t)
	other := mustKey(t)
	const tok = "session-token-secret"
	pubPEM := func() []byte {
		der, _ := x509.MarshalPKIXPublicKey(&k.priv.PublicKey)
		return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}()
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	privJWK := map[string]any{"kty": "EC", "crv": "P-256", "x": k.jwk.X, "y": k.jwk.Y, "d": "c2VjcmV0"}
	withATH := func(c map[string]any, token string) map[string]any { c["ath"] = accessTokenHash(token); return c }

	cases := []struct {
		name   string
		proof  string
		method string
		url    string
		reason error
	}{
		{"a proof for another method", mustProof(t, k, "GET", gatewayURL, tok, t0), "DELETE", gatewayURL, ErrMethod},
		{"a proof for another path", mustProof(t, k, "GET", "https://gw.example/v1/session", tok, t0), "GET", "https://gw.example/v1/auth/logout", ErrURL},
		{"a proof for another host", mustProof(t, k, "GET", "https://evil.example/v1/session", tok, t0), "GET", "https://gw.example/v1/session", ErrURL},
		{"a proof for plain http", mustProof(t, k, "GET", "http://gw.example/v1/session", tok, t0), "GET", "https://gw.example/v1/session", ErrURL},
		{"a proof for another port", mustProof(t, k, "GET", "https://gw.example:8443/v1/session", tok, t0), "GET", "https://gw.example/v1/session", ErrURL},
		{"an old proof", mustProof(t, k, "GET", gatewayURL, tok, t0.Add(-DefaultWindow-time.Second)), "GET", gatewayURL, ErrIssuedAt},
		{"a proof from the future", mustProof(t, k, "GET", gatewayURL, tok, t0.Add(DefaultWindow+time.Second)), "GET", gatewayURL, ErrIssuedAt},
		{"a proof without ath", mustProof(t, k, "GET", gatewayURL, "", t0), "GET", gatewayURL, ErrAccessTokenHash},
		{"a proof for another token", mustProof(t, k, "GET", gatewayURL, "someone-elses-token", t0), "GET", gatewayURL, ErrAccessTokenHash},
		{"a signature by another key than the embedded one",
			forge(t, header("ES256", k.PublicJWK()), withATH(claimsAt("GET", gatewayURL, t0), tok), es256(other.priv)), "GET", gatewayURL, ErrSignature},
		{"alg none",
			forge(t, header("none", k.PublicJWK()), withATH(claimsAt("GET", gatewayURL, t0), tok), func([]byte) []byte { return nil }), "GET", gatewayURL, ErrAlgorithm},
		{"HS256 with the public key as the secret",
			forge(t, header("HS256", k.PublicJWK()), withATH(claimsAt("GET", gatewayURL, t0), tok), hs256(pubPEM)), "GET", gatewayURL, ErrAlgorithm},
		{"RS256",
			forge(t, header("RS256", k.PublicJWK()), withATH(claimsAt("GET", gatewayURL, t0), tok), es256(k.priv)), "GET", gatewayURL, ErrAlgorithm},
		{"a private key in the header",
			forge(t, header("ES256", privJWK), withATH(claimsAt("GET", gatewayURL, t0), tok), es256(k.priv)), "GET", gatewayURL, ErrKey},
		{"no key in the header",
			forge(t, map[string]any{"typ": "dpop+jwt", "alg": "ES256"}, withATH(claimsAt("GET", gatewayURL, t0), tok), es256(k.priv)), "GET", gatewayURL, ErrKey},
		{"a P-384 key with alg ES256",
			forge(t, header("ES256", map[string]any{"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}), withATH(claimsAt("GET", gatewayURL, t0), tok), es256(p384)), "GET", gatewayURL, ErrKey},
		{"typ JWT instead of dpop+jwt",
			forge(t, map[string]any{"typ": "JWT", "alg": "ES256", "jwk": k.PublicJWK()}, withATH(claimsAt("GET", gatewayURL, t0), tok), es256(k.priv)), "GET", gatewayURL, ErrType},
		{"no jti",
			forge(t, header("ES256", k.PublicJWK()), withATH(map[string]any{"htm": "GET", "htu": gatewayURL, "iat": t0.Unix()}, tok), es256(k.priv)), "GET", gatewayURL, ErrMalformed},
		{"iat as a string",
			forge(t, header("ES256", k.PublicJWK()), withATH(map[string]any{"jti": "j", "htm": "GET", "htu": gatewayURL, "iat": "1795000000"}, tok), es256(k.priv)), "GET", gatewayURL, ErrMalformed},
		{"not a JWS at all", "not-a-proof", "GET", gatewayURL, ErrMalformed},
		{"an empty proof", "", "GET", gatewayURL, ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := mustVerifier(t, VerifierOptions{Now: fixed(t0)})
			thumb, err := v.Verify(c.proof, c.method, c.url, tok)
			if thumb != "" {
				t.Errorf("refused proof still returned a thumbprint")
			}
			assertRefused(t, err, CodeInvalidProof, c.reason, c.proof, tok)
		})
	}

	t.Run("a payload changed after signing", func(t *testing.T) {
		good := mustProof(t, k, "GET", gatewayURL, tok, t0)
		evil := forge(t, header("ES256", k.PublicJWK()), withATH(claimsAt("DELETE", gatewayURL, t0), tok), es256(k.priv))
		tampered := good[:indexDot(good)] + evil[indexDot(evil):lastDot(evil)] + good[lastDot(good):]
		v := mustVerifier(t, VerifierOptions{Now: fixed(t0)})
		_, err := v.Verify(tampered, "DELETE", gatewayURL, tok)
		assertRefused(t, err, CodeInvalidProof, ErrSignature, tampered, tok)
	})
}

func indexDot(s string) int {
	for i := range s {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

func TestReplay(t *testing.T) {
	k := mustKey(t)
	clk := &clock{t: t0}
	v := mustVerifier(t, VerifierOptions{Now: clk.Now})
	proof := mustProof(t, k, "GET", gatewayURL, "tok", t0)

	if _, err := v.Verify(proof, "GET", gatewayURL, "tok"); err != nil {
		t.Fatal(err)
	}
	t.Run("the same proof a second time is refused", func(t *testing.T) {
		_, err := v.Verify(proof, "GET", gatewayURL, "tok")
		assertRefused(t, err, CodeInvalidProof, ErrReplay, proof)
	})
	t.Run("a fresh proof for the same request is accepted", func(t *testing.T) {
		if _, err := v.Verify(mustProof(t, k, "GET", gatewayURL, "tok", t0), "GET", gatewayURL, "tok"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("once forgotten, the proof is refused as stale instead", func(t *testing.T) {
		clk.Add(DefaultReplayMemory + time.Second)
		_, err := v.Verify(proof, "GET", gatewayURL, "tok")
		assertRefused(t, err, CodeInvalidProof, ErrIssuedAt, proof)
		if _, err := v.Verify(mustProof(t, k, "GET", gatewayURL, "tok", clk.Now()), "GET", gatewayURL, "tok"); err != nil {
			t.Fatal(err)
		}
		if n := v.replay.size(); n != 1 {
			t.Errorf("replay memory holds %d entries, want only the newest", n)
		}
	})
}

func TestReplayMemoryIsBoundedAndFailsClosed(t *testing.T) {
	k := mustKey(t)
	clk := &clock{t: t0}
	v := mustVerifier(t, VerifierOptions{Now: clk.Now, ReplayCapacity: 2})
	for i := 0; i < 2; i++ {
		if _, err := v.Verify(mustProof(t, k, "GET", gatewayURL, "", t0), "GET", gatewayURL, ""); err != nil {
			t.Fatal(err)
		}
	}
	_, err := v.Verify(mustProof(t, k, "GET", gatewayURL, "", t0), "GET", gatewayURL, "")
	assertRefused(t, err, CodeUnavailable, ErrReplayFull)
	var e *Error
	if errors.As(err, &e) && e.Status() != 503 {
		t.Errorf("status %d, want 503", e.Status())
	}

	clk.Add(DefaultReplayMemory)
	if _, err := v.Verify(mustProof(t, k, "GET", gatewayURL, "", clk.Now()), "GET", gatewayURL, ""); err != nil {
		t.Fatalf("after the memory period: %v", err)
	}
}

func TestNewVerifierRefusesAReplayGap(t *testing.T) {
	if _, err := NewVerifier(VerifierOptions{Window: time.Minute, ReplayMemory: 90 * time.Second}); err == nil {
		t.Error("memory shorter than twice the window accepted")
	}
}

func TestVerifyConcurrently(t *testing.T) {
	k := mustKey(t)
	v := mustVerifier(t, VerifierOptions{Now: fixed(t0)})
	const workers, each = 16, 25

	t.Run("distinct proofs all pass", func(t *testing.T) {
		proofs := make([]string, workers*each)
		for i := range proofs {
			proofs[i] = mustProof(t, k, "POST", gatewayURL, "tok", t0)
		}
		var wg sync.WaitGroup
		var failed atomic.Int32
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for _, p := range proofs[w*each : (w+1)*each] {
					if _, err := v.Verify(p, "POST", gatewayURL, "tok"); err != nil {
						failed.Add(1)
					}
				}
			}(w)
		}
		wg.Wait()
		if n := failed.Load(); n != 0 {
			t.Errorf("%d proofs refused", n)
		}
	})

	t.Run("one proof raced by many is accepted once", func(t *testing.T) {
		p := mustProof(t, k, "POST", gatewayURL, "tok", t0)
		var wg sync.WaitGroup
		var ok, replayed atomic.Int32
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := v.Verify(p, "POST", gatewayURL, "tok")
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ErrReplay):
					replayed.Add(1)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 || replayed.Load() != workers-1 {
			t.Errorf("accepted %d, replayed %d; want 1 and %d", ok.Load(), replayed.Load(), workers-1)
		}
	})
}

func TestCheckBinding(t *testing.T) {
	a, b := mustKey(t), mustKey(t)
	assertRefused(t, CheckBinding(a.Thumbprint(), b.Thumbprint()), CodeInvalidToken, ErrBinding)
	assertRefused(t, CheckBinding(a.Thumbprint(), ""), CodeInvalidToken, ErrBinding)
	if err := CheckBinding(a.Thumbprint(), a.Thumbprint()); err != nil {
		t.Error(err)
	}
}

func TestErrorAnswersRFC9449Style(t *testing.T) {
	e := refuse(ErrReplay, `proof "has" already been used`)
	want := `DPoP error="invalid_dpop_proof", error_description="proof 'has' already been used", algs="ES256"`
	if got := e.WWWAuthenticate(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if e.Status() != 401 {
		t.Errorf("status %d", e.Status())
	}
}
