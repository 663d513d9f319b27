package broker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/proxy"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// Caller is an authenticated session for the length of one request. It
// implements proxy.Caller.
type Caller struct {
	b       *Broker
	session store.Session
}

// SessionID implements proxy.Caller.
func (c *Caller) SessionID() string { return c.session.ID }

// User implements proxy.Caller.
func (c *Caller) User() string { return c.session.Subject }

// Context implements proxy.Caller.
func (c *Caller) Context() (bf, ods, obo string, ok bool) {
	x := c.session.Context
	return x.BusinessFunction, x.ODS, x.OnBehalfOf, x.BusinessFunction != ""
}

// AccessToken implements proxy.Caller: the session's APIM access token,
// refreshed first when it has less than the refresh margin left.
func (c *Caller) AccessToken(ctx context.Context) (string, error) {
	s, err := c.b.freshTokens(ctx, c.session)
	if err != nil {
		return "", err
	}
	c.session = s
	return c.b.open(s, "access", s.Sealed.AccessToken)
}

// Authenticate is the proxy's authentication: the session token and a
// proof of possession by the session's key. It writes the refusal itself.
func (b *Broker) Authenticate(w http.ResponseWriter, r *http.Request) (proxy.Caller, bool) {
	c, ok := b.authenticate(w, r)
	if !ok {
		return nil, false
	}
	return c, true
}

// loginRequired is the answer that sends the workstation back to sign-in.
func loginRequired(w http.ResponseWriter, why string) {
	w.Header().Set("WWW-Authenticate", `DPoP error="login_required", algs="ES256"`)
	writeError(w, http.StatusUnauthorized, "login_required", why)
}

func (b *Broker) authenticate(w http.ResponseWriter, r *http.Request) (*Caller, bool) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "DPoP ")
	if !ok || token == "" {
		w.Header().Set("WWW-Authenticate", `DPoP algs="ES256"`)
		writeError(w, http.StatusUnauthorized, "invalid_token", "send Authorization: DPoP <session token> and a DPoP proof")
		return nil, false
	}
	thumb, ok := b.checkProof(w, r, token)
	if !ok {
		return nil, false
	}
	ctx := r.Context()
	s, err := b.o.Store.SessionByTokenHash(ctx, store.Hash(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		loginRequired(w, "the session is not known (signed out, replaced or expired); sign in again")
		return nil, false
	case err != nil:
		b.storeFailed(w, "authenticate", err)
		return nil, false
	}
	if dpop.CheckBinding(thumb, s.KeyThumbprint) != nil {
		w.Header().Set("WWW-Authenticate", `DPoP error="invalid_token", algs="ES256"`)
		writeError(w, http.StatusUnauthorized, "invalid_token", "the proof was not made with the session's key")
		return nil, false
	}
	now := b.o.Now()
	switch {
	case s.State == store.SessionLoginRequired:
		loginRequired(w, "NHS API Management no longer accepts this sign-in; sign in again")
		return nil, false
	case s.State != store.SessionActive:
		loginRequired(w, "the session has ended; sign in again")
		return nil, false
	case !now.Before(s.Absolute):
		b.end(ctx, s, "absolute timeout")
		loginRequired(w, "the session reached its time limit; sign in again")
		return nil, false
	case !now.Before(s.LastSeen.Add(b.o.IdleTimeout)):
		b.end(ctx, s, "idle timeout")
		loginRequired(w, "the session was idle too long; sign in again")
		return nil, false
	}
	if now.Sub(s.LastSeen) >= lastSeenResolution {
		s.LastSeen = now
		updated, err := b.o.Store.UpdateSession(ctx, s)
		switch {
		case err == nil:
			s = updated
		case errors.Is(err, store.ErrConflict):
			// Another request moved it on; its copy is as good.
			if fresh, err := b.o.Store.Session(ctx, s.ID); err == nil {
				s = fresh
			}
		default:
			b.storeFailed(w, "authenticate", err)
			return nil, false
		}
	}
	return &Caller{b: b, session: s}, true
}

// end ends a session: its tokens wiped, its state ended.
func (b *Broker) end(ctx context.Context, s store.Session, why string) {
	// The token hash is unique: an ended session keeps the hash of a token
	// nobody holds.
	s.State, s.Sealed, s.TokenHash = store.SessionEnded, store.Sealed{}, store.Hash(b.token())
	if _, err := b.o.Store.UpdateSession(ctx, s); err != nil && !errors.Is(err, store.ErrConflict) {
		b.o.Logger.Error("store failed", "during", "ending a session", "err", err)
	}
	b.audit(ctx, store.AuditRecord{Kind: store.AuditLogout, SessionID: s.ID, User: s.Subject, Role: s.Context.BusinessFunction,
		ODS: s.Context.ODS, OBO: s.Context.OnBehalfOf, Operation: "logout", Outcome: why})
	b.o.Logger.Info("session ended", "session", shortID(s.ID), "why", why)
}

