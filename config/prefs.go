package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// PrefsFile keeps the workstation's small, non-secret preferences between
// runs (today: the last role each user chose), as a 0600 JSON file.
// ui/screens.Prefs adapts it to ui/screen.Prefs; it speaks its own SavedRole
// so that config (which the gateway links too) does not depend on the
// workstation's session package. It holds no token, key or patient data: only
// SDS user ids, role codes, ODS codes and names the user already sees.
//
// Each write replaces the file atomically (a temporary file in the same
// directory, synced, then renamed), so a crash never leaves half a file;
// a missing or unreadable file reads as empty preferences.
type PrefsFile struct {
	path string
	mu   sync.Mutex // one read-modify-write at a time within the process
}

// prefsVersion is the file's format; a file of another version is ignored.
const prefsVersion = 1

// prefsData is the file's content.
type prefsData struct {
	Version  int                  `json:"version"`
	LastRole map[string]SavedRole `json:"last_role,omitempty"` // by SDS user id
}

// SavedRole is a role as the preferences keep it: the same fields as
// session.Role, so one converts to the other.
type SavedRole struct {
	BusinessFunction string `json:"business_function"`
	ODS              string `json:"ods"`
	OrganisationName string `json:"organisation_name,omitempty"`
	OnBehalfOf       string `json:"on_behalf_of,omitempty"`
	OnBehalfOfName   string `json:"on_behalf_of_name,omitempty"`
}

// NewPrefsFile returns the preferences kept at path. It does no I/O: the
// file and its directory are made by the first write.
func NewPrefsFile(path string) *PrefsFile { return &PrefsFile{path: path} }

// PrefsPath is where the preferences live: ers-workstation/prefs.json under
// the user's configuration directory (os.UserConfigDir: $XDG_CONFIG_HOME or
// ~/.config on Linux, Application Support on macOS, %AppData% on Windows).
func PrefsPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config: cannot find the user configuration directory for preferences: %w", err)
	}
	return filepath.Join(dir, "ers-workstation", "prefs.json"), nil
}

// Path is the file's location.
func (p *PrefsFile) Path() string { return p.path }

// LastRole is the role userID chose last, if one was saved.
func (p *PrefsFile) LastRole(userID string) (SavedRole, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d, _ := p.read()
	r, ok := d.LastRole[userID]
	if !ok || r.BusinessFunction == "" || r.ODS == "" {
		return SavedRole{}, false
	}
	return r, true
}

// SetLastRole saves role as userID's last choice, keeping the others.
func (p *PrefsFile) SetLastRole(userID string, role SavedRole) error {
	if userID == "" {
		return errors.New("config: preferences need a user id")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	d, err := p.read()
	if err != nil {
		// An unreadable or foreign file is replaced rather than kept: it
		// holds nothing that cannot be chosen again.
		d = prefsData{}
	}
	d.Version = prefsVersion
	if d.LastRole == nil {
		d.LastRole = map[string]SavedRole{}
	}
	d.LastRole[userID] = role
	return p.write(d)
}

// read loads the file; a missing file is empty preferences.
func (p *PrefsFile) read() (prefsData, error) {
	b, err := os.ReadFile(p.path)
	if errors.Is(err, fs.ErrNotExist) {
		return prefsData{}, nil
	}
	if err != nil {
		return prefsData{}, fmt.Errorf("config: reading preferences: %w", err)
	}
	var d prefsData
	if err := json.Unmarshal(b, &d); err != nil {
		return prefsData{}, fmt.Errorf("config: preferences file %s is not valid: %w", p.path, err)
	}
	if d.Version != prefsVersion {
		return prefsData{}, fmt.Errorf("config: preferences file %s has version %d, want %d", p.path, d.Version, prefsVersion)
	}
	return d, nil
}

// write replaces the file atomically with d, readable by the user only.
func (p *PrefsFile) write(d prefsData) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("config: encoding preferences: %w", err)
	}
	dir := filepath.Dir(p.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("config: saving preferences: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".prefs-*.json")
	if err != nil {
		return fmt.Errorf("config: saving preferences: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("config: saving preferences: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("config: saving preferences: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("config: saving preferences: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("config: saving preferences: %w", err)
	}
	if err := os.Rename(tmp.Name(), p.path); err != nil {
		return fmt.Errorf("config: saving preferences: %w", err)
	}
	return nil
}
