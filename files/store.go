// Package files keeps the documents a user downloads (clinical information,
// attachments) in their per-user directory: saved with safe names and 0600
// permissions in a 0700 directory, listed for the screens, and removed at
// sign-out unless the user chose to keep them.
//
// It is not a cache: nothing is read back from it by the API client, and it
// never decides where the directory is (the caller passes it).
package files

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// KeptDir is the sub-directory kept files move into. Keeping is a move, not
// a note in memory, so a Store built later (at sign-out) still knows which
// files to leave.
const KeptDir = "kept"

const (
	dirMode  fs.FileMode = 0o700
	fileMode fs.FileMode = 0o600
	// maxClashes bounds the search for a free "name (n).ext".
	maxClashes = 1000
)

// ErrOutside is returned by Keep for a path that is not a saved, unkept file
// of this store.
var ErrOutside = errors.New("files: not a downloaded file in this directory")

// Store is one user's download directory.
type Store struct {
	dir string
}

// New returns the store for dir; it does no I/O (the directory is made on
// the first Save).
func New(dir string) *Store { return &Store{dir: filepath.Clean(dir)} }

// Dir is the directory files are saved in.
func (s *Store) Dir() string { return s.dir }

// File is a saved document.
type File struct {
	Name     string
	Path     string
	Size     int64
	Modified time.Time
	// Kept files survive sign-out.
	Kept bool
}

// Save writes r to a new file named after name (made safe, see SafeName),
// never overwriting: a clash gets " (2)", " (3)"... before the extension.
// A failed copy removes the partial file.
func (s *Store) Save(name string, r io.Reader) (string, error) {
	if s.dir == "" || s.dir == "." {
		return "", errors.New("files: no download directory configured")
	}
	if err := ensureDir(s.dir); err != nil {
		return "", err
	}
	f, path, err := createUnique(s.dir, SafeName(name))
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("files: saving %s: %w", filepath.Base(path), err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("files: saving %s: %w", filepath.Base(path), err)
	}
	return path, nil
}

// ensureDir makes the directory 0700, and narrows an existing one that is
// wider: it holds patient documents.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("files: making the download directory: %w", err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("files: download directory: %w", err)
	}
	if info.Mode().Perm() != dirMode {
		if err := os.Chmod(dir, dirMode); err != nil {
			return fmt.Errorf("files: restricting the download directory: %w", err)
		}
	}
	return nil
}

// createUnique opens a new file with O_EXCL, so two saves (or another
// program) can never write into the same file.
func createUnique(dir, name string) (*os.File, string, error) {
	ext := extension(name)
	stem := strings.TrimSuffix(name, ext)
	for n := 1; n <= maxClashes; n++ {
		candidate := name
		if n > 1 {
			candidate = fmt.Sprintf("%s (%d)%s", stem, n, ext)
		}
		path := filepath.Join(dir, candidate)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
		if err == nil {
			return f, path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, "", fmt.Errorf("files: creating %s: %w", candidate, err)
		}
	}
	return nil, "", fmt.Errorf("files: too many files named like %s", name)
}

// List is every saved file, unkept then kept, each by name.
func (s *Store) List() ([]File, error) {
	loose, err := list(s.dir, false)
	if err != nil {
		return nil, err
	}
	kept, err := list(filepath.Join(s.dir, KeptDir), true)
	if err != nil {
		return nil, err
	}
	return append(loose, kept...), nil
}

func list(dir string, kept bool) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("files: listing downloads: %w", err)
	}
	var out []File
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, File{Name: e.Name(), Path: filepath.Join(dir, e.Name()), Size: info.Size(),
			Modified: info.ModTime(), Kept: kept})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Keep moves a saved file into the kept directory so RemoveUnkept leaves
// it, and returns its new path. Keeping a kept file is a no-op.
func (s *Store) Keep(path string) (string, error) {
	path = filepath.Clean(path)
	keptDir := filepath.Join(s.dir, KeptDir)
	switch filepath.Dir(path) {
	case keptDir:
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("files: keeping: %w", err)
		}
		return path, nil
	case s.dir:
	default:
		return "", ErrOutside
	}
	info, err := os.Lstat(path)
	if err != nil {
		return "", fmt.Errorf("files: keeping: %w", err)
	}
	if !info.Mode().IsRegular() {
		return "", ErrOutside
	}
	if err := ensureDir(keptDir); err != nil {
		return "", err
	}
	// Reserve a free name with O_EXCL, then rename over the empty file:
	// rename alone would silently replace a kept file of the same name.
	f, target, err := createUnique(keptDir, filepath.Base(path))
	if err != nil {
		return "", err
	}
	f.Close()
	if err := os.Rename(path, target); err != nil {
		os.Remove(target)
		return "", fmt.Errorf("files: keeping: %w", err)
	}
	return target, nil
}

// RemoveUnkept deletes every downloaded file the user did not keep: called
// at sign-out. It carries on past a failure and reports the first.
func (s *Store) RemoveUnkept() error {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("files: removing downloads: %w", err)
	}
	var first error
	for _, e := range entries {
		if e.IsDir() {
			continue // the kept directory
		}
		if err := os.Remove(filepath.Join(s.dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
			first = fmt.Errorf("files: removing %s: %w", e.Name(), err)
		}
	}
	return first
}
