package referral

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// margin is the blank columns left of the text.
const margin = 2

// headerLines and footerLines frame the body: the identity line and the
// section tabs above, the actions below.
const (
	headerLines = 3
	footerLines = 2
)

func (m *Model) bodyHeight() int { return max(m.height-headerLines-footerLines, 0) }

// View draws the identity line, the section tabs, the section and the
// actions offered, exactly the size given.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	lines := []string{pad + m.identityLine()}
	switch {
	case m.ubrn == "":
		lines = append(lines, "", pad+st.Text.Render("No referral was given to open."))
		return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
	case m.loadErr != nil:
		ev := errorview.New(st, m.loadErr)
		ev.SetSize(m.width, m.height-1)
		return fit.Frame(strings.Join(append(lines, ev.View()), "\n"), m.width, m.height)
	case m.ref == nil:
		lines = append(lines, "", pad+st.Text.Render("Loading referral "+m.ubrn+"…"))
		return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
	}
	lines = append(lines, pad+m.tabsLine(), "")
	body := m.bodyHeight()
	var section []string
	if m.tab == tabSummary {
		end := min(m.top+body, len(m.lines))
		for _, l := range m.lines[min(m.top, end):end] {
			section = append(section, pad+l)
		}
	} else {
		section = m.docsView(body)
	}
	for len(section) < body {
		section = append(section, "")
	}
	lines = append(lines, section[:body]...)
	lines = append(lines, m.footer()...)
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

// identityLine names the referral: UBRN, NHS number, priority and state,
// with a "▶" on the identifier "y" copies.
func (m *Model) identityLine() string {
	st := m.c.Styles
	id := func(label, value string, focused bool) string {
		if focused {
			return st.Accent.Render("▶ " + label + " " + value)
		}
		return st.Faint.Render(label+" ") + st.Text.Render(value)
	}
	parts := []string{id("UBRN", m.ubrn, !m.focusNHS || m.sum.NHSNumber == "")}
	if m.sum.NHSNumber != "" {
		parts = append(parts, id("NHS", ersclient.FormatNHSNumber(m.sum.NHSNumber), m.focusNHS))
	}
	if p := m.sum.Priority; p != "" {
		style := st.Text
		if p == ersclient.PriorityTwoWeekWait || p == ersclient.PriorityUrgent {
			style = st.Warning
		}
		parts = append(parts, style.Render(p.Label()))
	}
	if s := m.sum.State.Label(); s != "" {
		parts = append(parts, st.Title.Render(s))
	}
	return strings.Join(parts, st.Faint.Render("  ·  "))
}

// tabsLine shows the sections; the current one in brackets as well as in
// the selected style, so it does not rest on colour.
func (m *Model) tabsLine() string {
	st := m.c.Styles
	names := []string{"Summary", "Clinical information", "Attachments (" + strconv.Itoa(len(m.lists[tabAttachments])) + ")"}
	parts := make([]string, len(names))
	for i, n := range names {
		label := strconv.Itoa(i+1) + " " + n
		if i == m.tab {
			parts[i] = st.Selected.Render("[" + label + "]")
		} else {
			parts[i] = st.Faint.Render(" " + label + " ")
		}
	}
	return strings.Join(parts, " ")
}

// footer is the actions offered now, as keys with their names.
func (m *Model) footer() []string {
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	first, second := "", ""
	k := m.keys
	switch {
	case m.actionsLoading:
		first = st.Faint.Render("Checking what you can do with this referral…")
	case m.actionsErr != nil:
		d := errorview.Describe(m.actionsErr)
		first = st.Warning.Render("Actions could not be loaded: " + d.What)
		second = st.Faint.Render(detailLine(d) + "Press r to try again.")
	default:
		offered := m.offered()
		if len(offered) == 0 {
			first = st.Faint.Render("No actions are open to you on this referral now.")
		} else {
			parts := []string{st.Title.Render("Actions:")}
			for _, a := range offered {
				b := k.actionKey(a)
				parts = append(parts, st.Key.Render(b.Help().Key)+" "+st.Text.Render(actionLabel(a)))
			}
			first, second = fill(parts, max(m.width-2*margin, 10))
		}
		if other := m.elsewhere(); len(other) > 0 && second == "" {
			second = st.Faint.Render("Not in this workstation: " + strings.Join(other, ", "))
		}
	}
	if m.note != "" && second == "" {
		second = st.Success.Render(m.note)
	}
	return []string{pad + first, pad + second}
}

// detailLine is an error's code and correlation id, for a line of its own.
func detailLine(d errorview.Details) string {
	var parts []string
	if d.Code != "" {
		parts = append(parts, "e-RS code "+d.Code)
	}
	if d.CorrelationID != "" {
		parts = append(parts, "correlation id "+d.CorrelationID)
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + ". "
}

// docsView is a document section: the list, and under it the Set's pane
// with the focused document's file or error and its preview.
func (m *Model) docsView(height int) []string {
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	items := m.lists[m.tab]
	width := max(m.width-2*margin, 10)
	if len(items) == 0 {
		return []string{pad + st.Faint.Render("There are no attachments on this referral.")}
	}
	listH := min(len(items), max(height/3, 2))
	cur := m.cursor[m.tab]
	top := 0
	if cur >= listH {
		top = cur - listH + 1
	}
	var out []string
	for i := top; i < min(top+listH, len(items)); i++ {
		it := items[i]
		text := it.src.Title
		if it.detail != "" {
			text += " — " + it.detail
		}
		if b := m.docs.Doc(it.src.Key).Badge(); b != "" {
			text += "  " + b
		}
		if it.why != "" {
			text += "  [" + it.why + "]"
		}
		if i == cur {
			out = append(out, pad+st.Selected.Render(fit.Line("▶ "+text, width)))
		} else {
			out = append(out, pad+st.Text.Render("  "+text))
		}
	}
	out = append(out, "")
	pane := m.docs.View(items[cur].why, width, max(height-len(out), 1))
	for _, l := range strings.Split(pane, "\n") {
		out = append(out, pad+l)
	}
	return out
}

// fill lays styled parts out on two lines, as many on the first as fit, so
// no offered action is cut off on a narrow terminal.
func fill(parts []string, width int) (first, second string) {
	var lines [2][]string
	used, line := 0, 0
	for _, p := range parts {
		w := ansi.StringWidth(p)
		if used > 0 && used+2+w > width && line == 0 {
			line, used = 1, 0
		}
		if used > 0 {
			used += 2
		}
		used += w
		lines[line] = append(lines[line], p)
	}
	return strings.Join(lines[0], "  "), strings.Join(lines[1], "  ")
}
