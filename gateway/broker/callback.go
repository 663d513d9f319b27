package broker

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/gateway/upstream"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// The reasons a login is denied, as the workstation receives them in
// error_description of access_denied and the audit records them.
const (
	reasonCancelled   = "cancelled"        // the user cancelled at CIS2
	reasonCIS2Refused = "cis2_refused"     // CIS2 answered another error
	reasonIDToken     = "id_token_invalid" // the ID token failed verification
	reasonAssurance   = gatewayapi.ReasonAssuranceTooLow
	reasonAPIM        = "apim_refused"
	reasonUnavailable = "upstream_unavailable"
)

// callback receives the browser from CIS2: it checks the state and the
// browser binding, redeems the code, verifies the ID token, exchanges it at
// APIM and creates the session, then hands over to the workstation: the
// loopback redirect, or in remote mode the result page at DonePath.
func (b *Broker) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		b.page(w, pageData{Status: http.StatusBadRequest, Title: "Sign-in failed", Message: "CIS2 sent the browser back without a state.", Next: "Start the sign-in again in your terminal."})
		return
	}
	ctx := r.Context()
	l, err := b.o.Store.LoginByCIS2State(ctx, state)
	switch {
	case errors.Is(err, store.ErrNotFound):
		b.page(w, pageData{Status: http.StatusBadRequest, Title: "Sign-in not recognised",
			Message: "This answer from CIS2 does not belong to a sign-in this gateway started.", Next: "Start the sign-in again in your terminal."})
		return
	case err != nil:
		b.storeFailedPage(w, err)
		return
	}
	// Login CSRF: the browser coming back must be the one that confirmed.
	browser := b.cookie(r, loginCookie)
	if browser == "" || !equal(store.Hash(browser), l.BrowserHash) {
		b.page(w, pageData{Status: http.StatusForbidden, Title: "Sign-in not recognised",
			Message: "This browser did not start this sign-in.", Next: "Use the browser where you pressed Continue, or start again in your terminal."})
		return
	}
	b.setCookie(w, loginCookie, "", -1, http.SameSiteLaxMode)
	now := b.o.Now()
	if l.Status != store.LoginPending || !now.Before(l.Expires) {
		b.page(w, pageData{Status: http.StatusConflict, Title: "Sign-in already finished",
			Message: "This sign-in has already finished or expired.", Next: "Return to your terminal."})
		return
	}

	if e := q.Get("error"); e != "" {
		reason := reasonCIS2Refused
		if e == "access_denied" {
			reason = reasonCancelled
		}
		b.deny(ctx, w, r, l, reason, "Sign-in cancelled", "You cancelled the sign-in at NHS CIS2, or it refused it.")
		return
	}
	id, err := b.o.CIS2.Redeem(ctx, q.Get("code"), l.CIS2Verifier, l.CIS2Nonce)
	if err != nil {
		reason, msg := reasonCIS2Refused, "NHS CIS2 did not accept the sign-in."
		switch {
		case errors.Is(err, upstream.ErrAssurance):
			reason, msg = reasonAssurance, err.Error() // says which level, in words
		case errors.Is(err, upstream.ErrIDTokenInvalid):
			reason, msg = reasonIDToken, "The identity NHS CIS2 sent could not be verified."
		case errors.Is(err, upstream.ErrUnavailable):
			reason, msg = reasonUnavailable, "NHS CIS2 could not be reached."
		}
		b.o.Logger.Warn("sign-in refused", "reason", reason, "err", err)
		b.deny(ctx, w, r, l, reason, "Sign-in failed", msg)
		return
	}
	tokens, err := b.o.APIM.Exchange(ctx, id.IDToken)
	if err != nil {
		reason, msg := reasonAPIM, "NHS API Management did not grant access to e-RS for this sign-in."
		var oe *upstream.OAuthError
		if errors.As(err, &oe) && oe.Code == "unauthorized_client" {
			msg = "NHS API Management does not accept this way of signing in for e-RS. Sign in with a smartcard, security key or authenticator app."
		}
		if errors.Is(err, upstream.ErrUnavailable) {
			reason, msg = reasonUnavailable, "NHS API Management could not be reached."
		}
		b.o.Logger.Warn("token exchange refused", "reason", reason, "err", err)
		b.deny(ctx, w, r, l, reason, "Sign-in failed", msg)
		return
	}

	s := store.Session{
		// The token hash is unique: until the workstation redeems the
		// login, it is the hash of a token nobody holds.
		ID: b.token(), TokenHash: store.Hash(b.token()), KeyThumbprint: l.KeyThumbprint, State: store.SessionActive,
		Subject: id.Subject, Name: id.Name, CIS2SID: id.SessionID, IAL: id.IAL, AAL: id.AAL,
		Created: now, LastSeen: now, Absolute: now.Add(b.o.AbsoluteTimeout),
	}
	if err := b.sealTokens(&s, tokens, id.IDToken); err != nil {
		b.o.Logger.Error("sealing failed", "err", err)
		b.deny(ctx, w, r, l, reasonUnavailable, "Sign-in failed", "The gateway could not store the sign-in.")
		return
	}
	if err := b.o.Store.CreateSession(ctx, s); err != nil {
		b.storeFailedPage(w, err)
		return
	}
	l.Status, l.SessionID = store.LoginAuthorised, s.ID
	var handoff string
	if l.Mode == store.LoginLoopback {
		handoff = b.token()
		l.HandoffHash, l.HandoffExpires = store.Hash(handoff), now.Add(b.o.HandoffLifetime)
	}
	if _, err := b.o.Store.UpdateLogin(ctx, l); err != nil {
		b.storeFailedPage(w, err)
		return
	}
	b.audit(ctx, store.AuditRecord{Kind: store.AuditSignIn, SessionID: s.ID, User: s.Subject, Operation: "sign-in", Outcome: "ok", Status: http.StatusOK})
	b.o.Logger.Info("signed in", "session", shortID(s.ID), "user", s.Subject, "aal", s.AAL, "mode", string(l.Mode))

	if l.Mode == store.LoginLoopback {
		b.toLoopback(w, r, l, url.Values{"code": {handoff}})
		return
	}
	b.toDone(w, r, pageData{Title: "Signed in", Message: "You are signed in as " + id.Name + ".",
		Next: "Return to your terminal: it continues on its own. You can close this window."})
}

