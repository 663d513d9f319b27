// Package booking books, defers or sends a referral for triage (A015 slots,
// A016) and cancels a directly booked appointment (A034) to rebook.
//
// It is the referrer's screen (RC, RCA), opened from the referral screen
// with a Request; it is not for providers' booking lists, which e-RS keeps
// in its own user interface.
package booking

import "github.com/ers-workstation/ers-workstation/ersclient"

// RouteName is the booking screen's route.
const RouteName = "booking"

// Request is the "booking" route's Open arg.
type Request struct {
	// Referral is the referral as last read (its shortlist, priority,
	// commissioning rule organisation and version).
	Referral *ersclient.Referral
	// CancelFirst asks to cancel the referral's directly booked
	// appointment (A034) before offering slots again: the rebook path.
	CancelFirst bool
	// Role is the business function the user works in; it picks the
	// appointment cancellation reasons offered (A004 businessFunction).
	// Empty means either referrer role (RC or RCA).
	Role ersclient.BusinessFunction
}
