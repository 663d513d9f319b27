package session

import (
	"context"
	"fmt"
	"net/http"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// Roles are the roles the user may choose (GET /v1/session/roles: A030, and
// A040 for a clinician admin's organisations).
func (m *Manager) Roles(ctx context.Context) (Roles, error) {
	l, err := m.current()
	if err != nil {
		return Roles{}, err
	}
	var rr gatewayapi.RolesResponse
	if err := m.call(ctx, http.MethodGet, gatewayapi.RolesPath, l.key, l.token, nil, &rr); err != nil {
		m.checkEnded(err, l.token)
		return Roles{}, fmt.Errorf("listing your roles: %w", err)
	}
	m.touched(l.token)
	roles := Roles{Choices: rr.Roles, Clinicians: rr.OnBehalfOf}
	m.mu.Lock()
	m.roles = &roles
	m.mu.Unlock()
	return roles, nil
}

// ChooseRole sets the e-RS context of the session (PUT
// /v1/session/context). The gateway rotates the session token; the new one
// replaces the old in memory and the keyring. Organisation and clinician
// names left empty in role are filled from the last Roles answer.
func (m *Manager) ChooseRole(ctx context.Context, role Role) (Identity, error) {
	l, err := m.current()
	if err != nil {
		return Identity{}, err
	}
	body := gatewayapi.ContextBody{BusinessFunction: role.BusinessFunction, ODS: role.ODS, OnBehalfOf: role.OnBehalfOf}
	var cr gatewayapi.ContextResponse
	if err := m.call(ctx, http.MethodPut, gatewayapi.ContextPath, l.key, l.token, body, &cr); err != nil {
		m.checkEnded(err, l.token)
		return Identity{}, fmt.Errorf("choosing the role: %w", err)
	}
	if cr.SessionToken == "" {
		return Identity{}, &GatewayError{Status: http.StatusOK, Code: "invalid_response", Description: "the gateway sent no session token"}
	}
	m.mu.Lock()
	if m.cur == nil || m.cur.token != l.token {
		// Signed out or ended meanwhile: the new token belongs to nobody.
		m.mu.Unlock()
		return Identity{}, fmt.Errorf("session: the session ended while the role was chosen: %w", ErrSignInRequired)
	}
	m.fillNames(&role)
	next := *m.cur
	next.token = cr.SessionToken
	next.identity.Role = &role
	m.cur, m.lastOK = &next, m.o.Now()
	m.mu.Unlock()
	m.save(next)
	return next.identity, nil
}

// fillNames completes role from the last Roles answer; m.mu is held.
func (m *Manager) fillNames(role *Role) {
	if m.roles == nil {
		return
	}
	if role.OrganisationName == "" {
		for _, c := range m.roles.Choices {
			if c.ODS == role.ODS && c.OrganisationName != "" {
				role.OrganisationName = c.OrganisationName
				break
			}
		}
	}
	if role.OnBehalfOf != "" && role.OnBehalfOfName == "" {
		for _, c := range m.roles.Clinicians[role.ODS] {
			if c.SDSUserID == role.OnBehalfOf {
				role.OnBehalfOfName = c.Name
				break
			}
		}
	}
}
