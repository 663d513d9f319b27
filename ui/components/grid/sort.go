package grid

import (
	"cmp"
	"slices"
)

// SortBy orders the rows by column col, descending if asked; a col out of
// range restores the order the rows were given in. The sort is stable
// (rows that compare equal keep the order given) and keeps the selection.
func (m *Model) SortBy(col int, descending bool) {
	if col < 0 || col >= len(m.cols) {
		col, descending = -1, false
	}
	if col == m.sortCol && descending == m.desc {
		return
	}
	m.sortCol, m.desc = col, descending
	m.sortRows()
	m.filterFrom(m.order)
	m.reselect()
}

// Sort is the column the rows are ordered by (-1 for the order given) and
// whether descending.
func (m *Model) Sort() (col int, descending bool) { return m.sortCol, m.desc }

// sortRows rebuilds order from the rows and the sort column.
func (m *Model) sortRows() {
	order := make([]int32, len(m.keys))
	for i := range order {
		order[i] = int32(i)
	}
	m.order = order
	if m.sortCol < 0 {
		return
	}
	c := m.cols[m.sortCol].Compare
	if c == nil {
		col := m.sortCol
		c = func(a, b int) int { return cmp.Compare(m.cell(a, col), m.cell(b, col)) }
	}
	sign := 1
	if m.desc {
		sign = -1 // negate rather than reverse, so equal rows keep the order given
	}
	slices.SortStableFunc(order, func(a, b int32) int { return sign * c(int(a), int(b)) })
}
