package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/ers-workstation/ers-workstation/ui"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// screenTimeout bounds each call a screen starts; the sign-in screen's
// wait for the person is bounded by the login's own expiry instead.
const screenTimeout = 30 * time.Second

// localDirs are the per-user directories beside the log.
type localDirs struct {
	documents string // downloaded documents, removed at sign-out unless kept
	drafts    string // unsent drafts, kept until sent
}

// uiSettings is what the UI is built from.
type uiSettings struct {
	auth        screen.Auth
	ers         screen.ERS
	dirs        localDirs
	environment string
	theme       string
	noColor     bool
	plain       bool
	now         func() time.Time
}

// runUI builds the root model around the sign-in screen and runs the Bubble
// Tea program until the user quits or ctx is cancelled.
func runUI(ctx context.Context, s uiSettings, log *slog.Logger) error {
	name, err := theme.Parse(s.theme)
	if err != nil {
		return err
	}
	var opts []tea.ProgramOption
	if s.noColor {
		name = theme.Mono
		opts = append(opts, tea.WithColorProfile(colorprofile.ASCII))
	}
	prefs := newPrefs(log)
	common := screen.Common{
		Styles: theme.New(name), Auth: s.auth, Prefs: prefs, ERS: s.ers, Files: s.dirs.documents, Drafts: s.dirs.drafts,
		Environment: s.environment, Now: s.now, Timeout: screenTimeout,
	}
	registry := screens.Registry()
	start, err := route(registry, screen.RouteSignIn)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the root's background wait on the session's end
	model := ui.New(ui.Options{Common: common, Registry: registry, Start: start.New(common, nil), Context: ctx, Plain: s.plain})
	opts = append(opts, tea.WithContext(ctx))
	_, err = tea.NewProgram(model, opts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return context.Canceled
	}
	return err
}

// route finds a route by name in the registry.
func route(registry []screen.Route, name string) (screen.Route, error) {
	for _, r := range registry {
		if r.Name == name {
			return r, nil
		}
	}
	return screen.Route{}, fmt.Errorf("no %q screen is registered", name)
}
