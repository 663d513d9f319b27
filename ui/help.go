package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// helpOverlay lists every enabled binding of the top screen, grouped as its
// KeyMap groups them, then the global keys. Any key closes it.
type helpOverlay struct{}

func (h *helpOverlay) update(m *Model, _ tea.KeyPressMsg) tea.Cmd {
	m.overlay = nil
	return nil
}

func (h *helpOverlay) view(m *Model, width, height int) string {
	st := m.common.Styles
	title := "Keys"
	var groups [][]key.Binding
	if top := m.top(); top != nil {
		title = "Keys: " + top.Title()
		if km := top.KeyMap(); km != nil {
			groups = append(groups, km.FullHelp()...)
		}
	}
	groups = append(groups, m.keys.FullHelp()...)
	var cols []string
	for i, g := range groups {
		var b strings.Builder
		heading := "This screen"
		switch {
		case i == len(groups)-1:
			heading = "Everywhere"
		case i > 0:
			heading = "More"
		}
		b.WriteString(st.Title.Render(heading))
		n := 0
		for _, k := range g {
			if !k.Enabled() || k.Help().Key == "" {
				continue
			}
			b.WriteString("\n" + st.Key.Render(fit.Line(k.Help().Key, 8)) + " " + st.KeyHelp.Render(k.Help().Desc))
			n++
		}
		if n > 0 {
			cols = append(cols, b.String())
		}
	}
	body := lipgloss.JoinHorizontal(lipgloss.Top, spaced(cols)...)
	if lipgloss.Width(body) > width-6 {
		body = strings.Join(cols, "\n\n")
	}
	return st.ModalTitle.Render(title) + "\n\n" + body + "\n\n" + st.Faint.Render("any key closes")
}

func spaced(cols []string) []string {
	out := make([]string, 0, 2*len(cols))
	for i, c := range cols {
		if i > 0 {
			out = append(out, "    ")
		}
		out = append(out, c)
	}
	return out
}
