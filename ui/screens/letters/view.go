package letters

import (
	"strconv"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

const margin = 2 // blank columns each side

// noAccessCode is NO_ACCESS_CODE in plain words.
const noAccessCode = "The patient has no access code yet: e-RS has not given them the code they book with, " +
	"so there is no patient letter to print. Book the appointment for the patient now, or try again later."

// View draws the referral, its letters, the files to add, and the
// patient letter pane in what is left.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	b := fit.NewBlock(m.width, margin)
	b.Blank()
	b.Add(st.Title.Render, "Referral letters")
	if !m.usable() {
		b.Blank()
		b.Add(st.Text.Render, "No referral to work on. Open the letters from a referral's screen.")
		return fit.Frame(strings.Join(b.Lines(), "\n"), m.width, m.height)
	}
	s := m.ref.Summary()
	b.Add(st.Text.Render, "NHS number "+nhs(s.NHSNumber)+"   UBRN "+m.ref.UBRN()+"   "+state(s)+"   version "+orNone(m.ref.Version))
	b.Blank()
	for i, n := range m.notice {
		style := st.Text.Render
		if i == 0 {
			style = st.Warning.Render
		}
		b.Add(style, n)
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
	}
	if len(m.notice) > 0 || m.failure != nil {
		b.Blank()
	}
	letters := m.current()
	b.Add(st.Title.Render, "Letters on the referral ("+strconv.Itoa(len(letters))+")")
	if len(letters) == 0 {
		b.Add(st.Faint.Render, "  none yet")
	}
	for _, l := range letters {
		b.Add(st.Text.Render, "  "+letterName(l))
	}
	b.Blank()
	b.Add(st.Title.Render, "Add files")
	b.Add(st.Faint.Render, "Press s to upload them and set the letters: the referral's letters are replaced by those above plus these.")
	for _, l := range strings.Split(m.files.View(), "\n") {
		b.Line(l)
	}
	if p := m.files.Problem(); p != "" {
		b.Add(st.Error.Render, "! "+p)
	}
	b.Blank()
	b.Add(st.Title.Render, "Patient letter (P)")
	d := m.docs.Doc(patientLetterKey)
	switch {
	case d == nil:
		b.Add(st.Faint.Render, "Press P to make the letter for the patient (their UBRN and how to book). "+
			"It is saved in your files folder, previewed here, and removed at sign-out unless you keep it (K).")
	case ersclient.IsBusinessRule(d.Err, "NO_ACCESS_CODE"):
		b.Add(st.Warning.Render, noAccessCode)
	}
	lines := b.Lines()
	if room := m.height - len(lines); room > 0 && d != nil {
		for _, l := range strings.Split(m.docs.View("", max(m.width-2*margin, 1), room), "\n") {
			lines = append(lines, strings.Repeat(" ", margin)+l)
		}
	}
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

func state(s ersclient.ReferralSummary) string {
	if l := s.State.Label(); l != "" {
		return l
	}
	return "state unknown"
}
