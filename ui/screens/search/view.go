package search

import (
	"strconv"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
)

// labelWidth is the form's label column.
const labelWidth = 26

// View draws the heading, the note, then the form (or its picker) or the
// results, exactly the size given.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lines := m.head()
	room := max(m.height-len(lines), 0)
	switch {
	case m.picker != nil:
		lines = append(lines, indent(m.picker.lines(m.c.Styles, room), 2)...)
	case m.pane == paneForm:
		lines = append(lines, m.formLines(room)...)
	default:
		lines = append(lines, m.resultsLines(room)...)
	}
	return fit.Frame(strings.Join(lines, "\n"), m.width, m.height)
}

// head is the title, who the search is for, the panes and the note.
func (m *Model) head() []string {
	st := m.c.Styles
	title := st.Title.Render(m.Title())
	if m.changing() {
		title += st.Faint.Render("  for referral " + m.req.Referral.UBRN())
	}
	if n := m.f.nhsNumber(); ersclient.ValidNHSNumber(n) {
		title += st.Text.Render("   NHS number " + ersclient.FormatNHSNumber(n))
	}
	tabs := []string{"Search form", "Results"}
	if m.found != nil {
		tabs[1] = "Results (" + itoa(len(m.found.res.Services)) + ")"
	}
	var pane strings.Builder
	for i, t := range tabs {
		if i > 0 {
			pane.WriteString("  ")
		}
		if int(m.pane) == i {
			pane.WriteString(st.Selected.Render(" " + t + " "))
		} else {
			pane.WriteString(st.Faint.Render(" " + t + " "))
		}
	}
	pane.WriteString(st.Text.Render("   Shortlist " + itoa(len(m.shortlist)) + " of " + itoa(m.maxList())))
	out := []string{" " + title, " " + pane.String()}
	if m.note.text != "" {
		style := st.Text.Render
		word := "Note: "
		if m.note.level == warn {
			style, word = st.Warning.Render, "Warning: "
		}
		b := fit.NewBlock(m.width, 1)
		b.Add(style, word+m.note.text)
		// At most two lines: the note must not push the body away.
		out = append(out, b.Lines()[:min(2, b.Len())]...)
	}
	return out
}

// formLines draws the fields with each problem under its field, scrolled
// to keep the focused field in view.
func (m *Model) formLines(room int) []string {
	st := m.c.Styles
	var body []string
	focusAt := 0
	for id := fieldID(0); id < numFields; id++ {
		if id == m.f.focus {
			focusAt = len(body)
		}
		gutter := "  "
		if id == m.f.focus {
			gutter = st.Accent.Render("▶ ")
		}
		if id == fSearch {
			body = append(body, "")
			btn := "[ Search ]"
			if m.f.focus == fSearch {
				btn = st.Selected.Render(btn)
			} else {
				btn = st.Accent.Render(btn)
			}
			body = append(body, gutter+btn+st.Faint.Render("  enter searches from any typed field"))
			continue
		}
		label := fit.Line(id.label(), labelWidth)
		if id == m.f.focus {
			label = st.Accent.Render(label)
		} else {
			label = st.Faint.Render(label)
		}
		body = append(body, gutter+label+" "+m.fieldValue(id))
		if e := m.f.errs[id]; e != "" {
			for _, l := range fit.Wrap("! "+e, max(m.width-labelWidth-4, 20)) {
				body = append(body, strings.Repeat(" ", labelWidth+3)+st.Error.Render(l))
			}
		}
	}
	if err := m.refDataErr(); err != nil {
		d := errorview.Describe(err)
		b := fit.NewBlock(m.width, 2)
		b.Blank()
		b.Add(st.Error.Render, "Error: the lists to choose from could not be loaded (r loads them again).")
		b.Add(st.Text.Render, d.What)
		if d.CorrelationID != "" {
			b.Add(st.Faint.Render, "Correlation id: "+d.CorrelationID)
		}
		body = append(body, b.Lines()...)
	}
	if m.searching {
		body = append(body, "", "  "+st.Faint.Render("Searching…"))
	}
	top := scroll.Window(0, focusAt, len(body), room)
	return body[top:min(top+room, len(body))]
}

