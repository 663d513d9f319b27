package advicenew

import (
	"fmt"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
)

const (
	margin      = 2 // blank columns each side
	indentField = 4 // a field's content under its label
	// alertHeadLines bounds the referrer alert in the heading; the whole
	// alert also heads the form.
	alertHeadLines = 3
)

// View draws the service and patient, then the form; the form scrolls to
// keep the focused field in view.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	head := fit.NewBlock(m.width, margin)
	head.Blank()
	head.Add(st.Title.Render, m.Title())
	if !m.usable() {
		head.Blank()
		head.Add(st.Text.Render, "No advice service chosen. Open this from a service search for advice services: "+
			"search (s on the home screen) with request type advice, choose one service, then continue.")
		return fit.Frame(strings.Join(head.Lines(), "\n"), m.width, m.height)
	}
	head.Add(st.Text.Render, "To "+serviceText(m.req.Service))
	if a := strings.TrimSpace(m.req.Service.ReferrerAlert); a != "" {
		lines := fit.Wrap("! Referrer alert: "+a, head.Width)
		if len(lines) > alertHeadLines {
			lines = append(lines[:alertHeadLines-1], "  (the whole alert is below)")
		}
		for _, l := range lines {
			head.Line(st.Warning.Render(l))
		}
	}
	head.Add(st.Text.Render, "Patient NHS number "+nhs(m.req.NHSNumber)+"   Priority "+priorityText(m.req.Criteria)+specialtyText(m.req))
	if m.isRCA() {
		r := m.role()
		who := strings.TrimSpace(r.OnBehalfOfName + " " + r.OnBehalfOf)
		if who == "" {
			who = "no clinician chosen"
		}
		head.Add(st.Faint.Render, "On behalf of "+who)
	}
	head.Blank()

	body, focusFrom, focusTo := m.body()
	room := m.height - head.Len()
	lines := head.Lines()
	switch {
	case room <= 0:
	case m.showTop:
		// A new failure or notice heads the form: show it first.
		m.top = 0
	default:
		m.top = scroll.Window(m.top, focusTo, len(body), room)
		// Show the focused field's label too when it fits.
		if focusFrom < m.top && focusTo-focusFrom < room {
			m.top = focusFrom
		}
	}
	if room > 0 {
		end := min(m.top+room, len(body))
		lines = append(lines, body[m.top:end]...)
	}
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

func priorityText(c ersclient.SearchCriteria) string {
	if c.Priority.Code == "" {
		return "not given"
	}
	return ersclient.Priority(c.Priority.Code).Label()
}

func specialtyText(r Request) string {
	sp := r.Criteria.Specialty
	if sp.Code == "" {
		sp = r.Service.Specialty
	}
	switch {
	case sp.Display != "":
		return "   " + sp.Display
	case sp.Code != "":
		return "   " + sp.Code
	}
	return ""
}

// body renders the alert, notices, failure and fields; focusFrom..focusTo
// are the lines of the focused field to keep in view.
func (m *Model) body() (lines []string, focusFrom, focusTo int) {
	st := m.c.Styles
	b := fit.NewBlock(m.width, margin)
	if a := strings.TrimSpace(m.req.Service.ReferrerAlert); a != "" && len(fit.Wrap("! Referrer alert: "+a, b.Width)) > alertHeadLines {
		b.Add(st.Warning.Render, "! Referrer alert: "+a)
		b.Blank()
	}
	if m.sent != "" {
		b.Add(st.Success.Render, "Sent. e-RS created the A&G request with UBRN "+m.sent+".")
		b.Add(st.Text.Render, "Its conversation opens in the A&G screen; esc comes back here.")
		b.Blank()
	}
	if n := m.d.note(); n != "" && m.sent == "" {
		b.Add(st.Faint.Render, n)
		b.Blank()
	}
	if len(m.failureLead) > 0 || m.failure != nil {
		for i, l := range m.failureLead {
			style := st.Text.Render
			if i == 0 {
				style = st.Error.Render
			}
			b.Add(style, l)
		}
		if m.failure != nil {
			d := errorview.Describe(m.failure)
			// After an unknown outcome the lines above say what to do;
			// the generic advice ("reload to check") would not fit A044.
			if m.retry != retryChecked {
				b.Add(st.Text.Render, d.What)
				b.Add(st.Text.Render, d.Do)
			}
			if d.Code != "" {
				b.Add(st.Faint.Render, "e-RS code: "+d.Code)
			}
			if d.CorrelationID != "" {
				b.Add(st.Faint.Render, "Correlation id: "+d.CorrelationID)
			}
			if d.Detail != "" {
				b.Add(st.Faint.Render, d.Detail)
			}
		}
		b.Blank()
	}
	inner := max(b.Width-indentField, 1)
	pad := strings.Repeat(" ", indentField)
	for _, id := range fields {
		focused := id == m.f.focus && m.sent == ""
		start := b.Len()
		marker, label := "  ", st.Title.Render(fieldLabel(id))
		if focused {
			marker, label = "▶ ", st.Accent.Render(fieldLabel(id))
		}
		if id == fieldSend {
			b.Line(marker + m.sendLine(focused))
		} else {
			b.Line(marker + label + m.labelNote(id))
		}
		cursor := -1
		for _, l := range m.content(id, inner) {
			if focused && l.cursor {
				cursor = b.Len()
			}
			b.Line(pad + l.text)
		}
		if e := m.f.errs[id]; e != "" {
			for _, l := range fit.Wrap("! "+e, inner) {
				b.Line(pad + st.Error.Render(l))
			}
		}
		if focused {
			focusFrom, focusTo = start, b.Len()-1
			if cursor >= 0 {
				focusTo = cursor
			}
		}
		b.Blank()
	}
	return b.Lines(), focusFrom, focusTo
}

