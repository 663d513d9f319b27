package plain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
)

func TestExplainSaysWhatHappenedInPlainWords(t *testing.T) {
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
		{"anything else", errors.New("boom"), "Something went wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Explain(tt.err, "r")
			if !strings.Contains(e.What, tt.what) {
				t.Errorf("What = %q, want it to say %q", e.What, tt.what)
			}
			if e.Do == "" {
				t.Error("no advice on what to do")
			}
		})
	}
}

func TestExplainKeepsTheURLForSupport(t *testing.T) {
	e := Explain(&session.NetworkError{GatewayURL: "https://gw.example", Err: errors.New("refused")}, "r")
	if !strings.Contains(e.Detail, "https://gw.example") {
		t.Errorf("Detail = %q", e.Detail)
	}
}
