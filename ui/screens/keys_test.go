package screens

import (
	"context"
	"errors"
	"testing"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/home"
	"github.com/ers-workstation/ers-workstation/ui/screens/roles"
	"github.com/ers-workstation/ers-workstation/ui/screens/signin"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// loaded builds a route's screen and runs it to a state where its keys are
// enabled, so the key check sees them (a screen just built has most of its
// keys disabled until its data arrives).
func loaded(name string, build func() screen.Screen, keys ...string) screen.Route {
	return screen.Route{Name: name, New: func(screen.Common, any) screen.Screen {
		s := build()
		res := uitest.RunInit(s, s.Init(), uitest.Keys(keys...)...)
		for _, m := range res.ToRoot() {
			if p, ok := m.(screen.Push); ok {
				return p.Screen
			}
		}
		return res.Model
	}}
}

func TestNoKeyIsBoundTwiceOrTakenByTheRootInAnyState(t *testing.T) {
	id := session.Identity{UserID: "555000000001", Name: "Pat", Role: &session.Role{BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "R1A"}}
	failing := uitest.NewFakeAuth()
	failing.ResumeErr, failing.StartErr = session.ErrSignInRequired, errors.New("down")
	waiting := uitest.NewFakeAuth()
	waiting.ResumeErr = session.ErrSignInRequired
	waiting.Challenge = session.Challenge{URL: "http://127.0.0.1/l/X", UserCode: "X"}
	waiting.FinishFn = func(ctx context.Context) (session.Identity, error) { // the browser never answers
		<-ctx.Done()
		return session.Identity{}, ctx.Err()
	}
	withRoles := uitest.NewFakeAuth()
	withRoles.RolesResult = session.Roles{
		Choices:    []gatewayapi.RoleChoice{{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R1A"}},
		Clinicians: map[string][]gatewayapi.Clinician{"R1A": {{SDSUserID: "1", Name: "Dr A"}}},
	}
	loadFails := uitest.NewFakeAuth()
	loadFails.RolesErr = errors.New("down")
	c := func(a screen.Auth) screen.Common { return uitest.Common(a, uitest.NewMemoryPrefs()) }

	routes := []screen.Route{
		loaded("signin-failed", func() screen.Screen { return signin.New(c(failing), nil) }),
		loaded("signin-waiting", func() screen.Screen { return signin.New(c(waiting), nil) }),
		loaded("roles-list", func() screen.Screen { return roles.New(c(withRoles), id) }),
		loaded("roles-failed", func() screen.Screen { return roles.New(c(loadFails), id) }),
		loaded("roles-clinician", func() screen.Screen { return roles.New(c(withRoles), id) }, "enter"),
		loaded("home", func() screen.Screen { return home.New(c(withRoles), Registry(), id) }),
	}
	uitest.CheckKeys(t, routes, c(withRoles))
}
