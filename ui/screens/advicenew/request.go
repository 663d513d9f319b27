// Package advicenew is the referrer's new Advice & Guidance request (A044)
// to one advice service found by an advice search.
package advicenew

import "github.com/ers-workstation/ers-workstation/ersclient"

// RouteName is the new A&G request screen's route.
const RouteName = "advice-new"

// Request is the "advice-new" route's Open arg, built by the search screen.
type Request struct {
	// NHSNumber is the patient's, already checked.
	NHSNumber string
	// Service is the one advice service chosen.
	Service ersclient.ServiceResult
	// Criteria are the search's, kept for a return to the search.
	Criteria ersclient.SearchCriteria
}
