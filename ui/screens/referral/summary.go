package referral

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// labelWidth is the column the summary's values start at.
const labelWidth = 22

// layoutSummary wraps the summary for the current width: once per width or
// change, never per frame.
func (m *Model) layoutSummary() {
	if m.ref == nil || m.width <= 0 {
		m.lines = nil
		return
	}
	st := m.c.Styles
	s := m.sum
	width := max(m.width-2*margin, 10)
	var out []string
	heading := func(text string) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, st.Title.Render(text))
	}
	field := func(label, value string) {
		if value == "" {
			return
		}
		valueWidth := max(width-labelWidth, 10)
		for i, l := range fit.Wrap(value, valueWidth) {
			prefix := strings.Repeat(" ", labelWidth)
			if i == 0 {
				prefix = st.Faint.Render(fit.Line(label, labelWidth))
			}
			out = append(out, prefix+st.Text.Render(l))
		}
	}
	now := m.c.Now()

	heading("Patient and referral")
	field("NHS number", ersclient.FormatNHSNumber(s.NHSNumber))
	field("UBRN", s.UBRN)
	field("Priority", priorityText(s))
	field("Specialty", s.Specialty.Label())
	field("Service", m.serviceName())
	field("State", s.State.Label())
	field("Reason", s.StateReason.Label())
	field("Comments", s.StateComments)
	if s.Status != "" && s.Status != "active" {
		field("Status", s.Status)
	}
	if !s.PathwayStart.IsZero() {
		field("Pathway start", date(s.PathwayStart)+" ("+daysWaiting(s.PathwayStart, now)+")")
	}
	field("Referrer", referrerText(s.Referrer))
	field("Commissioning org", s.CommissioningRuleOrg)
	field("Additional needs", requirementsText(s.AdditionalRequirements))
	field("Related referrals", strings.Join(s.RelatedReferrals, ", "))
	field("Converted from A&G", s.ConvertedFromAdvice)
	field("Version", s.Version)

	heading("Appointment")
	switch {
	case m.appt != nil:
		m.appointmentFields(field)
	case s.Appointment != nil:
		a := s.Appointment
		field("Status", a.Status)
		field("When", period(a.Start, a.End))
		field("Service", a.ServiceName)
		field("Reason", a.Reason.Label())
		field("Comment", a.Comment)
		field("Clinician", a.ClinicianID)
	default:
		out = append(out, st.Faint.Render("No appointment."))
	}
	if m.apptErr != nil {
		d := errorview.Describe(m.apptErr)
		for _, l := range fit.Wrap("The appointment could not be loaded: "+d.What, width) {
			out = append(out, st.Warning.Render(l))
		}
	}

	heading("Shortlist")
	if len(s.Shortlist) == 0 {
		out = append(out, st.Faint.Render("No services shortlisted."))
	}
	for i, svc := range s.Shortlist {
		text := svc.Name
		if svc.ID != "" {
			text += " (" + svc.ID + ")"
		}
		for j, l := range fit.Wrap(text, max(width-4, 10)) {
			prefix := "    "
			if j == 0 {
				prefix = fmt.Sprintf("%2d. ", i+1)
			}
			out = append(out, st.Text.Render(prefix+l))
		}
	}

	heading("Timeline")
	for _, e := range m.timeline() {
		for j, l := range fit.Wrap(e.text, max(width-18, 10)) {
			prefix := strings.Repeat(" ", 18)
			if j == 0 {
				prefix = st.Faint.Render(fit.Line(e.at.Format("02 Jan 2006 15:04"), 18))
			}
			out = append(out, prefix+st.Text.Render(l))
		}
	}
	m.lines, m.linesWidth = out, m.width
	m.clampTop()
}

