// Package fit cuts and pads rendered text to an exact size, so a frame never
// grows or shrinks with its content, and wraps plain text to a width. Widths
// are terminal cells, measured with escape sequences ignored.
package fit

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// reset ends any style a cut line left open, so it cannot bleed into padding
// or into whatever is drawn beside it.
const reset = "\x1b[m"

// Line returns s cut or padded with spaces to exactly width cells.
func Line(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	switch {
	case w > width:
		s = ansi.Truncate(s, width, "")
		if strings.Contains(s, "\x1b") {
			s += reset
		}
		if w2 := ansi.StringWidth(s); w2 < width { // a wide rune cut in half
			s += strings.Repeat(" ", width-w2)
		}
		return s
	case w < width:
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// Frame returns s as exactly height lines of exactly width cells each.
func Frame(s string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	var b strings.Builder
	for i := 0; i < height; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		b.WriteString(Line(l, width))
	}
	return b.String()
}

// Overlay draws box over base with its top-left corner at column x, row y.
// base must already be an exact frame; the result keeps its size.
func Overlay(base, box string, x, y int) string {
	rows := strings.Split(base, "\n")
	width := 0
	if len(rows) > 0 {
		width = ansi.StringWidth(rows[0])
	}
	x = max(x, 0)
	for i, bl := range strings.Split(box, "\n") {
		r := y + i
		if r < 0 || r >= len(rows) {
			continue
		}
		bw := ansi.StringWidth(bl)
		if x+bw > width {
			bl = Line(bl, width-x)
			bw = width - x
		}
		left := Line(rows[r], x)
		right := ""
		if x+bw < width {
			right = ansi.TruncateLeft(rows[r], x+bw, "")
		}
		rows[r] = Line(left+reset+bl+reset+right, width)
	}
	return strings.Join(rows, "\n")
}