// line is a rendered line of a field, marked when it holds the cursor.
type line struct {
	text   string
	cursor bool
}

func fieldLabel(id fieldID) string {
	switch id {
	case fieldText:
		return "Request"
	case fieldConversion:
		return "May the provider convert this into a referral?"
	case fieldAttach:
		return "Attachments"
	}
	return ""
}

// labelNote is the faint note beside a label: required or optional, and
// the text's live count against e-RS's limit.
func (m *Model) labelNote(id fieldID) string {
	st := m.c.Styles
	switch id {
	case fieldText:
		n := m.f.runes()
		count := fmt.Sprintf("  %d/%d", n, ersclient.MaxAdviceTextRunes)
		if n > ersclient.MaxAdviceTextRunes {
			return st.Faint.Render(" (required)") + st.Error.Render(fmt.Sprintf("%s: %d too many", count, n-ersclient.MaxAdviceTextRunes))
		}
		return st.Faint.Render(" (required)" + count)
	case fieldConversion:
		return st.Faint.Render(" (required)")
	case fieldAttach:
		return st.Faint.Render(" (optional, up to 5 MB each)")
	}
	return ""
}

func (m *Model) sendLine(focused bool) string {
	st := m.c.Styles
	text := "[ Send request ]"
	switch {
	case m.sent != "":
		return st.Faint.Render(text) + "  " + st.Text.Render("Sent")
	case m.phase != "":
		return st.Faint.Render(text) + "  " + st.Text.Render(m.phase+"…")
	case focused:
		return st.Selected.Render(text) + "  " + st.Faint.Render("enter to review and confirm")
	}
	return st.Text.Render(text)
}

// content renders a field's body lines.
func (m *Model) content(id fieldID, width int) []line {
	st := m.c.Styles
	focused := id == m.f.focus && m.sent == ""
	var out []line
	switch id {
	case fieldText:
		tl := strings.Split(m.f.text.View(), "\n")
		row := m.f.text.Line() - m.f.text.ScrollYOffset()
		for i, l := range tl {
			out = append(out, line{text: fit.Line(l, width), cursor: i == row})
		}
	case fieldConversion:
		c := m.f.conversion
		for i, o := range c.options {
			radio := "( ) "
			if i == c.chosen {
				radio = "(•) "
			}
			for j, l := range fit.Wrap(radio+o, max(width-2, 1)) {
				prefix := "  "
				if j > 0 {
					prefix = "      " // under the option, past its radio
					l = strings.TrimLeft(l, " ")
				}
				if focused && i == c.cursor {
					if j == 0 {
						prefix = "> "
					}
					out = append(out, line{text: st.Selected.Render(fit.Line(prefix+l, width)), cursor: true})
					continue
				}
				out = append(out, line{text: st.Text.Render(fit.Line(prefix+l, width))})
			}
		}
	case fieldAttach:
		for _, l := range strings.Split(m.f.attach.View(), "\n") {
			out = append(out, line{text: fit.Line(l, width)})
		}
	}
	return out
}
