package scroll

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestWindowKeepsTheCursorVisible(t *testing.T) {
	tests := []struct{ top, cursor, rows, height, want int }{
		{0, 0, 5, 10, 0},     // all rows fit
		{0, 12, 20, 10, 3},   // down past the bottom: just enough
		{5, 2, 20, 10, 2},    // up past the top
		{15, 19, 20, 10, 10}, // no blank space under the last row
		{4, 6, 20, 10, 4},    // inside the window: no jump
		{3, 3, 20, 0, 0},     // no room at all
	}
	for _, tt := range tests {
		if got := Window(tt.top, tt.cursor, tt.rows, tt.height); got != tt.want {
			t.Errorf("Window(%d,%d,%d,%d) = %d, want %d", tt.top, tt.cursor, tt.rows, tt.height, got, tt.want)
		}
	}
}

func TestKeysMoveWithinTheList(t *testing.T) {
	k := NewKeys()
	press := func(s string) tea.KeyPressMsg {
		if s == "up" {
			return tea.KeyPressMsg{Code: tea.KeyUp}
		}
		return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
	}
	tests := []struct {
		key           string
		cursor, n, to int
		ok            bool
	}{
		{"j", 0, 3, 1, true}, {"j", 2, 3, 2, true}, {"up", 0, 3, 0, true}, {"k", 2, 3, 1, true},
		{"G", 0, 3, 2, true}, {"g", 2, 3, 0, true}, {"j", 0, 0, 0, true}, {"x", 1, 3, 1, false},
	}
	for _, tt := range tests {
		if to, ok := k.Move(press(tt.key), tt.cursor, tt.n); to != tt.to || ok != tt.ok {
			t.Errorf("%s from %d of %d: %d %v, want %d %v", tt.key, tt.cursor, tt.n, to, ok, tt.to, tt.ok)
		}
	}
}
