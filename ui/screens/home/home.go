// Package home is the home screen: who is signed in and in which role, and
// what that role can do here, as the list of registered routes it may use
// plus "Change role" and "Sign out". A new screen appears on it by its
// Route alone (OnHome, Key, Summary, For).
package home

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// Keys of the two entries every role has.
const (
	ChangeRoleKey = "c"
	SignOutKey    = "L"
)

// Route registers the home screen under screen.RouteHome. routes is the
// whole registry, read when the screen is built, so the list holds every
// route that is OnHome and allowed for the role. Open's Arg is the
// session.Identity with its role.
func Route(routes func() []screen.Route) screen.Route {
	return screen.Route{
		Name:    screen.RouteHome,
		Title:   "Home",
		Summary: "What you can do in this role",
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, routes(), arg) },
	}
}

// entry is one line of the list.
type entry struct {
	key, title, summary string
	binding             key.Binding
	open                tea.Msg // what choosing it sends to the root
}

// Model is the home screen.
type Model struct {
	c             screen.Common
	user          session.Identity
	entries       []entry
	cursor        int
	width, height int
	keys          keyMap
}

// New builds the home screen for the identity in arg from the routes. It
// does no I/O.
func New(c screen.Common, routes []screen.Route, arg any) *Model {
	m := &Model{c: c, user: screen.IdentityArg(arg), keys: newKeyMap()}
	for _, r := range routes {
		if !r.OnHome || r.Name == screen.RouteHome {
			continue
		}
		if r.For != nil && (m.user.Role == nil || !r.For(*m.user.Role)) {
			continue
		}
		m.entries = append(m.entries, newEntry(r.Key, r.Title, r.Summary, screen.Open{Route: r.Name}))
	}
	m.entries = append(m.entries,
		newEntry(ChangeRoleKey, "Change role", "Work in another of your roles or organisations", screen.Open{Route: screen.RouteRoles, Arg: m.user}),
		newEntry(SignOutKey, "Sign out", "End the session and remove it from this computer", screen.SignOut{}),
	)
	return m
}

func newEntry(k, title, summary string, open tea.Msg) entry {
	e := entry{key: k, title: title, summary: summary, open: open}
	if k != "" {
		e.binding = key.NewBinding(key.WithKeys(k), key.WithHelp(k, lower(title)))
	} else {
		e.binding = key.NewBinding(key.WithDisabled())
	}
	return e
}

// Init does nothing: everything on the screen is known when it is built.
func (m *Model) Init() tea.Cmd { return nil }

// Update moves the highlight and opens entries.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	kp, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	if to, ok := m.keys.Move(kp, m.cursor, len(m.entries)); ok {
		m.cursor = to
		return m, nil
	}
	switch {
	case key.Matches(kp, m.keys.Open):
		return m, send(m.entries[m.cursor].open)
	default:
		for i, e := range m.entries {
			if key.Matches(kp, e.binding) {
				m.cursor = i
				return m, send(e.open)
			}
		}
	}
	return m, nil
}

func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// SetSize records the size View fills.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

// Title names the screen.
func (m *Model) Title() string { return "Home" }

// Status is empty: the top bar already shows the role.
func (m *Model) Status() string { return "" }

// Capturing is false: no text input.
func (m *Model) Capturing() bool { return false }

// Dirty is false: nothing to lose.
func (m *Model) Dirty() bool { return false }

// KeyMap is the movement keys and one key per entry.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	for _, e := range m.entries {
		k.Entries = append(k.Entries, e.binding)
	}
	return k
}

type keyMap struct {
	scroll.Keys
	Open    key.Binding
	Entries []key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Keys: scroll.NewKeys(),
		Open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
	}
}

func (k keyMap) ShortHelp() []key.Binding {
	return append([]key.Binding{k.Up, k.Down, k.Open}, k.Entries...)
}

func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.Open}, k.Entries}
}

func lower(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

var _ screen.Screen = (*Model)(nil)
