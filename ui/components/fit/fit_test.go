package fit

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFrameIsExactlyTheSize(t *testing.T) {
	cases := []string{"", "short", strings.Repeat("long line ", 30), "a\nb\nc\nd\ne\nf", "\x1b[1mbold text that goes on\x1b[m", "日本語の文字列です"}
	for _, s := range cases {
		for _, size := range [][2]int{{1, 1}, {5, 3}, {11, 2}, {80, 24}} {
			f := Frame(s, size[0], size[1])
			lines := strings.Split(f, "\n")
			if len(lines) != size[1] {
				t.Fatalf("%q at %v: %d lines", s, size, len(lines))
			}
			for _, l := range lines {
				if w := ansi.StringWidth(l); w != size[0] {
					t.Fatalf("%q at %v: line %q is %d wide", s, size, l, w)
				}
			}
		}
	}
}

func TestOverlayKeepsTheFrameAndShowsTheBox(t *testing.T) {
	base := Frame(strings.Repeat("abcdefghij\n", 5), 10, 5)
	got := Overlay(base, "XX\nYY", 3, 1)
	want := "abcdefghij\nabcXXfghij\nabcYYfghij\nabcdefghij\nabcdefghij"
	if ansi.Strip(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", ansi.Strip(got), want)
	}
	if got := Overlay(base, "0123456789AB", 5, 0); ansi.StringWidth(strings.Split(got, "\n")[0]) != 10 {
		t.Fatalf("a box wider than the frame must be cut: %q", got)
	}
}
