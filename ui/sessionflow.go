package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/files"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// SessionEnded is what the root receives when Auth.Ended fires: it keeps the
// work on screen aside and shows sign-in with Err as the reason.
type SessionEnded struct{ Err error }

type (
	// reselected: the previous role was chosen again after a re-sign-in.
	reselected struct {
		identity session.Identity
		err      error
	}
	// signOutNow: signing out was confirmed (or needed no confirmation).
	signOutNow struct{}
	// signedOut: Auth.SignOut returned; the local session is gone either way.
	signedOut struct{ err, filesErr error }
)

// errRoleGone: the role held before the session ended is no longer offered.
var errRoleGone = errors.New("the previous role is no longer available")

// listenEnded waits for the session to end, until the root's context ends.
func (m *Model) listenEnded() tea.Cmd {
	if m.common.Auth == nil {
		return nil
	}
	ch, done := m.common.Auth.Ended(), m.ctx.Done()
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case err, ok := <-ch:
			if !ok {
				return nil
			}
			if err == nil {
				err = session.ErrSignInRequired
			}
			return SessionEnded{Err: err}
		case <-done:
			return nil
		}
	}
}

// sessionEnded keeps the stack aside and shows sign-in with the reason
// (passed to the sign-in route as its Open arg, an error).
func (m *Model) sessionEnded(msg SessionEnded) tea.Cmd {
	cmds := []tea.Cmd{m.listenEnded()}
	if m.identity == nil {
		return tea.Batch(cmds...) // already signed out or signing in
	}
	if m.away == nil {
		m.away = &awayState{stack: m.stack, identity: *m.identity}
	}
	m.identity = nil
	m.overlay = nil
	m.stopClock()
	s, cmd, ok := m.build(screen.RouteSignIn, msg.Err)
	if !ok {
		m.stack = nil
		return tea.Batch(append(cmds, m.showToast("Your session has ended; the sign-in screen is missing", screen.Failure))...)
	}
	m.stack = []screen.Screen{s}
	return tea.Batch(append(cmds, cmd)...)
}

// signedIn moves on after a sign-in: straight back to the work when the same
// user had a role before their session ended, else to the role picker.
func (m *Model) signedIn(msg screen.SignedIn) tea.Cmd {
	id := msg.Identity
	if m.away != nil && m.away.identity.UserID != id.UserID {
		m.away = nil // another user's unsent work is not theirs to see
	}
	m.identity = &id
	cmds := []tea.Cmd{m.startClock()}
	if m.away != nil && m.away.identity.Role != nil && m.common.Auth != nil {
		role := *m.away.identity.Role
		auth := m.common.Auth
		ctx, cancel := m.callCtx()
		cmds = append(cmds, m.setBusy("role", true), func() tea.Msg {
			defer cancel()
			roles, err := auth.Roles(ctx)
			if err != nil {
				return reselected{err: err}
			}
			if !roleOffered(roles, role) {
				return reselected{err: errRoleGone}
			}
			ident, err := auth.ChooseRole(ctx, role)
			return reselected{identity: ident, err: err}
		})
		return tea.Batch(cmds...)
	}
	return tea.Batch(append(cmds, m.showRoles())...)
}

// showRoles replaces the top (sign-in) with the role picker, built with the
// signed-in session.Identity as its arg.
func (m *Model) showRoles() tea.Cmd {
	var arg any
	if m.identity != nil {
		arg = *m.identity
	}
	s, cmd, ok := m.build(screen.RouteRoles, arg)
	if !ok {
		return m.showToast("The role picker is missing", screen.Failure)
	}
	m.setTop(s)
	return cmd
}

func (m *Model) reselected(msg reselected) tea.Cmd {
	busy := m.setBusy("role", false)
	if msg.err != nil || m.away == nil {
		text := "Choose a role to carry on"
		if msg.err != nil {
			text = fmt.Sprintf("Could not return to your previous role (%v). Choose a role", msg.err)
		}
		return tea.Batch(busy, m.showRoles(), m.showToast(text, screen.Warning))
	}
	return tea.Batch(busy, m.returnToWork(msg.identity))
}

