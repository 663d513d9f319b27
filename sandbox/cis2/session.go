package cis2

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sessions. Every sign-in through the page or auto-approval starts a CIS2
// session: a random sid (the ID token's sid claim), the persona (sub), the
// authenticator and auth_time. The browser gets a session cookie
// (SessionCookie, path the issuer path, HttpOnly). An authorize request
// with prompt=none and that cookie signs in silently to the same session
// (same sid, same authenticator) when the session meets acr_values and
// max_age; without a live session prompt=none answers login_required
// (unless AutoApprove and login_hint apply, which start a new session).
// Other requests always show the sign-in page and start a new session: the
// mock does no silent single sign-on. The session records each client a
// code was issued to, and each access token names its session. Sessions do
// not expire on their own: they live until end-session or a revocation.
//
// Ending a session (end-session, RevokeSession, RevokeSubject) forgets it,
// makes its unredeemed codes and its access tokens invalid, and sends a
// back-channel logout token to every client of the session that registered
// a BackchannelLogoutURI.

// SessionCookie is the name of the mock's browser session cookie. The real
// service's cookie is ForgeRock's own; relying parties never read it.
const SessionCookie = "cis2_mock_session"

// Back-channel logout (OpenID Connect Back-Channel Logout 1.0; notes 7.1).
const (
	// BackchannelLogoutEvent is the only member of a logout token's
	// events claim.
	BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"
	// LogoutTokenLifetime is exp - iat of a logout token.
	LogoutTokenLifetime = 2 * time.Minute
	// BackchannelLogoutTimeout bounds one POST to a client.
	BackchannelLogoutTimeout = 5 * time.Second
)

// ErrSessionNotFound is returned by the revocations when nothing matched.
var ErrSessionNotFound = errors.New("cis2: no such session")

// BackchannelLogoutError is one failed logout delivery. The session is
// ended regardless: delivery is best effort, as on the real service.
type BackchannelLogoutError struct {
	ClientID, SessionID string
	Err                 error
}

func (e *BackchannelLogoutError) Error() string {
	return fmt.Sprintf("cis2: back-channel logout of session %s to client %s: %v", e.SessionID, e.ClientID, e.Err)
}

func (e *BackchannelLogoutError) Unwrap() error { return e.Err }

// session is a live CIS2 session.
type session struct {
	sid, cookie   string
	persona       Persona
	authenticator Authenticator
	authTime      time.Time
	clients       []string // client ids a code was issued to, in order
}

// SessionInfo describes a live session: identifiers only, never tokens.
type SessionInfo struct {
	SessionID string   `json:"sid"`
	Subject   string   `json:"sub"`
	Clients   []string `json:"clients"`
	AuthTime  int64    `json:"auth_time"`
}

// LogoutToken is the claim set of a back-channel logout token (notes 7.1):
// no nonce, aud the client id.
type LogoutToken struct {
	Issuer    string              `json:"iss"`
	Audience  string              `json:"aud"`
	IssuedAt  int64               `json:"iat"`
	Expiry    int64               `json:"exp"`
	JTI       string              `json:"jti"`
	Subject   string              `json:"sub"`
	SessionID string              `json:"sid"`
	Events    map[string]struct{} `json:"events"`
}

// startSession records a new session for persona signed in with a.
func (s *signIn) startSession(persona Persona, a Authenticator, authTime time.Time) session {
	x := &session{sid: randomID(), cookie: randomID(), persona: persona, authenticator: a, authTime: authTime}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[x.sid] = x
	return *x
}

// cookieSession is the live session of the request's cookie.
func (s *signIn) cookieSession(r *http.Request) (session, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return session{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.sessions {
		if x.cookie == c.Value {
			return *x, true
		}
	}
	return session{}, false
}

// joinSession records that clientID signed in to the session sid. It
// reports false when the session has ended.
func (s *signIn) joinSession(sid, clientID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, ok := s.sessions[sid]
	if !ok {
		return false
	}
	if !slices.Contains(x.clients, clientID) {
		x.clients = append(x.clients, clientID)
	}
	return true
}

// endSessions forgets the matching sessions, their codes and their access
// tokens, and returns them.
func (s *signIn) endSessions(match func(*session) bool) []session {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ended []session
	for sid, x := range s.sessions {
		if !match(x) {
			continue
		}
		ended = append(ended, *x)
		delete(s.sessions, sid)
		for k, g := range s.codes {
			if g.login.SessionID == sid {
				delete(s.codes, k)
			}
		}
		for k, a := range s.tokens {
			if a.sid == sid {
				delete(s.tokens, k)
			}
		}
	}
	slices.SortFunc(ended, func(a, b session) int { return strings.Compare(a.sid, b.sid) })
	return ended
}

// Sessions lists the live sessions, oldest sign-in first.
func (p *Provider) Sessions() []SessionInfo {
	s := p.signIn
	s.mu.Lock()
	out := make([]SessionInfo, 0, len(s.sessions))
	for _, x := range s.sessions {
		out = append(out, SessionInfo{SessionID: x.sid, Subject: x.persona.ID, Clients: slices.Clone(x.clients),
			AuthTime: x.authTime.Unix()})
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b SessionInfo) int {
		if a.AuthTime != b.AuthTime {
			return int(a.AuthTime - b.AuthTime)
		}
		return strings.Compare(a.SessionID, b.SessionID)
	})
	return out
}

