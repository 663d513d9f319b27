package keys

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
)

// AssertionLifetime is how long a client assertion is valid: under APIM's
// five-minute limit with a minute to spare for clock skew.
const AssertionLifetime = 4 * time.Minute

// assertionClaims are the claims of a client assertion (RFC 7523 section
// 3), written out by hand so aud is a plain string and jti is always new.
type assertionClaims struct {
	Issuer   string `json:"iss"`
	Subject  string `json:"sub"`
	Audience string `json:"aud"`
	IssuedAt int64  `json:"iat"`
	Expiry   int64  `json:"exp"`
	ID       string `json:"jti"`
}

// Assertion returns a client assertion for private_key_jwt (CIS2) and
// signed-JWT grants (APIM), signed RS512 with the current key: iss = sub =
// clientID, aud = audience (the token endpoint URL, exactly), iat now, exp
// now + AssertionLifetime, and a fresh random jti on every call, because
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
		IssuedAt: now.Unix(), Expiry: now.Add(AssertionLifetime).Unix(), ID: jti.String(),
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
