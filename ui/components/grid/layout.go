package grid

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// gutter is the cells left of the first column: the selection pointer and
// the mark glyph, each followed by a space.
const gutter = 4

// blanks pads cells without allocating.
const blanks = "                                                                "

// colLayout is a drawn column: its index in the columns and its width.
type colLayout struct{ col, width int }

// layout is the columns drawn at a width and the cells they take together.
type layout struct {
	cols []colLayout
	body int // cells right of the gutter
}

func (l layout) equal(o layout) bool { return l.body == o.body && slices.Equal(l.cols, o.cols) }

// computeLayout drops columns, highest Drop first, until the minimum widths
// fit, then grows each column towards its preferred width, left to right,
// so the most important (leftmost) columns widen first.
func (m *Model) computeLayout() layout {
	body := max(m.width-gutter, 0)
	vis := make([]int, len(m.cols))
	for i := range vis {
		vis[i] = i
	}
	need := func() int {
		n := max(len(vis)-1, 0)
		for _, c := range vis {
			n += m.cols[c].minWidth()
		}
		return n
	}
	for need() > body {
		drop := -1
		for i, c := range vis {
			if d := m.cols[c].Drop; d > 0 && (drop < 0 || d >= m.cols[vis[drop]].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break // only columns that never drop are left: they are cut at the edge
		}
		vis = slices.Delete(vis, drop, drop+1)
	}
	extra := max(body-need(), 0)
	l := layout{body: body, cols: make([]colLayout, len(vis))}
	for i, c := range vis {
		w := m.cols[c].minWidth()
		grow := min(max(m.cols[c].Width-w, 0), extra)
		extra -= grow
		l.cols[i] = colLayout{col: c, width: w + grow}
	}
	return l
}

// line is row r's cells cut and padded for the layout, exactly body cells,
// prepared on first use and kept until the layout changes.
func (m *Model) line(r int) string {
	if s := m.lines[r]; s != "" || m.layout.body == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(m.layout.body)
	for i, cl := range m.layout.cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeCell(&b, m.cell(r, cl.col), int(m.cellWidth[r*len(m.cols)+cl.col]), cl.width, m.cols[cl.col].Align)
	}
	s := fitPlain(b.String(), m.layout.body)
	m.lines[r] = s
	return s
}

// header is the column titles, the sorted one with its direction, laid out
// as the rows are.
func (m *Model) header() string {
	var b strings.Builder
	for i, cl := range m.layout.cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		t := m.cols[cl.col].Title
		if cl.col == m.sortCol {
			arrow := "▲"
			if m.desc {
				arrow = "▼"
			}
			t = ansi.Truncate(t, max(cl.width-1, 0), "") + arrow
		}
		writeCell(&b, t, ansi.StringWidth(t), cl.width, m.cols[cl.col].Align)
	}
	return fitPlain(b.String(), m.layout.body)
}

// writeCell writes s (sw cells wide) cut with "…" or padded to exactly w
// cells. Control characters become spaces, so a cell can never break the
// line or carry an escape sequence to the terminal.
func writeCell(b *strings.Builder, s string, sw, w int, align Align) {
	if w <= 0 {
		return
	}
	if !isPlainASCII(s) {
		s = clean(s)
	}
	if sw > w {
		if isPlainASCII(s) {
			s = s[:w-1] + "…"
		} else {
			s = ansi.Truncate(s, w, "…")
		}
		sw = ansi.StringWidth(s)
	}
	if align == Right {
		pad(b, w-sw)
		b.WriteString(s)
		return
	}
	b.WriteString(s)
	pad(b, w-sw)
}

// fitPlain cuts or pads unstyled text to exactly w cells.
func fitPlain(s string, w int) string {
	sw := len(s)
	if !isPlainASCII(s) {
		sw = ansi.StringWidth(s)
	}
	if sw > w {
		s = ansi.Truncate(s, w, "")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		var b strings.Builder
		b.Grow(len(s) + w - sw)
		b.WriteString(s)
		pad(&b, w-sw)
		s = b.String()
	}
	return s
}

// pad writes n spaces.
func pad(b *strings.Builder, n int) {
	for n > 0 {
		k := min(n, len(blanks))
		b.WriteString(blanks[:k])
		n -= k
	}
}

// clean replaces control characters (C0, DEL, C1) with spaces.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}
