// Package screens is the registry of the workstation's screens: one Route
// per screen, each built by its own package. A new screen is a package and
// one line here.
package screens

import (
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/actions"
	"github.com/ers-workstation/ers-workstation/ui/screens/advice"
	"github.com/ers-workstation/ers-workstation/ui/screens/advicenew"
	"github.com/ers-workstation/ers-workstation/ui/screens/booking"
	"github.com/ers-workstation/ers-workstation/ui/screens/create"
	"github.com/ers-workstation/ers-workstation/ui/screens/home"
	"github.com/ers-workstation/ers-workstation/ui/screens/letters"
	"github.com/ers-workstation/ers-workstation/ui/screens/referral"
	"github.com/ers-workstation/ers-workstation/ui/screens/roles"
	"github.com/ers-workstation/ers-workstation/ui/screens/search"
	"github.com/ers-workstation/ers-workstation/ui/screens/signin"
	"github.com/ers-workstation/ers-workstation/ui/screens/worklist"
)

// Registry is every route, in the order the home screen and the palette
// list them. The home screen reads the same list to offer the others.
func Registry() []screen.Route {
	var routes []screen.Route
	routes = []screen.Route{
		signin.Route(),
		roles.Route(),
		home.Route(func() []screen.Route { return routes }),
		worklist.Route(),
		referral.Route(),
		actions.Route(),
		search.Route(),
		create.Route(),
		letters.Route(),
		advice.Route(),
		advicenew.Route(),
		booking.Route(),
	}
	return routes
}
