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

func TestWrapBreaksLongWordsAndKeepsParagraphs(t *testing.T) {
	got := Wrap("open https://gateway.example/l/ABCD-EFGH-IJKL now\n\nthen", 12)
	for _, l := range got {
		if ansi.StringWidth(l) > 12 {
			t.Errorf("line too wide: %q", l)
		}
	}
	if !strings.Contains(strings.Join(got, ""), "https://gateway.example/l/ABCD-EFGH-IJKL") {
		t.Errorf("the long word was not kept whole across lines: %q", got)
	}
	if got[len(got)-1] != "then" || got[len(got)-2] != "" {
		t.Errorf("paragraphs lost: %q", got)
	}
}

func TestFrameOfJoinedLinesIsExactlyTheSize(t *testing.T) {
	lines := []string{"short", strings.Repeat("x", 100), "\x1b[1mbold\x1b[0m", "é wide 界"}
	for _, size := range [][2]int{{80, 24}, {10, 2}, {1, 1}, {120, 40}} {
		got := strings.Split(Frame(strings.Join(lines, "\n"), size[0], size[1]), "\n")
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

func TestBlockWrapsStylesAndIndents(t *testing.T) {
	b := NewBlock(20, 2)
	if b.Width != 16 {
		t.Fatalf("text width %d, want 16", b.Width)
	}
	b.Add(func(s ...string) string { return "<" + strings.Join(s, "") + ">" }, "one two three four five")
	b.Blank()
	b.Line("as is")
	want := []string{"  <one two three>", "  <four five>", "", "  as is"}
	if got := b.Lines(); strings.Join(got, "|") != strings.Join(want, "|") || b.Len() != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if NewBlock(3, 2).Width != 1 {
		t.Error("a block narrower than its margins must still have room for a cell")
	}
}
