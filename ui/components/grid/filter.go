package grid

import "strings"

// SetFilter shows only the rows whose text contains query, in any column,
// ignoring case; "" shows every row. It is meant to run on every
// keystroke: when query extends the previous one, only the rows already
// shown are searched.
func (m *Model) SetFilter(query string) {
	m.typed = query
	q := strings.ToLower(query)
	if q == m.query {
		return
	}
	from := m.order
	if m.query != "" && strings.HasPrefix(q, m.query) {
		from = m.shown
	}
	m.query = q
	m.filterFrom(from)
	m.reselect()
}

// Filter is the current filter as given to SetFilter.
func (m *Model) Filter() string { return m.typed }

// filterFrom sets shown to the rows of from that match the query, keeping
// from's order.
func (m *Model) filterFrom(from []int32) {
	if m.query == "" {
		m.shown = m.order
		return
	}
	var out []int32
	if len(from) > 0 && len(m.shown) > 0 && &from[0] == &m.shown[0] && !m.aliasesOrder() {
		out = from[:0] // narrowing: filter in place
	} else {
		out = make([]int32, 0, len(from)/4)
	}
	for _, r := range from {
		if strings.Contains(m.hay[r], m.query) {
			out = append(out, r)
		}
	}
	m.shown = out
}

// aliasesOrder reports that shown is order itself, which must not be
// filtered in place.
func (m *Model) aliasesOrder() bool {
	return len(m.shown) > 0 && len(m.order) > 0 && &m.shown[0] == &m.order[0]
}
