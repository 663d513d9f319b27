package screen

import "github.com/ers-workstation/ers-workstation/session"

// IdentityArg reads the user out of an Open arg: a session.Identity, a
// pointer to one, or the SignedIn or RoleChosen message that carried it.
// Anything else is the zero Identity, so a screen built without one (as
// uitest.CheckKeys builds every route) still draws.
func IdentityArg(arg any) session.Identity {
	switch a := arg.(type) {
	case session.Identity:
		return a
	case *session.Identity:
		if a != nil {
			return *a
		}
	case SignedIn:
		return a.Identity
	case RoleChosen:
		return a.Identity
	}
	return session.Identity{}
}
