package grid

// Mark is a row's emphasis. The grid shows it as a glyph in its own column
// and as the row's style, so meaning never rests on colour alone.
type Mark int

// The marks.
const (
	None      Mark = iota
	Attention      // needs action first, e.g. a two week wait referral
	Changed        // changed since the user last looked
	Done           // acted on in this session
)

// Glyph is the mark's one-cell symbol in the mark column.
func (k Mark) Glyph() string {
	switch k {
	case Attention:
		return "!"
	case Changed:
		return "*"
	case Done:
		return "✓"
	}
	return " "
}

// String is the mark in words, for a legend.
func (k Mark) String() string {
	switch k {
	case Attention:
		return "attention"
	case Changed:
		return "changed"
	case Done:
		return "done"
	}
	return "none"
}
