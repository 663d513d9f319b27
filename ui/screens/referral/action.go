package referral

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/actions"
	"github.com/ers-workstation/ers-workstation/ui/screens/booking"
	"github.com/ers-workstation/ers-workstation/ui/screens/letters"
	"github.com/ers-workstation/ers-workstation/ui/screens/search"
)

// The actions the screen can start, as package actions names them.
const (
	actAccept = actions.Accept
	actReject = actions.Reject
	actLater  = actions.CancelAppointmentActionLater
	actReview = actions.RecordReviewOutcome
	actCancel = actions.CancelReferral
)

// actionLabel is the action in words, on its key and in the footer.
func actionLabel(action string) string {
	if l := referrerLabel(action); l != "" {
		return l
	}
	return actions.Label(action)
}

func actionSupported(action string) bool { return actions.Supported(action) }

// openAction opens the screen that takes the action on the referral as
// shown: its Version is what the write sends as If-Match.
func openAction(ref *ersclient.Referral, action string, role ersclient.BusinessFunction) tea.Cmd {
	var open screen.Open
	switch action {
	case actBook:
		open = screen.Open{Route: booking.RouteName, Arg: booking.Request{Referral: ref, Role: role}}
	case actRebook:
		open = screen.Open{Route: booking.RouteName, Arg: booking.Request{Referral: ref, CancelFirst: true, Role: role}}
	case actShortlist:
		open = screen.Open{Route: search.RouteName, Arg: search.Request{Referral: ref, NHSNumber: ref.Summary().NHSNumber}}
	case actReferrerCancel:
		// The referrer's cancellation reasons differ from the provider's.
		if !role.IsReferrer() {
			role = ersclient.ReferringClinician
		}
		open = screen.Open{Route: actions.RouteName, Arg: actions.Request{Referral: ref, Action: actions.CancelReferral, Role: role}}
	case actLetters:
		open = screen.Open{Route: letters.RouteName, Arg: letters.Request{Referral: ref}}
	case actPatientLetter:
		open = screen.Open{Route: letters.RouteName, Arg: letters.Request{Referral: ref, PatientLetter: true}}
	default:
		open = screen.Open{Route: actions.RouteName, Arg: actions.Request{Referral: ref, Action: action}}
	}
	return func() tea.Msg { return open }
}
