package advicenew

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the new A&G request form. It is not on the home screen:
// the service search opens it with a Request once one advice service is
// chosen.
func Route() screen.Route {
	return screen.Route{
		Name:    RouteName,
		Title:   "New A&G request",
		Summary: "Ask an advice service for Advice & Guidance (opened from a service search)",
		For:     ForReferrers,
		New:     New,
	}
}

// ForReferrers reports the referring roles A044 allows: RC and RCA.
func ForReferrers(role session.Role) bool {
	switch ersclient.BusinessFunction(role.BusinessFunction) {
	case ersclient.ReferringClinician, ersclient.ReferringClinicianAdmin:
		return true
	}
	return false
}
