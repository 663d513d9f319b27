package booking

import (
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

const margin = 2 // blank columns each side

// View draws the referral's heading, the service shown, any notice or
// failure, then the slots (only the rows that fit) or the open form.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	b := fit.NewBlock(m.width, margin)
	b.Blank()
	b.Add(st.Title.Render, m.Title())
	if !m.usable() {
		b.Blank()
		b.Add(st.Text.Render, "No referral to book. Open booking from a referral's screen.")
		return fit.Frame(strings.Join(b.Lines(), "\n"), m.width, m.height)
	}
	s := m.summary()
	b.Add(st.Text.Render, "NHS number "+nhs(s.NHSNumber)+"   UBRN "+m.ref.UBRN()+"   "+priorityText(s.Priority)+specialtyText(s))
	b.Add(st.Faint.Render, "State "+stateWords(s)+"   version "+orNone(m.ref.Version)+m.apptLine(s))
	m.serviceLine(b)
	b.Blank()
	m.messages(b)
	switch m.mode {
	case modeDefer, modeCancel:
		m.formView(b)
	default:
		if rows := m.slotsView(b); rows != nil {
			room := m.height - b.Len()
			for _, l := range m.list.render(st, b.Width, room) {
				b.Line(l)
			}
		}
	}
	return fit.Frame(strings.Join(b.Lines(), "\n"), m.width, m.height)
}

func (m *Model) apptLine(s ersclient.ReferralSummary) string {
	a := s.Appointment
	if a == nil || a.Start.IsZero() || a.Status != ersclient.AppointmentBooked {
		return ""
	}
	return "   booked " + a.Start.In(m.c.Now().Location()).Format("Mon 2 Jan 2006 15:04")
}

// serviceLine names the service shown, what it is, and its place in the
// shortlist.
func (m *Model) serviceLine(b *fit.Block) {
	st := m.c.Styles
	if len(m.services) == 0 {
		b.Add(st.Warning.Render, "The referral has no shortlist: change the shortlist from the referral screen first.")
		return
	}
	s, _ := m.current()
	k := s.kind().words()
	if !s.known && m.servicesLoaded {
		k = "not known to e-RS"
	}
	text := "Service " + itoa(m.svc+1) + " of " + itoa(len(m.services)) + ": " + s.name() + "  (" + k + ")"
	if len(m.services) > 1 {
		text += "  tab: next"
	}
	b.Add(st.Accent.Render, text)
}

// messages draws the notice and the failure, in words and codes.
func (m *Model) messages(b *fit.Block) {
	st := m.c.Styles
	for i, n := range m.notice {
		style := st.Text.Render
		if i == 0 {
			style = st.Warning.Render
		}
		b.Add(style, n)
	}
	if m.failure != nil {
		d := errorview.Describe(m.failure)
		b.Add(st.Error.Render, "Error: "+m.failureLead)
		b.Add(st.Text.Render, d.What+" "+d.Do)
		ids := strings.TrimSpace(codeText(d.Code) + " " + corrText(d.CorrelationID))
		if ids != "" {
			b.Add(st.Faint.Render, ids)
		}
		if d.Detail != "" {
			b.Add(st.Faint.Render, d.Detail)
		}
	}
	if len(m.notice) > 0 || m.failure != nil {
		b.Blank()
	}
}

