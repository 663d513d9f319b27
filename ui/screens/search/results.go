package search

import (
	"context"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/grid"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// The results grid's columns, in display order.
const (
	colService = iota
	colOrg
	colDistance
	colWait
	colBooking
	colFlow
	colLetter
	colAlert
	colList
	numCols
)

// columns keep the e-RS order of the results (by distance or by wait, as
// asked); a narrow terminal drops the letter, distance and booking columns
// before the alert or the place on the shortlist, which never go.
func columns() []grid.Column {
	return []grid.Column{
		colService:  {Title: "Service", Width: 30, MinWidth: 14},
		colOrg:      {Title: "Organisation / site", Width: 26, MinWidth: 12, Drop: 5},
		colDistance: {Title: "Miles", Width: 5, Align: grid.Right, Drop: 6},
		colWait:     {Title: "Indicative wait", Width: 20, Drop: 2},
		colBooking:  {Title: "Booking", Width: 10, Drop: 4},
		colFlow:     {Title: "Flow", Width: 18, MinWidth: 11, Drop: 3},
		colLetter:   {Title: "Letter", Width: 8, Drop: 7},
		colAlert:    {Title: "Alert", Width: 5},
		colList:     {Title: "List", Width: 4},
	}
}

// found is a search's answer with what was sent for it.
type found struct {
	search ersclient.ServiceSearch
	res    *ersclient.ServiceSearchResults
	byID   map[string]int
}

func (f *found) service(id string) (ersclient.ServiceResult, bool) {
	if f == nil {
		return ersclient.ServiceResult{}, false
	}
	i, ok := f.byID[id]
	if !ok {
		return ersclient.ServiceResult{}, false
	}
	return f.res.Services[i], true
}

// searchedMsg answers a search.
type searchedMsg struct {
	id     int
	search ersclient.ServiceSearch
	res    *ersclient.ServiceSearchResults
	err    error
}

// runSearch checks the form and sends it (A010); an earlier search still
// under way becomes stale.
func (m *Model) runSearch() tea.Cmd {
	s, ok := m.f.build(m.referringClinician, m.commRuleOrg)
	if !ok {
		if id, bad := m.f.firstError(); bad {
			m.note = noteOf(warn, "Check the form: "+strconv.Itoa(len(m.f.errs))+" field(s) need attention.")
			return m.f.setFocus(id)
		}
		return nil
	}
	return m.send(s)
}

// send runs a checked search.
func (m *Model) send(s ersclient.ServiceSearch) tea.Cmd {
	m.seq++
	id, ers, timeout := m.seq, m.c.ERS, m.c.Timeout
	m.searchReq, m.searching, m.searchErr, m.attempt = id, true, nil, &s
	m.note = note{}
	return tea.Batch(busy("Searching for services", true), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		res, err := ers.SearchServicesForPatient(ctx, s)
		return searchedMsg{id: id, search: s, res: res, err: err}
	})
}

// searched shows a search's answer, unless a later search superseded it.
// The shortlist belongs to one patient and request type: another patient
// or type empties it; otherwise services no longer in the results leave it
// (e-RS refuses a shortlisted service its criteria would not find).
func (m *Model) searched(msg searchedMsg) tea.Cmd {
	if msg.id != m.searchReq {
		return nil
	}
	m.searching = false
	done := busy("Searching for services", false)
	if msg.err != nil {
		m.searchErr = msg.err
		m.pane = paneResults
		m.blurForm()
		return done
	}
	res := msg.res
	if res == nil {
		res = &ersclient.ServiceSearchResults{}
	}
	fd := &found{search: msg.search, res: res, byID: make(map[string]int, len(res.Services))}
	for i, s := range res.Services {
		if _, dup := fd.byID[s.ID]; !dup {
			fd.byID[s.ID] = i
		}
	}
	var notes []string
	prev := m.found
	switch {
	case prev != nil && (prev.search.NHSNumber != msg.search.NHSNumber || prev.search.RequestType != msg.search.RequestType):
		if len(m.shortlist) > 0 {
			notes = append(notes, "The shortlist was emptied: it was for another patient or request type.")
		}
		m.shortlist = nil
	default:
		m.shortlist = m.keepFound(fd, m.shortlist, &notes)
	}
	if len(m.pending) > 0 {
		var from []ersclient.ServiceResult
		for _, p := range m.pending {
			if s, ok := fd.service(p.ID); ok {
				from = append(from, s)
			} else {
				notes = append(notes, or(p.Name, p.ID)+" is on the referral's shortlist but not in these results, so it is not kept.")
			}
		}
		m.shortlist, m.pending = from, nil
	}
	m.found = fd
	m.setRows()
	m.pane = paneResults
	m.blurForm()
	if len(notes) > 0 {
		m.note = noteOf(warn, strings.Join(notes, " "))
	}
	return tea.Batch(done, m.detailCmd())
}

