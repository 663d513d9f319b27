package create

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the screen. It is not on the home screen: the search
// screen opens it with a Request once the shortlist is chosen.
func Route() screen.Route {
	return screen.Route{
		Name:    RouteName,
		Title:   "Create referral",
		Summary: "Create a referral from a shortlist, or change a referral's shortlist",
		For:     ForReferrer,
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, arg) },
	}
}

// ForReferrer is the routes' For: the referring clinician and the clinician
// admin, the roles A011, A021, A031 and A032 allow.
func ForReferrer(role session.Role) bool {
	bf := ersclient.BusinessFunction(role.BusinessFunction)
	return bf == ersclient.ReferringClinician || bf == ersclient.ReferringClinicianAdmin
}
