package ui_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens"
	"github.com/ers-workstation/ers-workstation/ui/theme"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// TestShellWithTheRealScreens drives the root with the product's registry
// and a fake Auth: resume, role picker, home, and the layout at every size.
func TestShellWithTheRealScreens(t *testing.T) {
	auth := uitest.NewFakeAuth()
	auth.ResumeIdentity = session.Identity{UserID: "u-1", Name: "Sam Synthetic"}
	auth.RolesResult = session.Roles{Choices: []gatewayapi.RoleChoice{
		{BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "RX1", OrganisationName: "Synthetic Hospital"}}}
	clock := uitest.NewClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	auth.DeadlineAt = clock.Now().Add(time.Hour)
	c := screen.Common{Styles: theme.New(theme.Default), Auth: auth, Prefs: uitest.NewMemoryPrefs(),
		Environment: "SANDBOX", Now: clock.Now, Timeout: time.Second}
	routes := screens.Registry()
	uitest.CheckKeys(t, routes, c)
	var start screen.Screen
	for _, r := range routes {
		if r.Name == screen.RouteSignIn {
			start = r.New(c, nil)
		}
	}
	m := ui.New(ui.Options{Common: c, Registry: routes, Start: start, Context: t.Context(), Plain: true})
	run(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	uitest.RunInit(tea.Model(m), m.Init())
	if got := m.Stack(); len(got) != 1 || m.Identity() == nil {
		t.Fatalf("after resume: %v identity %v", got, m.Identity())
	}
	run(m, uitest.Key("enter"))
	if m.Identity() == nil || m.Identity().Role == nil {
		t.Fatalf("no role chosen: stack %v", m.Stack())
	}
	if !slices.Equal(m.Stack(), []string{"Home"}) || !strings.Contains(ansi.Strip(content(m)), "Signed in as Sam Synthetic") {
		t.Fatalf("not home: %v", m.Stack())
	}
	for _, s := range append(uitest.Sizes(), uitest.SmallSizes()...) {
		run(m, tea.WindowSizeMsg{Width: s.W, Height: s.H})
		uitest.AssertFrame(t, content(m), s.W, s.H)
	}
}