// freshTokens returns s with an access token good for at least the refresh
// margin, refreshing it at APIM if needed. invalid_grant turns the session
// to login_required and returns an error wrapping proxy.ErrLoginRequired.
func (b *Broker) freshTokens(ctx context.Context, s store.Session) (store.Session, error) {
	if b.o.Now().Add(b.o.RefreshMargin).Before(s.APIMToken.AccessExpires) {
		return s, nil
	}
	defer b.refresh.lock(s.ID)()
	// Another request (or gateway) may have refreshed while this one waited.
	current, err := b.o.Store.Session(ctx, s.ID)
	if err != nil {
		return s, fmt.Errorf("reading the session: %w", err)
	}
	if current.State != store.SessionActive {
		return s, fmt.Errorf("session %s: %w", current.State, proxy.ErrLoginRequired)
	}
	now := b.o.Now()
	if now.Add(b.o.RefreshMargin).Before(current.APIMToken.AccessExpires) {
		return current, nil
	}
	refresh, err := b.open(current, "refresh", current.Sealed.RefreshToken)
	if err != nil || refresh == "" {
		return s, fmt.Errorf("no refresh token: %w", proxy.ErrLoginRequired)
	}
	tokens, err := b.o.APIM.Refresh(ctx, refresh)
	if err != nil {
		if invalidGrant(err) {
			current.State, current.Sealed = store.SessionLoginRequired, store.Sealed{}
			if _, uerr := b.o.Store.UpdateSession(ctx, current); uerr != nil {
				b.o.Logger.Error("store failed", "during", "marking a session login_required", "err", uerr)
			}
			b.o.Logger.Info("refresh refused: sign in again", "session", shortID(s.ID))
			return s, fmt.Errorf("refresh refused: %w", proxy.ErrLoginRequired)
		}
		return s, fmt.Errorf("refreshing the APIM token: %w", err)
	}
	idToken, _ := b.open(current, "id", current.Sealed.IDToken)
	if err := b.sealTokens(&current, tokens, idToken); err != nil {
		return s, err
	}
	updated, err := b.o.Store.UpdateSession(ctx, current)
	if err != nil {
		return s, fmt.Errorf("storing the refreshed tokens: %w", err)
	}
	b.o.Logger.Info("APIM token refreshed", "session", shortID(s.ID), "refresh_count", tokens.RefreshCount)
	return updated, nil
}

func (b *Broker) session(w http.ResponseWriter, r *http.Request) {
	c, ok := b.authenticate(w, r)
	if !ok {
		return
	}
	s := c.session
	info := SessionInfo{
		User: User{Subject: s.Subject, Name: s.Name}, State: string(s.State),
		IdleExpiresAt: s.LastSeen.Add(b.o.IdleTimeout).UTC(), ExpiresAt: s.Absolute.UTC(),
		Assurance: map[string]int{"ial": s.IAL, "aal": s.AAL},
	}
	if s.Context.BusinessFunction != "" {
		info.Context = &ContextBody{BusinessFunction: s.Context.BusinessFunction, ODS: s.Context.ODS, OnBehalfOf: s.Context.OnBehalfOf}
	}
	writeJSON(w, http.StatusOK, info)
}

// logout ends the workstation's session and drops its NHS tokens (APIM
// offers no revocation for them).
func (b *Broker) logout(w http.ResponseWriter, r *http.Request) {
	c, ok := b.authenticate(w, r)
	if !ok {
		return
	}
	b.end(r.Context(), c.session, "signed out")
	w.WriteHeader(http.StatusNoContent)
}

// backchannelLogout receives CIS2's logout token and ends every session of
// the CIS2 session (or, without a sid, of the user).
func (b *Broker) backchannelLogout(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("logout_token") == "" {
		writeError(w, http.StatusBadRequest, "invalid_request", "send logout_token as a form field")
		return
	}
	lo, err := b.o.CIS2.VerifyLogoutToken(r.Context(), r.PostForm.Get("logout_token"))
	if err != nil {
		b.o.Logger.Warn("back-channel logout refused", "err", err)
		writeError(w, http.StatusBadRequest, "invalid_request", "the logout token is not valid")
		return
	}
	if !b.rememberLogout(w, r, r.PostForm.Get("logout_token")) {
		return
	}
	ids, err := b.o.Store.EndSessions(r.Context(), lo.SessionID, lo.Subject)
	if err != nil {
		b.storeFailed(w, "back-channel logout", err)
		return
	}
	for _, id := range ids {
		b.audit(r.Context(), store.AuditRecord{Kind: store.AuditLogout, SessionID: id, User: lo.Subject, Operation: "backchannel-logout", Outcome: "ended by CIS2"})
	}
	b.o.Logger.Info("back-channel logout", "sessions", len(ids))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}
