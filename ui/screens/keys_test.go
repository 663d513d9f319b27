package screens

import (
	"context"
	"errors"
	"testing"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/home"
	"github.com/ers-workstation/ers-workstation/ui/screens/internal/screentest"
	"github.com/ers-workstation/ers-workstation/ui/screens/roles"
	"github.com/ers-workstation/ers-workstation/ui/screens/signin"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// loaded builds a route's screen and runs it to a state where its keys are
// enabled, so the key check sees them (a screen just built has most of its
// keys disabled until its data arrives).
func loaded(name string, build func() screen.Screen, keys ...string) screen.Route {
	return screen.Route{Name: name, New: func(screen.Common, any) screen.Screen {
		s, out := screentest.Init(build())
		for _, k := range keys {
			s, out = screentest.Run(s, screentest.Key(k))
		}
		for _, m := range out {
			if p, ok := m.(screen.Push); ok {
				return p.Screen
			}
		}
		return s
	}}
}

func TestNoKeyIsBoundTwiceOrTakenByTheRootInAnyState(t *testing.T) {
	id := session.Identity{UserID: "555000000001", Name: "Pat", Role: &session.Role{BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "R1A"}}
	failing := &screentest.FakeAuth{StartFn: func(context.Context) (session.Challenge, error) { return session.Challenge{}, errors.New("down") }}
	waiting := &screentest.FakeAuth{StartFn: func(context.Context) (session.Challenge, error) {
		return session.Challenge{URL: "http://127.0.0.1/l/X", UserCode: "X"}, nil
	}}
	withRoles := &screentest.FakeAuth{RolesFn: func(context.Context) (session.Roles, error) {
		return session.Roles{
			Choices:    []gatewayapi.RoleChoice{{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R1A"}},
			Clinicians: map[string][]gatewayapi.Clinician{"R1A": {{SDSUserID: "1", Name: "Dr A"}}},
		}, nil
	}}
	loadFails := &screentest.FakeAuth{RolesFn: func(context.Context) (session.Roles, error) { return session.Roles{}, errors.New("down") }}
	c := func(a screen.Auth) screen.Common { return screentest.Common(a, &screentest.MemoryPrefs{}) }

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
