package session

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// newVerifier is a PKCE code verifier: 32 random bytes, 43 characters of
// base64url (RFC 7636 section 4.1).
func newVerifier() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// s256 is the S256 code challenge of a verifier (RFC 7636 section 4.2).
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
