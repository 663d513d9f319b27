package proxy

import (
	"context"
	"errors"
	"net/http"
)

// Caller is what the proxy needs of the authenticated session.
type Caller interface {
	SessionID() string
	// AccessToken returns a valid APIM access token, refreshing it first when needed.
	AccessToken(ctx context.Context) (string, error)
	// Context is the e-RS role the session chose; ok false when none is chosen yet.
	Context() (bf, ods, obo string, ok bool)
	User() string // SDS user id, for the audit
}

// Authenticate turns the incoming request into a Caller or writes the refusal itself.
type Authenticate func(w http.ResponseWriter, r *http.Request) (Caller, bool)

// ErrLoginRequired is what Caller.AccessToken wraps when the session can no
// longer get an APIM token (the refresh was refused): the proxy then answers
// 401 login_required so the workstation signs in again, instead of 502.
var ErrLoginRequired = errors.New("proxy: sign in again")
