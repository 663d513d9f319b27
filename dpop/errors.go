package dpop

import (
	"errors"
	"net/http"
	"strings"
)

// Error codes, as sent in the WWW-Authenticate header (RFC 9449 section 7.1, RFC 6750).
const (
	// CodeInvalidProof means the DPoP proof itself is missing, malformed, stale or replayed.
	CodeInvalidProof = "invalid_dpop_proof"
	// CodeInvalidToken means the proof is valid but the session is bound to another key.
	CodeInvalidToken = "invalid_token"
	// CodeUnavailable means the verifier cannot safely accept proofs right now
	// (the replay memory is full); the caller should retry later.
	CodeUnavailable = "temporarily_unavailable"
)

// Reasons a proof is refused. They are wrapped by [Error] so callers and tests can tell the
// refusals apart with errors.Is without parsing messages.
var (
	ErrMalformed       = errors.New("dpop: malformed proof")
	ErrType            = errors.New("dpop: wrong typ")
	ErrAlgorithm       = errors.New("dpop: algorithm not allowed")
	ErrKey             = errors.New("dpop: unacceptable key")
	ErrSignature       = errors.New("dpop: bad signature")
	ErrMethod          = errors.New("dpop: htm mismatch")
	ErrURL             = errors.New("dpop: htu mismatch")
	ErrIssuedAt        = errors.New("dpop: iat outside the window")
	ErrAccessTokenHash = errors.New("dpop: ath missing or wrong")
	ErrReplay          = errors.New("dpop: jti replayed")
	ErrReplayFull      = errors.New("dpop: replay memory full")
	ErrBinding         = errors.New("dpop: key does not match the session")
)

// Error is a refusal the gateway can turn into an RFC 9449 style answer. Description is safe
// to send and to log: it never contains the proof, the token or any key material.
type Error struct {
	Code        string
	Description string
	Reason      error // one of the Err* sentinels
}

func (e *Error) Error() string { return "dpop: " + e.Code + ": " + e.Description }

// Unwrap lets errors.Is match the Err* sentinel.
func (e *Error) Unwrap() error { return e.Reason }

// Status is the HTTP status the gateway should answer with.
func (e *Error) Status() int {
	if e.Code == CodeUnavailable {
		return http.StatusServiceUnavailable
	}
	return http.StatusUnauthorized
}

// WWWAuthenticate is the value of the WWW-Authenticate header for a 401, advertising the only
// algorithm accepted so a client knows what to use.
func (e *Error) WWWAuthenticate() string {
	return `DPoP error="` + e.Code + `", error_description="` + quoteSafe(e.Description) + `", algs="ES256"`
}

// quoteSafe keeps a description inside its quoted-string (descriptions are ours, but be sure).
func quoteSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r > 0x7e {
			return '\''
		}
		return r
	}, s)
}

func refuse(reason error, description string) *Error {
	return &Error{Code: CodeInvalidProof, Description: description, Reason: reason}
}
