package search

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// detailMsg answers a service's details (A033, or A037 then the cache).
type detailMsg struct {
	id      int
	service string
	detail  ersclient.ServiceDetail
	err     error
}

// detailCmd fetches the highlighted service's details while the pane is
// open and they are not the ones shown. The screen's ServiceCache
// revalidates a copy it holds with A037 (HEAD) and fetches it again (A033)
// only when its version changed.
func (m *Model) detailCmd() tea.Cmd {
	if !m.detailOn || m.pane != paneResults {
		return nil
	}
	s, ok := m.selected()
	if !ok || s.ID == m.detailFor {
		return nil
	}
	m.seq++
	id, cache, timeout, svc := m.seq, m.cache, m.c.Timeout, s.ID
	m.detailReq, m.detailFor, m.detailLoading, m.detailErr, m.detailTop = id, svc, true, nil, 0
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		d, err := cache.Get(ctx, svc)
		return detailMsg{id: id, service: svc, detail: d, err: err}
	}
}

// detailLoaded keeps the answer for the service still highlighted.
func (m *Model) detailLoaded(msg detailMsg) {
	if msg.id != m.detailReq {
		return
	}
	m.detailLoading = false
	if msg.err != nil {
		m.detailErr = msg.err
		return
	}
	m.details[msg.service] = msg.detail
}

// detailLines is everything e-RS says of the service: the search's summary
// (A010) and the directory's entry (A033), wrapped to width.
func (m *Model) detailLines(width int) []string {
	st := m.c.Styles
	s, ok := m.selected()
	b := fit.NewBlock(width, 1)
	if !ok {
		b.Add(st.Faint.Render, "No service highlighted.")
		return b.Lines()
	}
	b.Add(st.Title.Render, s.Name+"  (service "+s.ID+")")
	if s.ReferrerAlert != "" {
		b.Add(st.Warning.Render, "! ALERT for referrers: "+s.ReferrerAlert)
	}
	if s.DisplayProminently {
		b.Add(st.Accent.Render, "e-RS asks for this service to be shown prominently.")
	}
	field := func(label, value string) {
		if value != "" {
			b.Add(st.Text.Render, label+": "+value)
		}
	}
	field("Organisation / site", place(&s))
	field("Specialty", m.specialtyName(s.Specialty.Code, s.Specialty.Display))
	field("Booking", bookingWords(s.BookableType))
	field("Request flows", flowText(s.RequestFlowTypes))
	field("Appointment types", strings.Join(s.AppointmentTypes, ", "))
	field("Indicative appointment wait", waitText(s.IndicativeWait))
	field("Indicative treatment wait", s.TreatmentWait.String())
	if s.ReferralLetterRequired {
		field("Referral letter", "required")
	}
	if s.AgeTreated != nil {
		field("Ages treated", s.AgeTreated.String())
	}
	field("Sex treated", sexWords(s.GenderTreated))
	field("Conditions treated", s.ConditionsTreated)
	field("Exclusions", s.Exclusions)
	field("Suggested investigations", s.SuggestedInvestigations)
	field("Additional requirements supported", strings.Join(s.AdditionalRequirements, ", "))
	field("NHS website", s.NHSWebsite)
	b.Blank()
	switch d, have := m.details[s.ID]; {
	case m.detailFor == s.ID && m.detailErr != nil:
		addError(b, st, m.detailErr)
	case have:
		if m.detailFor == s.ID && m.detailLoading {
			b.Add(st.Faint.Render, "Checking these details are current…")
		}
		serviceDetail(b, st, d)
	case m.detailFor == s.ID && m.detailLoading:
		b.Add(st.Faint.Render, "Loading the service's details…")
	}
	return b.Lines()
}

// serviceDetail adds the directory's entry (A033).
func serviceDetail(b *fit.Block, st *theme.Styles, d ersclient.ServiceDetail) {
	field := func(label, value string) {
		if value != "" {
			b.Add(st.Text.Render, label+": "+value)
		}
	}
	b.Add(st.Faint.Render, "From the directory of services, version "+or(d.Version, "unknown")+":")
	if !d.Active {
		b.Add(st.Warning.Render, "e-RS marks this service inactive.")
	}
	field("Instructions", d.Instructions)
	field("Hours", d.HoursOfOperation)
	field("Comment", d.Comment)
	for _, c := range d.Contacts {
		field("Contact"+prefixed(" for ", c.Purpose), strings.TrimSpace(c.System+" "+c.Value))
	}
	var types []string
	for _, t := range d.AppointmentTypes {
		types = append(types, or(t.Display, t.Code))
	}
	field("Appointment types", strings.Join(types, ", "))
	field("Sites", strings.Join(d.Locations, ", "))
}

// addError says why the details could not be read, in errorview's words.
func addError(b *fit.Block, st *theme.Styles, err error) {
	d := errorview.Describe(err)
	b.Add(st.Error.Render, "Error: the service's details could not be read.")
	b.Add(st.Text.Render, d.What)
	b.Add(st.Text.Render, d.Do)
	if d.Code != "" {
		b.Add(st.Faint.Render, "e-RS code: "+d.Code)
	}
	if d.CorrelationID != "" {
		b.Add(st.Faint.Render, "Correlation id: "+d.CorrelationID)
	}
}

func bookingWords(t string) string {
	switch t {
	case ersclient.DirectlyBookable:
		return "directly bookable: slots can be booked here"
	case ersclient.IndirectlyBookable:
		return "indirectly bookable: the patient books by phone with the appointment request letter"
	}
	return ""
}

func sexWords(g string) string {
	switch g {
	case "MALE":
		return "male"
	case "FEMALE":
		return "female"
	case "MALE_AND_FEMALE":
		return "male and female"
	}
	return strings.ToLower(g)
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// specialtyName is a specialty's name from A004 when e-RS gave only a code.
func (m *Model) specialtyName(code, display string) string {
	if display != "" || code == "" {
		return display
	}
	if d := m.ref.data[csSpecialty]; d != nil {
		return d.Display(code)
	}
	return code
}
