// Package worklist is the worklist screen: a tab per e-RS worklist the role
// may see (A008, and A023 for advice and guidance), each a virtualised grid
// with a live filter, sorting, the provider filters chosen from lists, and
// a look-up of one referral by UBRN (A041). Enter opens the referral (or
// the advice request) by its route; a change broadcast by another screen
// updates or removes its row at once.
//
// It does not show a referral itself or act on one: those are the referral
// and action screens, reached with screen.Open.
package worklist

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/grid"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// Route names this screen opens.
const (
	RouteReferral = screen.RouteReferral // Arg: the ersclient.WorklistRow, or the UBRN after a look-up
	RouteAdvice   = screen.RouteAdvice   // Arg: the UBRN of the advice and guidance request
)

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the screen. Open's Arg is the session.Identity (or
// anything screen.IdentityArg reads): its role decides the tabs.
func Route() screen.Route {
	return screen.Route{
		Name:    "worklist",
		Title:   "Worklists",
		Summary: "Referrals and requests waiting for you, by worklist",
		Key:     "w",
		OnHome:  true,
		For:     HasLists,
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, arg) },
	}
}

// Model is the worklist screen.
type Model struct {
	c      screen.Common
	role   *session.Role
	tabs   []*tab
	active int
	// lastReq numbers requests; every reply names its own, and a tab keeps
	// only the reply to its latest.
	lastReq int
	filters filters

	search    textinput.Model
	searching bool
	lookup    *lookup
	picker    *picker
	// specialties is A004 SPECIALTY once the picker needed it.
	specialties *ersclient.ReferenceData

	// note says what the last broadcast change did.
	note string

	width, height int
	keys          keyMap
}

// New builds the screen for the role in arg; it does no I/O.
func New(c screen.Common, arg any) *Model {
	c = c.WithDefaults(DefaultTimeout)
	m := &Model{c: c, role: screen.IdentityArg(arg).Role, keys: newKeyMap()}
	for _, l := range listsOf(m.role) {
		t := &tab{list: l}
		t.grid = grid.New(columns(t), c.Styles)
		t.grid.SetEmpty("Nothing on this list.")
		m.tabs = append(m.tabs, t)
	}
	m.search = newInput(c.Styles, "/ ", "type to filter all columns")
	m.keys.setTabs(len(m.tabs))
	return m
}

// Init loads every tab, so each shows its count.
func (m *Model) Init() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.tabs))
	for _, t := range m.tabs {
		cmds = append(cmds, m.load(t))
	}
	return tea.Batch(cmds...)
}

// load asks for a tab's list again; an earlier request still under way is
// then stale.
func (m *Model) load(t *tab) tea.Cmd {
	m.lastReq++
	t.reqID, t.loading, t.stale = m.lastReq, true, false
	return fetch(m.c, t.list, m.filters, t.reqID)
}

// Update handles replies, broadcasts and keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		m.loaded(msg)
	case lookedUpMsg:
		return m, m.lookedUp(msg)
	case specialtiesMsg:
		m.specialtiesLoaded(msg)
	case openLookupMsg:
		return m, m.openLookup()
	case screen.ReferralChanged:
		return m, m.changed(msg)
	case screen.AdviceChanged:
		return m, m.adviceChanged(msg)
	case tea.KeyPressMsg:
		return m, m.key(msg)
	default:
		if m.searching {
			var cmd tea.Cmd
			m.search, cmd = m.search.Update(msg)
			return m, cmd
		}
		if m.lookup != nil {
			return m, m.lookup.update(msg)
		}
	}
	return m, nil
}

// loaded puts a reply into its tab, unless a later request superseded it.
func (m *Model) loaded(msg loadedMsg) {
	t := m.tabOf(msg.list)
	if t == nil || msg.reqID != t.reqID {
		return
	}
	t.loading = false
	if msg.err != nil {
		t.err = msg.err
		return
	}
	t.err, t.loaded, t.refreshed = nil, true, msg.at
	t.rows, t.notes = nil, nil
	if msg.wl != nil {
		t.rows = msg.wl.Rows
	}
	m.setRows(t)
}

// setRows prepares the tab's cells for the grid, which keeps the selected
// UBRN, the sort and the filter.
func (m *Model) setRows(t *tab) {
	now := m.c.Now()
	keys := make([]string, len(t.rows))
	cs := make([][]string, len(t.rows))
	marks := make([]grid.Mark, len(t.rows))
	for i := range t.rows {
		r := &t.rows[i]
		note := t.notes[r.UBRN]
		keys[i], cs[i], marks[i] = r.UBRN, cells(r, now, note), mark(r, note)
	}
	t.grid.SetRows(keys, cs, marks)
}

func (m *Model) tabOf(l ersclient.WorklistType) *tab {
	for _, t := range m.tabs {
		if t.list == l {
			return t
		}
	}
	return nil
}

// current is the active tab, nil for a role with no lists.
func (m *Model) current() *tab {
	if len(m.tabs) == 0 {
		return nil
	}
	return m.tabs[m.active]
}

// switchTo makes tab i active, loading it when a change elsewhere may
// have moved rows onto it.
func (m *Model) switchTo(i int) tea.Cmd {
	if len(m.tabs) == 0 {
		return nil
	}
	m.active = (i%len(m.tabs) + len(m.tabs)) % len(m.tabs)
	m.layout()
	if t := m.current(); t.stale && !t.loading {
		return m.load(t)
	}
	return nil
}

// SetSize records the size View fills.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

// layout sizes the grids to the body under the tab and info lines.
func (m *Model) layout() {
	for _, t := range m.tabs {
		t.grid.SetSize(m.width, max(m.height-headLines, 0))
	}
	m.search.SetWidth(max(m.width/2, 10))
}

// Title names the screen.
func (m *Model) Title() string { return "Worklists" }

// Capturing is true while the filter, the UBRN input or the filter picker
// has the keys (the picker takes esc to step back, not to leave).
func (m *Model) Capturing() bool { return m.searching || m.lookup != nil || m.picker != nil }

// Dirty is false: a filter or a half-typed UBRN is nothing to lose.
func (m *Model) Dirty() bool { return false }

// FocusedID is the selected row's UBRN.
func (m *Model) FocusedID() (label, value string, ok bool) {
	if t := m.current(); t != nil {
		if k, ok := t.grid.Selected(); ok {
			return "UBRN", k, true
		}
	}
	return "", "", false
}

// Commands adds the UBRN look-up to the palette.
func (m *Model) Commands() []screen.Command {
	return []screen.Command{{
		Name: "ubrn", Summary: "Look up a referral by its UBRN", Key: "u",
		Run: func() tea.Cmd { return send(openLookupMsg{}) },
	}}
}

// KeyMap is the screen's keys in the current state.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	if t := m.current(); t != nil {
		k.grid = t.grid.KeyMap()
	}
	k.state(m)
	return k
}

func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

var (
	_ screen.Screen     = (*Model)(nil)
	_ screen.Identifier = (*Model)(nil)
	_ screen.Commander  = (*Model)(nil)
)
