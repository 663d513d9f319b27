package sandbox

import (
	"net/http"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// Caller is who an access token belongs to.
type Caller struct {
	// UserID is the SDS user id of a healthcare worker (user-restricted).
	// Empty with no AppID means "infer the user from the role and
	// organisation headers" (the header authenticator's convenience).
	UserID string
	// AppID is the calling application. Every call has one: the rate limit
	// is per application.
	AppID string
	// App is true for application-restricted (signed JWT) access.
	App bool
	// IAL and AAL are the identity and authentication assurance levels of a
	// user token (3 and 2 or 3 for a valid e-RS user).
	IAL, AAL int
	// AllowsODS, if set, is the application's end-user organisation
	// allow-list (APIM's partner list).
	AllowsODS func(ods string) bool
	// AppContext, if set, is the application-restricted context APIM
	// injects from the application's attributes; without it the simulator's
	// own application records apply.
	AppContext *AppContext
}

// AppContext is the organisation, business function and user id an
// application-restricted call acts as.
type AppContext struct {
	ODS              string
	BusinessFunction ersclient.BusinessFunction
	UserID           string
}

// AppRestricted reports whether the caller is an application acting alone.
func (c Caller) AppRestricted() bool { return c.App }

// Authenticator turns a request's credentials into a Caller, or a problem
// (401 and the like) to answer with. The header authenticator stands in until
// the APIM token check is plugged in.
type Authenticator interface {
	Authenticate(r *http.Request) (Caller, *problem)
}

// The headers of the header authenticator.
const (
	// HeaderSandboxUser names the calling user by SDS user id. Without it,
	// the user is the first one holding the requested role at the
	// requested organisation.
	HeaderSandboxUser = "X-Sandbox-User-ID"
	// HeaderSandboxApp names the calling application; with
	// HeaderSandboxAppRestricted it makes the call application-restricted.
	HeaderSandboxApp = "X-Sandbox-App-ID"
	// HeaderSandboxAppRestricted set to "true" makes the call
	// application-restricted, as a signed-JWT token would.
	HeaderSandboxAppRestricted = "X-Sandbox-App-Restricted"
)

// DefaultAppID is the application of calls that name none.
const DefaultAppID = "sandbox-app"

// HeaderAuthenticator accepts any bearer token and takes the caller from the
// X-Sandbox-* headers. It is the simulator's stand-in for APIM's token
// check, for development only.
type HeaderAuthenticator struct{}

// Authenticate implements Authenticator.
func (HeaderAuthenticator) Authenticate(r *http.Request) (Caller, *problem) {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") || strings.TrimSpace(auth[len("Bearer "):]) == "" {
		return Caller{}, invalidToken()
	}
	return headerCaller(r), nil
}

// OpenAuthenticator is the open access of NHS's public sandbox: no token at
// all, the caller a user holding the role named in
// NHSD-eRS-Business-Function at the organisation named in
// NHSD-End-User-Organisation-ODS (or the X-Sandbox-* headers' choice).
// Every other rule still applies. ers-sandbox --open-access uses it.
type OpenAuthenticator struct{}

// Authenticate implements Authenticator.
func (OpenAuthenticator) Authenticate(r *http.Request) (Caller, *problem) {
	return headerCaller(r), nil
}

// headerCaller is the caller the X-Sandbox-* headers describe.
func headerCaller(r *http.Request) Caller {
	c := Caller{
		UserID: r.Header.Get(HeaderSandboxUser),
		AppID:  r.Header.Get(HeaderSandboxApp),
		App:    strings.EqualFold(r.Header.Get(HeaderSandboxAppRestricted), "true"),
		IAL:    3,
		AAL:    3,
	}
	if c.AppID == "" {
		c.AppID = DefaultAppID
	}
	return c
}

// invalidToken is APIM's 401 for a missing, invalid or expired token: an
// empty STU3 body with WWW-Authenticate, an R4 ACCESS_DENIED outcome.
func invalidToken() *problem {
	return &problem{
		Status: http.StatusUnauthorized, Issue: "login", Code: "NO_ACCESS", R4Code: "ACCESS_DENIED",
		Diagnostics: "Invalid access token", Empty: true,
		Header: http.Header{"Www-Authenticate": {`Bearer realm="e-RS", error="invalid_token"`}},
	}
}
