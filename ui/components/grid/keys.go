package grid

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// keyMap is the movement bindings.
type keyMap struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown, Top, Bottom key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "first row")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "last row")),
	}
}

func (k *keyMap) all() []*key.Binding {
	return []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.HalfUp, &k.HalfDown, &k.Top, &k.Bottom}
}

// enable turns the bindings on while there are rows to move over, so help
// does not offer them on an empty list.
func (k *keyMap) enable(on bool) {
	for _, b := range k.all() {
		b.SetEnabled(on)
	}
}

// KeyMap is the movement bindings, for the owning screen's help.
func (m *Model) KeyMap() []key.Binding {
	all := m.keyMap.all()
	out := make([]key.Binding, len(all))
	for i, b := range all {
		out[i] = *b
	}
	return out
}

// Update moves the highlight on a movement key; other messages are
// ignored. It returns no command.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || len(m.shown) == 0 {
		return nil
	}
	page := max(m.height-1, 1)
	km := &m.keyMap
	switch {
	case key.Matches(k, km.Up):
		m.moveTo(m.cursor - 1)
	case key.Matches(k, km.Down):
		m.moveTo(m.cursor + 1)
	case key.Matches(k, km.PageUp):
		m.moveTo(m.cursor - page)
	case key.Matches(k, km.PageDown):
		m.moveTo(m.cursor + page)
	case key.Matches(k, km.HalfUp):
		m.moveTo(m.cursor - max(page/2, 1))
	case key.Matches(k, km.HalfDown):
		m.moveTo(m.cursor + max(page/2, 1))
	case key.Matches(k, km.Top):
		m.moveTo(0)
	case key.Matches(k, km.Bottom):
		m.moveTo(len(m.shown) - 1)
	}
	return nil
}
