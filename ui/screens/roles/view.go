package roles

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// margin is the blank columns left of the text.
const margin = 2

// View draws the heading, the list (only the rows that fit) and the
// progress or error under it.
func (m *Model) View() string {
	st := m.c.Styles
	head, foot := fit.NewBlock(m.width, margin), fit.NewBlock(m.width, margin)
	head.Blank()
	head.Add(st.Title.Render, "Choose your role")
	if m.user.Name != "" {
		head.Add(st.Text.Render, "Signed in as "+m.user.Name+". Choose the role you will work in.")
	}
	head.Blank()

	switch {
	case m.loading:
		foot.Add(st.Text.Render, "Loading your roles…")
	case m.loadErr != nil:
		explain(foot, st, m.loadErr, "Your roles could not be loaded.", "r")
	case len(m.items) == 0:
		foot.Add(st.Text.Render, "e-RS has no roles for you that this workstation can use.")
		foot.Add(st.Faint.Render, "Ask your registration authority to check your roles, then sign in again.")
	default:
		m.choice.footer(foot, st)
	}
	return frame(head, m.list(m.height-head.Len()-foot.Len()), foot, m.width, m.height)
}

// frame stacks the heading, the list rows in view and the footer into the
// screen's exact size.
func frame(head *fit.Block, list []string, foot *fit.Block, width, height int) string {
	lines := append(append(append([]string{}, head.Lines()...), list...), foot.Lines()...)
	return fit.Frame(strings.Join(lines, "\n"), width, height)
}

// explain adds an error in plain words: lead (what failed) when given,
// what happened, what to do, and the code for support.
func explain(b *fit.Block, st *theme.Styles, err error, lead, retry string) {
	e := errorview.DescribeRetry(err, retry)
	if lead != "" {
		b.Add(st.Error.Render, lead)
		b.Add(st.Text.Render, e.What)
	} else {
		b.Add(st.Error.Render, e.What)
	}
	b.Add(st.Text.Render, e.Do)
	if e.Detail != "" {
		b.Add(st.Faint.Render, e.Detail)
	}
}

// list renders the rows in view, keeping the cursor (and, when it can, its
// organisation's heading) on screen.
func (m *Model) list(height int) []string {
	if height <= 0 || len(m.rows) == 0 {
		return nil
	}
	st := m.c.Styles
	cur := m.items[m.cursor]
	m.top = scroll.Window(m.top, cur, len(m.rows), height)
	if height > 1 && m.top == cur && cur > 0 && m.rows[cur-1].heading {
		m.top--
	}
	var out []string
	for i := m.top; i < len(m.rows) && len(out) < height; i++ {
		r := m.rows[i]
		switch {
		case r.spacer:
			out = append(out, "")
			continue
		case r.heading:
			out = append(out, "  "+st.Title.Render(fit.Line(orgHeading(r.name, r.ods, m.width-2*margin), max(m.width-2*margin, 0))))
			continue
		}
		text := ersclient.BusinessFunction(r.choice.BusinessFunction).Label() + "   " + r.choice.BusinessFunction
		out = append(out, "  "+itemLine(st, text, m.isLast(r.choice), i == cur, max(m.width-2*margin, 0)))
	}
	return out
}

// orgHeading is "Name (ODS)" in width cells: a long name is cut, never the
// ODS code.
func orgHeading(name, ods string, width int) string {
	if name == "" {
		return ods
	}
	suffix := " (" + ods + ")"
	if room := width - ansi.StringWidth(suffix); ansi.StringWidth(name) > room && room > 1 {
		name = ansi.Truncate(name, room, "…")
	}
	return name + suffix
}
