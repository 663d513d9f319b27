package sandbox

import (
	"net/http"
	"slices"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
)

// TokenAuthenticator checks APIM access tokens as the e-RS proxy does: the
// caller is whoever the token was issued to (a user by their CIS2 subject,
// or an application), never whoever a header claims to be.
type TokenAuthenticator struct {
	Tokens *apim.TokenStore
	Apps   *apim.Registry
}

// The AAL1 refusal of the e-RS proxy: a user token without an e-RS scope.
const unsupportedAuthentication = "The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help."

// Authenticate implements Authenticator.
func (a TokenAuthenticator) Authenticate(r *http.Request) (Caller, *problem) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return Caller{}, invalidToken()
	}
	info, ok := a.Tokens.Lookup(token)
	if !ok {
		return Caller{}, invalidToken()
	}
	app, ok := a.Apps.App(info.APIKey)
	if !ok {
		return Caller{}, invalidToken()
	}
	if app.ASID == "" {
		return Caller{}, forbidden("ASID is not configured in the application")
	}
	if info.AuthType == apim.AuthTypeApp {
		if !slices.Contains(info.Scopes, apim.ScopeAppLevel3) {
			return Caller{}, &problem{Status: http.StatusUnauthorized, Issue: "login", Code: "NO_ACCESS", R4Code: "ACCESS_DENIED", Diagnostics: unsupportedAuthentication}
		}
		return Caller{AppID: app.APIKey, App: true, AppContext: &AppContext{
			ODS: app.AppODS, BusinessFunction: ersclient.BusinessFunction(app.AppBusinessFunction), UserID: app.AppUserID,
		}}, nil
	}
	if !slices.Contains(info.Scopes, apim.ScopeUserAAL3) && !slices.Contains(info.Scopes, apim.ScopeUserAAL2) {
		return Caller{}, &problem{Status: http.StatusUnauthorized, Issue: "login", Code: "NO_ACCESS", R4Code: "ACCESS_DENIED", Diagnostics: unsupportedAuthentication}
	}
	return Caller{UserID: info.Subject, AppID: app.APIKey, IAL: info.IAL, AAL: info.AAL, AllowsODS: app.AllowsODS}, nil
}
