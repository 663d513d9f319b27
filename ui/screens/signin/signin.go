// Package signin is the sign-in screen: it resumes a session kept in the
// keyring or starts a new CIS2 sign-in through the gateway, shows the URL
// and code the user needs, waits for the browser's answer, and explains in
// plain words when it fails. It sends screen.SignedIn (or RoleChosen when a
// resumed session already has a role) and leaves what comes next to the root.
package signin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// DefaultTimeout bounds Resume and StartSignIn when Common.Timeout is zero.
// FinishSignIn is bounded by the login's own expiry instead.
const DefaultTimeout = 30 * time.Second

// maxWait bounds the wait for a login that carries no expiry (the gateway's
// logins live 5 minutes).
const maxWait = 10 * time.Minute

// Route registers the screen under screen.RouteSignIn. Open's Arg is the
// reason a previous session ended (an error or a string), screen.SignedOut
// after the user signed out, or nil.
func Route() screen.Route {
	return screen.Route{
		Name:    screen.RouteSignIn,
		Title:   "Sign in",
		Summary: "Sign in with NHS CIS2",
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, arg) },
	}
}

type state int

const (
	resuming  state = iota // Auth.Resume in flight
	starting               // Auth.StartSignIn in flight
	waiting                // the challenge is shown; FinishSignIn in flight
	signedIn               // done; SignedIn sent
	failed                 // an error is shown; r tries again
	cancelled              // the user cancelled the wait; r tries again
	signedOut              // the user signed out; enter or r starts a sign-in
)

// Model is the sign-in screen. It is a pointer type because it owns the
// cancel function of the FinishSignIn wait.
type Model struct {
	c             screen.Common
	reason        string
	afterSignOut  bool // wait for a key instead of signing in at once
	width, height int

	state     state
	attempt   int // the current request; late results of older ones are dropped
	challenge session.Challenge
	identity  session.Identity
	err       error
	cancel    context.CancelFunc

	keys keyMap
}

// New builds the screen; arg is the reason the previous session ended, if
// any, or screen.SignedOut. It does no I/O: Init starts the work.
func New(c screen.Common, arg any) *Model {
	c = c.WithDefaults(DefaultTimeout)
	if _, ok := arg.(screen.SignedOut); ok {
		return &Model{c: c, afterSignOut: true, keys: newKeyMap()}
	}
	return &Model{c: c, reason: reasonText(arg), keys: newKeyMap()}
}

func reasonText(arg any) string {
	switch a := arg.(type) {
	case nil:
		return ""
	case string:
		return a
	case error:
		if errors.Is(a, session.ErrSignInRequired) {
			return "Your session ended, so you need to sign in again. Your place has been kept."
		}
		return "Your session ended (" + a.Error() + "), so you need to sign in again."
	default:
		return fmt.Sprint(a)
	}
}

// Messages of the screen's own commands, tagged with the attempt they
// belong to.
type (
	resumedMsg struct {
		attempt  int
		identity session.Identity
		err      error
	}
	startedMsg struct {
		attempt   int
		challenge session.Challenge
		err       error
	}
	finishedMsg struct {
		attempt  int
		identity session.Identity
		err      error
	}
	tickMsg struct{ attempt int }
)

// Init tries the keyring first, silently; after a sign-out it waits for
// the user instead (the keyring is empty then anyway).
func (m *Model) Init() tea.Cmd {
	if m.afterSignOut {
		m.state = signedOut
		return nil
	}
	m.state = resuming
	m.attempt++
	attempt, auth, timeout := m.attempt, m.c.Auth, m.c.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		id, err := auth.Resume(ctx)
		return resumedMsg{attempt: attempt, identity: id, err: err}
	}
}

// Update handles the results of the screen's calls and its keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case resumedMsg:
		if msg.attempt != m.attempt || m.state != resuming {
			return m, nil
		}
		switch {
		case msg.err == nil:
			return m, m.done(msg.identity, msg.identity.Role != nil)
		case errors.Is(msg.err, session.ErrSignInRequired):
			return m, m.start()
		default:
			m.fail(msg.err)
		}
	case startedMsg:
		if msg.attempt != m.attempt || m.state != starting {
			return m, nil
		}
		if msg.err != nil {
			m.fail(msg.err)
			return m, nil
		}
		return m, m.wait(msg.challenge)
	case finishedMsg:
		if msg.attempt != m.attempt || m.state != waiting {
			return m, nil
		}
		m.stopWaiting()
		if msg.err != nil {
			m.fail(msg.err)
			return m, nil
		}
		return m, m.done(msg.identity, false)
	case tickMsg:
		if msg.attempt == m.attempt && m.state == waiting {
			return m, tick(m.attempt)
		}
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	keys := m.KeyMap().(keyMap)
	switch {
	case key.Matches(msg, keys.Retry):
		return m.start()
	case key.Matches(msg, keys.Cancel):
		m.stopWaiting()
		m.attempt++ // the wait's result, if it still comes, is dropped
		m.state = cancelled
	}
	return nil
}

