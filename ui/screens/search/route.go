package search

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the search. From the home screen it opens empty; the
// referral screen opens it with a Request to change a shortlist.
func Route() screen.Route {
	return screen.Route{
		Name:    RouteName,
		Title:   "Service search",
		Summary: "Find services for a patient and build a shortlist to refer to",
		Key:     "s",
		OnHome:  true,
		For:     ForRole,
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, arg) },
	}
}

// ForRole reports whether the role may search for services: A010 is for
// referring clinicians and their admins only.
func ForRole(r session.Role) bool {
	switch ersclient.BusinessFunction(r.BusinessFunction) {
	case ersclient.ReferringClinician, ersclient.ReferringClinicianAdmin:
		return true
	}
	return false
}
