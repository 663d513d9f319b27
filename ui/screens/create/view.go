package create

import (
	"fmt"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
)

const (
	margin = 2 // blank columns each side
	indent = 4 // a field's content under its label
)

// View draws the patient and the shortlist, then notices and the form;
// the body scrolls to keep the focused field in view.
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
		head.Add(st.Text.Render, "No shortlist to send: choose 1 to 20 services in the service search first.")
		return fit.Frame(strings.Join(head.Lines(), "\n"), m.width, m.height)
	}
	id := "NHS number " + ersclient.FormatNHSNumber(m.nhs())
	if m.ref != nil {
		s := m.ref.Summary()
		id += "   UBRN " + m.ref.UBRN() + "   " + stateText(s) + "   version " + orNone(m.ref.Version)
	}
	head.Add(st.Text.Render, id)
	head.Blank()

	body, focusAt := m.body()
	lines := head.Lines()
	if room := m.height - len(lines); room > 0 {
		m.top = scroll.Window(m.top, focusAt, len(body), room)
		lines = append(lines, body[m.top:min(m.top+room, len(body))]...)
	}
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

func (m *Model) nhs() string {
	if m.ref != nil {
		if n := m.ref.Summary().NHSNumber; n != "" {
			return n
		}
	}
	return m.req.NHSNumber
}

// body is the shortlist, notices, failure and fields; focusAt is the
// focused field's line.
func (m *Model) body() (lines []string, focusAt int) {
	st := m.c.Styles
	b := fit.NewBlock(m.width, margin)
	if m.done != nil {
		b.Add(st.Success.Render, "Done: referral "+m.done.UBRN()+" ("+stateText(m.done.Summary())+"). Press o to open it.")
		b.Blank()
	}
	for i, n := range m.notice {
		style := st.Text.Render
		if i == 0 {
			style = st.Warning.Render
		}
		b.Add(style, n)
	}
	// Times show in the zone of the screen's clock, as on the other
	// screens, not the process's (Local): in production they are the same,
	// and under a test clock the text does not depend on the machine.
	loc := m.c.Now().Location()
	for _, r := range m.found {
		b.Add(st.Text.Render, fmt.Sprintf("  UBRN %s  %s  %s  created %s", r.UBRN, r.ServiceName, r.StatusDisplay,
			r.ReferralCreated.In(loc).Format("02 Jan 15:04")))
	}
	if len(m.notice) > 0 || len(m.found) > 0 {
		b.Blank()
	}
	if m.failure != nil {
		d := errorview.Describe(m.failure)
		b.Add(st.Error.Render, m.failLead)
		b.Add(st.Text.Render, d.What)
		if d.Do != "" {
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
		b.Blank()
	}
	m.shortlist(b)
	pad := strings.Repeat(" ", indent)
	for _, f := range m.fields() {
		focused := f == m.focus && m.done == nil
		marker, label := "  ", st.Title.Render(fieldLabel(f))
		if focused {
			marker, label = "▶ ", st.Accent.Render(fieldLabel(f))
			focusAt = b.Len()
		}
		if f == fieldSend {
			b.Line(marker + m.sendLine(focused))
			b.Blank()
			continue
		}
		b.Line(marker + label)
		for _, l := range fit.Wrap(m.content(f), max(b.Width-indent, 1)) {
			b.Line(pad + st.Text.Render(l))
		}
		if e := m.errs[f]; e != "" {
			for _, l := range fit.Wrap("! "+e, max(b.Width-indent, 1)) {
				b.Line(pad + st.Error.Render(l))
			}
		}
		b.Blank()
	}
	return b.Lines(), focusAt
}

// shortlist lists the services in order, with what e-RS says about each
// that the referrer must not miss.
func (m *Model) shortlist(b *fit.Block) {
	st := m.c.Styles
	b.Add(st.Title.Render, fmt.Sprintf("Shortlist (%d of at most %d)", len(m.req.Services), ersclient.MaxShortlist))
	for i, s := range m.req.Services {
		b.Add(st.Text.Render, fmt.Sprintf("%2d. %s", i+1, serviceName(s)))
		var facts []string
		if s.BookableType != "" {
			facts = append(facts, bookable(s.BookableType))
		}
		if w := s.IndicativeWait.String(); w != "" {
			facts = append(facts, "wait "+w)
		}
		if s.ReferralLetterRequired {
			facts = append(facts, "referral letter required")
		}
		if len(s.RequestFlowTypes) > 0 {
			facts = append(facts, strings.ToLower(strings.ReplaceAll(strings.Join(s.RequestFlowTypes, ", "), "_", " ")))
		}
		if len(facts) > 0 {
			b.Add(st.Faint.Render, "    "+strings.Join(facts, " · "))
		}
		if s.ReferrerAlert != "" {
			b.Add(st.Warning.Render, "    ! Referrer alert: "+s.ReferrerAlert)
		}
	}
	b.Blank()
}

func bookable(t string) string {
	switch t {
	case "DIRECTLY_BOOKABLE":
		return "directly bookable"
	case "INDIRECTLY_BOOKABLE":
		return "indirectly bookable"
	}
	return "bookable type not stated"
}

func fieldLabel(f field) string {
	switch f {
	case fieldIntention:
		return "Referral letter"
	case fieldDays:
		return "First reminder letter after (days)"
	case fieldTriage:
		return "Send for triage"
	}
	return ""
}

// content is a field's value in words.
func (m *Model) content(f field) string {
	switch f {
	case fieldIntention:
		a, b := "( ) ", "( ) "
		if m.noLetter {
			b = "(•) "
		} else {
			a = "(•) "
		}
		s := a + "Letter to follow   " + b + "No letter intended"
		if m.locked(f) {
			s += "   (a referral sent for triage always needs a letter)"
		}
		return s
	case fieldDays:
		s := "[" + m.days + "] days before e-RS reminds the patient to book"
		if m.locked(f) {
			s += "   (0 when sending for triage: the patient has nothing to book)"
		}
		return s
	case fieldTriage:
		if m.triage {
			return "(•) Yes: the provider triages it straight away   ( ) No"
		}
		return "( ) Yes: the provider triages it straight away   (•) No"
	}
	return ""
}

func (m *Model) sendLine(focused bool) string {
	st := m.c.Styles
	text := "[ " + m.Title() + " ]  enter: check and confirm"
	if m.phase != "" {
		text = m.phase + "…"
	}
	if focused {
		return st.Selected.Render(text)
	}
	return st.Accent.Render(text)
}
