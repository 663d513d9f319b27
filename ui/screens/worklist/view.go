package worklist

import (
	"errors"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// headLines are the tab line and the info line above the grid.
const headLines = 2

// View draws the tabs, the info line (filters, the filter input or the
// last change) and the body: the grid, the picker, the UBRN input, or the
// tab's error.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	bodyH := max(m.height-headLines, 0)
	lines := []string{m.tabLine(), m.infoLine()}
	var body string
	t := m.current()
	switch {
	case t == nil:
		body = m.message("This role has no worklists.")
	case m.lookup != nil:
		body = m.lookupView(bodyH)
	case m.picker != nil:
		body = m.pickerView(bodyH)
	case t.err != nil && !t.loaded:
		ev := errorview.New(m.c.Styles, t.err)
		ev.SetSize(m.width, bodyH)
		body = ev.View()
	case !t.loaded:
		body = m.message("Loading " + t.list.Label() + "…")
	default:
		body = t.grid.View()
	}
	return fit.Frame(strings.Join(lines, "\n")+"\n"+body, m.width, m.height)
}

// tabLine names each list with its count, the active one highlighted.
// When the names do not fit, the others shrink to their digit and count.
func (m *Model) tabLine() string {
	st := m.c.Styles
	render := func(short bool) (string, int) {
		var b strings.Builder
		w := 0
		for i, t := range m.tabs {
			label := strconv.Itoa(i+1) + " " + t.list.Label()
			if short && i != m.active {
				label = strconv.Itoa(i + 1)
			}
			label = " " + label + " " + m.count(t) + " "
			w += ansi.StringWidth(label) + 1
			if i == m.active {
				b.WriteString(st.Selected.Render(label))
			} else {
				b.WriteString(st.Faint.Render(label))
			}
			b.WriteByte(' ')
		}
		return b.String(), w
	}
	s, w := render(false)
	if w > m.width {
		s, _ = render(true)
	}
	return fit.Line(s, m.width)
}

// count is a tab's count in brackets: "(12)", "(…)" while loading the
// first time, "(!)" after an error.
func (m *Model) count(t *tab) string {
	switch {
	case t.loaded:
		_, total := t.grid.Counts()
		return "(" + strconv.Itoa(total) + ")"
	case t.err != nil:
		return "(!)"
	}
	return "(…)"
}

// infoLine is the filter input while typing; otherwise the provider
// filters, the kept filter text, the last change and a refresh error.
func (m *Model) infoLine() string {
	st := m.c.Styles
	if m.searching {
		return fit.Line(m.search.View(), m.width)
	}
	var parts []string
	t := m.current()
	if t != nil && t.list.ForProvider() {
		if d := m.filters.describe(); len(d) > 0 {
			parts = append(parts, st.Accent.Render("Filters: "+strings.Join(d, ", ")))
		} else {
			parts = append(parts, st.Faint.Render("No provider filters (f to choose)"))
		}
	}
	if t != nil && t.grid.Filter() != "" {
		parts = append(parts, st.Text.Render("/"+t.grid.Filter()))
	}
	if m.note != "" {
		parts = append(parts, st.Success.Render(m.note))
	}
	if t != nil && t.err != nil && t.loaded {
		parts = append(parts, st.Error.Render("Refresh failed: "+errorview.Describe(t.err).What+" r to retry"))
	}
	return fit.Line(" "+strings.Join(parts, st.Faint.Render("  ·  ")), m.width)
}

func (m *Model) message(text string) string {
	return fit.Frame("\n  "+m.c.Styles.Text.Render(text), m.width, max(m.height-headLines, 0))
}

// lookupView is the UBRN input with what is wrong or what failed.
func (m *Model) lookupView(h int) string {
	st := m.c.Styles
	l := m.lookup
	b := fit.NewBlock(m.width, 2)
	b.Blank()
	b.Add(st.Title.Render, "Look up a referral by UBRN")
	b.Blank()
	b.Line(l.input.View())
	b.Blank()
	switch {
	case l.busy:
		b.Add(st.Text.Render, "Looking up…")
	case l.problem != "":
		b.Add(st.Error.Render, l.problem)
	case errors.Is(l.err, errNoMatch):
		b.Add(st.Error.Render, "No referral or advice and guidance request has this UBRN.")
		b.Add(st.Faint.Render, "Check the number and try again.")
	case l.err != nil:
		d := errorview.DescribeRetry(l.err, "enter")
		b.Add(st.Error.Render, d.What)
		b.Add(st.Text.Render, d.Do)
		if d.Detail != "" {
			b.Add(st.Faint.Render, d.Detail)
		}
		if d.Code != "" {
			b.Add(st.Faint.Render, "e-RS code: "+d.Code)
		}
		if d.CorrelationID != "" {
			b.Add(st.Faint.Render, "Correlation id: "+d.CorrelationID)
		}
	default:
		b.Add(st.Faint.Render, "enter to look up, esc to cancel")
	}
	return fit.Frame(strings.Join(b.Lines(), "\n"), m.width, h)
}

// pickerView is the picker's list, only the lines that fit.
func (m *Model) pickerView(h int) string {
	st := m.c.Styles
	p := m.picker
	b := fit.NewBlock(m.width, 2)
	b.Blank()
	b.Add(st.Title.Render, p.title)
	b.Blank()
	if p.loading {
		b.Add(st.Text.Render, "Loading specialties…")
	}
	if p.err != nil {
		d := errorview.Describe(p.err)
		b.Add(st.Error.Render, "Specialties could not be loaded: "+d.What)
		if d.CorrelationID != "" {
			b.Add(st.Faint.Render, "Correlation id: "+d.CorrelationID)
		}
	}
	room := max(h-b.Len()-2, 1)
	top := 0
	if p.cursor >= room {
		top = p.cursor - room + 1
	}
	for i := top; i < len(p.options) && i < top+room; i++ {
		if i == p.cursor {
			b.Line(st.Selected.Render(fit.Line("▶ "+p.options[i].label, b.Width)))
		} else {
			b.Line("  " + st.Text.Render(p.options[i].label))
		}
	}
	b.Blank()
	b.Add(st.Faint.Render, "enter choose  esc back  f close")
	return fit.Frame(strings.Join(b.Lines(), "\n"), m.width, h)
}

// Status is "N of M", the filter and the time of the last refresh.
func (m *Model) Status() string {
	t := m.current()
	if t == nil {
		return ""
	}
	if !t.loaded {
		if t.loading {
			return "Loading…"
		}
		return ""
	}
	shown, total := t.grid.Counts()
	s := thousands(shown) + " of " + thousands(total)
	if f := t.grid.Filter(); f != "" {
		s += " (filter: " + f + ")"
	}
	s += " · refreshed " + t.refreshed.Format("15:04:05")
	if t.loading {
		s += " · refreshing…"
	}
	return s
}

// thousands writes n with commas: 4,120.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
