package screen

// Names of the routes the root itself opens during the session flow. The
// screens behind them live in ui/screens; the root finds them in the registry
// by these names, so neither side imports the other.
const (
	RouteSignIn = "signin" // sign-in; Arg is the error that ended the session, SignedOut, or nil
	RouteRoles  = "roles"  // the role picker after a sign-in; Arg is the session.Identity
	RouteHome   = "home"   // the home screen once a role is chosen; Arg is the session.Identity
)
