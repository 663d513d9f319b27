package ui

import (
	"charm.land/bubbles/v2/key"
)

// GlobalKeyMap holds the keys the root handles before the top screen sees
// them. A screen must not bind any of them (uitest.CheckKeys fails if it
// does), except while it is Capturing, when it gets them all but ctrl+c.
type GlobalKeyMap struct {
	Quit    key.Binding
	Help    key.Binding
	Palette key.Binding
	Back    key.Binding
	Copy    key.Binding
}

// GlobalKeys returns the root's key bindings.
func GlobalKeys() GlobalKeyMap {
	return GlobalKeyMap{
		Quit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Palette: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "commands")),
		Back:    key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "back")),
		Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy id")),
	}
}

// ShortHelp is the globals shown in the bottom bar.
func (k GlobalKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Palette, k.Back}
}

// FullHelp is the globals shown in the help overlay.
func (k GlobalKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Help, k.Palette, k.Back, k.Copy, k.Quit}}
}

// Bindings lists every global binding.
func (k GlobalKeyMap) Bindings() []key.Binding {
	return []key.Binding{k.Quit, k.Help, k.Palette, k.Back, k.Copy}
}
