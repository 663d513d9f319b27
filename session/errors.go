package session

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// GatewayError is an answer of the gateway that refused a call: the HTTP
// status and the JSON error's code and description, so callers can branch on
// the code and show the description.
type GatewayError struct {
	Status      int
	Code        string // gatewayapi.Err* or the proxy's own codes
	Description string
}

func (e *GatewayError) Error() string {
	msg := "gateway refused the call"
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg + " (HTTP " + strconv.Itoa(e.Status) + ")"
}

// Is makes errors.Is(err, ErrSignInRequired) true for the answers that mean
// the session is over: 401 login_required, and 401 invalid_token (no session
// token, or a token bound to another key).
func (e *GatewayError) Is(target error) bool {
	return target == ErrSignInRequired && e.sessionOver()
}

func (e *GatewayError) sessionOver() bool {
	return e.Status == http.StatusUnauthorized &&
		(e.Code == gatewayapi.ErrLoginRequired || e.Code == gatewayapi.ErrInvalidToken)
}

// NetworkError is a gateway call that got no answer: the gateway could not
// be reached, or did not answer in time.
type NetworkError struct {
	GatewayURL string
	Err        error
}

func (e *NetworkError) Error() string {
	return "cannot reach the gateway at " + e.GatewayURL + ": " + e.Err.Error()
}

func (e *NetworkError) Unwrap() error { return e.Err }

// ErrKeyringNotFound is what a Keyring returns from Get when it holds no
// entry for the service and user.
var ErrKeyringNotFound = errors.New("session: no keyring entry")

// errKeyringTimeout is a keyring call that did not return within
// Options.KeyringTimeout.
var errKeyringTimeout = errors.New("session: the keyring did not answer in time")
