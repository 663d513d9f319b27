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
	b := fit.NewBlock(m.width, margin)
	b.Blank()
	b.Add(st.Title.Render, m.signedInAs())
	if r := m.user.Role; r != nil && r.OnBehalfOf != "" {
		who := r.OnBehalfOfName
		if who == "" {
			who = r.OnBehalfOf
		}
		b.Add(st.Text.Render, "Acting on behalf of "+who+".")
	}
	b.Blank()
	b.Add(st.Text.Render, "What would you like to do?")
	b.Blank()

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
			b.Line(st.Selected.Render(fit.Line("▶ "+text, b.Width)))
		} else {
			b.Line("  " + st.Key.Render(k) + "  " + st.Text.Render(text[len(k)+2:]))
		}
	}
	return fit.Frame(strings.Join(b.Lines(), "\n"), m.width, m.height)
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
