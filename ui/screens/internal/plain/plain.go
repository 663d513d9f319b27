// Package plain turns the errors of sign-in and role choice into sentences
// a clinician or clerk can act on: what happened, and what to do next. The
// codes themselves stay in Detail, for support.
package plain

import (
	"context"
	"errors"
	"net"
	"net/url"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
)

// Explanation is an error in plain words.
type Explanation struct {
	What   string // what happened
	Do     string // what to do next
	Detail string // the code or the underlying message, for support; may be empty
}

// Explain describes err. retry is the key that tries again on the screen
// showing it ("r"), woven into the advice.
func Explain(err error, retry string) Explanation {
	again := "Press " + retry + " to try again."
	var denied *session.DeniedError
	switch {
	case err == nil:
		return Explanation{}
	case errors.As(err, &denied):
		return explainDenied(denied, again)
	case errors.Is(err, session.ErrSignInRequired):
		return Explanation{What: "Your session has ended.", Do: "Sign in again to carry on."}
	case errors.Is(err, context.DeadlineExceeded):
		return Explanation{What: "The gateway did not answer in time.",
			Do: "Check your network connection. " + again, Detail: err.Error()}
	case errors.Is(err, context.Canceled):
		return Explanation{What: "Cancelled.", Do: again}
	}
	if code, desc, ok := gatewayCode(err); ok {
		return explainGateway(code, desc, again)
	}
	var se *session.NetworkError
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &se) || errors.As(err, &ue) || errors.As(err, &ne) {
		return Explanation{What: "The sign-in gateway could not be reached.",
			Do:     "Check your network connection, or ask your IT service desk whether the gateway is running. " + again,
			Detail: err.Error()}
	}
	return Explanation{What: "Something went wrong.", Do: again + " If it keeps happening, tell your IT service desk what this says:",
		Detail: err.Error()}
}

func explainDenied(d *session.DeniedError, again string) Explanation {
	detail := d.Code
	if d.Description != "" {
		detail += ": " + d.Description
	}
	switch {
	case d.Description == gatewayapi.ReasonAssuranceTooLow:
		return Explanation{
			What:   "Your smartcard sign-in does not give the assurance e-RS needs (a verified identity and a smartcard or approved security key).",
			Do:     "Sign in with your smartcard. If you did, ask your registration authority to check your identity level. " + again,
			Detail: detail}
	case d.Code == gatewayapi.ErrAccessDenied:
		return Explanation{What: "Sign-in was cancelled.", Do: again, Detail: detail}
	case d.Code == gatewayapi.ErrExpiredToken:
		return Explanation{What: "The sign-in link expired before the sign-in finished.",
			Do: "Press r for a new link and finish within the time shown.", Detail: detail}
	}
	return Explanation{What: "The sign-in was refused.", Do: again, Detail: detail}
}

func explainGateway(code, desc, again string) Explanation {
	detail := code
	if desc != "" {
		detail += ": " + desc
	}
	e := Explanation{Detail: detail}
	switch code {
	case gatewayapi.ErrRoleNotHeld:
		e.What = "e-RS says you do not hold this role at this organisation."
		e.Do = "Choose another role. If your roles have just changed, sign out and in again."
	case gatewayapi.ErrLoginRequired, gatewayapi.ErrInvalidToken:
		e.What = "Your session has ended."
		e.Do = "Sign in again to carry on."
	case gatewayapi.ErrRateLimited:
		e.What = "Too many requests were made in a short time."
		e.Do = "Wait a minute, then " + lowerFirst(again)
	case gatewayapi.ErrTemporarilyUnavailable:
		e.What = "The gateway, NHS login or e-RS is unavailable just now."
		e.Do = "Wait a minute, then " + lowerFirst(again) + " If it keeps happening, tell your IT service desk."
	case gatewayapi.ErrExpiredToken:
		e.What = "The sign-in link expired before the sign-in finished."
		e.Do = "Press r for a new link and finish within the time shown."
	case gatewayapi.ErrAccessDenied:
		e.What = "Sign-in was cancelled."
		e.Do = again
	default:
		e.What = "The gateway refused the request."
		e.Do = again + " If it keeps happening, tell your IT service desk what this says:"
	}
	return e
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
