// Package ui is the workstation's shell: the root Bubble Tea model that owns
// the stack of screens, routes keys (ctrl+c, then an overlay, then a capturing
// screen, then the global keys, then the top screen), draws the status bars
// and the help, palette and confirmation overlays, and runs the session flow
// (sign-in, role choice, expiry and return, sign-out).
//
// It never calls e-RS itself; screens do, through commands. Screens are found
// by route name in the registry given to New, so adding a screen never
// touches this package.
package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// Minimum terminal size; below it the root shows a "too small" view.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Timings of the shell.
const (
	toastLife      = 5 * time.Second
	clockEvery     = 30 * time.Second
	confirmGuard   = 150 * time.Millisecond
	defaultTimeout = 30 * time.Second
)

// Options build the root model.
type Options struct {
	Common   screen.Common
	Registry []screen.Route
	// Start is the first screen, usually the sign-in route's.
	Start screen.Screen
	// Identity is the user when the session was resumed before the UI
	// started; nil when not signed in.
	Identity *session.Identity
	// Context bounds the root's background work (the wait on Auth.Ended);
	// cancel it when the program ends. Defaults to context.Background.
	Context context.Context
	// Plain replaces animations with text ("Working…") for screen readers
	// and slow links.
	Plain bool
}

// Model is the root model. Build it with New.
type Model struct {
	ctx    context.Context
	common screen.Common
	routes map[string]screen.Route
	order  []screen.Route
	keys   GlobalKeyMap
	plain  bool

	stack    []screen.Screen
	identity *session.Identity
	// away holds the work of a session that ended, until the same user is
	// back in the same role.
	away *awayState

	width, height int
	overlay       overlay

	toast    *toastState
	toastSeq int
	busy     map[string]bool
	spinner  spinner.Model
	clockGen int
}

type awayState struct {
	stack    []screen.Screen
	identity session.Identity
}

type toastState struct {
	text  string
	level screen.Level
	id    int
}

// New builds the root. It does no I/O.
func New(o Options) *Model {
	c := o.Common
	if c.Styles == nil {
		c.Styles = theme.New(theme.Default)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Timeout <= 0 {
		c.Timeout = defaultTimeout
	}
	ctx := o.Context
	if ctx == nil {
		ctx = context.Background()
	}
	m := &Model{
		ctx:     ctx,
		common:  c,
		routes:  make(map[string]screen.Route, len(o.Registry)),
		order:   o.Registry,
		keys:    GlobalKeys(),
		plain:   o.Plain,
		busy:    map[string]bool{},
		spinner: spinner.New(spinner.WithSpinner(spinner.Line)),
	}
	for _, r := range o.Registry {
		m.routes[r.Name] = r
	}
	if o.Identity != nil {
		id := *o.Identity
		m.identity = &id
	}
	if o.Start != nil {
		m.stack = []screen.Screen{o.Start}
	}
	return m
}

// Init starts the first screen, the wait for the session's end and, when
// already signed in, the session clock.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.listenEnded()}
	if top := m.top(); top != nil {
		cmds = append(cmds, from(top, top.Init()))
	}
	if m.identity != nil {
		cmds = append(cmds, m.startClock())
	}
	return tea.Batch(cmds...)
}

// Stack returns the titles of the screens, bottom first, for tests and
// diagnostics.
func (m *Model) Stack() []string {
	out := make([]string, len(m.stack))
	for i, s := range m.stack {
		out[i] = s.Title()
	}
	return out
}

// Top is the screen on top, nil when there is none.
func (m *Model) Top() screen.Screen { return m.top() }

// Identity is the signed-in user, nil when signed out.
func (m *Model) Identity() *session.Identity { return m.identity }

func (m *Model) top() screen.Screen {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

func (m *Model) setTop(s screen.Screen) {
	if len(m.stack) == 0 {
		m.stack = []screen.Screen{s}
		return
	}
	m.stack[len(m.stack)-1] = s
}

// bodySize is the area a screen draws in: all but the two bars.
func (m *Model) bodySize() (int, int) { return m.width, max(m.height-2, 0) }

func (m *Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// size gives a screen the body size, when the terminal is big enough to
// draw one at all.
func (m *Model) size(s screen.Screen) {
	if s == nil || m.tooSmall() {
		return
	}
	s.SetSize(m.bodySize())
}

func (m *Model) resize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	for _, s := range m.stack {
		m.size(s)
	}
	if m.away != nil {
		for _, s := range m.away.stack {
			m.size(s)
		}
	}
}

// build makes the screen of a route, sized, and returns its Init.
func (m *Model) build(name string, arg any) (screen.Screen, tea.Cmd, bool) {
	r, ok := m.routes[name]
	if !ok || r.New == nil {
		return nil, nil, false
	}
	s := r.New(m.common, arg)
	m.size(s)
	return s, from(s, s.Init()), true
}

// push puts s on top, sized, and starts it.
func (m *Model) push(s screen.Screen) tea.Cmd {
	m.size(s)
	m.stack = append(m.stack, s)
	return from(s, s.Init())
}

func (m *Model) pop() {
	if len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
	}
}

// dirtyTitles names the screens with unsent work, the hidden ones of an
// ended session included.
func (m *Model) dirtyTitles() []string {
	var out []string
	all := m.stack
	if m.away != nil {
		all = append(append([]screen.Screen{}, m.away.stack...), m.stack...)
	}
	for _, s := range all {
		if s.Dirty() {
			out = append(out, s.Title())
		}
	}
	return out
}

// callCtx bounds one call the root makes to Auth.
func (m *Model) callCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(m.ctx, m.common.Timeout)
}

// roleAllowed reports whether the current role may use the route.
func (m *Model) roleAllowed(r screen.Route) bool {
	if r.For == nil {
		return true
	}
	return m.identity != nil && m.identity.Role != nil && r.For(*m.identity.Role)
}
