package search

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// key routes a key press: to the open picker first, then the form or the
// results.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.picker != nil {
		return m.pickerKey(msg)
	}
	k := m.KeyMap().(keyMap)
	switch {
	case key.Matches(msg, k.Retry):
		return m.retry()
	case key.Matches(msg, k.Form):
		return m.switchPane()
	}
	if m.pane == paneForm {
		return m.formKey(msg, k)
	}
	return m.resultsKey(msg, k)
}

func (m *Model) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	p := m.picker
	chosen, done, cancel, cmd := p.key(msg)
	switch {
	case done:
		m.chosen(p.field, chosen)
		m.picker = nil
		return m.f.move(1)
	case cancel:
		m.picker = nil
	}
	return cmd
}

// formKey moves between fields, changes choices, opens pickers, and
// searches on enter; a text field takes every other key.
func (m *Model) formKey(msg tea.KeyPressMsg, k keyMap) tea.Cmd {
	switch {
	case key.Matches(msg, k.Next):
		return m.f.move(1)
	case key.Matches(msg, k.Prev):
		return m.f.move(-1)
	case key.Matches(msg, k.Leave):
		if m.found != nil || m.searchErr != nil {
			return m.switchPane()
		}
		return m.f.setFocus(fSearch)
	case key.Matches(msg, k.Pick):
		return m.openPicker()
	case key.Matches(msg, k.Toggle):
		m.f.toggle()
		return nil
	case key.Matches(msg, k.Search):
		return m.runSearch()
	}
	if m.f.focus.text() {
		return m.f.update(msg)
	}
	return nil
}

// resultsKey builds the shortlist and moves over the results; the detail
// pane follows the highlight.
func (m *Model) resultsKey(msg tea.KeyPressMsg, k keyMap) tea.Cmd {
	switch {
	case key.Matches(msg, k.Add):
		m.add()
	case key.Matches(msg, k.Remove):
		m.remove()
	case key.Matches(msg, k.Continue):
		return m.proceed()
	case key.Matches(msg, k.Details):
		m.detailOn = !m.detailOn
		m.detailFor = ""
		return m.detailCmd()
	case key.Matches(msg, k.DetailDown):
		m.detailTop++
	case key.Matches(msg, k.DetailUp):
		m.detailTop = max(m.detailTop-1, 0)
	default:
		m.grid.Update(msg)
		return m.detailCmd()
	}
	return nil
}

// switchPane goes between the form and the results.
func (m *Model) switchPane() tea.Cmd {
	if m.pane == paneResults {
		m.pane = paneForm
		return m.f.setFocus(m.f.focus)
	}
	m.pane = paneResults
	m.blurForm()
	return m.detailCmd()
}

// retry loads the code systems that failed, and sends the last search
// again when it failed (a search writes nothing, so it is safe to repeat).
func (m *Model) retry() tea.Cmd {
	cmds := []tea.Cmd{m.loadRefData()}
	switch {
	case m.detailOn && m.detailErr != nil:
		m.detailFor = ""
		cmds = append(cmds, m.detailCmd())
	case m.attempt != nil && !m.searching:
		cmds = append(cmds, m.send(*m.attempt))
	}
	return tea.Batch(cmds...)
}
