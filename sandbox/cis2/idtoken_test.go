package cis2

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
)

const testClientID = "969567331415.apps.national"

// verifier discovers the mock with go-oidc, as the gateway will, and returns
// an ID token verifier for testClientID on the mock's clock.
func (m *mock) verifier(t *testing.T) *oidc.IDTokenVerifier {
	t.Helper()
	ctx := oidc.ClientContext(t.Context(), m.client)
	op, err := oidc.NewProvider(ctx, m.p.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	return op.VerifierContext(ctx, &oidc.Config{ClientID: testClientID, Now: m.clock.Now})
}

func (m *mock) sign(t *testing.T, persona string, a Authenticator) (string, IDToken) {
	t.Helper()
	p, ok := FindPersona(Personas(), persona)
	if !ok {
		t.Fatalf("no persona %q", persona)
	}
	tok, c, err := m.p.SignIDToken(Login{Persona: p, Authenticator: a, ClientID: testClientID, Nonce: "n-0S6_WzA2Mj", SessionID: "sid-1"})
	if err != nil {
		t.Fatal(err)
	}
	return tok, c
}

func TestAMintedIDTokenVerifiesWithGoOIDCAgainstTheServedDiscovery(t *testing.T) {
	m := newMock(t)
	raw, _ := m.sign(t, PersonaReferrer, Smartcard)
	tok, err := m.verifier(t).Verify(t.Context(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Subject != "656005750104" || tok.Issuer != m.p.Issuer() || tok.Nonce != "n-0S6_WzA2Mj" {
		t.Errorf("sub %q iss %q nonce %q", tok.Subject, tok.Issuer, tok.Nonce)
	}
	var c struct {
		IAL int      `json:"id_assurance_level"`
		AAL int      `json:"authentication_assurance_level"`
		AMR []string `json:"amr"`
	}
	if err := tok.Claims(&c); err != nil {
		t.Fatal(err)
	}
	if c.IAL != 3 || c.AAL != 3 || len(c.AMR) != 1 || c.AMR[0] != "N3_SMARTCARD" {
		t.Errorf("claims %+v", c)
	}
}

func TestTheHeaderIsRS256WithTypJWTAndTheCurrentKid(t *testing.T) {
	m := newMock(t)
	raw, _ := m.sign(t, PersonaReferrer, Smartcard)
	jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	h := jws.Signatures[0].Header
	if h.Algorithm != "RS256" || h.KeyID != m.p.Keys().CurrentKID() || h.ExtraHeaders["typ"] != "JWT" {
		t.Errorf("header alg %q kid %q typ %v", h.Algorithm, h.KeyID, h.ExtraHeaders["typ"])
	}
}

func TestExpiryAndSkewFollowTheInjectedClock(t *testing.T) {
	m := newMock(t)
	raw, c := m.sign(t, PersonaReferrer, Smartcard)
	if c.Expiry-c.IssuedAt != int64(time.Hour/time.Second) {
		t.Errorf("lifetime %d s", c.Expiry-c.IssuedAt)
	}
	v := m.verifier(t)

	m.clock.Advance(time.Hour - 2*time.Minute)
	if _, err := v.Verify(t.Context(), raw); err != nil {
		t.Fatalf("two minutes before expiry: %v", err)
	}
	m.clock.Advance(4 * time.Minute)
	_, err := v.Verify(t.Context(), raw)
	var expired *oidc.TokenExpiredError
	if !errors.As(err, &expired) {
		t.Fatalf("two minutes after expiry: %v", err)
	}
}

func TestAnIDTokenForAnotherClientIsRefusedByTheVerifier(t *testing.T) {
	m := newMock(t)
	p, _ := FindPersona(Personas(), PersonaReferrer)
	raw, _, err := m.p.SignIDToken(Login{Persona: p, Authenticator: Smartcard, ClientID: "other.apps.national"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.verifier(t).Verify(t.Context(), raw); err == nil || !strings.Contains(err.Error(), "audience") {
		t.Fatalf("err %v", err)
	}
}

func TestRotationKeepsOldTokensVerifiableUntilTheKeyIsRemoved(t *testing.T) {
	m := newMock(t)
	oldKID := m.p.Keys().CurrentKID()
	oldTok, _ := m.sign(t, PersonaReferrer, Smartcard)
	cached := m.verifier(t)
	if _, err := cached.Verify(t.Context(), oldTok); err != nil {
		t.Fatal(err)
	}

	k2, err := GenerateKey("cis2-mock-2026-11-21", testBits)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.p.Keys().Rotate(k2); err != nil {
		t.Fatal(err)
	}
	newTok, _ := m.sign(t, PersonaReferrer, Smartcard)

	t.Run("the JWKS publishes both kids", func(t *testing.T) {
		var set jose.JSONWebKeySet
		m.get(t, m.p.Issuer()+JWKSPath, &set)
		if len(set.Key(oldKID)) != 1 || len(set.Key(k2.KID)) != 1 || len(set.Keys) != 2 {
			t.Fatalf("keys %v", m.p.Keys().KIDs())
		}
	})
	t.Run("new tokens carry the new kid", func(t *testing.T) {
		if kid := headerKID(t, newTok); kid != k2.KID {
			t.Fatalf("kid %q", kid)
		}
	})
	t.Run("a verifier that cached the old key set fetches the new kid", func(t *testing.T) {
		if _, err := cached.Verify(t.Context(), newTok); err != nil {
			t.Fatal(err)
		}
		if _, err := cached.Verify(t.Context(), oldTok); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the current key cannot be removed", func(t *testing.T) {
		if err := m.p.Keys().Remove(k2.KID); err == nil {
			t.Fatal("removed")
		}
	})
	if err := m.p.Keys().Remove(oldKID); err != nil {
		t.Fatal(err)
	}
	t.Run("after removal old tokens fail and new ones verify", func(t *testing.T) {
		v := m.verifier(t)
		if _, err := v.Verify(t.Context(), oldTok); err == nil {
			t.Fatal("a token of a removed key verified")
		}
		if _, err := v.Verify(t.Context(), newTok); err != nil {
			t.Fatal(err)
		}
	})
}

func TestKeySetRefusesDuplicateAndUnknownKids(t *testing.T) {
	k, err := GenerateKey("a", testBits)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewKeySet(k)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add(k); err == nil {
		t.Error("a duplicate kid was added")
	}
	if err := s.Promote("b"); err == nil {
		t.Error("an unknown kid was promoted")
	}
	if err := s.Remove("b"); err == nil {
		t.Error("an unknown kid was removed")
	}
	if _, err := NewKeySet(SigningKey{KID: "x"}); err == nil {
		t.Error("a key without a private key was accepted")
	}
}

func headerKID(t *testing.T, raw string) string {
	t.Helper()
	jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	return jws.Signatures[0].Header.KeyID
}

// payload decodes the claims of a compact JWS without verifying it.
func payload(t *testing.T, raw string) map[string]any {
	t.Helper()
	jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
