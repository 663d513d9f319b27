package booking

import (
	"charm.land/bubbles/v2/key"
)

// keyMap is the screen's keys. None is a global key; esc (leave the comment
// field) is enabled only while the field captures typing.
type keyMap struct {
	NextService, PrevService key.Binding
	Up, Down, Top, Bottom    key.Binding
	PageUp, PageDown         key.Binding
	Book, Defer, Triage      key.Binding
	CancelAppt, More         key.Binding
	Refresh, Retry           key.Binding
	// The defer and cancel forms.
	Field, PrevField, Choose, Send, Slots, Leave key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		NextService: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next service")),
		PrevService: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous service")),
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdown", "page down")),
		Book:        key.NewBinding(key.WithKeys("enter", "b"), key.WithHelp("enter/b", "book slot")),
		Defer:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "defer to provider")),
		Triage:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "send for triage")),
		CancelAppt:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel appointment")),
		More:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "more slots")),
		Refresh:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh slots")),
		Retry:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Field:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		PrevField:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Choose:      key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "choose")),
		Send:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose / send")),
		Slots:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "back to slots")),
		Leave:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave field")),
	}
}

func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Book, k.Defer, k.Triage, k.CancelAppt, k.NextService, k.More, k.Refresh, k.Retry,
		k.Field, k.Choose, k.Send, k.Slots, k.Leave}
}

func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.NextService, k.PrevService},
		{k.Book, k.Defer, k.Triage, k.CancelAppt, k.More, k.Refresh, k.Retry},
		{k.Field, k.PrevField, k.Choose, k.Send, k.Slots, k.Leave},
	}
}