// start asks the gateway for a new login.
func (m *Model) start() tea.Cmd {
	m.stopWaiting()
	m.state = starting
	m.err = nil
	m.challenge = session.Challenge{}
	m.attempt++
	attempt, auth, timeout := m.attempt, m.c.Auth, m.c.Timeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		ch, err := auth.StartSignIn(ctx)
		return startedMsg{attempt: attempt, challenge: ch, err: err}
	}
}

// wait shows the challenge and waits for the sign-in to finish, for as long
// as the login lives (the gateway says so in ExpiresAt). The wait ends with
// the login, on "c", or when a new attempt starts; if the screen is dropped
// meanwhile, the call ends at the login's expiry.
func (m *Model) wait(ch session.Challenge) tea.Cmd {
	m.state = waiting
	m.challenge = ch
	// The time left is measured on the screen's clock, the one the
	// countdown shows, not against the wall clock directly.
	left := maxWait
	if !ch.ExpiresAt.IsZero() {
		left = ch.ExpiresAt.Sub(m.c.Now())
	}
	ctx, cancel := context.WithTimeout(context.Background(), left+5*time.Second)
	m.cancel = cancel
	attempt, auth := m.attempt, m.c.Auth
	finish := func() tea.Msg {
		id, err := auth.FinishSignIn(ctx)
		return finishedMsg{attempt: attempt, identity: id, err: err}
	}
	return tea.Batch(finish, tick(attempt))
}

// tick redraws the time left once a second while the challenge is shown.
func tick(attempt int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg{attempt: attempt} })
}

func (m *Model) stopWaiting() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
}

func (m *Model) fail(err error) {
	m.state = failed
	m.err = err
}

// done reports the user to the root: RoleChosen when a resumed session
// already had its role, SignedIn otherwise.
func (m *Model) done(id session.Identity, withRole bool) tea.Cmd {
	m.state = signedIn
	m.identity = id
	return func() tea.Msg {
		if withRole {
			return screen.RoleChosen{Identity: id}
		}
		return screen.SignedIn{Identity: id}
	}
}

// SetSize records the size View fills.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

// Title names the screen.
func (m *Model) Title() string { return "Sign in" }

// Status is the bottom bar's part: where the sign-in is.
func (m *Model) Status() string {
	switch m.state {
	case resuming:
		return "Checking for a saved session"
	case starting:
		return "Starting sign-in"
	case waiting:
		return "Waiting for sign-in"
	case failed:
		return "Sign-in failed"
	case cancelled:
		return "Sign-in cancelled"
	case signedOut:
		return "Signed out"
	}
	return ""
}

// Capturing is false: the screen has no text input.
func (m *Model) Capturing() bool { return false }

// Dirty is false: there is nothing to lose.
func (m *Model) Dirty() bool { return false }

// FocusedID is the sign-in URL while it is shown, so "y" copies it for a
// browser on another machine.
func (m *Model) FocusedID() (label, value string, ok bool) {
	if m.state == waiting && m.challenge.URL != "" {
		return "Sign-in link", m.challenge.URL, true
	}
	return "", "", false
}

// KeyMap lists the keys that do something in the current state. After a
// sign-out, enter also starts the sign-in.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	if m.state == signedOut {
		k.Retry.SetKeys("enter", "r")
		k.Retry.SetHelp("enter/r", "sign in again")
	}
	k.Retry.SetEnabled(m.state == failed || m.state == cancelled || m.state == signedOut)
	k.Cancel.SetEnabled(m.state == waiting)
	return k
}

type keyMap struct {
	Retry  key.Binding
	Cancel key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Cancel: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "cancel sign-in")),
	}
}

func (k keyMap) ShortHelp() []key.Binding  { return []key.Binding{k.Retry, k.Cancel} }
func (k keyMap) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Retry, k.Cancel}} }

var (
	_ screen.Screen     = (*Model)(nil)
	_ screen.Identifier = (*Model)(nil)
)
