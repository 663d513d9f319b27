package keys

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
)

// The validity window of a client assertion, chosen so that a gateway clock
// up to two minutes ahead of or behind CIS2 and APIM still signs in:
//
//   - exp is AssertionLifetime after now. A receiver two minutes behind
//     sees exp 270 s ahead, inside APIM's limit of 300 s (310 with its
//     allowance); a receiver two minutes ahead still has 30 s to accept
//     an assertion sent at once.
//   - iat and nbf are AssertionBackdate before now. APIM does not read
//     them, and CIS2 (like the simulator, which allows no leeway) refuses
//     only an iat or nbf in the future, so a receiver two minutes behind
//     must see them in its past: 60 s would not be enough for that.
//     The whole span, exp - iat, stays under five minutes.
const (
	AssertionLifetime = 150 * time.Second
	AssertionBackdate = 140 * time.Second
)

// assertionClaims are the claims of a client assertion (RFC 7523 section
// 3), written out by hand so aud is a plain string and jti is always new.
type assertionClaims struct {
	Issuer    string `json:"iss"`
	Subject   string `json:"sub"`
	Audience  string `json:"aud"`
	IssuedAt  int64  `json:"iat"`
	NotBefore int64  `json:"nbf"`
	Expiry    int64  `json:"exp"`
	ID        string `json:"jti"`
}

// Assertion returns a client assertion for private_key_jwt (CIS2) and
// signed-JWT grants (APIM), signed RS512 with the current key: iss = sub =
// clientID, aud = audience (the token endpoint URL, exactly), iat and nbf
// now - AssertionBackdate, exp now + AssertionLifetime, and a fresh random jti on every call, because
// APIM refuses a jti it has seen in the last 30 days. The result is a
// credential: never log it.
func (s *Set) Assertion(clientID, audience string) (string, error) {
	if clientID == "" {
		return "", errors.New("keys: an assertion needs a client id")
	}
	if audience == "" {
		return "", errors.New("keys: an assertion needs an audience (the token endpoint URL)")
	}
	jti, err := uuid.NewRandom()
	if err != nil {
		return "", fmt.Errorf("keys: make a jti: %w", err)
	}
	now := s.opts.Now()
	payload, err := json.Marshal(assertionClaims{
		Issuer: clientID, Subject: clientID, Audience: audience,
		IssuedAt: now.Add(-AssertionBackdate).Unix(), NotBefore: now.Add(-AssertionBackdate).Unix(),
		Expiry: now.Add(AssertionLifetime).Unix(), ID: jti.String(),
	})
	if err != nil {
		return "", fmt.Errorf("keys: encode assertion claims: %w", err)
	}

	s.mu.RLock()
	k := s.signingLocked(now)
	s.mu.RUnlock()
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: Algorithm, Key: k.priv},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), k.kid),
	)
	if err != nil {
		return "", fmt.Errorf("keys: signer for key %s: %w", k.kid, err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("keys: sign assertion with key %s: %w", k.kid, err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("keys: serialise assertion: %w", err)
	}
	return out, nil
}