// appointmentFields shows the appointment as A038 gave it.
func (m *Model) appointmentFields(field func(label, value string)) {
	a := m.appt
	field("Status", a.Status)
	field("When", period(a.Start, a.End))
	field("Service", a.ServiceName)
	reason := a.ReasonDisplay
	if reason == "" {
		reason = a.ReasonCode
	}
	field("Reason", reason)
	field("Comment", a.Comment)
	field("Clinician", a.ClinicianSDS)
	if !a.Created.IsZero() {
		field("Made", date(a.Created))
	}
}

// timeline is what A005 dates, then the changes seen here. e-RS keeps no
// state history on the referral, so this is what can be known of it.
func (m *Model) timeline() []event {
	s := m.sum
	var evs []event
	add := func(at time.Time, text string) {
		if !at.IsZero() {
			evs = append(evs, event{at: at, text: text})
		}
	}
	add(s.PathwayStart, "Pathway started")
	add(s.ClinicalInfoFirstSubmitted, "Clinical information first submitted")
	if !s.ClinicalInfoLastUpdated.Equal(s.ClinicalInfoFirstSubmitted) {
		add(s.ClinicalInfoLastUpdated, "Clinical information last updated")
	}
	if a := s.Appointment; a != nil {
		add(a.Created, "Appointment made ("+a.Status+")")
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.Before(evs[j].at) })
	evs = append(evs, m.history...)
	state := s.State.Label()
	if state == "" {
		state = "unknown"
	}
	if r := s.StateReason.Label(); r != "" {
		state += ", " + r
	}
	evs = append(evs, event{at: m.c.Now(), text: "Now: " + state})
	return evs
}

func (m *Model) serviceName() string {
	switch {
	case m.appt != nil && m.appt.ServiceName != "":
		return m.appt.ServiceName
	case m.sum.Appointment != nil && m.sum.Appointment.ServiceName != "":
		return m.sum.Appointment.ServiceName
	}
	return ""
}

// priorityText is the priority in words, with e-RS's own wording when it
// differs.
func priorityText(s ersclient.ReferralSummary) string {
	if s.Priority == "" {
		return s.PriorityDisplay
	}
	words := s.Priority.Label()
	if s.PriorityDisplay != "" && !strings.EqualFold(s.PriorityDisplay, words) {
		words += " (" + s.PriorityDisplay + ")"
	}
	return words
}

func referrerText(r *ersclient.ReferrerSummary) string {
	if r == nil {
		return ""
	}
	parts := []string{}
	if r.Display != "" {
		parts = append(parts, r.Display)
	}
	if r.UserID != "" {
		parts = append(parts, "SDS "+r.UserID)
	}
	if r.Organisation != "" {
		parts = append(parts, "at "+r.Organisation)
	}
	return strings.Join(parts, ", ")
}

func requirementsText(codes []string) string {
	words := make([]string, len(codes))
	for i, c := range codes {
		switch c {
		case ersclient.RequirementAdvocacy:
			words[i] = "Advocate"
		case ersclient.RequirementInterpreter:
			words[i] = "Interpreter"
		case ersclient.RequirementTransport:
			words[i] = "Transport"
		default:
			words[i] = strings.ReplaceAll(c, "_", " ")
		}
	}
	return strings.Join(words, ", ")
}

func date(t time.Time) string { return t.Format("02 Jan 2006") }

func period(start, end time.Time) string {
	switch {
	case start.IsZero():
		return ""
	case end.IsZero():
		return start.Format("Mon 02 Jan 2006 15:04")
	case start.YearDay() == end.YearDay() && start.Year() == end.Year():
		return start.Format("Mon 02 Jan 2006 15:04") + "–" + end.Format("15:04")
	}
	return start.Format("Mon 02 Jan 2006 15:04") + " – " + end.Format("Mon 02 Jan 2006 15:04")
}

func daysWaiting(start, now time.Time) string {
	if now.Before(start) {
		return "starts later"
	}
	days := int(now.Sub(start) / (24 * time.Hour))
	if days == 1 {
		return "1 day waiting"
	}
	return strconv.Itoa(days) + " days waiting"
}
