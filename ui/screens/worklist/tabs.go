package worklist

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/grid"
)

// providerLists and referrerLists are the tabs of each side, in the order
// the issue lists them.
func providerLists() []ersclient.WorklistType {
	return []ersclient.WorklistType{
		ersclient.WorklistReferralsForReview, ersclient.WorklistAppointmentSlotIssues,
		ersclient.WorklistAdviceAndGuidanceRequests,
	}
}

func referrerLists() []ersclient.WorklistType {
	return []ersclient.WorklistType{
		ersclient.WorklistAwaitingBooking, ersclient.WorklistRejectedTriageResponse,
		ersclient.WorklistAssessmentReturnedCancelledDNA, ersclient.WorklistLettersOutstanding,
	}
}

// ListsFor are the worklists a role may see (A008 and A023 roles in the
// digest): the provider lists for SPC/SPA/SPCA, the referrer lists for
// RC/RCA/RA, none for any other role.
func ListsFor(role session.Role) []ersclient.WorklistType {
	bf := ersclient.BusinessFunction(role.BusinessFunction)
	switch {
	case bf.IsProvider():
		return providerLists()
	case bf.IsReferrer():
		return referrerLists()
	}
	return nil
}

// HasLists reports whether the role has at least one worklist: the route's
// For.
func HasLists(role session.Role) bool { return len(ListsFor(role)) > 0 }

// listsOf is the tabs for a screen opened with or without a role. Without
// one (a route built before the root passes the identity) every list is
// offered and e-RS refuses those the role may not see, in that tab.
func listsOf(role *session.Role) []ersclient.WorklistType {
	if role == nil {
		return append(providerLists(), referrerLists()...)
	}
	return ListsFor(*role)
}

// tab is one worklist and what was last loaded for it.
type tab struct {
	list ersclient.WorklistType
	// rows are in the order given to the grid: Compare indexes them.
	rows []ersclient.WorklistRow
	// notes are what a broadcast change did to a row, by UBRN, until the
	// next load replaces the list.
	notes map[string]string
	grid  *grid.Model

	loaded  bool // rows hold a list at least once
	loading bool
	stale   bool // a change elsewhere may have moved rows onto this list
	err     error
	// reqID is the request whose reply the tab waits for; other replies
	// are stale and dropped.
	reqID     int
	refreshed time.Time
}

// index finds a row by UBRN.
func (t *tab) index(ubrn string) int {
	for i := range t.rows {
		if t.rows[i].UBRN == ubrn {
			return i
		}
	}
	return -1
}
