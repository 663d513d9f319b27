package grid

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// SetRows replaces the rows: keys[i] identifies row i (a UBRN), cells[i]
// holds its text per column, marks[i] its emphasis (marks may be nil or
// shorter: the rest are None). The grid takes the slices: the caller must
// not use or change them afterwards (UpdateRow and RemoveRow change them in
// place). Every cell is measured once here; the sort and the filter are
// applied again, and the selection stays on the row with the same key when
// it is still there.
func (m *Model) SetRows(keys []string, cells [][]string, marks []Mark) {
	var selKey string
	hadSel := m.sel >= 0 && int(m.sel) < len(m.keys)
	if hadSel {
		selKey = m.keys[m.sel]
	}
	n := len(keys)
	m.keys, m.cells, m.marks = keys, cells, marks
	m.cellWidth = make([]uint16, n*len(m.cols))
	m.hay = make([]string, n)
	var hay strings.Builder
	for r := 0; r < n; r++ {
		m.prepare(r, &hay)
	}
	m.lines = make([]string, n)

	m.sel = -1
	if hadSel {
		m.sel = int32(m.index(selKey))
	}
	m.sortRows()
	m.filterFrom(m.order)
	m.reselect()
}

// prepare measures row r's cells and builds its filter text, with one
// allocation (hay is reused between rows).
func (m *Model) prepare(r int, hay *strings.Builder) {
	hay.Reset()
	size := len(m.cols)
	for c := range m.cols {
		size += len(m.cell(r, c))
	}
	hay.Grow(size)
	for c := range m.cols {
		s := m.cell(r, c)
		m.cellWidth[r*len(m.cols)+c] = measure(s)
		if c > 0 {
			hay.WriteByte(0)
		}
		writeLower(hay, s)
	}
	m.hay[r] = hay.String()
}

// index is the row with key, -1 when there is none.
func (m *Model) index(key string) int {
	for i, k := range m.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// cell is row r's text in column c; a short row has empty cells.
func (m *Model) cell(r, c int) string {
	if row := m.cells[r]; c < len(row) {
		return row[c]
	}
	return ""
}

// mark is row r's mark.
func (m *Model) mark(r int) Mark {
	if r < len(m.marks) {
		return m.marks[r]
	}
	return None
}

// measure is the cells s takes, with a fast path for printable ASCII (most
// worklist text), which is one cell a byte.
func measure(s string) uint16 {
	w := len(s)
	if !isPlainASCII(s) {
		w = ansi.StringWidth(s)
	}
	return uint16(min(w, math.MaxUint16))
}

// isPlainASCII reports that s is printable ASCII only.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b >= 0x7f {
			return false
		}
	}
	return true
}

// writeLower writes s in lower case, without allocating for ASCII.
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			b.WriteString(strings.ToLower(s[i:]))
			return
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
}
