// Package gatewayapi is the wire protocol between ers-workstation and
// ers-gateway: the paths of the sign-in broker, the JSON bodies and the
// error codes. The gateway serves it (gateway/broker, gateway/proxy) and the
// workstation calls it (session); both import these types so the two sides
// cannot drift apart.
//
// It holds plain types only: no behaviour, no dependencies beyond dpop's JWK,
// so the workstation does not link any of the gateway's code.
package gatewayapi

import (
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
)

// The broker's paths. The e-RS proxy lives under ERSPrefix.
const (
	LoginPath        = "/v1/auth/login"
	TokenPath        = "/v1/auth/token"
	LogoutPath       = "/v1/auth/logout"
	SessionPath      = "/v1/session"
	ContextPath      = "/v1/session/context"
	RolesPath        = "/v1/session/roles"
	ShortLoginPrefix = "/l/"
	// ERSPrefix is the FHIR base of the proxy: ERSPrefix + "/STU3/..." or
	// "/R4/...".
	ERSPrefix = "/v1/ers/FHIR"
)

// Login modes.
const (
	ModeLoopback = "loopback"
	ModeRemote   = "remote"
)

// Error codes in ErrorBody.Error (and in the loopback callback's "error"
// parameter).
const (
	// Polling POST /v1/auth/token in remote mode (RFC 8628 section 3.5).
	ErrAuthorizationPending = "authorization_pending"
	ErrSlowDown             = "slow_down"
	ErrExpiredToken         = "expired_token"
	ErrAccessDenied         = "access_denied"
	ErrInvalidGrant         = "invalid_grant"
	ErrInvalidRequest       = "invalid_request"
	// ErrLoginRequired: the session is unknown, ended or expired, or its
	// NHS tokens cannot be refreshed; sign in again.
	ErrLoginRequired = "login_required"
	// ErrInvalidToken: the proof of possession is missing or wrong.
	ErrInvalidToken = "invalid_token"
	// ErrRoleNotHeld: the context asked for is not one A030/A040 returned.
	ErrRoleNotHeld = "role_not_held"
	// ErrNoRole: an e-RS call before a role was chosen.
	ErrNoRole = "no_role"
	// ErrRateLimited: the session's share of the APIM quota is used up;
	// the answer carries Retry-After.
	ErrRateLimited = "rate_limited"
	// ErrTemporarilyUnavailable: the gateway's store or an upstream is down.
	ErrTemporarilyUnavailable = "temporarily_unavailable"
)

// ReasonAssuranceTooLow is the access_denied description when the user's
// identity or authenticator assurance is below what e-RS needs.
const ReasonAssuranceTooLow = "assurance_too_low"

// ErrorBody is every JSON error the gateway sends.
type ErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// LoginRequest is the body of POST /v1/auth/login.
type LoginRequest struct {
	// Mode is ModeLoopback or ModeRemote.
	Mode string `json:"mode"`
	// RedirectURI is the workstation's loopback callback (loopback mode
	// only): http://127.0.0.1:<port>/callback or http://[::1]:<port>/callback.
	RedirectURI string `json:"redirect_uri,omitempty"`
	// State is echoed to the loopback callback.
	State               string   `json:"state,omitempty"`
	CodeChallenge       string   `json:"code_challenge"`
	CodeChallengeMethod string   `json:"code_challenge_method"`
	JWK                 dpop.JWK `json:"jwk"`
}

// LoginResponse is the answer of POST /v1/auth/login.
type LoginResponse struct {
	LoginID         string `json:"login_id"`
	VerificationURI string `json:"verification_uri"`
	UserCode        string `json:"user_code"`
	ExpiresIn       int    `json:"expires_in"`
	Interval        int    `json:"interval"`
}

// TokenRequest is the body of POST /v1/auth/token: the loopback handoff
// code, or no code to poll in remote mode.
type TokenRequest struct {
	LoginID      string `json:"login_id"`
	Code         string `json:"code,omitempty"`
	CodeVerifier string `json:"code_verifier"`
}

// TokenResponse is the session the workstation receives.
type TokenResponse struct {
	SessionToken string    `json:"session_token"`
	TokenType    string    `json:"token_type"` // "DPoP"
	IdleTimeout  int       `json:"idle_timeout"`
	ExpiresAt    time.Time `json:"expires_at"`
	User         User      `json:"user"`
}

// User is the signed-in healthcare worker.
type User struct {
	Subject string `json:"sub"`
	Name    string `json:"name"`
}

// SessionInfo is the answer of GET /v1/session.
type SessionInfo struct {
	User          User           `json:"user"`
	Context       *ContextBody   `json:"context,omitempty"`
	State         string         `json:"state"`
	IdleExpiresAt time.Time      `json:"idle_expires_at"`
	ExpiresAt     time.Time      `json:"expires_at"`
	Assurance     map[string]int `json:"assurance"`
}

// ContextBody is the body of PUT /v1/session/context and part of its answer.
type ContextBody struct {
	BusinessFunction string `json:"business_function"`
	ODS              string `json:"ods"`
	OnBehalfOf       string `json:"obo_user_id,omitempty"`
}

// ContextResponse answers PUT /v1/session/context: changing role rotates
// the session token, so the answer carries the new one.
type ContextResponse struct {
	SessionToken string      `json:"session_token"`
	Context      ContextBody `json:"context"`
}

// RolesResponse answers GET /v1/session/roles: the roles e-RS says the user
// holds (A030), and for a clinician admin's organisations the clinicians
// they may act for (A040), keyed by ODS code.
type RolesResponse struct {
	Roles      []RoleChoice           `json:"roles"`
	OnBehalfOf map[string][]Clinician `json:"on_behalf_of,omitempty"`
}

// RoleChoice is one business function at one organisation.
type RoleChoice struct {
	BusinessFunction string `json:"business_function"`
	ODS              string `json:"ods"`
	OrganisationName string `json:"organisation_name,omitempty"`
}

// Clinician is someone a clinician admin may act for.
type Clinician struct {
	SDSUserID string `json:"sds_user_id"`
	Name      string `json:"name,omitempty"`
}
