package advice

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Drafts keeps unsent text on disk under the per-user drafts folder
// (screen.Common.Drafts: 0700, files 0600), so it survives leaving the
// screen, an error, an expired session and a restart. A file is named by a
// hash of the user and the key (a UBRN, or service + NHS number for a new
// request), never by the text; the text is never logged. Any screen may
// share it (package advicenew does).
type Drafts struct{ dir string }

// NewDrafts keeps drafts in dir; "" keeps none (every call is a no-op).
func NewDrafts(dir string) *Drafts { return &Drafts{dir: dir} }

// Enabled reports a folder to keep drafts in.
func (d *Drafts) Enabled() bool { return d != nil && d.dir != "" }

// path is the draft's file: the hash keeps the user id, UBRN and NHS
// number out of the file name.
func (d *Drafts) path(userID, key string) string {
	sum := sha256.Sum256([]byte(userID + "\x00" + key))
	return filepath.Join(d.dir, "draft-"+hex.EncodeToString(sum[:16])+".txt")
}

// Load is the kept text; ok is false when there is none.
func (d *Drafts) Load(userID, key string) (text string, ok bool, err error) {
	if !d.Enabled() || userID == "" {
		return "", false, nil
	}
	b, err := os.ReadFile(d.path(userID, key))
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("reading the draft: %w", err)
	}
	return string(b), true, nil
}

// Save writes text whole (a temporary file renamed over the old one, so a
// crash leaves the old draft or the new, never half); empty text removes
// the draft.
func (d *Drafts) Save(userID, key, text string) error {
	if !d.Enabled() || userID == "" {
		return nil
	}
	if text == "" {
		return d.Remove(userID, key)
	}
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return fmt.Errorf("creating the drafts folder: %w", err)
	}
	if err := os.Chmod(d.dir, 0o700); err != nil {
		return fmt.Errorf("securing the drafts folder: %w", err)
	}
	f, err := os.CreateTemp(d.dir, ".draft-*")
	if err != nil {
		return fmt.Errorf("writing the draft: %w", err)
	}
	tmp := f.Name()
	_, werr := f.WriteString(text)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o600)
	}
	if werr == nil {
		werr = os.Rename(tmp, d.path(userID, key))
	}
	if werr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("writing the draft: %w", werr)
	}
	return nil
}

// Remove deletes the draft; none is fine.
func (d *Drafts) Remove(userID, key string) error {
	if !d.Enabled() || userID == "" {
		return nil
	}
	if err := os.Remove(d.path(userID, key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the draft: %w", err)
	}
	return nil
}
