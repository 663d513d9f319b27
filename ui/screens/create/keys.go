package create

import "charm.land/bubbles/v2/key"

// keyMap is the form's keys. None is a root key (esc q y ? :); the reminder
// days take digits and backspace, which the root never takes, so the form
// never captures the keyboard.
type keyMap struct {
	Next, Prev, Up, Down, Toggle, Send, Retry, Open key.Binding
	Digits, Erase                                   key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous field")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next field")),
		Toggle: key.NewBinding(key.WithKeys("space", "left", "right", "h", "l"), key.WithHelp("space/←/→", "change choice")),
		Send:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "create (asks first)")),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Open:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open the referral found")),
		Digits: key.NewBinding(key.WithKeys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("0-9", "reminder days")),
		Erase:  key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "erase a digit")),
	}
}

func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Toggle, k.Digits, k.Send, k.Retry, k.Open}
}

func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Up, k.Down}, {k.Toggle, k.Digits, k.Erase}, {k.Send, k.Retry, k.Open}}
}
