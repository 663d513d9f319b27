package errorview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
)

func TestDescribesSignInAndGatewayErrorsInPlainWords(t *testing.T) {
	tests := []struct {
		name string
		err  error
		what string
	}{
		{"assurance too low", &session.DeniedError{Code: gatewayapi.ErrAccessDenied, Description: gatewayapi.ReasonAssuranceTooLow}, "does not give the assurance e-RS needs"},
		{"cancelled at CIS2", &session.DeniedError{Code: gatewayapi.ErrAccessDenied}, "Sign-in was cancelled"},
		{"link expired", fmt.Errorf("finish: %w", &session.DeniedError{Code: gatewayapi.ErrExpiredToken}), "link expired"},
		{"role not held", &session.GatewayError{Status: 403, Code: gatewayapi.ErrRoleNotHeld}, "do not hold this role"},
		{"gateway down", &session.GatewayError{Status: 503, Code: gatewayapi.ErrTemporarilyUnavailable}, "unavailable just now"},
		{"unreachable", &session.NetworkError{GatewayURL: "https://gw.example", Err: errors.New("connection refused")}, "could not be reached"},
		{"slow", &session.NetworkError{GatewayURL: "https://gw.example", Err: context.DeadlineExceeded}, "did not answer in time"},
		{"session over", fmt.Errorf("x: %w", session.ErrSignInRequired), "session has ended"},
		{"session over at the gateway", &session.GatewayError{Status: 401, Code: gatewayapi.ErrLoginRequired}, "session has ended"},
		{"anything else", errors.New("boom"), "Something went wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DescribeRetry(tt.err, "r")
			if !strings.Contains(d.What, tt.what) {
				t.Errorf("What = %q, want it to say %q", d.What, tt.what)
			}
			if d.Do == "" {
				t.Error("no advice on what to do")
			}
		})
	}
}

func TestKeepsTheGatewayURLForSupport(t *testing.T) {
	d := Describe(&session.NetworkError{GatewayURL: "https://gw.example", Err: errors.New("refused")})
	if !strings.Contains(d.Detail, "https://gw.example") {
		t.Errorf("Detail = %q", d.Detail)
	}
}

func TestAdviceNamesTheScreensRetryKey(t *testing.T) {
	d := DescribeRetry(&session.GatewayError{Status: 503, Code: gatewayapi.ErrTemporarilyUnavailable}, "enter")
	if !strings.Contains(d.Do, "press enter to try again") {
		t.Errorf("Do = %q", d.Do)
	}
	if d.Detail != gatewayapi.ErrTemporarilyUnavailable {
		t.Errorf("Detail = %q, want the gateway's code", d.Detail)
	}
}
