// Package layout holds the size arithmetic the screens share: wrapping text
// to the width and fitting a screen's lines into exactly width x height
// cells, so every View keeps the contract of screen.Screen.View.
package layout

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Fit returns lines as exactly height lines of exactly width cells: long
// lines are cut, short ones padded with spaces, missing lines added blank
// and extra lines dropped. Lines may carry styles.
func Fit(lines []string, width, height int) string {
	if width <= 0 || height <= 0 {
		return strings.TrimSuffix(strings.Repeat("\n", max(height, 0)), "\n")
	}
	var b strings.Builder
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString(Pad(line, width))
	}
	return b.String()
}

// Pad cuts or pads one line to exactly width cells.
func Pad(line string, width int) string {
	w := ansi.StringWidth(line)
	if w > width {
		line = ansi.Truncate(line, width, "")
		w = ansi.StringWidth(line)
	}
	if w < width {
		line += strings.Repeat(" ", width-w)
	}
	return line
}

// Wrap breaks plain text into lines of at most width cells, at spaces where
// it can and mid-word where a word is longer than the width (a long URL).
func Wrap(text string, width int) []string {
	if width < 1 {
		width = 1
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, strings.Split(ansi.Wrap(para, width, ""), "\n")...)
	}
	return out
}

// Window is the first index of a visible window of height rows that keeps
// row cursor in view, given the previous first index top.
func Window(top, cursor, rows, height int) int {
	if height <= 0 || rows <= height {
		return 0
	}
	if cursor < top {
		top = cursor
	}
	if cursor >= top+height {
		top = cursor - height + 1
	}
	return min(max(top, 0), rows-height)
}
