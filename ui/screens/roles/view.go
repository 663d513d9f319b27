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
	w := max(m.width-2*margin, 1)
	var head, foot []string
	addTo := func(lines *[]string, style func(...string) string, text string) {
		for _, l := range fit.Wrap(text, w) {
			*lines = append(*lines, "  "+style(l))
		}
	}
	head = append(head, "")
	addTo(&head, st.Title.Render, "Choose your role")
	if m.user.Name != "" {
		addTo(&head, st.Text.Render, "Signed in as "+m.user.Name+". Choose the role you will work in.")
	}
	head = append(head, "")

	switch {
	case m.loading:
		addTo(&foot, st.Text.Render, "Loading your roles…")
	case m.loadErr != nil:
		foot = explain(foot, addTo, st, m.loadErr, "Your roles could not be loaded.", "r")
	case len(m.items) == 0:
		addTo(&foot, st.Text.Render, "e-RS has no roles for you that this workstation can use.")
		addTo(&foot, st.Faint.Render, "Ask your registration authority to check your roles, then sign in again.")
	case m.choosing:
		foot = append(foot, "")
		addTo(&foot, st.Text.Render, "Setting your role…")
	case m.chooseErr != nil:
		foot = append(foot, "")
		foot = explain(foot, addTo, st, m.chooseErr, "", "enter")
	}

	listHeight := max(m.height-len(head)-len(foot), 0)
	lines := append(head, m.list(listHeight)...)
	lines = append(lines, foot...)
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

// explain adds an error in plain words: lead (what failed) when given,
// what happened, what to do, and the code for support.
func explain(lines []string, addTo func(*[]string, func(...string) string, string), st *theme.Styles, err error, lead, retry string) []string {
	e := errorview.DescribeRetry(err, retry)
	if lead != "" {
		addTo(&lines, st.Error.Render, lead)
		addTo(&lines, st.Text.Render, e.What)
	} else {
		addTo(&lines, st.Error.Render, e.What)
	}
	addTo(&lines, st.Text.Render, e.Do)
	if e.Detail != "" {
		addTo(&lines, st.Faint.Render, e.Detail)
	}
	return lines
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
		if m.isLast(r.choice) {
			text += "   (last used)"
		}
		if i == cur {
			out = append(out, "  "+st.Selected.Render(fit.Line("▶ "+text, max(m.width-2*margin, 0))))
		} else {
			out = append(out, "  "+st.Text.Render("  "+text))
		}
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
