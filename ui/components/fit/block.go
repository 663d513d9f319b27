package fit

import "strings"

// Block collects the lines of a screen's body: plain text wrapped to the
// room left inside a margin, each wrapped line styled on its own (so a
// style never spans a line break) and indented by the margin. Screens
// build their views with it so they all wrap, indent and measure alike.
type Block struct {
	// Width is the cells the text may take: the width less a margin each
	// side, never under 1.
	Width  int
	indent string
	lines  []string
}

// NewBlock starts a block for a body width cells wide with margin blank
// columns each side.
func NewBlock(width, margin int) *Block {
	return &Block{Width: max(width-2*max(margin, 0), 1), indent: strings.Repeat(" ", max(margin, 0))}
}

// Add wraps text to the block's width and adds each line, styled.
func (b *Block) Add(style func(...string) string, text string) {
	for _, l := range Wrap(text, b.Width) {
		b.lines = append(b.lines, b.indent+style(l))
	}
}

// Line adds one line already rendered, behind the margin.
func (b *Block) Line(s string) { b.lines = append(b.lines, b.indent+s) }

// Blank adds an empty line.
func (b *Block) Blank() { b.lines = append(b.lines, "") }

// Len is the number of lines so far.
func (b *Block) Len() int { return len(b.lines) }

// Lines returns the lines so far.
func (b *Block) Lines() []string { return b.lines }
