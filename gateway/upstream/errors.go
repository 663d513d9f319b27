package upstream

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel reasons, for errors.Is.
var (
	// ErrIDTokenInvalid: the ID token failed signature, issuer, audience,
	// expiry or nonce checks, or is missing.
	ErrIDTokenInvalid = errors.New("upstream: the CIS2 ID token is not valid")
	// ErrAssurance: the user's identity (IAL < 3) or sign-in method (AAL < 2)
	// is below what e-RS needs. The wrapping error says which in words a
	// user can read.
	ErrAssurance = errors.New("upstream: assurance too low for e-RS")
	// ErrUnavailable: CIS2 or APIM could not be reached, timed out or
	// answered 5xx. The wrapping error names the service.
	ErrUnavailable = errors.New("upstream: service unavailable")
	// ErrLogoutInvalid: a back-channel logout token was refused.
	ErrLogoutInvalid = errors.New("upstream: the logout token is not valid")
)

// maxDescription bounds an error_description kept from a response, so a
// misbehaving server cannot make our errors (and logs) carry its body.
const maxDescription = 200

// OAuthError is an error answered by CIS2 or APIM: status, error and
// error_description only (never the body or a token).
type OAuthError struct {
	Status      int
	Code        string
	Description string
}

func (e *OAuthError) Error() string {
	s := fmt.Sprintf("upstream: %d %s: %s", e.Status, http.StatusText(e.Status), e.Code)
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// InvalidGrant reports an invalid_grant answer: a used, expired or revoked
// code or refresh token. The user must sign in again.
func (e *OAuthError) InvalidGrant() bool { return e.Code == "invalid_grant" }

// unavailable wraps err as ErrUnavailable naming the service.
func unavailable(service string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, service, err)
}

// truncate cuts s to n bytes at most.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
