// Package create turns a shortlist into a referral: create (A011, or A021
// when it is sent for triage) with the letter intention and reminder days,
// or change an existing referral's shortlist (A031, or A032).
package create

import "github.com/ers-workstation/ers-workstation/ersclient"

// RouteName is the create screen's route.
const RouteName = "create"

// Request is the "create" route's Open arg, built by the search screen.
type Request struct {
	// NHSNumber is the patient's, already checked.
	NHSNumber string
	// Criteria are the search's, sent with the shortlist and kept for a
	// return to the search.
	Criteria ersclient.SearchCriteria
	// Services are the shortlist, 1 to 20, in the user's order.
	Services []ersclient.ServiceResult
	// Referral, when set, is the referral (at its version) whose shortlist
	// this replaces; nil creates a new referral.
	Referral *ersclient.Referral
}
