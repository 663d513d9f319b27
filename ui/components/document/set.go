package document

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/files"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// Doc is what happened to one document here.
type Doc struct {
	Busy bool
	Path string // where it was saved; "" before
	Kept bool   // moved out of the sign-out clean-up
	Err  error  // the last download's failure
	Note string // why there is no preview
	Text *Text  // the preview
}

// Badge is the document's state for a list row: "[saved]", "".
func (d *Doc) Badge() string {
	switch {
	case d == nil:
		return ""
	case d.Busy:
		return "[downloading…]"
	case d.Err != nil:
		return "[failed]"
	case d.Kept:
		return "[kept]"
	case d.Path != "":
		return "[saved]"
	}
	return ""
}

// Options configure a Set.
type Options struct {
	// Dir is the per-user files folder (screen.Common.Files); "" means no
	// folder is set up, and nothing is fetched.
	Dir string
	// Timeout bounds each download.
	Timeout time.Duration
	// Viewer opens saved files; SystemViewer() in the product.
	Viewer Viewer
}

// Set is the documents a screen offers, by key: their downloads, and the
// pane showing the focused one. The zero value is not usable: use New.
type Set struct {
	styles  *theme.Styles
	store   *files.Store
	enabled bool
	timeout time.Duration
	viewer  Viewer
	docs    map[string]*Doc
	focus   string
	top     int // the pane's first preview line
}

// New builds a Set; it does no I/O.
func New(styles *theme.Styles, o Options) *Set {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	return &Set{styles: styles, store: files.New(o.Dir), enabled: o.Dir != "", timeout: o.Timeout,
		viewer: o.Viewer, docs: map[string]*Doc{}}
}

// Messages of the Set's commands; give them to Update.
type (
	Downloaded struct {
		Key   string
		Saved Saved
		Err   error
	}
	Kept struct {
		Key, Path string
		Err       error
	}
	Opened struct {
		Path string
		Err  error
	}
)

// Enabled reports a files folder to save in.
func (s *Set) Enabled() bool { return s.enabled }

// Doc is the document's state; nil when it was never downloaded here.
func (s *Set) Doc(key string) *Doc { return s.docs[key] }

// Focus shows key in the pane; the preview starts at its top when the
// focus moves.
func (s *Set) Focus(key string) {
	if key != s.focus {
		s.focus, s.top = key, 0
	}
}

// Focused is the key shown in the pane.
func (s *Set) Focused() string { return s.focus }

// Scroll moves the preview by n lines (negative up); View clamps it.
func (s *Set) Scroll(n int) { s.top = max(s.top+n, 0) }

// CanDownload reports that key may be fetched now (again after a failure,
// or a fresh copy after a success).
func (s *Set) CanDownload(key string) bool {
	d := s.docs[key]
	return key != "" && (d == nil || !d.Busy)
}

// Path is where key was saved; "" when it was not.
func (s *Set) Path(key string) string {
	if d := s.docs[key]; d != nil {
		return d.Path
	}
	return ""
}

// CanKeep reports a saved file that sign-out would still remove.
func (s *Set) CanKeep(key string) bool {
	d := s.docs[key]
	return d != nil && d.Path != "" && !d.Kept
}

// Download fetches src and saves it; the reply is a Downloaded.
func (s *Set) Download(src Source) tea.Cmd {
	if !s.CanDownload(src.Key) {
		return nil
	}
	if !s.enabled {
		return toast("No download folder is set up, so the file cannot be saved.", screen.Warning)
	}
	s.docs[src.Key] = &Doc{Busy: true}
	if src.Key == s.focus {
		s.top = 0
	}
	store, timeout, task := s.store, s.timeout, "Downloading "+src.Title
	return tea.Batch(busy(task, true), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		saved, err := Save(ctx, store, src)
		return tea.BatchMsg{busy(task, false), msg(Downloaded{Key: src.Key, Saved: saved, Err: err})}
	})
}

// Keep moves key's file to the kept folder; the reply is a Kept.
func (s *Set) Keep(key string) tea.Cmd {
	if !s.CanKeep(key) {
		return nil
	}
	store, path := s.store, s.docs[key].Path
	return func() tea.Msg {
		kept, err := store.Keep(path)
		return Kept{Key: key, Path: kept, Err: err}
	}
}

// Open shows key's file in the system viewer, or says where it is when
// there is no display to show it on.
func (s *Set) Open(key string) tea.Cmd {
	path := s.Path(key)
	if path == "" {
		return nil
	}
	return OpenFile(s.viewer, path)
}

// OpenFile opens path with v, or says where the file is when there is no
// display; the reply is an Opened or a toast.
func OpenFile(v Viewer, path string) tea.Cmd {
	if !v.HasDisplay() || v.Open == nil {
		return toast("No display to open it on. The file is at "+path, screen.Info)
	}
	return func() tea.Msg { return Opened{Path: path, Err: v.Open(path)} }
}

// Update applies the Set's messages; handled is false for any other.
func (s *Set) Update(m tea.Msg) (cmd tea.Cmd, handled bool) {
	switch m := m.(type) {
	case Downloaded:
		s.docs[m.Key] = &Doc{Path: m.Saved.Path, Err: m.Err, Note: m.Saved.Note, Text: NewText(m.Saved.Text)}
		if m.Err != nil {
			return nil, true
		}
		return SavedToast(m.Saved.Path), true
	case Kept:
		d := s.docs[m.Key]
		if d == nil {
			return nil, true
		}
		if m.Err != nil {
			return KeepFailedToast(m.Err), true
		}
		d.Path, d.Kept = m.Path, true
		return KeptToast(m.Path), true
	case Opened:
		return OpenedToast(m.Path, m.Err), true
	}
	return nil, false
}

// The toasts of the three outcomes, shared with screens that run their
// own commands.

// SavedToast says where a download went and that sign-out removes it.
func SavedToast(path string) tea.Cmd {
	return toast("Saved "+filepath.Base(path)+". It is removed at sign-out unless you keep it (K).", screen.Success)
}

// KeptToast says a file now survives sign-out.
func KeptToast(path string) tea.Cmd { return toast("Kept after sign-out: "+path, screen.Success) }

// KeepFailedToast says a file could not be kept.
func KeepFailedToast(err error) tea.Cmd {
	return toast("The file could not be kept: "+err.Error(), screen.Failure)
}

// OpenedToast says the viewer started, or why not and where the file is.
func OpenedToast(path string, err error) tea.Cmd {
	if err != nil {
		return toast(fmt.Sprintf("The viewer could not be started (%v). The file is at %s", err, path), screen.Warning)
	}
	return toast("Opened "+filepath.Base(path)+" in the system viewer", screen.Info)
}

func toast(text string, level screen.Level) tea.Cmd {
	return func() tea.Msg { return screen.Toast{Text: text, Level: level} }
}

func busy(task string, on bool) tea.Cmd {
	return func() tea.Msg { return screen.Busy{Task: task, On: on} }
}

func msg(m tea.Msg) tea.Cmd { return func() tea.Msg { return m } }
