package booking

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the booking screen. It is not on the home screen: the
// referral screen opens it with a Request.
func Route() screen.Route {
	return screen.Route{
		Name:    RouteName,
		Title:   "Book appointment",
		Summary: "Book, defer or send for triage; cancel and rebook (opened from a referral)",
		For:     ForReferrers,
		New:     New,
	}
}

// ForReferrers reports the roles that book: referring clinicians and their
// admins (A015, A016 and A034 allow RC and RCA only).
func ForReferrers(role session.Role) bool {
	switch ersclient.BusinessFunction(role.BusinessFunction) {
	case ersclient.ReferringClinician, ersclient.ReferringClinicianAdmin:
		return true
	}
	return false
}
