// Package actions holds the provider action forms opened from the referral
// screen: accept (A013), reject (A014), cancel appointment action later
// (A022), record review outcome (A028) and cancel referral (A036). Each form
// validates before sending, asks for confirmation naming the patient, the
// UBRN and the action, sends the referral's version as If-Match, and on
// success broadcasts screen.ReferralChanged and goes back. Conflicts reload
// the referral and keep what was typed; unknown outcomes are read back,
// never retried silently.
//
// It is not the place for referrer actions or A&G replies.
package actions

import (
	"github.com/ers-workstation/ers-workstation/ersclient"
)

// The five actions a Request can name. The two that A029 offers by code use
// that code; A029 has no code for the other three (they are offered by the
// referral's state), so they have codes of their own here.
const (
	Accept                       = "ACCEPT_REFERRAL"
	Reject                       = "REJECT_REFERRAL"
	CancelAppointmentActionLater = "CANCEL_APPOINTMENT_ACTION_LATER"
	RecordReviewOutcome          = string(ersclient.ActionRecordReviewOutcome)
	CancelReferral               = string(ersclient.ActionCancelReferral)
)

// Request is the "action" route's Open arg: the referral as last read (its
// Version is sent as If-Match) and the action to take on it.
type Request struct {
	Referral *ersclient.Referral
	// Action is the A029 action code, or one of the constants above.
	Action string
	// Role is the business function the user acts in; it picks the
	// cancellation reasons offered. Empty means a provider role (SPC or
	// SPCA), which is who these forms are for.
	Role ersclient.BusinessFunction
}

// Label is the action in words, as the referral screen shows it on its key.
func Label(action string) string {
	switch action {
	case Accept:
		return "Accept referral"
	case Reject:
		return "Reject referral"
	case CancelAppointmentActionLater:
		return "Cancel appointment, action later"
	case RecordReviewOutcome:
		return "Record review outcome"
	case CancelReferral:
		return "Cancel referral"
	}
	return ""
}

// Supported reports whether this package has a form for the action, so the
// referral screen offers only keys that open something.
func Supported(action string) bool { return Label(action) != "" }
