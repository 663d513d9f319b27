package cis2

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The end-session refusals (the mock's own wording). A refused request
// ends nothing and shows an error page; it never redirects.
const (
	DescIDTokenHintInvalid      = "id_token_hint is not an ID token issued by this provider"
	DescClientHintMismatch      = "client_id does not match the audience of id_token_hint"
	DescPostLogoutNeedsClient   = "post_logout_redirect_uri needs id_token_hint or client_id"
	DescPostLogoutNotRegistered = "post_logout_redirect_uri is not registered for this client"
	DescSignedOut               = "You have signed out of NHS CIS2 Authentication. You can close this page."
)

// serveEndSession is RP-initiated logout (GET or POST form): parameters
// id_token_hint, client_id, post_logout_redirect_uri and state. The hint
// must be signed by a published key with this issuer; its expiry is not
// checked (a relying party logs out with the token it has). A
// post_logout_redirect_uri must be one the client (the hint's aud, else
// client_id) registered, byte for byte. It ends the session named by the
// hint's sid and the browser's cookie session, clears the cookie, sends
// back-channel logout tokens (failures are not shown to the browser), and
// redirects with state, or shows a signed-out page.
func (p *Provider) serveEndSession(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.renderError(w, "Sign-out refused", DescIDTokenHintInvalid)
		return
	}
	f := r.Form
	clientID, hintSID := f.Get("client_id"), ""
	if hint := f.Get("id_token_hint"); hint != "" {
		aud, sid, ok := p.parseIDTokenHint(hint)
		if !ok {
			p.renderError(w, "Sign-out refused", DescIDTokenHintInvalid)
			return
		}
		if clientID != "" && clientID != aud {
			p.renderError(w, "Sign-out refused", DescClientHintMismatch)
			return
		}
		clientID, hintSID = aud, sid
	}
	back := f.Get("post_logout_redirect_uri")
	if back != "" {
		if clientID == "" {
			p.renderError(w, "Sign-out refused", DescPostLogoutNeedsClient)
			return
		}
		c, ok := p.signIn.auth.clients[clientID]
		if !ok {
			p.renderError(w, "Sign-out refused", DescUnknownClient)
			return
		}
		if !slices.Contains(c.PostLogoutRedirectURIs, back) {
			p.renderError(w, "Sign-out refused", DescPostLogoutNotRegistered)
			return
		}
	}
	cookie := ""
	if c, err := r.Cookie(SessionCookie); err == nil {
		cookie = c.Value
	}
	ended := p.signIn.endSessions(func(x *session) bool {
		return (hintSID != "" && x.sid == hintSID) || (cookie != "" && x.cookie == cookie)
	})
	p.setSessionCookie(w, "")
	// The browser may leave before the deliveries end; they carry on, each
	// within its own timeout. Their errors are for the admin API to report.
	_ = p.notifyLogout(context.WithoutCancel(r.Context()), ended)
	if back == "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		_ = p.signIn.outPage.Execute(w, struct{ Title, Message string }{"Signed out", DescSignedOut})
		return
	}
	u, err := url.Parse(back)
	if err != nil {
		p.renderError(w, "Sign-out refused", DescPostLogoutNotRegistered)
		return
	}
	if state := f.Get("state"); state != "" {
		q := u.Query()
		q.Set("state", state)
		u.RawQuery = q.Encode()
	}
	w.Header().Set("Location", u.String())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}

// parseIDTokenHint verifies an ID token of this provider against the
// published keys, ignoring its expiry, and returns its aud and sid.
func (p *Provider) parseIDTokenHint(raw string) (aud, sid string, ok bool) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{SigningAlgorithm})
	if err != nil || len(tok.Headers) != 1 {
		return "", "", false
	}
	set := p.keys.Public()
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) == 0 {
		return "", "", false
	}
	var c struct {
		jwt.Claims
		SID string `json:"sid"`
	}
	if err := tok.Claims(keys[0], &c); err != nil || c.Issuer != p.issuer || len(c.Audience) != 1 {
		return "", "", false
	}
	return c.Audience[0], c.SID, true
}
