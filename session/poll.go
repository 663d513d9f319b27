package session

import (
	"context"
	"errors"
	"time"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

const (
	// slowDownStep is added to the interval on each slow_down (RFC 8628
	// section 3.5).
	slowDownStep = 5 * time.Second
	// maxPollFailures is how many polls in a row may go unanswered (the
	// network, a gateway restarting) before FinishSignIn gives up.
	maxPollFailures = 3
)

// poll asks the gateway for the session of a remote-mode sign-in every
// interval until the person has signed in in their browser: it waits on
// authorization_pending, slows down on slow_down, and stops on a final
// answer (expired_token, access_denied, any other refusal), at the login's
// expiry, or when ctx ends.
func (m *Manager) poll(ctx context.Context, s *signIn) (gatewayapi.TokenResponse, error) {
	interval, failures := s.interval, 0
	for {
		left := s.expiresAt.Sub(m.o.Now())
		if left <= 0 {
			return gatewayapi.TokenResponse{}, &DeniedError{Code: gatewayapi.ErrExpiredToken, Description: "the sign-in was not finished in time"}
		}
		select {
		case <-ctx.Done():
			return gatewayapi.TokenResponse{}, ctx.Err()
		case <-m.o.After(min(interval, left)):
		}
		tr, err := m.redeem(ctx, s, "")
		if err == nil {
			return tr, nil
		}
		var ge *GatewayError
		var ne *NetworkError
		switch {
		case errors.As(err, &ge) && ge.Code == gatewayapi.ErrAuthorizationPending:
			failures = 0
		case errors.As(err, &ge) && ge.Code == gatewayapi.ErrSlowDown:
			failures = 0
			interval += slowDownStep
		case errors.As(err, &ge) && ge.Code == gatewayapi.ErrTemporarilyUnavailable,
			errors.As(err, &ne) && ctx.Err() == nil:
			if failures++; failures >= maxPollFailures {
				return gatewayapi.TokenResponse{}, err
			}
		default:
			return gatewayapi.TokenResponse{}, signInError(err)
		}
	}
}
