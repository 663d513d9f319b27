package search

import (
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/advicenew"
	"github.com/ers-workstation/ers-workstation/ui/screens/create"
)

// The shortlist follows e-RS's rules: 1 to 20 distinct services
// (TOO_MANY_ITEMS, DUPLICATE_SERVICE), all found by the search whose
// criteria go with it (SHORTLISTED_SERVICE_NOT_IN_RESULTS), kept in the
// order chosen; an advice and guidance request goes to exactly one advice
// service.

// listed is the service's place on the shortlist, or -1.
func (m *Model) listed(id string) int {
	for i, s := range m.shortlist {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// selected is the highlighted result.
func (m *Model) selected() (ersclient.ServiceResult, bool) {
	id, ok := m.grid.Selected()
	if !ok {
		return ersclient.ServiceResult{}, false
	}
	return m.found.service(id)
}

// add puts the highlighted service at the end of the shortlist.
func (m *Model) add() {
	s, ok := m.selected()
	if !ok {
		return
	}
	if m.listed(s.ID) >= 0 {
		m.note = noteOf(info, s.Name+" is already on the shortlist (#"+strconv.Itoa(m.listed(s.ID)+1)+").")
		return
	}
	if m.advice() && len(m.shortlist) > 0 {
		// An advice request has exactly one service: the new choice
		// replaces the old.
		old := m.shortlist[0]
		m.shortlist = []ersclient.ServiceResult{s}
		m.refreshRow(old.ID)
		m.refreshRow(s.ID)
		m.note = noteOf(info, "An advice request goes to one service: "+s.Name+" replaces "+old.Name+".")
		return
	}
	if len(m.shortlist) >= ersclient.MaxShortlist {
		m.note = noteOf(warn, "The shortlist is full: e-RS allows at most 20 services. Remove one (-) first.")
		return
	}
	m.shortlist = append(m.shortlist, s)
	m.refreshRow(s.ID)
	m.note = noteOf(info, "Added "+s.Name+" to the shortlist (#"+strconv.Itoa(len(m.shortlist))+").")
}

// remove takes the highlighted service off the shortlist; the rest keep
// their order.
func (m *Model) remove() {
	s, ok := m.selected()
	if !ok {
		return
	}
	i := m.listed(s.ID)
	if i < 0 {
		m.note = noteOf(info, s.Name+" is not on the shortlist.")
		return
	}
	m.shortlist = append(m.shortlist[:i:i], m.shortlist[i+1:]...)
	for _, rest := range m.shortlist[i:] {
		m.refreshRow(rest.ID)
	}
	m.refreshRow(s.ID)
	m.note = noteOf(info, "Removed "+s.Name+" from the shortlist.")
}

// advice reports that the results are of an advice and guidance search.
func (m *Model) advice() bool {
	return m.found != nil && m.found.search.RequestType == ersclient.RequestAdviceAndGuidance
}

// proceed hands the shortlist on: to the referral (route create) for an
// appointment search, to a new A&G request for an advice search. The
// patient and criteria are the search's, not whatever the form holds now.
func (m *Model) proceed() tea.Cmd {
	if m.found == nil {
		return nil
	}
	if len(m.shortlist) == 0 {
		m.note = noteOf(warn, "The shortlist is empty: add a service with space or + first.")
		return nil
	}
	s := m.found.search
	if m.advice() {
		return open(advicenew.RouteName, advicenew.Request{NHSNumber: s.NHSNumber, Service: m.shortlist[0], Criteria: s.Criteria})
	}
	return open(create.RouteName, create.Request{
		NHSNumber: s.NHSNumber,
		Criteria:  s.Criteria,
		Services:  append([]ersclient.ServiceResult(nil), m.shortlist...),
		Referral:  m.req.Referral,
	})
}

func open(route string, arg any) tea.Cmd {
	return func() tea.Msg { return screen.Open{Route: route, Arg: arg} }
}
