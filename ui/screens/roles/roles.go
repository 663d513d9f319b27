// Package roles is the role picker: the roles e-RS gives the signed-in user
// (A030), grouped by organisation, with the last one used preselected, and
// for a clinician admin a second step that picks the clinician to act for
// (A040). Choosing sets the session's context through Auth.ChooseRole,
// remembers the choice in Prefs and sends screen.RoleChosen.
package roles

import (
	"context"
	"strconv"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the picker under screen.RouteRoles. Open's Arg is the
// signed-in session.Identity (or a pointer to one): its UserID keys the
// last role used.
func Route() screen.Route {
	return screen.Route{
		Name:    screen.RouteRoles,
		Title:   "Choose role",
		Summary: "Work in another of your roles",
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, arg) },
	}
}

// ActsOnBehalf reports whether a role must name the clinician it acts for.
// Only the service provider clinician admin does: the gateway refuses an
// on-behalf-of for any other role, and e-RS answers A040 for it alone.
func ActsOnBehalf(businessFunction string) bool {
	return ersclient.BusinessFunction(businessFunction) == ersclient.ServiceProviderClinicianAdmin
}

// row is a line of the list: an organisation heading or a role under it.
type row struct {
	spacer    bool // the blank line between organisations
	heading   bool
	name, ods string // the heading's organisation
	choice    gatewayapi.RoleChoice
}

// Model is the role picker.
type Model struct {
	c             screen.Common
	user          session.Identity
	width, height int

	loading bool
	loadErr error
	roles   session.Roles
	rows    []row
	items   []int // indexes of the role rows, in order
	cursor  int   // index into items
	top     int   // first row shown
	last    session.Role
	hasLast bool

	attempt int // of the load
	choice  choice

	keys keyMap
}

// New builds the picker for the user in arg; it does no I/O.
func New(c screen.Common, arg any) *Model {
	return &Model{c: c.WithDefaults(DefaultTimeout), user: screen.IdentityArg(arg), keys: newKeyMap()}
}

type loadedMsg struct {
	attempt int
	roles   session.Roles
	last    session.Role
	hasLast bool
	err     error
}

// Init loads the roles and the last choice.
func (m *Model) Init() tea.Cmd { return m.load() }

func (m *Model) load() tea.Cmd {
	m.loading, m.loadErr = true, nil
	m.attempt++
	attempt, auth, prefs, timeout, userID := m.attempt, m.c.Auth, m.c.Prefs, m.c.Timeout, m.user.UserID
	load := func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		roles, err := auth.Roles(ctx)
		msg := loadedMsg{attempt: attempt, roles: roles, err: err}
		if err == nil && prefs != nil && userID != "" {
			msg.last, msg.hasLast = prefs.LastRole(userID)
		}
		return msg
	}
	return tea.Batch(busy("Loading roles", true), load)
}

// Update handles the load and choose results and the keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.attempt != m.attempt {
			return m, nil
		}
		m.loading = false
		if msg.err != nil {
			m.loadErr = msg.err
			return m, busy("Loading roles", false)
		}
		m.roles, m.last, m.hasLast = msg.roles, msg.last, msg.hasLast
		m.build()
		return m, busy("Loading roles", false)
	case chosenMsg:
		return m, m.choice.answered(msg)
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.KeyMap().(keyMap)
	if to, ok := k.Move(msg, m.cursor, len(m.items)); ok {
		m.cursor = to
		return nil
	}
	switch {
	case key.Matches(msg, k.Reload):
		return m.load()
	case key.Matches(msg, k.Choose):
		return m.choose()
	}
	return nil
}

// choose sets the highlighted role, or for a clinician admin opens the
// clinician step.
func (m *Model) choose() tea.Cmd {
	ch, ok := m.selected()
	if !ok || m.choice.busy {
		return nil
	}
	role := session.Role{BusinessFunction: ch.BusinessFunction, ODS: ch.ODS, OrganisationName: ch.OrganisationName}
	if ActsOnBehalf(ch.BusinessFunction) {
		var last string
		if m.hasLast && sameRole(m.last, role) {
			last = m.last.OnBehalfOf
		}
		p := newClinicianPicker(m.c, m.user, role, m.roles.Clinicians[ch.ODS], last)
		return func() tea.Msg { return screen.Push{Screen: p} }
	}
	return m.choice.start(m.c, m.user.UserID, role)
}

func (m *Model) selected() (gatewayapi.RoleChoice, bool) {
	if len(m.items) == 0 {
		return gatewayapi.RoleChoice{}, false
	}
	return m.rows[m.items[m.cursor]].choice, true
}

// build groups the choices by organisation, in the order e-RS sent them,
// and puts the cursor on the last role used.
func (m *Model) build() {
	m.rows, m.items, m.cursor, m.top = nil, nil, 0, 0
	var orgs []string
	byOrg := map[string][]gatewayapi.RoleChoice{}
	names := map[string]string{}
	for _, ch := range m.roles.Choices {
		if _, seen := byOrg[ch.ODS]; !seen {
			orgs = append(orgs, ch.ODS)
		}
		byOrg[ch.ODS] = append(byOrg[ch.ODS], ch)
		if names[ch.ODS] == "" {
			names[ch.ODS] = ch.OrganisationName
		}
	}
	for i, ods := range orgs {
		if i > 0 {
			m.rows = append(m.rows, row{spacer: true})
		}
		m.rows = append(m.rows, row{heading: true, name: names[ods], ods: ods})
		for _, ch := range byOrg[ods] {
			if m.isLast(ch) {
				m.cursor = len(m.items)
			}
			m.items = append(m.items, len(m.rows))
			m.rows = append(m.rows, row{choice: ch})
		}
	}
}

func (m *Model) isLast(ch gatewayapi.RoleChoice) bool {
	return m.hasLast && m.last.BusinessFunction == ch.BusinessFunction && m.last.ODS == ch.ODS
}

func sameRole(a, b session.Role) bool {
	return a.BusinessFunction == b.BusinessFunction && a.ODS == b.ODS
}

func orgLabel(name, ods string) string {
	if name == "" {
		return ods
	}
	return name + " (" + ods + ")"
}

// SetSize records the size View fills.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

// Title names the screen.
func (m *Model) Title() string { return "Choose role" }

// Status is the number of roles once loaded.
func (m *Model) Status() string {
	switch {
	case m.loading:
		return "Loading roles"
	case m.choice.busy:
		return "Choosing role"
	case len(m.items) == 1:
		return "1 role"
	case len(m.items) > 1:
		return strconv.Itoa(len(m.items)) + " roles"
	}
	return ""
}

// Capturing is false: the list has no text input.
func (m *Model) Capturing() bool { return false }

// Dirty is false: nothing is lost by leaving.
func (m *Model) Dirty() bool { return false }

// KeyMap lists the keys that do something now.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	ready := !m.loading && m.loadErr == nil && len(m.items) > 0 && !m.choice.busy
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.Top, &k.Bottom, &k.Choose} {
		b.SetEnabled(ready)
	}
	k.Reload.SetEnabled(!m.loading && m.loadErr != nil)
	return k
}

type keyMap struct {
	scroll.Keys
	Choose, Reload key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Keys:   scroll.NewKeys(),
		Choose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Reload: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
	}
}

func (k keyMap) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Choose, k.Reload} }
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Choose, k.Reload}}
}

var _ screen.Screen = (*Model)(nil)
