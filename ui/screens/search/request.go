// Package search is the referrer's service search (A010) with its results
// grid, the service detail pane (A033, revalidated with A037) and the
// shortlist of 1-20 services built from the results.
package search

import "github.com/ers-workstation/ers-workstation/ersclient"

// RouteName is the search screen's route.
const RouteName = "search"

// Request is the "search" route's Open arg; nil or the zero Request starts
// an empty appointment search.
type Request struct {
	// NHSNumber fills the patient field (from a referral being changed).
	NHSNumber string
	// RequestType is appointment (the zero value means it) or advice: an
	// advice search ends in an A&G request (route "advice-new") for exactly
	// one service instead of a referral.
	RequestType ersclient.RequestType
	// Referral, when set, is the referral whose shortlist is being changed
	// (A031/A032): the search starts from its criteria and the shortlist
	// goes to route "create" with this referral.
	Referral *ersclient.Referral
	// Criteria are a previous search's, kept when the user comes back.
	Criteria *ersclient.SearchCriteria
}
