package advicenew

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// key handles a key press. The text gets every key but tab, shift+tab and
// esc; the attachments' picker gets every key while open.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if !m.ready() {
		return nil
	}
	m.showTop = false
	k := m.keys
	if m.f.focus == fieldAttach && m.f.attach.Capturing() {
		return m.f.attach.Update(msg)
	}
	switch {
	case key.Matches(msg, k.Next):
		return m.moveFocus(1)
	case key.Matches(msg, k.Prev):
		return m.moveFocus(-1)
	}
	switch m.f.focus {
	case fieldText:
		if key.Matches(msg, k.Leave) {
			return m.setFocus(fieldSend)
		}
		return m.updateText(msg)
	case fieldAttach:
		// The list of files chosen has its own keys (add, remove, move);
		// up past the first file moves to the previous field.
		if m.f.attach.Handles(msg) {
			return m.f.attach.Update(msg)
		}
	}
	switch {
	case key.Matches(msg, k.Up):
		if m.f.focus != fieldConversion || !m.f.conversion.move(-1) {
			return m.moveFocus(-1)
		}
	case key.Matches(msg, k.Down):
		if m.f.focus != fieldConversion || !m.f.conversion.move(1) {
			return m.moveFocus(1)
		}
	case key.Matches(msg, k.Choose):
		m.chooseConversion()
	case key.Matches(msg, k.Enter):
		switch m.f.focus {
		case fieldSend:
			return m.submit()
		case fieldConversion:
			m.chooseConversion()
			return m.moveFocus(1)
		}
	case key.Matches(msg, k.Retry):
		return m.doRetry()
	}
	return nil
}

func (m *Model) chooseConversion() {
	if m.f.focus == fieldConversion {
		m.f.conversion.choose()
		delete(m.f.errs, fieldConversion)
	}
}

// moveFocus moves to the next (d=1) or previous (d=-1) field, stopping at
// the ends.
func (m *Model) moveFocus(d int) tea.Cmd {
	i := 0
	for j, id := range fields {
		if id == m.f.focus {
			i = j
		}
	}
	return m.setFocus(fields[min(max(i+d, 0), len(fields)-1)])
}

// setFocus moves the focus, focusing or blurring the text and the
// attachments. Leaving the text writes the draft at once.
func (m *Model) setFocus(id fieldID) tea.Cmd {
	var flush tea.Cmd
	if m.f.focus == fieldText && id != fieldText {
		flush = m.d.flush(m.f.text.Value())
	}
	m.f.focus = id
	m.f.text.Blur()
	m.f.attach.Blur()
	switch id {
	case fieldText:
		return tea.Batch(flush, m.f.text.Focus())
	case fieldAttach:
		m.f.attach.Focus()
	}
	return flush
}

// doRetry repeats what failed.
func (m *Model) doRetry() tea.Cmd {
	switch m.retry {
	case retrySend:
		return m.submit()
	case retryChecked:
		return m.submitAfterUnknown()
	}
	return nil
}
