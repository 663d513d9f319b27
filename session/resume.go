package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// Resume returns the session this process holds, or else the one kept in
// the keyring, when the gateway still accepts it (GET /v1/session with a
// proof). The identity carries the role when the session has one. With no
// session, or one the gateway has ended, it returns an error wrapping
// ErrSignInRequired, and a stale keyring entry is wiped.
func (m *Manager) Resume(ctx context.Context) (Identity, error) {
	l, err := m.current()
	if err != nil {
		if l, err = m.fromKeyring(); err != nil {
			return Identity{}, err
		}
	}
	var info gatewayapi.SessionInfo
	err = m.call(ctx, http.MethodGet, gatewayapi.SessionPath, l.key, l.token, nil, &info)
	if errors.Is(err, ErrSignInRequired) {
		m.mu.Lock()
		if m.cur != nil && m.cur.token == l.token {
			m.cur = nil
		}
		m.mu.Unlock()
		m.wipe()
		return Identity{}, fmt.Errorf("resuming the session: %w", err)
	}
	if err != nil {
		return Identity{}, fmt.Errorf("resuming the session: %w", err)
	}
	id := l.identity
	id.UserID, id.Name, id.ExpiresAt = info.User.Subject, info.User.Name, info.ExpiresAt
	if id.IdleTimeout <= 0 {
		// Only the idle end is known: the limit, to the minute.
		id.IdleTimeout = info.IdleExpiresAt.Sub(m.o.Now()).Round(time.Minute)
	}
	id.Role = roleFromContext(info.Context, id.Role)
	l.identity = id
	m.mu.Lock()
	m.cur, m.lastOK, m.expiresAt = &l, m.o.Now(), info.ExpiresAt
	m.mu.Unlock()
	return id, nil
}

// fromKeyring reads the kept session. A damaged entry is deleted; a keyring
// that fails or does not answer switches the Manager to memory only.
func (m *Manager) fromKeyring() (live, error) {
	none := fmt.Errorf("session: no session kept: %w", ErrSignInRequired)
	if m.memoryOnly() {
		return live{}, none
	}
	s, err := m.keyring.Get(KeyringService, m.o.GatewayURL)
	switch {
	case errors.Is(err, ErrKeyringNotFound):
		return live{}, none
	case err != nil:
		m.keyringFailed("get", err)
		return live{}, none
	}
	l, err := decodeEntry(s)
	if err != nil {
		m.o.Logger.Warn("the kept session is damaged; deleting it", "err", err)
		m.wipe()
		return live{}, none
	}
	return l, nil
}

// roleFromContext is the role of the gateway's session context, keeping the
// names known from before when it is the same role.
func roleFromContext(c *gatewayapi.ContextBody, known *Role) *Role {
	if c == nil || c.BusinessFunction == "" {
		return nil
	}
	r := Role{BusinessFunction: c.BusinessFunction, ODS: c.ODS, OnBehalfOf: c.OnBehalfOf}
	if known != nil && known.BusinessFunction == r.BusinessFunction && known.ODS == r.ODS && known.OnBehalfOf == r.OnBehalfOf {
		r.OrganisationName, r.OnBehalfOfName = known.OrganisationName, known.OnBehalfOfName
	}
	return &r
}
