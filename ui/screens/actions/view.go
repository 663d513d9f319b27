package actions

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
)

const (
	margin      = 2 // blank columns each side
	indentField = 4 // a field's content under its label
)

// View draws the referral's heading, then the notices and the form; the
// form scrolls to keep the focused line in view.
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
		if m.ref == nil || m.ref.Resource == nil {
			head.Add(st.Text.Render, "No referral to act on. Open an action from a referral's screen.")
		} else {
			head.Add(st.Text.Render, "This workstation has no form for the action "+m.req.Action+". Use the e-RS user interface for it.")
		}
		return fit.Frame(strings.Join(head.Lines(), "\n"), m.width, m.height)
	}
	s := m.ref.Summary()
	head.Add(st.Text.Render, "NHS number "+nhs(s.NHSNumber)+"   UBRN "+m.ref.UBRN()+"   "+priorityText(s.Priority)+specialtyText(s))
	head.Add(st.Faint.Render, "State "+stateText(s)+"   version "+orNone(m.ref.Version))
	head.Blank()

	body, focusFrom, focusTo := m.body()
	room := m.height - head.Len()
	lines := head.Lines()
	if room > 0 {
		m.top = scroll.Window(m.top, focusTo, len(body), room)
		// Show the focused field's label too when it fits.
		if focusFrom < m.top && focusTo-focusFrom < room {
			m.top = focusFrom
		}
		end := min(m.top+room, len(body))
		lines = append(lines, body[m.top:end]...)
	}
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

func specialtyText(s ersclient.ReferralSummary) string {
	if l := s.Specialty.Label(); l != "" {
		return "   " + l
	}
	return ""
}

// body renders notices, failure and fields; focusFrom..focusTo are the
// lines of the focused field's label and cursor, to keep in view.
func (m *Model) body() (lines []string, focusFrom, focusTo int) {
	st := m.c.Styles
	b := fit.NewBlock(m.width, margin)
	for i, n := range m.notice {
		style := st.Text.Render
		if i == 0 {
			style = st.Warning.Render
		}
		b.Add(style, n)
	}
	if len(m.notice) > 0 {
		b.Blank()
	}
	if m.failure != nil {
		d := errorview.Describe(m.failure)
		b.Add(st.Error.Render, m.failureLead)
		b.Add(st.Text.Render, d.What)
		b.Add(st.Text.Render, d.Do)
		if d.Code != "" {
			b.Add(st.Faint.Render, "e-RS code: "+d.Code)
		}
		if d.CorrelationID != "" {
			b.Add(st.Faint.Render, "Correlation id: "+d.CorrelationID)
		}
		if d.Detail != "" {
			b.Add(st.Faint.Render, d.Detail)
		}
		b.Blank()
	}
	inner := max(b.Width-indentField, 1)
	pad := strings.Repeat(" ", indentField)
	for _, id := range m.f.fields() {
		focused := id == m.f.focus
		start := b.Len()
		cursor := start
		marker := "  "
		label := st.Title.Render(m.label(id))
		if focused {
			marker = "▶ "
			label = st.Accent.Render(m.label(id))
		}
		if id == fieldSend {
			b.Line(marker + m.sendLine(focused))
		} else {
			b.Line(marker + label + m.labelNote(id))
		}
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
			// A list keeps its cursor in view; any other field all of it.
			focusFrom, focusTo = start, b.Len()-1
			if cursor != start {
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

func (m *Model) label(id fieldID) string {
	switch id {
	case fieldReason:
		return "Reason"
	case fieldOutcome:
		return "Review outcome"
	case fieldComments:
		return "Comments"
	case fieldPriority:
		return "Priority"
	case fieldPAS:
		return "Appointment cancelled in PAS?"
	case fieldAttach:
		return "Files to attach"
	}
	return ""
}

// labelNote is the faint note beside a label: required or optional, and
// the comments' length.
func (m *Model) labelNote(id fieldID) string {
	st := m.c.Styles
	switch id {
	case fieldComments:
		need := " (optional)"
		r, ok := m.f.chosenReason()
		if m.req.Action == CancelAppointmentActionLater || m.req.Action == RecordReviewOutcome || (ok && r.CommentMandatory) {
			need = " (required)"
		}
		n := utf8.RuneCountInString(m.f.comments.Value())
		count := fmt.Sprintf("  %d/%d", n, maxCommentRunes)
		if n > maxCommentRunes {
			return st.Faint.Render(need) + st.Error.Render(count+" too long")
		}
		return st.Faint.Render(need + count)
	case fieldPriority:
		if m.req.Action == RecordReviewOutcome {
			return st.Faint.Render(" (optional; not with return to referrer)")
		}
		return st.Faint.Render(" (optional)")
	case fieldReason, fieldOutcome, fieldPAS:
		return st.Faint.Render(" (required)")
	case fieldAttach:
		return st.Faint.Render(" (optional, up to 5 MB each; a adds a file)")
	}
	return ""
}

func (m *Model) sendLine(focused bool) string {
	st := m.c.Styles
	text := "[ " + Label(m.req.Action) + " ]"
	switch {
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
	focused := id == m.f.focus
	switch id {
	case fieldReason:
		switch {
		case m.reasonsLoading:
			return []line{{text: st.Faint.Render("Loading reasons…")}}
		case m.reasonsErr != nil:
			d := errorview.Describe(m.reasonsErr)
			out := []line{{text: st.Error.Render("The reasons could not be loaded.")}}
			for _, l := range fit.Wrap(d.What+" "+d.Do, width) {
				out = append(out, line{text: st.Text.Render(l)})
			}
			if d.Code != "" || d.CorrelationID != "" {
				out = append(out, line{text: st.Faint.Render(strings.TrimSpace("e-RS code: " + d.Code + "  Correlation id: " + d.CorrelationID))})
			}
			return out
		case len(m.f.reasons) == 0:
			return []line{{text: st.Text.Render("e-RS offers no reason for this now, so it cannot be done here.")}}
		}
		return m.choiceLines(m.f.reason, focused, width)
	case fieldOutcome:
		return m.choiceLines(m.f.outcome, focused, width)
	case fieldPriority:
		return m.choiceLines(m.f.priority, focused, width)
	case fieldPAS:
		return m.choiceLines(m.f.pas, focused, width)
	case fieldComments:
		var out []line
		for _, l := range strings.Split(m.f.comments.View(), "\n") {
			out = append(out, line{text: fit.Line(l, width)})
		}
		return out
	case fieldAttach:
		m.f.att.SetSize(width, m.attachRows())
		var out []line
		for _, l := range strings.Split(m.f.att.View(), "\n") {
			out = append(out, line{text: l})
		}
		return out
	}
	return nil
}

// choiceLines draws a list as radio buttons: "(•)" marks the choice and
// ">" with reverse video the cursor, so neither rests on colour.
func (m *Model) choiceLines(c choice, focused bool, width int) []line {
	st := m.c.Styles
	out := make([]line, 0, len(c.options))
	for i, o := range c.options {
		radio := "( ) "
		if i == c.chosen {
			radio = "(•) "
		}
		if focused && i == c.cursor {
			out = append(out, line{text: st.Selected.Render(fit.Line("> "+radio+o, width)), cursor: true})
			continue
		}
		out = append(out, line{text: st.Text.Render(fit.Line("  "+radio+o, width))})
	}
	return out
}
