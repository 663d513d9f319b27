package grid

import (
	"cmp"
	"slices"
	"strings"
)

// UpdateRow replaces the cells and mark of the row with key, as one write
// on another screen changes one referral: only that row is measured again,
// and it moves to its place in the sort and into or out of the filter.
// The selection stays where it was. False (and no change) when no row has
// key. Much cheaper than SetRows on a long list: no other row is measured.
func (m *Model) UpdateRow(key string, cells []string, mark Mark) bool {
	r := m.index(key)
	if r < 0 {
		return false
	}
	m.cells[r] = cells
	if r < len(m.marks) {
		m.marks[r] = mark
	} else if mark != None {
		m.marks = append(m.marks, make([]Mark, len(m.keys)-len(m.marks))...)
		m.marks[r] = mark
	}
	var hay strings.Builder
	m.prepare(r, &hay)
	m.lines[r] = ""
	if m.sortCol >= 0 {
		m.reposition(int32(r))
	}
	m.filterFrom(m.order)
	m.reselect()
	return true
}

// RemoveRow drops the row with key (a referral that left the list). When it
// was the selected row, the selection moves to the row now in its place.
// False (and no change) when no row has key.
func (m *Model) RemoveRow(key string) bool {
	r := m.index(key)
	if r < 0 {
		return false
	}
	nc := len(m.cols)
	m.keys = slices.Delete(m.keys, r, r+1)
	m.cells = slices.Delete(m.cells, r, r+1)
	if r < len(m.marks) {
		m.marks = slices.Delete(m.marks, r, r+1)
	}
	m.cellWidth = slices.Delete(m.cellWidth, r*nc, (r+1)*nc)
	m.hay = slices.Delete(m.hay, r, r+1)
	m.lines = slices.Delete(m.lines, r, r+1)

	gone := int32(r)
	m.order = renumber(m.order, gone)
	if m.query == "" {
		m.shown = m.order
	} else {
		m.shown = renumber(m.shown, gone)
	}
	switch {
	case m.sel == gone:
		m.sel = -1 // reselect takes the row now under the cursor
	case m.sel > gone:
		m.sel--
	}
	m.reselect()
	return true
}

// renumber drops row gone from rows (indexes into the rows) and shifts the
// rows after it down by one, in place.
func renumber(rows []int32, gone int32) []int32 {
	out := rows[:0]
	for _, r := range rows {
		switch {
		case r == gone:
			continue
		case r > gone:
			r--
		}
		out = append(out, r)
	}
	return out
}

// reposition moves row r to its place in the sorted order after its cells
// changed: the order sortRows gives, (the column, then the order given).
func (m *Model) reposition(r int32) {
	if i := slices.Index(m.order, r); i >= 0 {
		m.order = slices.Delete(m.order, i, i+1)
	}
	c := m.cols[m.sortCol].Compare
	if c == nil {
		col := m.sortCol
		c = func(a, b int) int { return cmp.Compare(m.cell(a, col), m.cell(b, col)) }
	}
	sign := 1
	if m.desc {
		sign = -1
	}
	at, _ := slices.BinarySearchFunc(m.order, r, func(e, t int32) int {
		if d := sign * c(int(e), int(t)); d != 0 {
			return d
		}
		return cmp.Compare(e, t)
	})
	m.order = slices.Insert(m.order, at, r)
}
