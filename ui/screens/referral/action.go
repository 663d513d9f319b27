package referral

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/actions"
)

// The actions the screen can start, as package actions names them.
const (
	actAccept = actions.Accept
	actReject = actions.Reject
	actLater  = actions.CancelAppointmentActionLater
	actReview = actions.RecordReviewOutcome
	actCancel = actions.CancelReferral
)

func actionLabel(action string) string { return actions.Label(action) }

func actionSupported(action string) bool { return actions.Supported(action) }

// openAction opens the action form for the referral as shown: its Version
// is what the form sends as If-Match.
func openAction(ref *ersclient.Referral, action string) tea.Cmd {
	req := actions.Request{Referral: ref, Action: action}
	return func() tea.Msg { return screen.Open{Route: actions.RouteName, Arg: req} }
}
