package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// View draws the frame: exactly the terminal's size, alt screen, mouse off
// (so users can select text), and the screen's title in the window title.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeNone
	v.WindowTitle = "e-RS"
	if top := m.top(); top != nil && top.Title() != "" {
		v.WindowTitle = "e-RS · " + top.Title()
	}
	return v
}

func (m *Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	bw, bh := m.bodySize()
	body := ""
	if top := m.top(); top != nil {
		body = top.View()
	}
	body = fit.Frame(body, bw, bh)
	if m.overlay != nil {
		box := m.common.Styles.Modal.Render(m.overlay.view(m, bw, bh))
		boxW, boxH := lipgloss.Width(box), lipgloss.Height(box)
		body = fit.Overlay(body, box, max((bw-boxW)/2, 0), max((bh-boxH)/2, 0))
	}
	return fit.Frame(m.topBar()+"\n"+body+"\n"+m.bottomBar(), m.width, m.height)
}

// tooSmallView is the whole frame when the terminal is under 80x24.
func (m *Model) tooSmallView() string {
	msg := fmt.Sprintf("Terminal too small: need %dx%d, have %dx%d", MinWidth, MinHeight, m.width, m.height)
	lines := make([]string, m.height)
	wrapped := fit.Wrap(msg, m.width)
	for i, l := range wrapped {
		if r := m.height/2 - len(wrapped)/2 + i; r >= 0 && r < m.height {
			lines[r] = strings.Repeat(" ", max((m.width-ansi.StringWidth(l))/2, 0)) + l
		}
	}
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

// topBar: the environment banner in words and colour, then who, as what,
// where and for whom, and the screen's title on the right.
func (m *Model) topBar() string {
	st := m.common.Styles
	env := strings.ToUpper(strings.TrimSpace(m.common.Environment))
	label := env
	if label == "" {
		label = "UNKNOWN ENVIRONMENT"
	}
	banner := st.BannerStyle(env).Render(" " + label + " ")
	rest := m.width - lipgloss.Width(banner)
	left := " " + strings.Join(m.who(false), " · ")
	if ansi.StringWidth(left) > rest {
		// The organisation's name gives way to its ODS code before the
		// clinician acted for is cut off.
		left = " " + strings.Join(m.who(true), " · ")
	}
	right := ""
	if top := m.top(); top != nil {
		right = top.Title() + " "
	}
	if ansi.StringWidth(left)+ansi.StringWidth(right) > rest {
		right = "" // who and where matter more; the title is in the window title too
	}
	return banner + st.Bar.Render(spread(left, right, rest))
}

// who is the top bar's account of the user: name, role, organisation and
// the clinician acted for; short gives the organisation as its ODS code.
func (m *Model) who(short bool) []string {
	id := m.identity
	if id == nil {
		return []string{"not signed in"}
	}
	r := id.Role
	if r == nil {
		return []string{id.Name, "no role chosen"}
	}
	org := r.ODS
	if r.OrganisationName != "" && !short {
		org = r.OrganisationName + " (" + r.ODS + ")"
	}
	parts := []string{id.Name, ersclient.BusinessFunction(r.BusinessFunction).Label(), org}
	if r.OnBehalfOf != "" {
		who := r.OnBehalfOfName
		if who == "" {
			who = r.OnBehalfOf
		}
		parts = append(parts, "on behalf of "+who)
	}
	return parts
}

// bottomBar: short help on the left; the toast, activity, the screen's
// status, session time left and storage on the right.
func (m *Model) bottomBar() string {
	st := m.common.Styles
	var right []string
	if m.toast != nil {
		right = append(right, m.toast.level.Word()+": "+m.toast.text)
	}
	if m.Busy() {
		if m.plain {
			right = append(right, "Working…")
		} else {
			right = append(right, m.spinner.View()+" Working…")
		}
	}
	if top := m.top(); top != nil {
		if s := top.Status(); s != "" {
			right = append(right, s)
		}
	}
	if t := m.timeLeft(); t != "" {
		right = append(right, t)
	}
	if m.memoryOnly() {
		right = append(right, "session in memory only")
	}
	r := strings.Join(right, " · ")
	if r != "" {
		r += " "
	}
	return st.Bar.Render(spread(" "+m.shortHelp(), r, m.width))
}

// shortHelp is the top screen's short help and the main global keys.
func (m *Model) shortHelp() string {
	var bs []key.Binding
	if top := m.top(); top != nil {
		if km := top.KeyMap(); km != nil {
			bs = append(bs, km.ShortHelp()...)
		}
	}
	bs = append(bs, m.keys.ShortHelp()...)
	var parts []string
	for _, b := range bs {
		if b.Enabled() && b.Help().Key != "" {
			parts = append(parts, b.Help().Key+" "+b.Help().Desc)
		}
	}
	return strings.Join(parts, "  ")
}

// spread puts left and right in exactly width cells; right wins when both
// do not fit, as it holds the messages.
func spread(left, right string, width int) string {
	if width <= 0 {
		return ""
	}
	rw := ansi.StringWidth(right)
	if rw >= width {
		return fit.Line(right, width)
	}
	room := width - rw
	if ansi.StringWidth(left) >= room && room > 1 {
		left = ansi.Truncate(left, room-2, "…") + " "
	}
	return fit.Line(left, room) + right
}
