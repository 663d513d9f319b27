// Package attach chooses local files to send to e-RS: a small file picker
// (directories first, hidden files hidden, only the types e-RS accepts,
// with sizes) and a typed path, both checked off the update loop, and the
// list of files chosen. UploadAll and Links send them (A020) and name them
// for the write that links them.
package attach

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// File is a local file chosen to send. ID is set once it is uploaded
// (A020), so sending again after a conflict or a failure does not upload it
// twice.
type File struct {
	Path, Name string
	Size       int64
	ID         string
}

// mode is what has the keys while the component is focused.
type mode int

const (
	modeList   mode = iota // the files chosen
	modeBrowse             // the picker
	modeTyped              // the typed path
)

// Model is the attachments of one form: the files chosen, and a picker to
// choose more.
type Model struct {
	styles *theme.Styles
	home   func() (string, error)
	keys   keyMap

	w, h    int
	focused bool
	mode    mode

	files   []File
	fileIdx int

	dir     browser
	path    textinput.Model
	pending string // the path being checked; an answer for another is dropped
	problem string
}

// New makes an empty attachments list. home gives the directory the picker
// starts in (and "~/" in a typed path); it is only called in a command.
func New(styles *theme.Styles, home func() (string, error)) *Model {
	m := &Model{styles: styles, home: home, keys: newKeyMap()}
	m.path = textinput.New()
	m.path.Prompt = "Path: "
	m.path.Placeholder = "type a file's path, then enter"
	m.path.SetStyles(textinput.Styles{
		Focused: textinput.StyleState{Text: styles.Text, Placeholder: styles.Faint, Prompt: styles.Accent},
		Blurred: textinput.StyleState{Text: styles.Text, Placeholder: styles.Faint, Prompt: styles.Faint},
	})
	m.SetSize(40, 6)
	return m
}

// SetSize sets the size View draws at.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = max(w, 1), max(h, 1)
	m.path.SetWidth(max(m.w-len(m.path.Prompt)-1, 5))
}

// Focus gives the component the keys.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keys away, closing the picker.
func (m *Model) Blur() {
	m.focused = false
	m.closePicker()
}

// Focused reports whether the component has the keys.
func (m *Model) Focused() bool { return m.focused }

// Capturing reports the picker or the typed path having the keys, so the
// host passes every key (esc included) here.
func (m *Model) Capturing() bool { return m.focused && m.mode != modeList }

// Files returns a copy of the files chosen, in order.
func (m *Model) Files() []File { return append([]File(nil), m.files...) }

// SetFiles replaces the files chosen: after an upload, the files UploadAll
// returned, so their IDs are kept.
func (m *Model) SetFiles(files []File) {
	m.files = append([]File(nil), files...)
	m.fileIdx = min(max(m.fileIdx, 0), max(len(m.files)-1, 0))
}

// Dirty reports any file chosen.
func (m *Model) Dirty() bool { return len(m.files) > 0 }

// Problem is the last refusal in words, "" if none.
func (m *Model) Problem() string { return m.problem }

// KeyMap is the component's bindings, disabled when not usable now.
func (m *Model) KeyMap() []key.Binding {
	m.keys.update(m)
	return m.keys.all(m.mode)
}

// Update handles the component's own messages (whether focused or not) and
// keys while focused.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	return m.update(msg)
}
