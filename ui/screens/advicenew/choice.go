package advicenew

// choice is a short list the user moves through and picks from: the
// highlighted option (cursor) is not chosen until space or enter says so,
// so a mandatory choice cannot be made by just passing over it.
type choice struct {
	options []string
	cursor  int
	chosen  int // -1: nothing chosen yet
}

func newChoice(options []string) choice { return choice{options: options, chosen: -1} }

// move shifts the cursor by d and reports false when it would leave the
// list, so the form can move to the next or previous field instead.
func (c *choice) move(d int) bool {
	to := c.cursor + d
	if to < 0 || to >= len(c.options) {
		return false
	}
	c.cursor = to
	return true
}

func (c *choice) choose() {
	if len(c.options) > 0 {
		c.chosen = c.cursor
	}
}

func (c choice) picked() bool { return c.chosen >= 0 && c.chosen < len(c.options) }
