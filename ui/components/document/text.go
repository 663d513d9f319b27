package document

import "github.com/ers-workstation/ers-workstation/ui/components/fit"

// Text is a preview's lines with their wrapping cached for the last width,
// so scrolling costs nothing and only a resize wraps again.
type Text struct {
	raw     []string
	wrapped []string
	width   int
}

// NewText holds lines (not copied).
func NewText(lines []string) *Text { return &Text{raw: lines} }

// Raw is the lines as given.
func (t *Text) Raw() []string {
	if t == nil {
		return nil
	}
	return t.raw
}

// Lines is the text wrapped to width, from the cache when the width is
// the last one asked.
func (t *Text) Lines(width int) []string {
	if t == nil {
		return nil
	}
	if t.width != width || t.wrapped == nil {
		t.wrapped = t.wrapped[:0]
		for _, l := range t.raw {
			t.wrapped = append(t.wrapped, fit.Wrap(l, width)...)
		}
		t.width = width
	}
	return t.wrapped
}
