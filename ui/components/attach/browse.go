package attach

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/ers-workstation/ers-workstation/ersclient"
)

// entry is one line of the picker: a folder, or a file of a type e-RS
// accepts.
type entry struct {
	name string
	dir  bool
	size int64
}

// tooBig reports a file e-RS would refuse for its size: listed, but marked.
func (e entry) tooBig() bool { return !e.dir && e.size > ersclient.MaxAttachmentBytes }

// browser is the picker's folder and where the cursor is in it.
type browser struct {
	dir     string
	entries []entry
	idx     int
	seq     int  // the folder read awaited; older answers are dropped
	loading bool // a read is under way
	hidden  bool // show names starting with "."
}

// dirRead is a folder read's answer.
type dirRead struct {
	owner   *Model
	seq     int
	dir     string
	entries []entry
	focus   string // the entry to put the cursor on (the folder come up from)
	problem string
}

// readDir lists a folder off the update loop; dir "" is the home folder.
func (m *Model) readDir(dir, focus string) tea.Cmd {
	m.dir.seq++
	m.dir.loading = true
	owner, seq, home, hidden := m, m.dir.seq, m.home, m.dir.hidden
	return func() tea.Msg {
		out := dirRead{owner: owner, seq: seq, dir: dir, focus: focus}
		if dir == "" {
			h, err := homeDir(home)
			if err != nil {
				out.problem = "Your home folder cannot be found: browse from / or press tab to type a path."
				h = string(filepath.Separator)
			}
			out.dir = h
		}
		out.entries, out.problem = listDir(out.dir, hidden, out.problem)
		return out
	}
}

func homeDir(home func() (string, error)) (string, error) {
	if home == nil {
		return os.UserHomeDir()
	}
	return home()
}

// listDir reads a folder: folders first, then the files e-RS accepts,
// each by name; hidden names only when asked for.
func listDir(dir string, hidden bool, problem string) ([]entry, string) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, "The folder " + dir + " cannot be read."
	}
	var out []entry
	for _, de := range des {
		name := de.Name()
		if !hidden && strings.HasPrefix(name, ".") {
			continue
		}
		info, err := os.Stat(filepath.Join(dir, name)) // follows links
		if err != nil {
			continue
		}
		switch {
		case info.IsDir():
			out = append(out, entry{name: name, dir: true})
		case info.Mode().IsRegular() && ersclient.ContentTypeForFileName(name) != "":
			out = append(out, entry{name: name, size: info.Size()})
		}
	}
	slices.SortStableFunc(out, func(a, b entry) int {
		if a.dir != b.dir {
			if a.dir {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
	})
	return out, problem
}

// dirReadDone shows a folder read, unless another was asked for since. A
// folder that cannot be read leaves the picker where it was.
func (m *Model) dirReadDone(msg dirRead) {
	if msg.seq != m.dir.seq {
		return
	}
	m.dir.loading = false
	m.problem = msg.problem
	if msg.entries == nil && msg.problem != "" && m.dir.dir != "" {
		return
	}
	m.dir.dir, m.dir.entries, m.dir.idx = msg.dir, msg.entries, 0
	for i, e := range msg.entries {
		if e.name == msg.focus {
			m.dir.idx = i
		}
	}
}

// current is the entry under the cursor.
func (b *browser) current() (entry, bool) {
	if b.idx < 0 || b.idx >= len(b.entries) {
		return entry{}, false
	}
	return b.entries[b.idx], true
}

func (b *browser) move(d int) {
	b.idx = max(min(b.idx+d, len(b.entries)-1), 0)
}

// openPicker shows the picker, reading the home folder the first time.
func (m *Model) openPicker() tea.Cmd {
	m.mode = modeBrowse
	m.problem = ""
	m.path.Blur()
	if m.dir.dir == "" && !m.dir.loading {
		return m.readDir("", "")
	}
	return nil
}

// closePicker goes back to the list; a check still under way is forgotten.
func (m *Model) closePicker() {
	m.mode = modeList
	m.pending = ""
	m.path.Blur()
}

// enter opens the folder under the cursor or checks the file.
func (m *Model) enter() tea.Cmd {
	e, ok := m.dir.current()
	if !ok || m.dir.loading {
		return nil
	}
	p := filepath.Join(m.dir.dir, e.name)
	if e.dir {
		m.problem = ""
		return m.readDir(p, "")
	}
	return m.check(p)
}

// up goes to the parent folder, the cursor on the folder left.
func (m *Model) up() tea.Cmd {
	if m.dir.dir == "" {
		return nil
	}
	parent := filepath.Dir(m.dir.dir)
	if parent == m.dir.dir {
		return nil
	}
	m.problem = ""
	return m.readDir(parent, filepath.Base(m.dir.dir))
}
