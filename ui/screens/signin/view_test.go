package signin

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// states builds the screen in each state it can show.
func states(t *testing.T) map[string]*Model {
	t.Helper()
	denied := newAuth()
	denied.Challenge = challenge(session.ModeLoopback)
	denied.FinishErr = &session.DeniedError{Code: gatewayapi.ErrAccessDenied, Description: gatewayapi.ReasonAssuranceTooLow}
	unreachable := newAuth()
	unreachable.StartErr = &session.NetworkError{GatewayURL: "https://ers-gateway.example.nhs.uk", Err: errors.New("dial tcp: connection refused")}
	out := map[string]*Model{}
	out["loopback"], _ = start(t, waitingAuth(session.ModeLoopback), nil)
	out["remote"], _ = start(t, waitingAuth(session.ModeRemote), fmt.Errorf("idle: %w", session.ErrSignInRequired))
	out["denied"], _ = start(t, denied, nil)
	out["unreachable"], _ = start(t, unreachable, nil)
	out["signed_out"], _ = start(t, newAuth(), screen.SignedOut{})
	t.Cleanup(func() {
		for _, m := range out {
			m.Update(uitest.Key("c"))
		}
	})
	return out
}

func TestGoldenViews(t *testing.T) {
	for name, m := range states(t) {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			m.SetSize(size[0], size[1])
			uitest.Golden(t, fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), m.View())
		}
	}
}

func TestEveryViewFillsTheSizeExactly(t *testing.T) {
	for name, m := range states(t) {
		t.Run(name, func(t *testing.T) {
			for _, size := range uitest.Sizes() {
				m.SetSize(size.W, size.H)
				uitest.AssertFrame(t, m.View(), size.W, size.H)
			}
		})
	}
}
