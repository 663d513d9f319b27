package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// SignOut ends the session at the gateway (POST /v1/auth/logout) and wipes
// it from memory and the keyring. It wipes locally whatever the gateway
// answers, so an unreachable gateway never keeps a user signed in here; the
// error then says the gateway was not told. A session the gateway had
// already ended is not an error. It does not signal Ended.
func (m *Manager) SignOut(ctx context.Context) error {
	m.abandon()
	m.mu.Lock()
	l := m.cur
	m.cur, m.roles = nil, nil
	m.mu.Unlock()
	m.wipe()
	if l == nil {
		return nil
	}
	err := m.call(ctx, http.MethodPost, gatewayapi.LogoutPath, l.key, l.token, nil, nil)
	if err == nil || errors.Is(err, ErrSignInRequired) {
		m.o.Logger.Info("signed out")
		return nil
	}
	return fmt.Errorf("signed out on this computer, but the gateway could not be told: %w", err)
}
