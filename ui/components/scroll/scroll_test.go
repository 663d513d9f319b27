package scroll

import "testing"

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
