package attach

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/ers-workstation/ers-workstation/ersclient"
)

// checked is a check's answer: the file, or the refusal in words.
type checked struct {
	owner   *Model
	path    string // as chosen or typed: the answer is used only if it is still the one pending
	file    File
	problem string
}

// check looks at a chosen or typed path off the update loop (a home on a
// network file system can be slow).
func (m *Model) check(path string) tea.Cmd {
	m.pending, m.problem = path, ""
	owner, home := m, m.home
	return func() tea.Msg {
		f, problem := statFile(path, home)
		return checked{owner: owner, path: path, file: f, problem: problem}
	}
}

// statFile refuses, before any upload, what e-RS would refuse or what
// cannot be sent: a type e-RS does not accept, a missing, unreadable or
// empty file, a directory, or one over 5 MB.
func statFile(typed string, home func() (string, error)) (File, string) {
	p := strings.TrimSpace(typed)
	if p == "" {
		return File{}, "Type the path of a file to attach."
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok && home != nil {
		if h, err := home(); err == nil {
			p = filepath.Join(h, rest)
		}
	}
	p = filepath.Clean(p)
	name := filepath.Base(p)
	info, err := os.Stat(p)
	switch {
	case err == nil && info.IsDir():
		return File{}, p + " is a folder, not a file."
	case ersclient.ContentTypeForFileName(name) == "":
		return File{}, "e-RS does not accept files like " + name + ": use pdf, txt, rtf, doc, docx, jpg, png, gif, tif, xml or dcm."
	case err != nil:
		return File{}, "No file can be read at " + p + "."
	case !info.Mode().IsRegular():
		return File{}, p + " is not a file."
	case info.Size() == 0:
		return File{}, name + " is empty."
	case info.Size() > ersclient.MaxAttachmentBytes:
		return File{}, fmt.Sprintf("%s is %s; e-RS accepts files up to 5 MB.", name, sizeText(info.Size()))
	}
	fh, err := os.Open(p)
	if err != nil {
		return File{}, name + " cannot be read (permission denied?)."
	}
	_ = fh.Close()
	return File{Path: p, Name: name, Size: info.Size()}, ""
}

// checkedFile adds a checked file unless it is no longer the one pending
// or is listed already.
func (m *Model) checkedFile(msg checked) {
	if msg.path != m.pending || m.pending == "" {
		return // chosen again, typed on or closed since: the newer choice counts
	}
	m.pending = ""
	if msg.problem != "" {
		m.problem = msg.problem
		return
	}
	for i, f := range m.files {
		if f.Path == msg.file.Path {
			m.problem = msg.file.Name + " is already attached."
			m.fileIdx = i
			return
		}
	}
	m.files = append(m.files, msg.file)
	m.fileIdx = len(m.files) - 1
	m.path.SetValue("")
	m.closePicker()
}

// removeFile drops the highlighted file.
func (m *Model) removeFile() {
	if m.fileIdx < 0 || m.fileIdx >= len(m.files) {
		return
	}
	m.files = append(m.files[:m.fileIdx:m.fileIdx], m.files[m.fileIdx+1:]...)
	m.fileIdx = max(min(m.fileIdx, len(m.files)-1), 0)
	m.problem = ""
}

// sizeText is a size as people read it.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
