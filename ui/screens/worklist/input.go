package worklist

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// key routes a key press: to the open input or picker first, then the
// screen's keys, then the grid's movement.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.searching:
		return m.searchKey(msg)
	case m.lookup != nil:
		return m.lookupKey(msg)
	case m.picker != nil:
		return m.pickerKey(msg)
	}
	k := m.KeyMap().(keyMap)
	t := m.current()
	switch {
	case key.Matches(msg, k.NextTab):
		return m.switchTo(m.active + 1)
	case key.Matches(msg, k.PrevTab):
		return m.switchTo(m.active - 1)
	case key.Matches(msg, k.JumpTab):
		if i := digit(msg, len(m.tabs)); i >= 0 {
			return m.switchTo(i)
		}
	case key.Matches(msg, k.Lookup):
		return m.openLookup()
	case t == nil:
	case key.Matches(msg, k.Refresh):
		return m.load(t)
	case key.Matches(msg, k.Open):
		return m.open(t)
	case key.Matches(msg, k.Filter):
		m.searching = true
		m.search.SetValue(t.grid.Filter())
		m.search.CursorEnd()
		return m.search.Focus()
	case key.Matches(msg, k.Sort):
		col, _ := t.grid.Sort()
		sortNext(t, col)
	case key.Matches(msg, k.Reverse):
		col, desc := t.grid.Sort()
		if col < 0 {
			col = colUBRN
		}
		t.grid.SortBy(col, !desc)
	case key.Matches(msg, k.Filters):
		return m.openPicker()
	default:
		return t.grid.Update(msg)
	}
	return nil
}

// sortNext moves the sort to the next column still on screen, ascending.
func sortNext(t *tab, col int) {
	vis := t.grid.VisibleColumns()
	if len(vis) == 0 {
		return
	}
	next := vis[0]
	for i, c := range vis {
		if c == col && i+1 < len(vis) {
			next = vis[i+1]
		}
	}
	t.grid.SortBy(next, false)
}

// open asks the root for the selected row's screen: the advice request on
// the advice and guidance list, the referral on the others.
func (m *Model) open(t *tab) tea.Cmd {
	ubrn, ok := t.grid.Selected()
	if !ok {
		return nil
	}
	if t.list == ersclient.WorklistAdviceAndGuidanceRequests {
		return openRoute(RouteAdvice, ubrn)
	}
	// The referral screen gets the whole row: which list it came from
	// decides the provider's review actions (A029 does not list them).
	for _, row := range t.rows {
		if row.UBRN == ubrn {
			return openRoute(RouteReferral, row)
		}
	}
	return openRoute(RouteReferral, ubrn)
}

// searchKey edits the filter, filtering the grid as the user types; enter
// keeps it, esc clears it.
func (m *Model) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	t := m.current()
	switch msg.String() {
	case "enter":
		m.searching = false
		m.search.Blur()
		return nil
	case "esc":
		m.searching = false
		m.search.Blur()
		m.search.SetValue("")
		if t != nil {
			t.grid.SetFilter("")
		}
		return nil
	}
	before := m.search.Value()
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(msg)
	if v := m.search.Value(); t != nil && v != before {
		t.grid.SetFilter(v)
	}
	return cmd
}

// newInput is a text input in the theme's styles. Its cursor does not
// blink: a steady cursor needs no timer running while the user reads.
func newInput(st *theme.Styles, prompt, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt, in.Placeholder = prompt, placeholder
	in.SetStyles(textinput.Styles{
		Focused: textinput.StyleState{Text: st.Text, Placeholder: st.Faint, Prompt: st.Accent},
		Blurred: textinput.StyleState{Text: st.Text, Placeholder: st.Faint, Prompt: st.Faint},
	})
	return in
}
