package ui_test

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// fakeScreen records what reaches it and draws its title on every line,
// one line deliberately too long to exercise the root's safety net.
type fakeScreen struct {
	title     string
	arg       any
	dirty     bool
	capturing bool
	id        string
	keys      []string
	msgs      []tea.Msg
	w, h      int
	// onX is the command the screen starts on "x".
	onX tea.Cmd
}

type fakeKeys struct{ do, open key.Binding }

func (k fakeKeys) ShortHelp() []key.Binding  { return []key.Binding{k.do, k.open} }
func (k fakeKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.do, k.open}} }

func (f *fakeScreen) Init() tea.Cmd { return nil }
func (f *fakeScreen) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		f.keys = append(f.keys, k.String())
		if k.String() == "x" {
			return f, f.onX
		}
	} else {
		f.msgs = append(f.msgs, msg)
	}
	return f, nil
}
func (f *fakeScreen) View() string {
	lines := make([]string, f.h)
	for i := range lines {
		lines[i] = f.title + " line"
	}
	if f.h > 1 {
		lines[1] = strings.Repeat("wide ", 100)
	}
	return strings.Join(lines, "\n")
}
func (f *fakeScreen) SetSize(w, h int) { f.w, f.h = w, h }
func (f *fakeScreen) Title() string    { return f.title }
func (f *fakeScreen) KeyMap() help.KeyMap {
	return fakeKeys{
		do:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "do the thing")),
		open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
	}
}
func (f *fakeScreen) Status() string  { return f.title + " status" }
func (f *fakeScreen) Capturing() bool { return f.capturing }
func (f *fakeScreen) Dirty() bool     { return f.dirty }
func (f *fakeScreen) FocusedID() (string, string, bool) {
	return "UBRN", f.id, f.id != ""
}

// harness builds a root over fake routes and keeps every screen built.
type harness struct {
	auth   *uitest.FakeAuth
	clock  *uitest.Clock
	common screen.Common
	built  map[string][]*fakeScreen
	routes []screen.Route
}

var (
	adminRole = session.Role{BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "RX1", OrganisationName: "Synthetic Hospital"}
	alice     = session.Identity{UserID: "u-alice", Name: "Alice Example"}
)

func newHarness() *harness {
	h := &harness{
		auth:  uitest.NewFakeAuth(),
		clock: uitest.NewClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)),
		built: map[string][]*fakeScreen{},
	}
	h.common = screen.Common{Styles: theme.New(theme.Default), Auth: h.auth, Prefs: uitest.NewMemoryPrefs(),
		Environment: "SANDBOX", Now: h.clock.Now, Timeout: time.Second}
	route := func(name, title, k string, onlyAdmin bool) screen.Route {
		r := screen.Route{Name: name, Title: title, Summary: "Open " + title, Key: k, OnHome: true,
			New: func(c screen.Common, arg any) screen.Screen {
				s := &fakeScreen{title: title, arg: arg}
				h.built[name] = append(h.built[name], s)
				return s
			}}
		if onlyAdmin {
			r.For = func(r session.Role) bool { return r.BusinessFunction == "SERVICE_PROVIDER_ADMIN" }
		}
		return r
	}
	h.routes = []screen.Route{
		route(screen.RouteSignIn, "Sign in", "", false),
		route(screen.RouteRoles, "Choose a role", "", false),
		route(screen.RouteHome, "Home", "", false),
		route("detail", "Detail", "d", false),
		route("admin", "Admin tools", "a", true),
	}
	return h
}

// signedIn builds a root already at home, signed in as alice in adminRole.
func (h *harness) signedIn() *ui.Model {
	id := alice
	r := adminRole
	id.Role = &r
	h.auth.FinishIdentity = alice
	start := h.routes[2].New(h.common, nil)
	m := ui.New(ui.Options{Common: h.common, Registry: h.routes, Start: start, Identity: &id, Plain: true})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return m
}

func (h *harness) last(name string) *fakeScreen {
	b := h.built[name]
	if len(b) == 0 {
		return nil
	}
	return b[len(b)-1]
}

// run feeds messages to the root.
func run(m *ui.Model, msgs ...tea.Msg) uitest.Result[tea.Model] {
	return uitest.Run(tea.Model(m), msgs...)
}

func content(m *ui.Model) string { return m.View().Content }
