package session

import (
	"errors"
	"time"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// Mode is how the browser's answer reaches the workstation.
type Mode string

const (
	// ModeAuto chooses remote over SSH with no display, loopback otherwise.
	ModeAuto Mode = ""
	// ModeLoopback: the system browser on this machine is sent back to a
	// one-shot listener on 127.0.0.1.
	ModeLoopback Mode = gatewayapi.ModeLoopback
	// ModeRemote: the user opens the URL on another machine (the one with
	// the smartcard) and the workstation polls the gateway.
	ModeRemote Mode = gatewayapi.ModeRemote
)

// Storage is where the session token and its key are kept between runs.
type Storage string

const (
	// StorageKeyring: the OS keyring answered; the session survives a
	// restart of the workstation.
	StorageKeyring Storage = "keyring"
	// StorageMemory: no keyring answered in time; the session ends with the
	// process. Never a plaintext file.
	StorageMemory Storage = "memory"
)

// Challenge is what the user needs to finish a sign-in started by
// Manager.StartSignIn: the short URL to open and the code it shows.
type Challenge struct {
	URL       string
	UserCode  string
	Mode      Mode
	ExpiresAt time.Time
	// BrowserOpened says the system browser was asked to open URL; when
	// false (remote mode, or the browser could not start) the user must
	// open it themselves, and BrowserError says why when there was one.
	BrowserOpened bool
	BrowserError  error
}

// Identity is the signed-in user and, once chosen, their role.
type Identity struct {
	UserID string // the SDS user id (CIS2 "sub")
	Name   string
	// Role is nil until a role is chosen.
	Role *Role
	// IdleTimeout is the gateway's idle limit; the session ends after this
	// long without a call.
	IdleTimeout time.Duration
	// ExpiresAt is the absolute end of the session.
	ExpiresAt time.Time
}

// Role is the e-RS context every call is made in: a business function at an
// organisation, and for a clinician admin the clinician they act for.
type Role struct {
	BusinessFunction string
	ODS              string
	OrganisationName string
	OnBehalfOf       string // SDS user id, clinician admins only
	OnBehalfOfName   string
}

// Roles are the roles the user may choose from: what e-RS returned for them
// (A030) and, for a clinician admin, the clinicians at each organisation
// they may act for (A040), keyed by ODS code.
type Roles struct {
	Choices    []gatewayapi.RoleChoice
	Clinicians map[string][]gatewayapi.Clinician
}

// Errors callers branch on.
var (
	// ErrSignInRequired: there is no session, or the gateway ended it
	// (expiry, logout elsewhere, revocation, refresh window over). Sign in
	// again.
	ErrSignInRequired = errors.New("session: sign-in required")
	// ErrNoSignIn: FinishSignIn was called with no sign-in started.
	ErrNoSignIn = errors.New("session: no sign-in in progress")
)

// DeniedError is a sign-in the user or CIS2 refused: cancelled at CIS2, or
// an identity/authenticator assurance below what e-RS needs.
type DeniedError struct {
	Code        string // gatewayapi.ErrAccessDenied, ErrExpiredToken, ...
	Description string // e.g. gatewayapi.ReasonAssuranceTooLow
}

func (e *DeniedError) Error() string {
	if e.Description == "" {
		return "sign-in refused: " + e.Code
	}
	return "sign-in refused: " + e.Code + " (" + e.Description + ")"
}
