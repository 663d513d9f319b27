package fit

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks plain text into lines of at most width cells, at spaces where
// it can and mid-word where a word is longer than the width (a long URL
// stays whole on screen rather than being cut). Newlines start paragraphs;
// an empty one stays an empty line.
func Wrap(text string, width int) []string {
	width = max(width, 1)
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
