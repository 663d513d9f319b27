package layout

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFitGivesExactlyTheSize(t *testing.T) {
	lines := []string{"short", strings.Repeat("x", 100), "\x1b[1mbold\x1b[0m", "é wide 界"}
	for _, size := range [][2]int{{80, 24}, {10, 2}, {1, 1}, {120, 40}} {
		out := Fit(lines, size[0], size[1])
		got := strings.Split(out, "\n")
		if len(got) != size[1] {
			t.Fatalf("%v: %d lines", size, len(got))
		}
		for i, l := range got {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Errorf("%v: line %d is %d wide: %q", size, i, w, l)
			}
		}
	}
}

func TestWrapBreaksLongWordsAndKeepsParagraphs(t *testing.T) {
	got := Wrap("open https://gateway.example/l/ABCD-EFGH-IJKL now\n\nthen", 12)
	for _, l := range got {
		if ansi.StringWidth(l) > 12 {
			t.Errorf("line too wide: %q", l)
		}
	}
	if !strings.Contains(strings.Join(got, ""), "then") || got[len(got)-2] != "" {
		t.Errorf("paragraphs lost: %q", got)
	}
}

func TestWindowKeepsTheCursorVisible(t *testing.T) {
	tests := []struct{ top, cursor, rows, height, want int }{
		{0, 0, 5, 10, 0},
		{0, 12, 20, 10, 3},
		{5, 2, 20, 10, 2},
		{15, 19, 20, 10, 10},
	}
	for _, tt := range tests {
		if got := Window(tt.top, tt.cursor, tt.rows, tt.height); got != tt.want {
			t.Errorf("Window(%d,%d,%d,%d) = %d, want %d", tt.top, tt.cursor, tt.rows, tt.height, got, tt.want)
		}
	}
}
