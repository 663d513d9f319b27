// Package drafts keeps unsent text (a new A&G request, an A&G response) on
// the local disk, so it survives leaving the screen, an error, an expired
// session and a restart of the workstation: one file per draft, 0600 in a
// 0700 directory, written whole (a temporary file renamed over the old one)
// so a crash never leaves half a draft.
//
// A draft's file is named by a hash of its key parts (user, UBRN or
// service and patient), never by the text or the patient, so a directory
// listing discloses nothing clinical. It is not encrypted: the directory is
// the user's own (screen.Common.Drafts). Drafts are removed when sent,
// never at sign-out.
package drafts

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const (
	dirMode  fs.FileMode = 0o700
	fileMode fs.FileMode = 0o600
	ext                  = ".draft"
)

// ErrNoDir is returned when no drafts directory is configured: the screen
// says drafts are not kept rather than failing.
var ErrNoDir = errors.New("drafts: no drafts directory configured")

// Store is one directory of drafts. Its methods do file I/O: call them from
// a tea.Cmd, not from Update.
type Store struct{ dir string }

// New returns the store for dir; it does no I/O.
func New(dir string) *Store {
	if dir == "" {
		return &Store{}
	}
	return &Store{dir: filepath.Clean(dir)}
}

// Key names a draft from its parts ("advice-new", user id, service id, NHS
// number): a hash, so the file name says nothing of them. The parts are
// length-prefixed, so ("ab","c") and ("a","bc") differ.
func Key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))[:40]
}

func (s *Store) path(key string) (string, error) {
	if s.dir == "" || s.dir == "." {
		return "", ErrNoDir
	}
	if key == "" || strings.ContainsAny(key, `/\.`) {
		return "", fmt.Errorf("drafts: bad key %q", key)
	}
	return filepath.Join(s.dir, key+ext), nil
}

// Load reads a draft; ok is false (and err nil) when there is none.
func (s *Store) Load(key string) (text string, ok bool, err error) {
	p, err := s.path(key)
	if err != nil {
		return "", false, err
	}
	b, err := os.ReadFile(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("drafts: reading a draft: %w", err)
	}
	return string(b), true, nil
}

// Save writes the draft whole, replacing any before it. Empty text removes
// the draft: there is nothing to keep.
func (s *Store) Save(key, text string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if text == "" {
		return s.Remove(key)
	}
	if err := os.MkdirAll(s.dir, dirMode); err != nil {
		return fmt.Errorf("drafts: making the drafts directory: %w", err)
	}
	// CreateTemp makes the file 0600; Chmod guards against an odd umask
	// or platform.
	f, err := os.CreateTemp(s.dir, "."+key+"-*.tmp")
	if err != nil {
		return fmt.Errorf("drafts: saving a draft: %w", err)
	}
	tmp := f.Name()
	_, werr := f.WriteString(text)
	if werr == nil {
		werr = f.Chmod(fileMode)
	}
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, p)
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("drafts: saving a draft: %w", werr)
	}
	return nil
}

// Remove deletes a draft; removing one that is not there is not an error.
func (s *Store) Remove(key string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("drafts: removing a draft: %w", err)
	}
	return nil
}