// keepFound keeps the shortlisted services still in the results, in order,
// with their new details.
func (m *Model) keepFound(fd *found, list []ersclient.ServiceResult, notes *[]string) []ersclient.ServiceResult {
	var kept []ersclient.ServiceResult
	var gone []string
	for _, s := range list {
		if ns, ok := fd.service(s.ID); ok {
			kept = append(kept, ns)
		} else {
			gone = append(gone, s.Name)
		}
	}
	if len(gone) > 0 {
		*notes = append(*notes, "Left the shortlist, not in the new results: "+strings.Join(gone, ", ")+".")
	}
	return kept
}

// setRows gives the grid the results' cells, measured once here.
func (m *Model) setRows() {
	if m.found == nil {
		m.grid.SetRows(nil, nil, nil)
		return
	}
	svcs := m.found.res.Services
	keys := make([]string, len(svcs))
	cells := make([][]string, len(svcs))
	marks := make([]grid.Mark, len(svcs))
	for i := range svcs {
		s := &svcs[i]
		keys[i] = s.ID
		cells[i], marks[i] = m.cells(s)
	}
	m.grid.SetRows(keys, cells, marks)
	if reason := m.found.res.EmptyReason; reason != "" {
		m.grid.SetEmpty("No services found. e-RS says: " + reason)
	} else {
		m.grid.SetEmpty("No services match these criteria. Widen the search (f) and try again.")
	}
}

// refreshRow redraws one row after the shortlist changed.
func (m *Model) refreshRow(id string) {
	if s, ok := m.found.service(id); ok {
		cells, mark := m.cells(&s)
		m.grid.UpdateRow(id, cells, mark)
	}
}

// cells are a service's row. A referrer alert is marked with the "!"
// glyph and the word ALERT, so it cannot rest on colour or be missed.
func (m *Model) cells(s *ersclient.ServiceResult) ([]string, grid.Mark) {
	c := make([]string, numCols)
	c[colService] = s.Name
	c[colOrg] = place(s)
	if s.Distance != nil {
		c[colDistance] = strconv.Itoa(*s.Distance)
	}
	c[colWait] = waitText(s.IndicativeWait)
	c[colBooking] = bookingText(s.BookableType)
	c[colFlow] = flowText(s.RequestFlowTypes)
	if s.ReferralLetterRequired {
		c[colLetter] = "Required"
	}
	mark := grid.None
	if s.ReferrerAlert != "" {
		c[colAlert], mark = "ALERT", grid.Attention
	}
	if i := m.listed(s.ID); i >= 0 {
		c[colList] = "#" + strconv.Itoa(i+1)
		if mark == grid.None {
			mark = grid.Done
		}
	}
	return c, mark
}

func place(s *ersclient.ServiceResult) string {
	switch {
	case s.LocationName != "" && s.LocationCode != "":
		return s.LocationName + " (" + s.LocationCode + ")"
	case s.LocationName != "":
		return s.LocationName
	}
	return s.LocationCode
}

// waitText is the indicative wait; a code (no number) is shown as e-RS
// names it, in capitals: LIMITED AVAILABILITY.
func waitText(w ersclient.IndicativeWait) string {
	if !w.Known() && w.Code != "" {
		return strings.ToUpper(w.String())
	}
	return w.String()
}

func bookingText(t string) string {
	switch t {
	case ersclient.DirectlyBookable:
		return "Directly"
	case ersclient.IndirectlyBookable:
		return "Indirectly"
	}
	return "-"
}

// flowText names the request flows a service takes.
func flowText(flows []string) string {
	var out []string
	for _, f := range flows {
		switch f {
		case ersclient.FlowAppointment:
			out = append(out, "Appointment")
		case ersclient.FlowTriage:
			out = append(out, "Triage")
		case ersclient.FlowAdviceAndGuidance:
			out = append(out, "Advice")
		default:
			out = append(out, f)
		}
	}
	return strings.Join(out, ", ")
}

func busy(task string, on bool) tea.Cmd {
	return func() tea.Msg { return screen.Busy{Task: task, On: on} }
}
