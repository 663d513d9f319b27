package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// popMsg pops the top screen after the user confirmed leaving unsent work.
type popMsg struct{}

// Update routes a message: window size and the screens' requests to the
// root, keys by priority, a screen's answers to that screen, everything
// else to the top screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if a, ok := msg.(addressed); ok {
		if c, ok := a.msg.(screen.Confirm); ok {
			// The yes answers the screen that asked.
			c.OnYes = from(a.to, c.OnYes)
			a.msg = c
		}
		if cmd, ok := m.rootUpdate(a.msg); ok {
			return m, cmd
		}
		return m, m.toScreen(a.to, a.msg)
	}
	if cmd, ok := m.rootUpdate(msg); ok {
		return m, cmd
	}
	return m, m.toTop(msg)
}

// rootUpdate handles the messages that are the root's: the window's size,
// keys, and what the screens ask of it. It reports false for the rest.
func (m *Model) rootUpdate(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return nil, true
	case tea.KeyPressMsg:
		return m.key(msg), true
	case screen.Open:
		return m.open(msg), true
	case screen.Push:
		if msg.Screen == nil {
			return nil, true
		}
		return m.push(msg.Screen), true
	case screen.Back:
		return m.back(false), true
	case popMsg:
		m.pop()
		return nil, true
	case screen.Confirm:
		m.overlay = &confirmOverlay{title: msg.Title, body: msg.Body, yes: msg.Yes, onYes: msg.OnYes,
			opened: m.common.Now()}
		return nil, true
	case screen.Toast:
		return m.showToast(msg.Text, msg.Level), true
	case toastExpired:
		if m.toast != nil && m.toast.id == msg.id {
			m.toast = nil
		}
		return nil, true
	case screen.Busy:
		return m.setBusy(msg.Task, msg.On), true
	case spinner.TickMsg:
		if msg.ID == m.spinner.ID() {
			if len(m.busy) == 0 || m.plain {
				return nil, true // stop ticking when idle
			}
			var cmd tea.Cmd
			m.spinner, cmd = m.spinner.Update(msg)
			return cmd, true
		}
	case clockTick:
		return m.clockTicked(msg), true
	case screen.SignedIn:
		return m.signedIn(msg), true
	case reselected:
		return m.reselected(msg), true
	case screen.RoleChosen:
		return m.roleChosen(msg), true
	case SessionEnded:
		return m.sessionEnded(msg), true
	case screen.SignOut:
		return m.signOut(), true
	case signOutNow:
		return m.signOutNow(), true
	case signedOut:
		return m.signedOut(msg), true
	case screen.Broadcast:
		return m.toAll(msg), true
	}
	return nil, false
}

// toAll sends a broadcast to every screen, the ones set aside while the
// user signs in again included, so a change made on one screen shows at
// once on the screens beneath it.
func (m *Model) toAll(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	deliver := func(stack []screen.Screen) {
		for i, s := range stack {
			next, cmd := s.Update(msg)
			if next != nil {
				stack[i] = next
			}
			cmds = append(cmds, from(stack[i], cmd))
		}
	}
	deliver(m.stack)
	if m.away != nil {
		deliver(m.away.stack)
	}
	return tea.Batch(cmds...)
}

// toTop sends a message to the top screen.
func (m *Model) toTop(msg tea.Msg) tea.Cmd {
	top := m.top()
	if top == nil {
		return nil
	}
	next, cmd := top.Update(msg)
	if next != nil {
		m.setTop(next)
	}
	return from(m.top(), cmd)
}

// key routes a key press: ctrl+c, the overlay, a capturing screen, the
// global keys, the top screen.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Quit) {
		if c, ok := m.overlay.(*confirmOverlay); ok && c.quit {
			return tea.Quit // a second ctrl+c always gets out
		}
		return m.requestQuit()
	}
	if m.overlay != nil {
		return m.overlay.update(m, msg)
	}
	if top := m.top(); top != nil && top.Capturing() {
		return m.toTop(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Help):
		m.overlay = &helpOverlay{}
		return nil
	case key.Matches(msg, m.keys.Palette):
		m.overlay = &paletteOverlay{}
		return nil
	case key.Matches(msg, m.keys.Back):
		return m.back(msg.String() == "q")
	case key.Matches(msg, m.keys.Copy):
		return m.copyID()
	}
	return m.toTop(msg)
}

// back pops the top screen, asking first when it has unsent work. On the
// bottom screen "q" quits and "esc" does nothing.
func (m *Model) back(quitAtBottom bool) tea.Cmd {
	if len(m.stack) <= 1 {
		if quitAtBottom {
			return m.requestQuit()
		}
		return nil
	}
	top := m.top()
	if top.Dirty() {
		m.overlay = &confirmOverlay{
			title:  "Leave " + top.Title() + "?",
			body:   "You have unsent work in " + top.Title() + ". Leaving now discards it.",
			yes:    "Discard and leave",
			onYes:  func() tea.Msg { return popMsg{} },
			opened: m.common.Now(),
		}
		return nil
	}
	m.pop()
	return nil
}

// requestQuit quits, asking first when any screen has unsent work.
func (m *Model) requestQuit() tea.Cmd {
	dirty := m.dirtyTitles()
	if len(dirty) == 0 {
		return tea.Quit
	}
	m.overlay = &confirmOverlay{
		title:  "Quit the workstation?",
		body:   "You have unsent work in " + strings.Join(dirty, ", ") + ". Quitting now discards it.",
		yes:    "Discard and quit",
		onYes:  tea.Quit,
		opened: m.common.Now(),
		quit:   true,
	}
	return nil
}

// copyID puts the top screen's focused identifier on the clipboard (OSC 52).
func (m *Model) copyID() tea.Cmd {
	id, ok := m.top().(screen.Identifier)
	if !ok {
		return m.showToast("Nothing to copy here", screen.Info)
	}
	label, value, ok := id.FocusedID()
	if !ok || value == "" {
		return m.showToast("Nothing to copy here", screen.Info)
	}
	return tea.Batch(tea.SetClipboard(value), m.showToast("Copied "+label+" "+value, screen.Success))
}

// open pushes a route's screen, if the role may use it.
func (m *Model) open(msg screen.Open) tea.Cmd {
	r, ok := m.routes[msg.Route]
	if !ok {
		return m.showToast("There is no screen called "+msg.Route, screen.Failure)
	}
	if !m.roleAllowed(r) {
		return m.showToast(r.Title+" is not available in your current role", screen.Warning)
	}
	arg := msg.Arg
	if arg == nil && m.identity != nil {
		// A screen opened from home or the palette is for the signed-in
		// user in their role.
		arg = *m.identity
	}
	s, cmd, _ := m.build(msg.Route, arg)
	m.stack = append(m.stack, s)
	return cmd
}
