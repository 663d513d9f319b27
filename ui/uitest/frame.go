package uitest

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Size is a terminal size.
type Size struct{ W, H int }

// Sizes is the size matrix a screen must draw at: from the 80x24 minimum up
// to 240x70 and back down, with the boundaries around the minimum.
func Sizes() []Size {
	return []Size{
		{80, 24}, {81, 24}, {80, 25}, {81, 25}, {100, 30}, {120, 40}, {160, 50}, {200, 60}, {240, 70},
		{200, 60}, {160, 50}, {120, 40}, {100, 30}, {81, 25}, {80, 24},
	}
}

// SmallSizes are terminals below the minimum, where the root shows its
// "too small" view; screens are never drawn at these.
func SmallSizes() []Size {
	return []Size{{79, 24}, {80, 23}, {79, 23}, {40, 10}, {20, 5}, {1, 1}}
}

// AssertFrame fails unless view is exactly h lines of exactly w cells each
// (escape sequences do not count).
func AssertFrame(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("frame at %dx%d has %d lines:\n%s", w, h, len(lines), ansi.Strip(view))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("frame at %dx%d: line %d is %d cells wide: %q", w, h, i, got, ansi.Strip(l))
		}
	}
}
