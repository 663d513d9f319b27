package main

import (
	"log/slog"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens"
)

// newPrefs is the preferences file the screens remember the last role in.
// Without a configuration directory the program still runs, remembering
// nothing.
func newPrefs(log *slog.Logger) screen.Prefs {
	path, err := config.PrefsPath()
	if err != nil {
		log.Warn("no preferences: the last role is not remembered", "err", err)
		return noPrefs{}
	}
	return screens.Prefs(config.NewPrefsFile(path))
}

// noPrefs remembers nothing: the role picker then preselects nothing.
type noPrefs struct{}

func (noPrefs) LastRole(string) (session.Role, bool)   { return session.Role{}, false }
func (noPrefs) SetLastRole(string, session.Role) error { return nil }
