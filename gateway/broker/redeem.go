package broker

import (
	"errors"
	"net/http"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// The polling answers (RFC 8628 section 3.5).
const (
	errPending   = gatewayapi.ErrAuthorizationPending
	errSlowDown  = gatewayapi.ErrSlowDown
	errExpired   = gatewayapi.ErrExpiredToken
	errDenied    = gatewayapi.ErrAccessDenied
	errBadGrant  = gatewayapi.ErrInvalidGrant
	errBadClient = "invalid_client"
)

// redeem gives the workstation its session token once the login is
// authorised, if it proves the PKCE verifier and the key it started with.
func (b *Broker) redeem(w http.ResponseWriter, r *http.Request) {
	var req TokenRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	thumb, ok := b.checkProof(w, r, "")
	if !ok {
		return
	}
	ctx := r.Context()
	l, err := b.o.Store.Login(ctx, req.LoginID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusBadRequest, errBadGrant, "no such login; start again")
		return
	case err != nil:
		b.storeFailed(w, "redeem", err)
		return
	}
	// The same refusal for a wrong key and a wrong verifier: whoever does
	// not hold both learns nothing about the login.
	if !equal(thumb, l.KeyThumbprint) || !validVerifier(req.CodeVerifier) || !equal(s256(req.CodeVerifier), l.CodeChallenge) {
		writeError(w, http.StatusBadRequest, errBadClient, "the proof key or code_verifier does not match the login")
		return
	}
	now := b.o.Now()
	if !now.Before(l.Expires) && l.Status != store.LoginRedeemed {
		writeError(w, http.StatusBadRequest, errExpired, "the sign-in took longer than its time limit; start again")
		return
	}
	switch l.Status {
	case store.LoginPending:
		b.pending(w, r, l, now)
		return
	case store.LoginDenied:
		writeError(w, http.StatusBadRequest, errDenied, l.DenyReason)
		return
	case store.LoginRedeemed:
		writeError(w, http.StatusBadRequest, errBadGrant, "this sign-in was already redeemed")
		return
	}
	if l.Mode == store.LoginLoopback {
		if req.Code == "" || !equal(store.Hash(req.Code), l.HandoffHash) || !now.Before(l.HandoffExpires) {
			writeError(w, http.StatusBadRequest, errBadGrant, "the handoff code is wrong or expired; start again")
			return
		}
	}
	// Single use: the login turns redeemed by compare-and-set, so of two
	// racing redemptions only one gets a session token.
	l.Status, l.HandoffHash = store.LoginRedeemed, ""
	if _, err := b.o.Store.UpdateLogin(ctx, l); err != nil {
		if errors.Is(err, store.ErrConflict) {
			writeError(w, http.StatusBadRequest, errBadGrant, "this sign-in was already redeemed")
			return
		}
		b.storeFailed(w, "redeem", err)
		return
	}
	s, err := b.o.Store.Session(ctx, l.SessionID)
	if err != nil {
		b.storeFailed(w, "redeem", err)
		return
	}
	token := b.token()
	s.TokenHash = store.Hash(token)
	s.LastSeen = now
	if s, err = b.o.Store.UpdateSession(ctx, s); err != nil {
		b.storeFailed(w, "redeem", err)
		return
	}
	writeJSON(w, http.StatusOK, TokenResponse{
		SessionToken: token, TokenType: "DPoP", IdleTimeout: int(b.o.IdleTimeout.Seconds()),
		ExpiresAt: s.Absolute.UTC(), User: User{Subject: s.Subject, Name: s.Name},
	})
}

// pending answers a poll of a login still waiting for the browser, asking a
// workstation that polls faster than the interval to slow down.
func (b *Broker) pending(w http.ResponseWriter, r *http.Request, l store.Login, now time.Time) {
	tooSoon := !l.LastPoll.IsZero() && now.Sub(l.LastPoll) < b.o.PollInterval
	l.LastPoll = now
	// A lost race here only means another poll recorded its time first.
	if _, err := b.o.Store.UpdateLogin(r.Context(), l); err != nil && !errors.Is(err, store.ErrConflict) {
		b.storeFailed(w, "poll", err)
		return
	}
	if tooSoon {
		writeError(w, http.StatusBadRequest, errSlowDown, "poll no more often than the interval")
		return
	}
	writeError(w, http.StatusBadRequest, errPending, "the sign-in is not finished in the browser yet")
}

// checkProof verifies the request's DPoP proof for this URL (and the
// session token when given), and that no gateway sharing the store has
// accepted it before, answering the refusal itself.
func (b *Broker) checkProof(w http.ResponseWriter, r *http.Request, sessionToken string) (string, bool) {
	proofs := r.Header.Values("DPoP")
	if len(proofs) != 1 {
		w.Header().Set("WWW-Authenticate", `DPoP error="invalid_dpop_proof", algs="ES256"`)
		writeError(w, http.StatusUnauthorized, dpop.CodeInvalidProof, "send exactly one DPoP proof header")
		return "", false
	}
	thumb, err := b.o.Proofs.Verify(proofs[0], r.Method, b.url(r.URL.Path), sessionToken)
	if err != nil {
		var pe *dpop.Error
		if errors.As(err, &pe) {
			w.Header().Set("WWW-Authenticate", pe.WWWAuthenticate())
			writeError(w, pe.Status(), pe.Code, pe.Description)
			return "", false
		}
		writeError(w, http.StatusBadRequest, dpop.CodeInvalidProof, "the proof could not be checked")
		return "", false
	}
	if pe := b.rememberProof(r.Context(), proofs[0], thumb); pe != nil {
		w.Header().Set("WWW-Authenticate", pe.WWWAuthenticate())
		writeError(w, pe.Status(), pe.Code, pe.Description)
		return "", false
	}
	return thumb, true
}
