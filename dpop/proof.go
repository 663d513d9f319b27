package dpop

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// proofType is the JOSE typ of a DPoP proof (RFC 9449 section 4.2).
const proofType = "dpop+jwt"

// claims are what a proof signs (RFC 9449 section 4.2); the verifier reads receivedClaims.
type claims struct {
	JTI string `json:"jti"`
	HTM string `json:"htm"`
	HTU string `json:"htu"`
	IAT int64  `json:"iat"`
	ATH string `json:"ath,omitempty"`
}

// Proof signs a fresh proof for one request: a new jti each call, so a retried request must
// call it again (the [Transport] does). accessToken is the session token; when non-empty its
// hash goes in ath, binding the proof to that token too. The URL's query and fragment are
// dropped, as RFC 9449 requires.
func (k *Key) Proof(method, rawURL, accessToken string, now time.Time) (string, error) {
	if method == "" || strings.ContainsAny(method, " \t\r\n") {
		return "", errors.New("dpop: proof needs an HTTP method")
	}
	htu, err := proofURL(rawURL)
	if err != nil {
		return "", err
	}
	c := claims{JTI: rand.Text(), HTM: method, HTU: htu, IAT: now.Unix()}
	if accessToken != "" {
		c.ATH = accessTokenHash(accessToken)
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("dpop: encode claims: %w", err)
	}
	opts := (&jose.SignerOptions{EmbedJWK: true}).WithType(proofType)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k.priv}, opts)
	if err != nil {
		return "", fmt.Errorf("dpop: signer: %w", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("dpop: sign: %w", err)
	}
	return jws.CompactSerialize()
}

// proofURL keeps scheme, host and path of an absolute http(s) URL.
func proofURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", errors.New("dpop: proof needs an absolute http(s) URL without user info")
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String(), nil
}

// accessTokenHash is ath: base64url SHA-256 of the token's ASCII bytes (RFC 9449 section 4.2).
func accessTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
