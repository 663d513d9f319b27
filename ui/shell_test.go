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

// TestSignOutWaitsWhileExpirySignsInAgain is the demo's bug: a browser that
// approves at once must not sign the user back in after they signed out,
// while a session that ends by itself starts a new sign-in straight away.
func TestSignOutWaitsWhileExpirySignsInAgain(t *testing.T) {
	auth := uitest.NewFakeAuth()
	auth.ResumeErr = session.ErrSignInRequired
	sam := session.Identity{UserID: "u-1", Name: "Sam Synthetic"}
	auth.FinishIdentity = sam
	clock := uitest.NewClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	c := screen.Common{Styles: theme.New(theme.Default), Auth: auth, Prefs: uitest.NewMemoryPrefs(),
		Environment: "SANDBOX", Now: clock.Now, Timeout: time.Second}
	role := session.Role{BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "RX1"}
	signedIn := sam
	signedIn.Role = &role
	routes := screens.Registry()
	var home screen.Screen
	for _, r := range routes {
		if r.Name == screen.RouteHome {
			home = r.New(c, signedIn)
		}
	}
	m := ui.New(ui.Options{Common: c, Registry: routes, Start: home, Identity: &signedIn, Context: t.Context(), Plain: true})
	run(m, tea.WindowSizeMsg{Width: 120, Height: 40})

	run(m, screen.SignOut{})
	if m.Identity() != nil || auth.CallCount("StartSignIn") != 0 {
		t.Fatalf("after sign-out: identity %v, calls %v", m.Identity(), auth.Calls())
	}
	if v := ansi.Strip(content(m)); !strings.Contains(v, "Signed out. Press enter (or r) to sign in again; q quits") {
		t.Fatalf("sign-in does not say how to sign in again:\n%s", v)
	}
	run(m, uitest.Key("enter"))
	if auth.CallCount("StartSignIn") != 1 || m.Identity() == nil {
		t.Fatalf("enter did not sign in: identity %v, calls %v", m.Identity(), auth.Calls())
	}

	m = ui.New(ui.Options{Common: c, Registry: routes, Start: home, Identity: &signedIn, Context: t.Context(), Plain: true})
	run(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	before := auth.CallCount("StartSignIn")
	run(m, ui.SessionEnded{Err: session.ErrSignInRequired})
	if auth.CallCount("StartSignIn") != before+1 || m.Identity() == nil {
		t.Fatalf("after an expiry the sign-in did not start at once: identity %v, calls %v", m.Identity(), auth.Calls())
	}
}
