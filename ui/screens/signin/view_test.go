package signin

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	st "github.com/ers-workstation/ers-workstation/ui/screens/internal/screentest"
)

// states builds the screen in each state it can show.
func states(t *testing.T) map[string]*Model {
	t.Helper()
	denied := &st.FakeAuth{
		StartFn: func(context.Context) (session.Challenge, error) { return challenge(session.ModeLoopback), nil },
		FinishFn: func(context.Context) (session.Identity, error) {
			return session.Identity{}, &session.DeniedError{Code: gatewayapi.ErrAccessDenied, Description: gatewayapi.ReasonAssuranceTooLow}
		},
	}
	unreachable := &st.FakeAuth{StartFn: func(context.Context) (session.Challenge, error) {
		return session.Challenge{}, &session.NetworkError{GatewayURL: "https://ers-gateway.example.nhs.uk", Err: errors.New("dial tcp: connection refused")}
	}}
	out := map[string]*Model{}
	out["loopback"], _ = start(t, waitingAuth(session.ModeLoopback), nil)
	out["remote"], _ = start(t, waitingAuth(session.ModeRemote), fmt.Errorf("idle: %w", session.ErrSignInRequired))
	out["denied"], _ = start(t, denied, nil)
	out["unreachable"], _ = start(t, unreachable, nil)
	t.Cleanup(func() {
		for _, m := range out {
			m.Update(Key("c"))
		}
	})
	return out
}

func TestGoldenViews(t *testing.T) {
	for name, m := range states(t) {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			m.SetSize(size[0], size[1])
			st.Golden(t, fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), m.View())
		}
	}
}

func TestEveryViewFillsTheSizeExactly(t *testing.T) {
	for name, m := range states(t) {
		t.Run(name, func(t *testing.T) {
			for _, size := range st.Sizes() {
				m.SetSize(size[0], size[1])
				st.AssertFrame(t, m.View(), size[0], size[1])
			}
		})
	}
}
