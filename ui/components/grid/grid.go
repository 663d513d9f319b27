// Package grid is a virtualised table for long lists (worklists of up to
// 100,000 rows): cells are measured once when rows arrive and cut to their
// column once per layout, the filter runs over a lower-case haystack kept
// per row, and View draws only the rows that fit, with at most one style
// per row. The selection is kept by the row's key across sort, filter and
// new rows.
//
// It is not a screen: the owning screen gives it rows and a size, passes it
// movement keys and draws its View inside its own frame.
package grid

import (
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// Align places text inside its column.
type Align int

// The alignments.
const (
	Left Align = iota
	Right
)

// Column describes one column of the grid.
type Column struct {
	Title string
	// Width is the preferred cells, MinWidth the fewest the column is
	// squeezed to before columns are dropped (0 means Width).
	Width, MinWidth int
	// Drop orders the columns a narrow terminal drops: the highest Drop
	// goes first; 0 never drops.
	Drop  int
	Align Align
	// Compare orders rows a and b (indexes into the rows given to
	// SetRows) when sorting by this column; nil compares the cell text.
	Compare func(a, b int) int
}

// minWidth is the fewest cells the column takes.
func (c Column) minWidth() int {
	if c.MinWidth > 0 && c.MinWidth < c.Width {
		return c.MinWidth
	}
	return max(c.Width, 1)
}

// Model is the grid. Build it with New; the zero value is not usable.
type Model struct {
	cols   []Column
	styles *theme.Styles

	width, height int

	// The rows as given to SetRows; the grid keeps, and never changes,
	// the slices.
	keys  []string
	cells [][]string
	marks []Mark
	// cellWidth holds every cell's width, row-major, measured once.
	cellWidth []uint16
	// hay is each row's cells in lower case, joined by "\x00" so a match
	// never spans two cells.
	hay []string

	order []int32 // every row, in sort order
	shown []int32 // order, filtered; may alias order
	query string  // the filter, lower case
	typed string  // the filter as given

	sortCol int // -1: the order given
	desc    bool

	cursor int   // index into shown
	top    int   // first shown row drawn
	sel    int32 // the row the user chose (index into keys), -1 for none

	layout layout
	lines  []string // each row's cells cut for layout; "" until drawn
	paint  paints
	keyMap keyMap
	empty  string
}

// New builds an empty grid; it does no I/O and draws nothing until SetSize.
func New(cols []Column, styles *theme.Styles) *Model {
	m := &Model{
		cols:    append([]Column(nil), cols...),
		styles:  styles,
		sortCol: -1,
		sel:     -1,
		keyMap:  newKeyMap(),
	}
	m.keyMap.enable(false)
	return m
}

// SetSize sets the cells the grid is drawn in: one header line and
// height-1 rows. Cells are cut again only when the columns' widths change.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	if l := m.computeLayout(); !l.equal(m.layout) {
		m.layout = l
		// Prepared lazily in View: a drag-resize must not cost a pass over
		// every row per step.
		m.lines = make([]string, len(m.keys))
	}
	m.scrollToCursor()
}

// SetEmpty sets the line shown when there are no rows to show (default
// "Nothing to show." or, with a filter, "No rows match the filter.").
func (m *Model) SetEmpty(text string) { m.empty = text }

// Counts is the rows the filter lets through, and all rows.
func (m *Model) Counts() (shown, total int) { return len(m.shown), len(m.keys) }

// VisibleColumns lists the columns drawn at the current width, by index
// into the columns given to New, in order.
func (m *Model) VisibleColumns() []int {
	out := make([]int, len(m.layout.cols))
	for i, c := range m.layout.cols {
		out[i] = c.col
	}
	return out
}

// Selected is the key of the highlighted row; false when no row is shown.
func (m *Model) Selected() (key string, ok bool) {
	if m.cursor < 0 || m.cursor >= len(m.shown) {
		return "", false
	}
	return m.keys[m.shown[m.cursor]], true
}

// Select highlights the row with key; false (and no change) when no shown
// row has it.
func (m *Model) Select(key string) bool {
	for i, r := range m.shown {
		if m.keys[r] == key {
			m.moveTo(i)
			return true
		}
	}
	return false
}

// CursorRow is the line of View holding the highlighted row (the header is
// line 0), for placing the terminal cursor; -1 when none is drawn.
func (m *Model) CursorRow() int {
	if len(m.shown) == 0 || m.height < 2 {
		return -1
	}
	return 1 + m.cursor - m.top
}

// moveTo highlights shown row i (clamped) and remembers it as the user's
// choice.
func (m *Model) moveTo(i int) {
	if len(m.shown) == 0 {
		m.cursor, m.top = 0, 0
		return
	}
	m.cursor = min(max(i, 0), len(m.shown)-1)
	m.sel = m.shown[m.cursor]
	m.scrollToCursor()
}

// reselect puts the cursor back on the user's chosen row after the shown
// rows changed. When that row is not shown (filtered out) the cursor stays
// at the same place, but the choice is remembered, so widening the filter
// again returns to it.
func (m *Model) reselect() {
	m.keyMap.enable(len(m.shown) > 0)
	if m.sel >= 0 {
		for i, r := range m.shown {
			if r == m.sel {
				m.cursor = i
				m.scrollToCursor()
				return
			}
		}
	}
	m.cursor = min(max(m.cursor, 0), max(len(m.shown)-1, 0))
	if m.sel < 0 && len(m.shown) > 0 {
		m.sel = m.shown[m.cursor]
	}
	m.scrollToCursor()
}
