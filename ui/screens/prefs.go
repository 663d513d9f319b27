package screens

import (
	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// Prefs adapts the preferences file to screen.Prefs. config keeps its own
// role type so the gateway, which also links config, does not pull in the
// workstation's session package.
func Prefs(f *config.PrefsFile) screen.Prefs { return prefsFile{f} }

type prefsFile struct{ f *config.PrefsFile }

func (p prefsFile) LastRole(userID string) (session.Role, bool) {
	r, ok := p.f.LastRole(userID)
	return session.Role(r), ok
}

func (p prefsFile) SetLastRole(userID string, role session.Role) error {
	return p.f.SetLastRole(userID, config.SavedRole(role))
}
