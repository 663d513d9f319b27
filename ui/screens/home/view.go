package home

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

const margin = 2

// View draws who is signed in, in which role, and the entries.
func (m *Model) View() string {
	st := m.c.Styles
	w := max(m.width-2*margin, 1)
	var lines []string
	add := func(style func(...string) string, text string) {
		for _, l := range fit.Wrap(text, w) {
			lines = append(lines, "  "+style(l))
		}
	}
	lines = append(lines, "")
	add(st.Title.Render, m.signedInAs())
	if r := m.user.Role; r != nil && r.OnBehalfOf != "" {
		who := r.OnBehalfOfName
		if who == "" {
			who = r.OnBehalfOf
		}
		add(st.Text.Render, "Acting on behalf of "+who+".")
	}
	lines = append(lines, "")
	add(st.Text.Render, "What would you like to do?")
	lines = append(lines, "")

	titleWidth := 0
	for _, e := range m.entries {
		titleWidth = max(titleWidth, ansi.StringWidth(e.title))
	}
	for i, e := range m.entries {
		k := e.key
		if k == "" {
			k = " "
		}
		text := k + "  " + e.title + strings.Repeat(" ", titleWidth-ansi.StringWidth(e.title)) + "   " + e.summary
		if i == m.cursor {
			lines = append(lines, "  "+st.Selected.Render(fit.Line("▶ "+text, w)))
		} else {
			lines = append(lines, "    "+st.Key.Render(k)+"  "+st.Text.Render(text[len(k)+2:]))
		}
	}
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

// signedInAs is "Signed in as <name>, <role> at <organisation>".
func (m *Model) signedInAs() string {
	name := m.user.Name
	if name == "" {
		name = "you"
	}
	s := "Signed in as " + name
	if r := m.user.Role; r != nil {
		org := r.ODS
		if r.OrganisationName != "" {
			org = r.OrganisationName + " (" + r.ODS + ")"
		}
		s += ", " + ersclient.BusinessFunction(r.BusinessFunction).Label() + " at " + org
	}
	return s + "."
}