// RevokeSession ends the session sid and sends back-channel logout tokens
// to its clients. It returns an error wrapping ErrSessionNotFound when
// there is no such session, else the failed deliveries joined (each a
// *BackchannelLogoutError); the session is ended either way.
func (p *Provider) RevokeSession(ctx context.Context, sid string) error {
	_, err := p.revoke(ctx, func(x *session) bool { return x.sid == sid })
	return err
}

// RevokeSubject ends every session of the user sub, as RevokeSession.
func (p *Provider) RevokeSubject(ctx context.Context, sub string) error {
	_, err := p.revoke(ctx, func(x *session) bool { return x.persona.ID == sub })
	return err
}

func (p *Provider) revoke(ctx context.Context, match func(*session) bool) ([]string, error) {
	ended := p.signIn.endSessions(match)
	if len(ended) == 0 {
		return nil, ErrSessionNotFound
	}
	sids := make([]string, len(ended))
	for i, x := range ended {
		sids[i] = x.sid
	}
	return sids, p.notifyLogout(ctx, ended)
}

// notifyLogout POSTs a logout token for each ended session to each of its
// clients with a back-channel logout URI, one after the other, each with a
// BackchannelLogoutTimeout.
func (p *Provider) notifyLogout(ctx context.Context, ended []session) error {
	var errs []error
	for _, x := range ended {
		for _, id := range x.clients {
			c, ok := p.signIn.auth.clients[id]
			if !ok || c.BackchannelLogoutURI == "" {
				continue
			}
			if err := p.sendLogout(ctx, c, x); err != nil {
				errs = append(errs, &BackchannelLogoutError{ClientID: c.ID, SessionID: x.sid, Err: err})
			}
		}
	}
	return errors.Join(errs...)
}

// LogoutTokenClaims builds the logout token of session sid of sub for the
// client, issued now.
func (p *Provider) LogoutTokenClaims(clientID, sub, sid string) LogoutToken {
	now := p.now()
	return LogoutToken{Issuer: p.issuer, Audience: clientID, IssuedAt: now.Unix(),
		Expiry: now.Add(LogoutTokenLifetime).Unix(), JTI: randomID(), Subject: sub, SessionID: sid,
		Events: map[string]struct{}{BackchannelLogoutEvent: {}}}
}

func (p *Provider) sendLogout(ctx context.Context, c Client, x session) error {
	tok, err := p.keys.sign(p.LogoutTokenClaims(c.ID, x.persona.ID, x.sid))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, BackchannelLogoutTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BackchannelLogoutURI,
		strings.NewReader(url.Values{"logout_token": {tok}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.signIn.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errors.New("status " + strconv.Itoa(resp.StatusCode))
	}
	return nil
}

// setSessionCookie gives the browser the session's cookie; an empty value
// clears it.
func (p *Provider) setSessionCookie(w http.ResponseWriter, value string) {
	c := &http.Cookie{Name: SessionCookie, Value: value, Path: p.issuerPath, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if value == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// silentSession is the cookie's session when it may answer a prompt=none
// request: it meets acr_values and max_age.
func (p *Provider) silentSession(r *http.Request, req request) (session, bool) {
	x, ok := p.signIn.cookieSession(r)
	if !ok || (len(req.acr) > 0 && satisfiedACR(x.authenticator, req.acr) == "") {
		return session{}, false
	}
	if req.maxAge != "" {
		n, err := strconv.Atoi(req.maxAge)
		if err != nil || p.now().Sub(x.authTime) > time.Duration(n)*time.Second {
			return session{}, false
		}
	}
	return x, true
}
