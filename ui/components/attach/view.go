package attach

import (
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// View draws the component at exactly its size: the files chosen, or the
// picker or the typed path while one is open.
func (m *Model) View() string {
	var lines []string
	switch m.mode {
	case modeBrowse:
		lines = m.browseLines()
	case modeTyped:
		lines = m.typedLines()
	default:
		lines = m.listLines()
	}
	return fit.Frame(strings.Join(lines, "\n"), m.w, m.h)
}

// listLines: the files chosen, the highlighted one marked while focused,
// then the last refusal.
func (m *Model) listLines() []string {
	st := m.styles
	var out []string
	rows := m.h
	if m.problem != "" {
		rows--
	}
	if len(m.files) == 0 {
		hint := "No files attached."
		if m.focused {
			hint += " Press a to add one."
		}
		out = append(out, st.Faint.Render(hint))
	}
	first := window(m.fileIdx, len(m.files), max(rows, 1))
	for i := first; i < len(m.files) && len(out) < max(rows, 1); i++ {
		f := m.files[i]
		text := f.Name + "  " + sizeText(f.Size)
		if f.ID != "" {
			text += "  (uploaded)"
		}
		switch {
		case m.focused && i == m.fileIdx:
			out = append(out, st.Selected.Render(fit.Line("▶ "+text, m.w)))
		default:
			out = append(out, st.Text.Render("  "+text))
		}
	}
	if m.problem != "" {
		out = append(out, st.Error.Render(m.problem))
	}
	return out
}

// browseLines: the folder, its entries (only as many as fit), then the
// refusal, or what is under way, or the keys.
func (m *Model) browseLines() []string {
	st := m.styles
	head := "Choose a file"
	if n := len(m.files); n > 0 {
		head += " (" + plural(n, "file") + " chosen)"
	}
	out := []string{st.Title.Render(head+": ") + st.Accent.Render(tail(m.dir.dir, m.w-ansi.StringWidth(head)-2))}
	rows := m.listRows()
	switch {
	case m.dir.loading && len(m.dir.entries) == 0:
		out = append(out, st.Faint.Render("Reading the folder…"))
	case len(m.dir.entries) == 0:
		out = append(out, st.Faint.Render("No folders and no files e-RS accepts here. ← goes up a folder."))
	}
	first := window(m.dir.idx, len(m.dir.entries), rows)
	for i := first; i < len(m.dir.entries) && i < first+rows; i++ {
		out = append(out, m.entryLine(m.dir.entries[i], i == m.dir.idx))
	}
	for len(out) < 1+rows && m.h > 2 {
		out = append(out, "")
	}
	switch {
	case m.problem != "":
		out = append(out, st.Error.Render(m.problem))
	case m.pending != "":
		out = append(out, st.Faint.Render("Checking "+tail(m.pending, m.w-12)+"…"))
	default:
		out = append(out, st.Faint.Render("enter open/choose · ← up a folder · tab type a path · esc close"))
	}
	return out
}

// listRows is how many entries the picker shows: the size less the
// heading and the status line.
func (m *Model) listRows() int { return max(m.h-2, 1) }

// entryLine is one entry: a folder with a slash, a file with its size, one
// too big for e-RS marked so.
func (m *Model) entryLine(e entry, selected bool) string {
	st := m.styles
	name, size := e.name, ""
	if e.dir {
		name += string(os.PathSeparator)
	} else {
		size = sizeText(e.size)
		switch {
		case e.tooBig():
			size += " — over 5 MB"
		case e.size == 0:
			size += " — empty"
		}
	}
	room := max(m.w-2-ansi.StringWidth(size)-1, 1)
	text := fit.Line(name, room) + " " + size
	switch {
	case selected:
		return st.Selected.Render(fit.Line("▶ "+text, m.w))
	case e.dir:
		return "  " + st.Accent.Render(text)
	case e.tooBig():
		return "  " + st.Faint.Render(text)
	}
	return "  " + st.Text.Render(text)
}

// typedLines: the path being typed, then the refusal or the keys.
func (m *Model) typedLines() []string {
	st := m.styles
	out := []string{st.Title.Render("Type the path of a file to attach"), m.path.View()}
	switch {
	case m.problem != "":
		out = append(out, st.Error.Render(m.problem))
	case m.pending != "":
		out = append(out, st.Faint.Render("Checking…"))
	default:
		out = append(out, st.Faint.Render("enter attach · tab browse · esc close"))
	}
	return out
}

// window is the first row to draw so the cursor is on screen, kept near the
// middle of a long list.
func window(cursor, n, rows int) int {
	if n <= rows || rows <= 0 {
		return 0
	}
	return max(min(cursor-rows/2, n-rows), 0)
}

// tail keeps the end of a path that does not fit: the folder's own name
// matters more than where it is.
func tail(s string, width int) string {
	if width <= 1 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return "…" + ansi.TruncateLeft(s, ansi.StringWidth(s)-width+1, "")
}

func withSlash(dir string) string {
	if strings.HasSuffix(dir, string(os.PathSeparator)) {
		return dir
	}
	return dir + string(os.PathSeparator)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return itoa(n) + " " + word + "s"
}

func itoa(n int) string { return strconv.Itoa(n) }
