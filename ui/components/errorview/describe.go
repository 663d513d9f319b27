package errorview

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"unicode"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
)

// Details is an error taken apart into plain words a clinician or clerk can
// act on, and the identifiers support will ask for.
type Details struct {
	What string // what happened
	Do   string // what to do next
	// Code and CorrelationID identify an e-RS error.
	Code, CorrelationID string
	// Detail is the gateway's code or the underlying message of any other
	// error, for support; empty when Code and CorrelationID say it.
	Detail string
}

// Describe takes err apart for a view whose key to try again is "r".
func Describe(err error) Details { return DescribeRetry(err, "r") }

// DescribeRetry takes err apart: e-RS errors (ersclient) by their own
// message, code and correlation id; the sign-in and session errors of the
// gateway (session.DeniedError, GatewayError, NetworkError,
// ErrSignInRequired) in words of their own; anything else as "Something
// went wrong" with its message kept in Detail. retry is the key that tries
// again on the screen showing it ("r", or "enter" where choosing again is
// the retry), woven into the advice.
func DescribeRetry(err error, retry string) Details {
	if err == nil {
		return Details{}
	}
	again := "Press " + retry + " to try again."
	if e, ok := ersclient.AsError(err); ok {
		return describeERS(e, retry)
	}
	var denied *session.DeniedError
	switch {
	case errors.As(err, &denied):
		return describeDenied(denied, retry, again)
	case errors.Is(err, session.ErrSignInRequired):
		return Details{What: "Your session has ended.", Do: "Sign in again to carry on."}
	case errors.Is(err, context.DeadlineExceeded):
		return Details{What: "The gateway did not answer in time.",
			Do: "Check your network connection. " + again, Detail: err.Error()}
	case errors.Is(err, context.Canceled):
		return Details{What: "Cancelled.", Do: again}
	}
	var ge *session.GatewayError
	if errors.As(err, &ge) {
		return describeGateway(ge, retry, again)
	}
	var se *session.NetworkError
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &se) || errors.As(err, &ue) || errors.As(err, &ne) {
		return Details{What: "The sign-in gateway could not be reached.",
			Do:     "Check your network connection, or ask your IT service desk whether the gateway is running. " + again,
			Detail: err.Error()}
	}
	return Details{What: "Something went wrong.", Do: again + " If it keeps happening, tell your IT service desk what this says:",
		Detail: err.Error()}
}

// describeERS uses the e-RS client's own plain message, which already
// knows the operation (a write whose outcome is unknown says so).
func describeERS(e *ersclient.Error, retry string) Details {
	d := Details{What: sentence(e.Message()), Code: e.Code, CorrelationID: e.CorrelationID,
		Do: "Press " + retry + " to try again, or esc to go back. If it keeps happening, " +
			"tell the service desk the code and correlation id below."}
	if e.CodeDisplay != "" && e.Code != "" {
		d.Code = e.Code + " (" + e.CodeDisplay + ")"
	}
	switch e.Kind {
	case ersclient.KindNotSent:
		d.Do = "Check the network connection, then press " + retry + " to try again."
	case ersclient.KindAuth:
		d.Do = "Sign in again, then press " + retry + "."
	}
	return d
}

func describeDenied(d *session.DeniedError, retry, again string) Details {
	detail := withDescription(d.Code, d.Description)
	switch {
	case d.Description == gatewayapi.ReasonAssuranceTooLow:
		return Details{
			What:   "Your smartcard sign-in does not give the assurance e-RS needs (a verified identity and a smartcard or approved security key).",
			Do:     "Sign in with your smartcard. If you did, ask your registration authority to check your identity level. " + again,
			Detail: detail}
	case d.Code == gatewayapi.ErrAccessDenied:
		return Details{What: "Sign-in was cancelled.", Do: again, Detail: detail}
	case d.Code == gatewayapi.ErrExpiredToken:
		return Details{What: "The sign-in link expired before the sign-in finished.",
			Do: "Press " + retry + " for a new link and finish within the time shown.", Detail: detail}
	}
	return Details{What: "The sign-in was refused.", Do: again, Detail: detail}
}

func describeGateway(ge *session.GatewayError, retry, again string) Details {
	d := Details{Detail: withDescription(ge.Code, ge.Description)}
	switch ge.Code {
	case gatewayapi.ErrRoleNotHeld:
		d.What = "e-RS says you do not hold this role at this organisation."
		d.Do = "Choose another role. If your roles have just changed, sign out and in again."
	case gatewayapi.ErrLoginRequired, gatewayapi.ErrInvalidToken:
		d.What = "Your session has ended."
		d.Do = "Sign in again to carry on."
	case gatewayapi.ErrRateLimited:
		d.What = "Too many requests were made in a short time."
		d.Do = "Wait a minute, then " + lowerFirst(again)
	case gatewayapi.ErrTemporarilyUnavailable:
		d.What = "The gateway, NHS login or e-RS is unavailable just now."
		d.Do = "Wait a minute, then " + lowerFirst(again) + " If it keeps happening, tell your IT service desk."
	case gatewayapi.ErrExpiredToken:
		d.What = "The sign-in link expired before the sign-in finished."
		d.Do = "Press " + retry + " for a new link and finish within the time shown."
	case gatewayapi.ErrAccessDenied:
		d.What = "Sign-in was cancelled."
		d.Do = again
	default:
		d.What = "The gateway refused the request."
		d.Do = again + " If it keeps happening, tell your IT service desk what this says:"
	}
	return d
}

func withDescription(code, desc string) string {
	if desc != "" {
		return code + ": " + desc
	}
	return code
}

// sentence makes a message start with a capital and end with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "Something went wrong."
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	s = string(r)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
