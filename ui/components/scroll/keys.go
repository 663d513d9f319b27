package scroll

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Keys move the highlight of a list, the same on every screen.
type Keys struct {
	Up, Down, Top, Bottom key.Binding
}

// NewKeys returns the movement keys: arrows or j/k, g/G or home/end.
func NewKeys() Keys {
	return Keys{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:    key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom: key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
	}
}

// Move is where msg takes the highlight of a list of n rows from cursor,
// kept within the list; ok is false when msg is not a movement key (or its
// binding is disabled).
func (k Keys) Move(msg tea.KeyPressMsg, cursor, n int) (to int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		to = cursor - 1
	case key.Matches(msg, k.Down):
		to = cursor + 1
	case key.Matches(msg, k.Top):
		to = 0
	case key.Matches(msg, k.Bottom):
		to = n - 1
	default:
		return cursor, false
	}
	if n == 0 {
		return cursor, true
	}
	return min(max(to, 0), n-1), true
}
