package attach

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case dirRead:
		if msg.owner == m {
			m.dirReadDone(msg)
		}
		return nil
	case checked:
		if msg.owner == m {
			m.checkedFile(msg)
		}
		return nil
	case tea.KeyPressMsg:
		if !m.focused {
			return nil
		}
		return m.key(msg)
	}
	if m.focused && m.mode == modeTyped {
		var cmd tea.Cmd
		m.path, cmd = m.path.Update(msg) // the cursor's blink
		return cmd
	}
	return nil
}

// Handles reports whether the component would use a key now, so a host
// can let the others (tab to the next field, up past the first file) move
// its own focus. While Capturing, every key is the component's.
func (m *Model) Handles(msg tea.KeyPressMsg) bool {
	if !m.focused {
		return false
	}
	if m.Capturing() {
		return true
	}
	m.keys.update(m)
	for _, b := range m.keys.all(modeList) {
		if key.Matches(msg, b) {
			return true
		}
	}
	return false
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	m.keys.update(m)
	k := &m.keys
	switch m.mode {
	case modeBrowse:
		return m.browseKey(msg)
	case modeTyped:
		switch {
		case key.Matches(msg, k.Close):
			m.closePicker()
			return nil
		case key.Matches(msg, k.Switch):
			return m.openPicker()
		case key.Matches(msg, k.Check):
			return m.check(m.path.Value())
		}
		before := m.path.Value()
		var cmd tea.Cmd
		m.path, cmd = m.path.Update(msg)
		if m.path.Value() != before {
			m.pending = "" // typed on: the answer for the old path no longer counts
		}
		return cmd
	}
	switch {
	case key.Matches(msg, k.Add):
		return m.openPicker()
	case key.Matches(msg, k.Remove):
		m.removeFile()
	case key.Matches(msg, k.Up):
		m.fileIdx--
	case key.Matches(msg, k.Down):
		m.fileIdx++
	}
	m.fileIdx = max(min(m.fileIdx, len(m.files)-1), 0)
	return nil
}

func (m *Model) browseKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	page := max(m.listRows()-1, 1)
	switch {
	case key.Matches(msg, k.Close):
		m.closePicker()
	case key.Matches(msg, k.Switch):
		return m.typePath()
	case key.Matches(msg, k.Up):
		m.dir.move(-1)
	case key.Matches(msg, k.Down):
		m.dir.move(1)
	case key.Matches(msg, k.PageUp):
		m.dir.move(-page)
	case key.Matches(msg, k.PageDown):
		m.dir.move(page)
	case msg.String() == "home" || msg.String() == "g":
		m.dir.idx = 0
	case msg.String() == "end" || msg.String() == "G":
		m.dir.move(len(m.dir.entries))
	case key.Matches(msg, k.Open):
		return m.enter()
	case key.Matches(msg, k.Parent):
		return m.up()
	case key.Matches(msg, k.Hidden):
		m.dir.hidden = !m.dir.hidden
		e, _ := m.dir.current()
		return m.readDir(m.dir.dir, e.name)
	}
	return nil
}

// typePath switches to the typed path, starting from the picker's folder.
func (m *Model) typePath() tea.Cmd {
	m.mode = modeTyped
	m.pending, m.problem = "", ""
	if m.path.Value() == "" && m.dir.dir != "" {
		m.path.SetValue(withSlash(m.dir.dir))
		m.path.CursorEnd()
	}
	return m.path.Focus()
}
