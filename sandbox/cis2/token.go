package cis2

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"strings"
)

// TokenResponse is the /access_token answer.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// ErrorResponse is an OAuth error body.
type ErrorResponse struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// serveToken redeems an authorization code.
func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		writeOAuthError(w, http.StatusBadRequest, ErrInvalidRequest, DescContentType)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, ErrInvalidRequest, DescContentType)
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "authorization_code" {
		writeOAuthError(w, http.StatusBadRequest, ErrUnsupportedGrantType, DescGrantType)
		return
	}
	s := p.signIn
	tokenURL := p.issuer + TokenPath
	var client Client
	var err error
	switch {
	case f.Get("client_assertion") != "":
		if f.Get("client_assertion_type") != ClientAssertionType {
			writeOAuthError(w, http.StatusUnauthorized, ErrInvalidClient, DescJWTNotValid)
			return
		}
		client, err = s.auth.authenticateAssertion(r.Context(), f.Get("client_assertion"), f.Get("client_id"), tokenURL)
		if err != nil {
			writeOAuthError(w, http.StatusUnauthorized, ErrInvalidClient, DescJWTNotValid)
			return
		}
	default:
		client, err = s.auth.authenticateSecret(f.Get("client_id"), f.Get("client_secret"))
		if err != nil {
			writeOAuthError(w, http.StatusUnauthorized, ErrInvalidClient, DescClientAuthFailed)
			return
		}
	}
	code := f.Get("code")
	if code == "" {
		writeOAuthError(w, http.StatusBadRequest, ErrInvalidRequest, DescCodeMissing)
		return
	}
	verifier := f.Get("code_verifier")
	if verifier == "" {
		writeOAuthError(w, http.StatusBadRequest, ErrInvalidRequest, DescVerifierMissing)
		return
	}
	now := p.now()
	s.mu.Lock()
	g, ok := s.codes[code]
	delete(s.codes, code) // any redemption attempt by a client uses the code up
	_, live := s.sessions[g.login.SessionID]
	s.mu.Unlock()
	ok = ok && live // a code of an ended session is revoked
	switch {
	case !ok || !now.Before(g.expires) || g.req.client.ID != client.ID:
		writeOAuthError(w, http.StatusBadRequest, ErrInvalidGrant, DescGrantInvalid)
		return
	case f.Get("redirect_uri") != g.req.redirectURI:
		writeOAuthError(w, http.StatusBadRequest, ErrInvalidGrant, DescRedirectMismatch)
		return
	case !pkceMatches(verifier, g.req.challenge):
		writeOAuthError(w, http.StatusBadRequest, ErrInvalidGrant, DescVerifierMismatch)
		return
	}
	at := randomID()
	login := g.login
	login.AccessToken = at
	idToken, _, err := p.SignIDToken(login)
	if err != nil {
		writeOAuthError(w, http.StatusInternalServerError, "server_error", "could not sign the ID token")
		return
	}
	s.mu.Lock()
	s.sweepLocked(now)
	s.tokens[at] = accessGrant{persona: login.Persona, scopes: g.req.scopes, selectedRole: login.SelectedRoleID,
		sid: login.SessionID, expires: now.Add(s.atLifetime)}
	s.mu.Unlock()
	writeJSON(w, TokenResponse{AccessToken: at, IDToken: idToken, TokenType: "Bearer",
		ExpiresIn: int64(s.atLifetime.Seconds()) - 1, Scope: strings.Join(g.req.scopes, " ")})
}

// pkceMatches checks an S256 code verifier against the challenge.
func pkceMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

// serveUserInfo answers the persona's claims for the token's scopes.
func (p *Provider) serveUserInfo(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s := p.signIn
	now := p.now()
	var g accessGrant
	if ok {
		s.mu.Lock()
		g, ok = s.tokens[tok]
		if ok {
			_, ok = s.sessions[g.sid] // ending the session revokes its tokens
		}
		s.mu.Unlock()
		ok = ok && now.Before(g.expires)
	}
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer error="`+ErrInvalidToken+`", error_description="`+DescAccessTokenInvalid+`"`)
		writeOAuthError(w, http.StatusUnauthorized, ErrInvalidToken, DescAccessTokenInvalid)
		return
	}
	writeJSON(w, g.persona.UserInfo(g.scopes, g.selectedRole))
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	b, err := marshalJSON(ErrorResponse{Error: code, Description: desc})
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