// slotsView draws what the service offers; it returns non-nil when the
// slot rows follow.
func (m *Model) slotsView(b *fit.Block) []string {
	st := m.c.Styles
	s, ok := m.current()
	if !ok {
		return nil
	}
	switch {
	case m.hasBooking():
		b.Add(st.Text.Render, "This referral is booked. Press x to cancel the appointment, then choose another slot to rebook.")
		return nil
	case !m.canAct():
		b.Add(st.Text.Render, "This referral is "+stateWords(m.summary())+": e-RS does not allow booking, deferring or sending it for triage now.")
		return nil
	}
	switch s.kind() {
	case kindUnknown:
		if m.servicesLoading {
			b.Add(st.Faint.Render, "Loading the services…")
		} else if m.servicesLoaded {
			b.Add(st.Text.Render, "e-RS does not know this service any more. Change the shortlist from the referral screen.")
		}
		return nil
	case kindTriage:
		b.Add(st.Text.Render, "This is a triage service: it reviews the referral and decides what happens next. There are no slots to book.")
		b.Add(st.Text.Render, "Press t to send the referral for triage.")
		return nil
	case kindIndirect:
		b.Add(st.Text.Render, "This service is indirectly bookable: its appointments are not offered through e-RS, so there are no slots here.")
		b.Add(st.Text.Render, "The patient books by phone, using the number on the appointment request letter (print the patient letter from the referral screen).")
		return nil
	case kindOther:
		b.Add(st.Text.Render, "This service does not take appointment referrals (advice and guidance only). Change the shortlist from the referral screen.")
		return nil
	}
	l := &m.list
	switch {
	case m.slotsLoading && len(l.slots) == 0:
		b.Add(st.Faint.Render, "Loading free slots…")
		return nil
	case len(l.slots) == 0 && m.failure == nil && l.page > 0:
		b.Add(st.Text.Render, "No free slots at this service for a "+priorityText(m.summary().Priority)+" referral.")
		b.Add(st.Text.Render, "Press d to defer to the provider, who will arrange the appointment, or r to look again.")
		return nil
	case len(l.slots) == 0:
		return nil
	}
	head := plural(len(l.slots), "free slot") + " shown of " + itoa(l.total)
	if l.hasNext {
		head += "  (n or scroll past the end for more)"
	}
	if m.slotsLoading {
		head += "  loading…"
	}
	b.Add(st.Faint.Render, head)
	if l.shifted {
		b.Add(st.Warning.Render, "Availability changed while loading pages: some slots may be missing. Press r to refresh.")
	}
	return []string{}
}

// formView draws the defer or cancel form.
func (m *Model) formView(b *fit.Block) {
	st := m.c.Styles
	f := &m.form
	if m.mode == modeCancel {
		if m.appt == nil || m.reasons == nil {
			if m.failure == nil {
				b.Add(st.Faint.Render, "Loading the appointment and the cancellation reasons…")
			}
			return
		}
		b.Add(st.Text.Render, "Cancel the appointment "+apptText(m.appt)+". Afterwards, choose a slot to rebook.")
	} else {
		b.Add(st.Text.Render, "Defer the booking to the provider: the service arranges the appointment with the patient.")
	}
	b.Blank()
	m.fieldLabel(b, focusReason, "Reason (required)")
	if len(f.options) == 0 {
		b.Add(st.Text.Render, "    e-RS offers no reason for this now, so it cannot be done here.")
	}
	for i, o := range f.options {
		radio := "( ) "
		if i == f.chosen {
			radio = "(•) "
		}
		text := radio + o.label
		if o.commentMandatory {
			text += "  (comment required)"
		}
		if f.focus == focusReason && i == f.cursor {
			b.Line(st.Selected.Render(fit.Line("  > "+text, b.Width)))
			continue
		}
		b.Line(st.Text.Render(fit.Line("    "+text, b.Width)))
	}
	m.fieldError(b, focusReason)
	b.Blank()
	m.fieldLabel(b, focusComment, "Comment ("+itoa(len([]rune(f.comment.Value())))+"/2000)")
	b.Line("    " + fit.Line(f.comment.View(), max(b.Width-4, 1)))
	m.fieldError(b, focusComment)
	b.Blank()
	send := "[ " + m.mode.verb() + " ]"
	if f.focus == focusSend {
		b.Line("▶ " + st.Selected.Render(send) + "  " + st.Faint.Render("enter to review and confirm"))
	} else {
		b.Line("  " + st.Text.Render(send))
	}
	b.Add(st.Faint.Render, "s: back to the slots")
}

func (m mode) verb() string {
	if m == modeCancel {
		return actCancel.verb()
	}
	return actDefer.verb()
}

func (m *Model) fieldLabel(b *fit.Block, f focus, label string) {
	st := m.c.Styles
	if m.form.focus == f {
		b.Line("▶ " + st.Accent.Render(label))
		return
	}
	b.Line("  " + st.Title.Render(label))
}

func (m *Model) fieldError(b *fit.Block, f focus) {
	if e := m.form.err[f]; e != "" {
		b.Add(m.c.Styles.Error.Render, "    ! "+e)
	}
}

func priorityText(p ersclient.Priority) string {
	if p == "" {
		return "no priority"
	}
	return p.Label()
}

func specialtyText(s ersclient.ReferralSummary) string {
	if l := s.Specialty.Label(); l != "" {
		return "   " + l
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func codeText(c string) string {
	if c == "" {
		return ""
	}
	return "e-RS code: " + c
}

func corrText(c string) string {
	if c == "" {
		return ""
	}
	return "Correlation id: " + c
}