// fieldValue is how a field shows its value.
func (m *Model) fieldValue(id fieldID) string {
	st := m.c.Styles
	f := &m.f
	two := func(on bool, yes, no string) string {
		if on {
			return st.Text.Render(yes)
		}
		return st.Text.Render(no)
	}
	switch id {
	case fRequestType:
		v := two(f.advice, "Advice and guidance", "Appointment")
		if f.locked {
			v += st.Faint.Render("  (fixed: changing a referral's shortlist)")
		}
		return v
	case fNHS:
		if f.locked {
			return st.Text.Render(ersclient.FormatNHSNumber(f.nhsNumber())) + st.Faint.Render("  (the referral's patient)")
		}
	case fPriority, fSpecialty, fClinicType:
		p := map[fieldID]pick{fPriority: f.priority, fSpecialty: f.specialty, fClinicType: f.clinic}[id]
		loading := m.ref.loading[map[fieldID]string{fPriority: csPriority, fSpecialty: csSpecialty, fClinicType: csClinicType}[id]]
		switch {
		case !p.none():
			return st.Text.Render(p.Label) + st.Faint.Render(" ("+p.Coding.Code+")")
		case loading:
			return st.Faint.Render("loading the list…")
		case id == fPriority:
			return st.Faint.Render("choose (enter)")
		}
		return st.Faint.Render("any (enter to choose)")
	case fSort:
		return two(f.byWait, "Indicative wait time", "Distance")
	case fAgeGender:
		return two(f.ageGender, "Yes: only services for the patient's age and sex", "No")
	}
	return f.texts[id].View()
}

// resultsLines draws the summary, the grid, the detail pane and the
// shortlist, sharing the room between them.
func (m *Model) resultsLines(room int) []string {
	st := m.c.Styles
	switch {
	case m.searchErr != nil:
		ev := errorview.New(st, m.searchErr)
		ev.SetSize(m.width, room)
		return strings.Split(ev.View(), "\n")
	case m.found == nil && m.searching:
		return []string{"", "  " + st.Faint.Render("Searching…")}
	case m.found == nil:
		return []string{"", "  " + st.Faint.Render("No search yet: fill in the form (f) and press enter.")}
	}
	out := []string{" " + m.summary()}
	list := m.shortlistLines(room)
	detail := 0
	if m.detailOn {
		detail = max((room-len(out)-len(list))/2, 4)
	}
	gridRows := max(room-len(out)-len(list)-detail, 2)
	m.grid.SetSize(m.width, gridRows)
	out = append(out, strings.Split(m.grid.View(), "\n")...)
	if m.detailOn {
		out = append(out, m.detailPane(detail)...)
	}
	return append(out, list...)
}

// summary says what the results are of.
func (m *Model) summary() string {
	st := m.c.Styles
	s := m.found.search
	parts := []string{plural(len(m.found.res.Services), "service")}
	if s.RequestType == ersclient.RequestAdviceAndGuidance {
		parts = append(parts, "advice and guidance")
	}
	if m.f.priority.Label != "" {
		parts = append(parts, m.f.priority.Label)
	}
	if s.Criteria.Specialty.Code != "" {
		parts = append(parts, or(m.f.specialty.Label, s.Criteria.Specialty.Code))
	}
	if s.SortBy == ersclient.SortByWaitTime {
		parts = append(parts, "by wait")
	} else {
		parts = append(parts, "by distance")
	}
	line := st.Text.Render(strings.Join(parts, " · "))
	if m.searching {
		line += st.Faint.Render("  searching again…")
	}
	return line
}

// detailPane is the highlighted service's details in height lines, with a
// rule above, scrolled by J and K.
func (m *Model) detailPane(height int) []string {
	st := m.c.Styles
	all := m.detailLines(m.width)
	m.detailTop = min(m.detailTop, max(len(all)-(height-1), 0))
	out := []string{st.Faint.Render(strings.Repeat("─", m.width))}
	end := min(m.detailTop+height-1, len(all))
	out = append(out, all[m.detailTop:end]...)
	for len(out) < height {
		out = append(out, "")
	}
	return out
}

// shortlistLines lists the shortlist in order, with alerts in words; at
// most a few lines, then how many more.
func (m *Model) shortlistLines(room int) []string {
	st := m.c.Styles
	if len(m.shortlist) == 0 {
		return []string{st.Faint.Render(" Shortlist empty: space or + adds the highlighted service.")}
	}
	most := max(min(4, room/5), 1)
	head := " Shortlist (" + itoa(len(m.shortlist)) + " of " + itoa(m.maxList()) + ", in order; enter or c continues):"
	if m.advice() {
		head = " Advice request to (exactly one service; enter or c continues):"
	}
	out := []string{st.Title.Render(head)}
	for i, s := range m.shortlist {
		if i == most && len(m.shortlist) > most+1 {
			out = append(out, st.Faint.Render("   … and "+itoa(len(m.shortlist)-most)+" more"))
			break
		}
		line := "  " + strconv.Itoa(i+1) + ". " + s.Name
		if p := place(&s); p != "" {
			line += " - " + p
		}
		line += " [" + flowText(s.RequestFlowTypes) + "]"
		if s.ReferrerAlert != "" {
			out = append(out, st.Text.Render(line)+" "+st.Warning.Render("! ALERT"))
			continue
		}
		out = append(out, st.Text.Render(line))
	}
	return out
}

func indent(lines []string, n int) []string {
	pad := strings.Repeat(" ", n)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = pad + l
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return itoa(n) + " " + word + "s"
}
