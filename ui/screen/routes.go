package screen

// Names of the routes the root itself opens during the session flow. The
// screens behind them live in ui/screens; the root finds them in the registry
// by these names, so neither side imports the other.
const (
	RouteSignIn = "signin" // sign-in; Arg is the error that ended the session, SignedOut, or nil
	RouteRoles  = "roles"  // the role picker after a sign-in; Arg is the session.Identity
	RouteHome   = "home"   // the home screen once a role is chosen; Arg is the session.Identity
)

// Names of the routes screens open one another by. Each screen's package
// has its RouteName; these are for the screens that open them without
// importing them (the screens' packages import each other for their Open
// args, and referral, search, create, advice-new and advice would form a
// cycle).
const (
	RouteReferral = "referral" // the referral screen; Arg is the UBRN (or a worklist row)
	RouteAdvice   = "advice"   // the A&G request screen; Arg is the UBRN
)