// returnToWork puts the stack kept at expiry back.
func (m *Model) returnToWork(id session.Identity) tea.Cmd {
	m.identity = &id
	m.stack = m.away.stack
	m.away = nil
	for _, s := range m.stack {
		m.size(s)
	}
	return m.showToast("Signed in again; you are back where you were", screen.Success)
}

// roleChosen shows the home screen, or the work kept at expiry when the same
// user chose the same role again.
func (m *Model) roleChosen(msg screen.RoleChosen) tea.Cmd {
	id := msg.Identity
	clock := m.startClock()
	if m.away != nil && m.away.identity.UserID == id.UserID && sameRole(m.away.identity.Role, id.Role) {
		return tea.Batch(clock, m.returnToWork(id))
	}
	m.away = nil
	m.identity = &id
	s, cmd, ok := m.build(screen.RouteHome, id)
	if !ok {
		return tea.Batch(clock, m.showToast("The home screen is missing", screen.Failure))
	}
	m.stack = []screen.Screen{s}
	return tea.Batch(clock, cmd)
}

// signOut asks first when work is unsent.
func (m *Model) signOut() tea.Cmd {
	if dirty := m.dirtyTitles(); len(dirty) > 0 {
		m.overlay = &confirmOverlay{
			title:  "Sign out?",
			body:   "You have unsent work in " + strings.Join(dirty, ", ") + ". Signing out discards it.",
			yes:    "Discard and sign out",
			onYes:  func() tea.Msg { return signOutNow{} },
			opened: m.common.Now(),
		}
		return nil
	}
	return m.signOutNow()
}

func (m *Model) signOutNow() tea.Cmd {
	if m.common.Auth == nil {
		return func() tea.Msg { return signedOut{} }
	}
	auth, docs := m.common.Auth, m.common.Files
	ctx, cancel := m.callCtx()
	return func() tea.Msg {
		defer cancel()
		err := auth.SignOut(ctx)
		if docs != "" {
			// Downloaded documents go with the session unless the user
			// kept them.
			if rmErr := files.New(docs).RemoveUnkept(); rmErr != nil {
				return signedOut{err: err, filesErr: rmErr}
			}
		}
		return signedOut{err: err}
	}
}

// signedOut leaves only the sign-in screen, told (screen.SignedOut) to wait
// for the user rather than start a sign-in a browser could approve at once.
// The session is wiped locally even when the gateway could not be told.
func (m *Model) signedOut(msg signedOut) tea.Cmd {
	m.identity, m.away, m.overlay = nil, nil, nil
	m.stopClock()
	toast := m.showToast("Signed out", screen.Success)
	switch {
	case msg.err != nil:
		toast = m.showToast("Signed out on this computer; the gateway could not be told", screen.Warning)
	case msg.filesErr != nil:
		toast = m.showToast("Signed out, but some downloaded documents could not be removed from "+m.common.Files, screen.Warning)
	}
	s, cmd, ok := m.build(screen.RouteSignIn, screen.SignedOut{})
	if !ok {
		m.stack = nil
		return toast
	}
	m.stack = []screen.Screen{s}
	return tea.Batch(toast, cmd)
}

func roleOffered(roles session.Roles, r session.Role) bool {
	found := false
	for _, c := range roles.Choices {
		if c.BusinessFunction == r.BusinessFunction && c.ODS == r.ODS {
			found = true
			break
		}
	}
	if !found || r.OnBehalfOf == "" {
		return found
	}
	for _, c := range roles.Clinicians[r.ODS] {
		if c.SDSUserID == r.OnBehalfOf {
			return true
		}
	}
	return false
}

func sameRole(a, b *session.Role) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.BusinessFunction == b.BusinessFunction && a.ODS == b.ODS && a.OnBehalfOf == b.OnBehalfOf
}
