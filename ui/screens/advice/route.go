package advice

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the screen. It is not on the home screen: the worklist's
// A&G tab, the UBRN look-up and advicenew open it with a UBRN.
func Route() screen.Route {
	return screen.Route{
		Name:    RouteName,
		Title:   "Advice and Guidance",
		Summary: "An A&G request: its conversation, response and conversion",
		For:     MayUse,
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, arg) },
	}
}

// MayUse: both sides read a request (A024, A025); only provider clinicians
// respond and convert.
func MayUse(role session.Role) bool {
	return isProvider(role.BusinessFunction) || isReferrer(role.BusinessFunction)
}

func isProvider(bf string) bool {
	switch ersclient.BusinessFunction(bf) {
	case ersclient.ServiceProviderClinician, ersclient.ServiceProviderClinicianAdmin:
		return true
	}
	return false
}

func isReferrer(bf string) bool {
	switch ersclient.BusinessFunction(bf) {
	case ersclient.ReferringClinician, ersclient.ReferringClinicianAdmin:
		return true
	}
	return false
}