// deny ends a login as refused, tells the person why (at DonePath, in
// remote mode), and in loopback mode tells the workstation too.
func (b *Broker) deny(ctx context.Context, w http.ResponseWriter, r *http.Request, l store.Login, reason, title, msg string) {
	l.Status, l.DenyReason = store.LoginDenied, reason
	if _, err := b.o.Store.UpdateLogin(ctx, l); err != nil {
		b.storeFailedPage(w, err)
		return
	}
	b.audit(ctx, store.AuditRecord{Kind: store.AuditSignIn, Operation: "sign-in", Outcome: reason, Status: http.StatusForbidden})
	if l.Mode == store.LoginLoopback {
		b.toLoopback(w, r, l, url.Values{"error": {"access_denied"}, "error_description": {reason}})
		return
	}
	b.toDone(w, r, pageData{Status: http.StatusForbidden, Title: title, Message: msg, Next: "Return to your terminal to try again."})
}

// toLoopback sends the browser to the workstation's loopback callback,
// fixed when the login started, with the workstation's own state.
func (b *Broker) toLoopback(w http.ResponseWriter, r *http.Request, l store.Login, q url.Values) {
	u, err := url.Parse(l.RedirectURI)
	if err != nil || !loopbackRedirect(l.RedirectURI) { // checked at login; never redirect elsewhere
		b.page(w, pageData{Status: http.StatusBadRequest, Title: "Sign-in failed", Message: "The terminal's return address is not valid.", Next: "Start again in your terminal."})
		return
	}
	if l.ClientState != "" {
		q.Set("state", l.ClientState)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (b *Broker) storeFailedPage(w http.ResponseWriter, err error) {
	b.o.Logger.Error("store failed", "err", err)
	b.page(w, pageData{Status: http.StatusServiceUnavailable, Title: "Sign-in unavailable", Message: "The gateway cannot reach its store.", Next: "Try again in a minute."})
}

// sealTokens seals the NHS tokens into s, each bound to the session and field.
func (b *Broker) sealTokens(s *store.Session, t upstream.Tokens, idToken string) error {
	seal := func(field, v string) ([]byte, error) {
		if v == "" {
			return nil, nil
		}
		return b.o.Sealer.Seal([]byte(v), []byte(s.ID+"/"+field))
	}
	var err error
	if s.Sealed.AccessToken, err = seal("access", t.AccessToken); err != nil {
		return err
	}
	if s.Sealed.RefreshToken, err = seal("refresh", t.RefreshToken); err != nil {
		return err
	}
	if idToken != "" {
		if s.Sealed.IDToken, err = seal("id", idToken); err != nil {
			return err
		}
	}
	s.APIMToken = store.APIMTokenTimes{AccessExpires: t.AccessExpires, RefreshExpires: t.RefreshExpires, RefreshCount: t.RefreshCount}
	return nil
}

// open unseals one of s's tokens.
func (b *Broker) open(s store.Session, field string, sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	p, err := b.o.Sealer.Open(sealed, []byte(s.ID+"/"+field))
	return string(p), err
}

// audit appends a record; a failure is logged (sign-in records are not on
// the proxy's fail-closed path).
func (b *Broker) audit(ctx context.Context, r store.AuditRecord) {
	now := b.o.Now()
	r.Time, r.Completed = now, now
	if _, err := b.o.Store.AppendAudit(ctx, r); err != nil {
		b.o.Logger.Error("audit write failed", "kind", string(r.Kind), "err", err)
	}
}

// shortID is enough of an id to follow a session through the log without
// writing a credential: session ids are not tokens, but keep logs short.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
