package roles

import (
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// itemLine is one entry of a list, width cells wide: the highlighted one
// marked ▶ across the width, the others indented to line up with its text,
// and the last one used marked so in words.
func itemLine(st *theme.Styles, text string, lastUsed, highlighted bool, width int) string {
	if lastUsed {
		text += "   (last used)"
	}
	if highlighted {
		return st.Selected.Render(fit.Line("▶ "+text, width))
	}
	return st.Text.Render("  " + text)
}
