package session

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// signIn is one sign-in between StartSignIn and FinishSignIn: everything in
// memory only.
type signIn struct {
	mode      Mode
	key       *dpop.Key
	verifier  string
	loginID   string
	interval  time.Duration
	expiresAt time.Time
	callback  *loopback // loopback mode only
}

// close releases the sign-in's listener, if any.
func (s *signIn) close() {
	if s.callback != nil {
		s.callback.Close()
	}
}

// StartSignIn begins a sign-in: a fresh key and PKCE verifier, the loopback
// listener in loopback mode, POST /v1/auth/login, and in loopback mode the
// system browser. The Challenge always carries the URL and the user code,
// so the UI can print them whether or not a browser opened. A sign-in
// already in progress is abandoned.
func (m *Manager) StartSignIn(ctx context.Context) (Challenge, error) {
	m.abandon()
	key, err := dpop.NewKey()
	if err != nil {
		return Challenge{}, err
	}
	s := &signIn{mode: m.mode, key: key, verifier: newVerifier()}
	req := gatewayapi.LoginRequest{
		Mode: string(m.mode), CodeChallenge: s256(s.verifier), CodeChallengeMethod: "S256", JWK: key.PublicJWK(),
	}
	if m.mode == ModeLoopback {
		state := rand.Text()
		if s.callback, err = listenLoopback(state); err != nil {
			return Challenge{}, err
		}
		req.RedirectURI, req.State = s.callback.RedirectURI(), state
	}
	var resp gatewayapi.LoginResponse
	if err := m.call(ctx, "POST", gatewayapi.LoginPath, nil, "", req, &resp); err != nil {
		s.close()
		return Challenge{}, fmt.Errorf("starting the sign-in: %w", err)
	}
	now := m.o.Now()
	s.loginID, s.interval = resp.LoginID, time.Duration(resp.Interval)*time.Second
	s.expiresAt = now.Add(time.Duration(resp.ExpiresIn) * time.Second)
	if s.interval <= 0 {
		s.interval = 5 * time.Second // RFC 8628 section 3.2's default
	}
	ch := Challenge{URL: resp.VerificationURI, UserCode: resp.UserCode, Mode: m.mode, ExpiresAt: s.expiresAt}

	m.mu.Lock()
	old := m.pending
	m.pending = s
	m.mu.Unlock()
	if old != nil { // a sign-in started meanwhile by another call
		old.close()
	}
	m.o.Logger.Info("sign-in started", "mode", string(m.mode))
	if m.mode == ModeLoopback {
		ch.BrowserOpened, ch.BrowserError = m.openBrowser(ctx, resp.VerificationURI)
	}
	return ch, nil
}

// openBrowser asks the system browser to open url, waiting at most
// browserWait: xdg-open may not return until the browser exits, and the
// user has the URL on screen anyway. The opener's goroutine ends when the
// opener returns.
func (m *Manager) openBrowser(ctx context.Context, url string) (bool, error) {
	done := make(chan error, 1)
	go func() { done <- m.o.OpenBrowser(url) }()
	t := time.NewTimer(browserWait)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil {
			m.o.Logger.Warn("the browser did not open", "err", err)
			return false, fmt.Errorf("the browser did not open: %w", err)
		}
		return true, nil
	case <-t.C:
		return true, nil // still starting: it usually opens
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// abandon drops the sign-in in progress, closing its listener.
func (m *Manager) abandon() {
	m.mu.Lock()
	s := m.pending
	m.pending = nil
	m.mu.Unlock()
	if s != nil {
		s.close()
	}
}

// FinishSignIn waits for the sign-in StartSignIn began (the loopback
// callback, or the gateway's answer to polling in remote mode), redeems it
// and returns the user, with no role yet. A refusal at CIS2 or an expired
// login is a *DeniedError. Cancelling ctx abandons the sign-in.
func (m *Manager) FinishSignIn(ctx context.Context) (Identity, error) {
	m.mu.Lock()
	s := m.pending
	m.pending = nil
	m.mu.Unlock()
	if s == nil {
		return Identity{}, ErrNoSignIn
	}
	defer s.close()
	var (
		tr  gatewayapi.TokenResponse
		err error
	)
	if s.mode == ModeLoopback {
		tr, err = m.finishLoopback(ctx, s)
	} else {
		tr, err = m.poll(ctx, s)
	}
	if err != nil {
		return Identity{}, err
	}
	id := Identity{
		UserID: tr.User.Subject, Name: tr.User.Name,
		IdleTimeout: time.Duration(tr.IdleTimeout) * time.Second, ExpiresAt: tr.ExpiresAt,
	}
	m.mu.Lock()
	m.roles = nil
	m.mu.Unlock()
	m.establish(live{token: tr.SessionToken, key: s.key, identity: id}, tr.ExpiresAt)
	m.o.Logger.Info("signed in", "mode", string(s.mode))
	return id, nil
}

// finishLoopback waits for the browser at the loopback listener, then
// redeems the handoff code.
func (m *Manager) finishLoopback(ctx context.Context, s *signIn) (gatewayapi.TokenResponse, error) {
	var res callbackResult
	select {
	case res = <-s.callback.Result():
	case <-ctx.Done():
		return gatewayapi.TokenResponse{}, ctx.Err()
	case <-m.o.After(s.expiresAt.Sub(m.o.Now())):
		return gatewayapi.TokenResponse{}, &DeniedError{Code: gatewayapi.ErrExpiredToken, Description: "the sign-in was not finished in time"}
	}
	s.callback.Close()
	if res.err != nil {
		return gatewayapi.TokenResponse{}, res.err
	}
	tr, err := m.redeem(ctx, s, res.code)
	if err != nil {
		return tr, signInError(err)
	}
	return tr, nil
}

// redeem is POST /v1/auth/token: the handoff code (none when polling), the
// PKCE verifier, and a proof by the sign-in's key.
func (m *Manager) redeem(ctx context.Context, s *signIn, code string) (gatewayapi.TokenResponse, error) {
	var tr gatewayapi.TokenResponse
	err := m.call(ctx, "POST", gatewayapi.TokenPath, s.key, "",
		gatewayapi.TokenRequest{LoginID: s.loginID, Code: code, CodeVerifier: s.verifier}, &tr)
	if err == nil && tr.SessionToken == "" {
		err = &GatewayError{Status: 200, Code: "invalid_response", Description: "the gateway sent no session token"}
	}
	return tr, err
}

// signInError turns the gateway's final refusals of a sign-in into a
// DeniedError; anything else stays as it is.
func signInError(err error) error {
	var ge *GatewayError
	if errors.As(err, &ge) && (ge.Code == gatewayapi.ErrAccessDenied || ge.Code == gatewayapi.ErrExpiredToken) {
		return &DeniedError{Code: ge.Code, Description: ge.Description}
	}
	return err
}
