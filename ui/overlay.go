package ui

import (
	tea "charm.land/bubbletea/v2"
)

// overlay is drawn over the body and gets every key but ctrl+c while open.
type overlay interface {
	update(m *Model, msg tea.KeyPressMsg) tea.Cmd
	// view renders the overlay's content (without the box) for a body of
	// the given size.
	view(m *Model, width, height int) string
}
