package advicenew

import "charm.land/bubbles/v2/key"

// keyMap is the form's keys. None is a global key: esc (leave the text) is
// enabled only while the text captures typing, when the root passes every
// key on. The attachments' own keys join while that field has focus.
type keyMap struct {
	Next, Prev, Up, Down, Choose, Enter, Retry, Leave key.Binding
	attach                                            []key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Choose: key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "choose")),
		Enter:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose / send")),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Leave:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the text")),
	}
}

func (k keyMap) ShortHelp() []key.Binding {
	return append([]key.Binding{k.Next, k.Up, k.Down, k.Choose, k.Enter, k.Retry, k.Leave}, k.attach...)
}

func (k keyMap) FullHelp() [][]key.Binding {
	out := [][]key.Binding{{k.Next, k.Prev, k.Up, k.Down, k.Leave}, {k.Choose, k.Enter, k.Retry}}
	if len(k.attach) > 0 {
		out = append(out, k.attach)
	}
	return out
}
