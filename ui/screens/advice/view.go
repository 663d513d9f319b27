package advice

import (
	"fmt"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// margin is the blank columns left of the text.
const margin = 2

// headerLines: identity, two lines of details, a blank; footerLines: the
// write's outcome or the hint.
const (
	headerLines = 4
	footerLines = 2
)

func (m *Model) textWidth() int  { return max(m.width-2*margin, 10) }
func (m *Model) bodyHeight() int { return max(m.height-headerLines-footerLines, 0) }

// View draws the request's identity and details, the conversation, the
// documents or the response form, and the outcome line, exactly the size
// given.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	lines := []string{pad + m.identityLine()}
	switch {
	case m.ubrn == "":
		lines = append(lines, "", pad+st.Text.Render("No A&G request was given to open."))
		return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
	case m.loadErr != nil:
		ev := errorview.New(st, m.loadErr)
		ev.SetSize(m.width, m.height-1)
		return fit.Frame(strings.Join(append(lines, ev.View()), "\n"), m.width, m.height)
	case m.req == nil:
		lines = append(lines, "", pad+st.Text.Render("Loading A&G request "+m.ubrn+"…"))
		return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
	}
	lines = append(lines, m.details()...)
	lines = append(lines, "")
	body := m.bodyHeight()
	var section []string
	switch m.mode {
	case modeDocs:
		section = m.docsView(body)
	case modeForm:
		section = m.formView(body)
	default:
		section = m.threadView(body)
	}
	for len(section) < body {
		section = append(section, "")
	}
	lines = append(lines, section[:body]...)
	lines = append(lines, m.footer()...)
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

func (m *Model) identityLine() string {
	st := m.c.Styles
	parts := []string{st.Faint.Render("A&G UBRN ") + st.Text.Render(m.ubrn)}
	if m.sum.NHSNumber != "" {
		parts = append(parts, st.Faint.Render("NHS ")+st.Text.Render(ersclient.FormatNHSNumber(m.sum.NHSNumber)))
	}
	if p := m.sum.Priority; p != "" {
		style := st.Text
		if p == ersclient.PriorityTwoWeekWait || p == ersclient.PriorityUrgent {
			style = st.Warning
		}
		parts = append(parts, style.Render(p.Label()))
	}
	if m.req != nil {
		parts = append(parts, st.Title.Render(m.sum.Category.Label()))
	}
	return strings.Join(parts, st.Faint.Render("  ·  "))
}

// details: specialty, service, referrer; conversion and what the user can
// do (or why not).
func (m *Model) details() []string {
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	s := m.sum
	var first []string
	if s.SpecialtyName != "" || s.Specialty != "" {
		first = append(first, "Specialty "+firstOf(s.SpecialtyName, s.Specialty))
	}
	if s.ServiceName != "" || s.ServiceID != "" {
		first = append(first, "Service "+firstOf(s.ServiceName, s.ServiceID))
	}
	if r := s.Requester; !r.IsZero() {
		first = append(first, "Referrer "+strings.TrimSpace(strings.Join([]string{r.SDSUserID, r.RoleLabel(), r.Organisation}, " ")))
	}
	conv := "Conversion to a referral: not allowed by the referrer"
	if s.ConversionAuthorised {
		conv = "Conversion to a referral: allowed by the referrer"
	} else if s.ConversionCode == "" {
		conv = "Conversion to a referral: not stated"
	}
	second := conv + " · version " + s.Version
	if s.Category == ersclient.AdviceReferrerToSubmitMoreInfo {
		second = "The provider asked for further information. The referrer adds it in the e-RS web application " +
			"(the API has no operation for it); this screen shows the conversation only."
	}
	return []string{
		pad + st.Faint.Render(fit.Line(strings.Join(first, " · "), m.textWidth())),
		pad + st.Faint.Render(fit.Line(second, m.textWidth())),
	}
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (m *Model) threadView(height int) []string {
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	if m.threadErr != nil {
		d := errorview.Describe(m.threadErr)
		out := []string{pad + st.Error.Render("The conversation could not be loaded: "+d.What)}
		if d.Code != "" || d.CorrelationID != "" {
			out = append(out, pad+st.Faint.Render(fmt.Sprintf("e-RS code %s, correlation id %s. Press r to try again.", d.Code, d.CorrelationID)))
		}
		return out
	}
	lines := m.conv.layout(st, m.textWidth())
	top := min(m.conv.top, max(len(lines)-height, 0))
	out := make([]string, 0, height)
	for _, l := range lines[top:min(top+height, len(lines))] {
		out = append(out, pad+l)
	}
	return out
}

func (m *Model) docsView(height int) []string {
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	width := m.textWidth()
	listH := min(len(m.items), max(height/3, 2))
	top := 0
	if m.docCur >= listH {
		top = m.docCur - listH + 1
	}
	var out []string
	for i := top; i < min(top+listH, len(m.items)); i++ {
		it := m.items[i]
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
		if i == m.docCur {
			out = append(out, pad+st.Selected.Render(fit.Line("▶ "+text, width)))
		} else {
			out = append(out, pad+st.Text.Render(fit.Line("  "+text, width)))
		}
	}
	out = append(out, "")
	it, _ := m.focusedDoc()
	pane := m.docs.View(it.why, width, max(height-len(out), 1))
	for _, l := range strings.Split(pane, "\n") {
		out = append(out, pad+l)
	}
	return out
}

// footer: the write's outcome, or why convert is not offered, or a hint.
func (m *Model) footer() []string {
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	width := m.textWidth()
	w := m.write
	switch {
	case w.busy && w.problem != "":
		return []string{pad + st.Warning.Render(fit.Line(w.problem, width)), ""}
	case w.busy:
		return []string{pad + st.Text.Render("Sending…"), ""}
	case w.err != nil:
		d := errorview.Describe(w.err)
		second := w.problem
		if ids := strings.TrimSpace(detail(d)); ids != "" {
			second = ids + " " + second
		}
		return []string{pad + st.Error.Render(fit.Line("Not sent: "+d.What, width)), pad + st.Faint.Render(fit.Line(second, width))}
	case w.problem != "":
		lines := append(fit.Wrap(w.problem, width), "")
		return []string{pad + st.Warning.Render(lines[0]), pad + st.Warning.Render(lines[1])}
	}
	if m.provider() && m.req != nil && m.mode == modeThread {
		if ok, why := m.canConvert(); !ok {
			lines := append(fit.Wrap("Convert (c) is not available: "+why, width), "")
			return []string{pad + st.Faint.Render(lines[0]), pad + st.Faint.Render(lines[1])}
		}
	}
	return []string{"", ""}
}

// detail is an error's code and correlation id, for a line of its own.
func detail(d errorview.Details) string {
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
	return strings.Join(parts, ", ") + "."
}
