package letters

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the screen. It is not on the home screen: the referral
// screen opens it with a Request.
func Route() screen.Route {
	return screen.Route{
		Name:    RouteName,
		Title:   "Referral letters",
		Summary: "Add referral letters (A020, A012) and print the patient letter (A019)",
		For:     ForReferrer,
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, arg) },
	}
}

// ForReferrer is the route's For: A012 and A019 are for the referring
// clinician and the clinician admin.
func ForReferrer(role session.Role) bool {
	bf := ersclient.BusinessFunction(role.BusinessFunction)
	return bf == ersclient.ReferringClinician || bf == ersclient.ReferringClinicianAdmin
}
