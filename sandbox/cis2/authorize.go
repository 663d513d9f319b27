package cis2

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// serveAuthorize validates an authorize request and shows the sign-in page,
// or redirects at once with a code when auto-approve applies.
func (p *Provider) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req, ok := p.validateAuthorize(w, q)
	if !ok {
		return
	}
	s := p.signIn
	if req.prompt == "none" {
		if x, ok := p.silentSession(r, req); ok {
			p.issueCode(w, r, req, x)
			return
		}
	}
	if req.prompt == "none" && !(s.autoApprove && req.loginHint != "") {
		redirectError(w, r, req, ErrLoginRequired, DescLoginRequired)
		return
	}
	if persona, found := FindPersona(s.personas, req.loginHint); found && s.autoApprove {
		if a, ok := autoAuthenticator(persona, req.acr); ok {
			p.approve(w, r, req, persona, a)
			return
		}
	}
	now := p.now()
	req.pendingExpiry = now.Add(PendingLifetime)
	req.csrf = randomID()
	id := randomID()
	s.mu.Lock()
	s.sweepLocked(now)
	s.pending[id] = req
	s.mu.Unlock()
	p.renderPage(w, http.StatusOK, id, req, req.loginHint, "", "")
}

// validateAuthorize checks q in order: client and redirect URI (an error
// page), then the rest (redirected errors).
func (p *Provider) validateAuthorize(w http.ResponseWriter, q url.Values) (request, bool) {
	c, ok := p.signIn.auth.clients[q.Get("client_id")]
	if !ok {
		p.renderError(w, "Unknown service", DescUnknownClient)
		return request{}, false
	}
	req := request{client: c, redirectURI: q.Get("redirect_uri"), state: q.Get("state"), nonce: q.Get("nonce"),
		scopes: splitSpaces(q.Get("scope")), challenge: q.Get("code_challenge"), acr: splitSpaces(q.Get("acr_values")),
		loginHint: q.Get("login_hint"), prompt: q.Get("prompt"), maxAge: q.Get("max_age")}
	if !c.allowsRedirect(req.redirectURI) {
		p.renderError(w, "Unknown return address", DescRedirectMismatch)
		return request{}, false
	}
	fail := func(code, desc string) (request, bool) {
		redirectError(w, nil, req, code, desc)
		return request{}, false
	}
	switch {
	case q.Get("response_type") != "code":
		return fail(ErrUnsupportedResponseType, DescResponseType)
	case !slices.Contains(req.scopes, ScopeOpenID):
		return fail(ErrInvalidScope, DescScopeOpenID)
	case req.state == "":
		return fail(ErrInvalidRequest, DescStateMissing)
	case req.challenge == "":
		return fail(ErrInvalidRequest, DescPKCEMissing)
	case q.Get("code_challenge_method") != "S256":
		return fail(ErrInvalidRequest, DescPKCEMethod)
	case slices.ContainsFunc(req.acr, func(a string) bool { return !slices.Contains(ACRValues(), a) }):
		return fail(ErrInvalidRequest, DescACRUnknown)
	}
	if req.maxAge != "" {
		if n, err := strconv.Atoi(req.maxAge); err != nil || n < 0 {
			return fail(ErrInvalidRequest, DescMaxAge)
		}
	}
	for _, pr := range splitSpaces(req.prompt) {
		if !slices.Contains([]string{"none", "login", "consent", "select_account"}, pr) {
			return fail(ErrInvalidRequest, DescPrompt)
		}
	}
	return req, true
}

// serveAuthorizeForm handles the sign-in page's POST.
func (p *Provider) serveAuthorizeForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.renderError(w, "Bad request", DescSessionExpired)
		return
	}
	s := p.signIn
	id := r.PostForm.Get("request")
	now := p.now()
	s.mu.Lock()
	s.sweepLocked(now)
	req, ok := s.pending[id]
	if ok && subtle.ConstantTimeCompare([]byte(req.csrf), []byte(r.PostForm.Get("csrf_token"))) != 1 {
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		p.renderError(w, "Sign-in expired", DescSessionExpired)
		return
	}
	take := func() bool { // the pending request is used once
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, still := s.pending[id]; !still {
			return false
		}
		delete(s.pending, id)
		return true
	}
	personaKey, auth := r.PostForm.Get("persona"), Authenticator(r.PostForm.Get("authenticator"))
	if r.PostForm.Get("action") == "cancel" {
		if take() {
			redirectError(w, r, req, ErrAccessDenied, DescUserCancelled)
		} else {
			p.renderError(w, "Sign-in expired", DescSessionExpired)
		}
		return
	}
	persona, found := FindPersona(s.personas, personaKey)
	var problem string
	switch {
	case !found:
		problem = DescPersonaUnknown
	case !persona.allows(auth):
		problem = DescAuthenticatorNotHeld
	case satisfiedACR(auth, req.acr) == "" && len(req.acr) > 0:
		problem = authenticatorLabel(auth) + " gives AAL" + strconv.Itoa(auth.AAL()) +
			", which is not strong enough: this service asks for " + strings.Join(req.acr, " or ") + "."
	}
	if problem != "" {
		p.renderPage(w, http.StatusBadRequest, id, req, personaKey, auth, problem)
		return
	}
	if !take() {
		p.renderError(w, "Sign-in expired", DescSessionExpired)
		return
	}
	p.approve(w, r, req, persona, auth)
}

// approve starts a session for the sign-in, gives the browser its cookie,
// issues a code and redirects to the client.
func (p *Provider) approve(w http.ResponseWriter, r *http.Request, req request, persona Persona, a Authenticator) {
	x := p.signIn.startSession(persona, a, p.now())
	p.setSessionCookie(w, x.cookie)
	p.issueCode(w, r, req, x)
}

// issueCode issues a code for the client in the session x and redirects to
// the client; login_required when the session has just ended.
func (p *Provider) issueCode(w http.ResponseWriter, r *http.Request, req request, x session) {
	s := p.signIn
	if !s.joinSession(x.sid, req.client.ID) {
		redirectError(w, r, req, ErrLoginRequired, DescLoginRequired)
		return
	}
	login := Login{Persona: x.persona, Authenticator: x.authenticator, ClientID: req.client.ID, Nonce: req.nonce,
		ACR: satisfiedACR(x.authenticator, req.acr), AuthTime: x.authTime, SessionID: x.sid, State: req.state}
	if slices.Contains(req.scopes, ScopeSelectedRole) && len(x.persona.RBAC) > 0 {
		login.SelectedRoleID = x.persona.RBAC[0].PersonRoleID
	}
	code := randomID()
	login.Code = code
	s.mu.Lock()
	s.codes[code] = grant{req: req, login: login, expires: p.now().Add(CodeLifetime)}
	s.mu.Unlock()
	redirect(w, r, req, url.Values{"code": {code}})
}

// satisfiedACR is the first requested ACR value a satisfies; with none
// requested it is the authenticator's default. Empty when none is met.
func satisfiedACR(a Authenticator, acr []string) string {
	if len(acr) == 0 {
		return a.DefaultACR()
	}
	for _, v := range acr {
		if a.Satisfies(v) {
			return v
		}
	}
	return ""
}

// autoAuthenticator picks smartcard, else the persona's strongest
// authenticator, that meets the request.
func autoAuthenticator(p Persona, acr []string) (Authenticator, bool) {
	order := slices.Clone(p.Authenticators)
	slices.SortStableFunc(order, func(a, b Authenticator) int {
		if a == Smartcard {
			return -1
		}
		if b == Smartcard {
			return 1
		}
		return b.AAL() - a.AAL()
	})
	for _, a := range order {
		if satisfiedACR(a, acr) != "" {
			return a, true
		}
	}
	return "", false
}

func redirectError(w http.ResponseWriter, r *http.Request, req request, code, desc string) {
	redirect(w, r, req, url.Values{"error": {code}, "error_description": {desc}})
}

// redirect sends the browser back to the client's redirect URI with v and
// the state.
func redirect(w http.ResponseWriter, _ *http.Request, req request, v url.Values) {
	u, err := url.Parse(req.redirectURI)
	if err != nil {
		http.Error(w, "bad redirect URI", http.StatusInternalServerError)
		return
	}
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	if req.state != "" {
		q.Set("state", req.state)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Location", u.String())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}

// The sign-in page's view model.
type pageData struct {
	ClientID, Action, RequestID, CSRF, ACR, Error string
	Personas                                      []personaOption
	Authenticators                                []authenticatorOption
}

type personaOption struct {
	Key, Name, Description, ID, Authenticators string
	Checked                                    bool
}

type authenticatorOption struct {
	Value, Label  string
	AAL           int
	Weak, Checked bool
}

func authenticatorLabel(a Authenticator) string {
	switch a {
	case Smartcard:
		return "Smartcard"
	case FIDO2:
		return "Security key (FIDO2)"
	case TOTP:
		return "Authenticator app (TOTP)"
	case Password:
		return "Password"
	}
	return string(a)
}

func (p *Provider) renderPage(w http.ResponseWriter, status int, id string, req request, persona string, chosen Authenticator, problem string) {
	s := p.signIn
	d := pageData{ClientID: req.client.ID, Action: p.issuerPath + AuthorizePath, RequestID: id, CSRF: req.csrf,
		ACR: strings.Join(req.acr, " or "), Error: problem}
	for _, ps := range s.personas {
		names := make([]string, len(ps.Authenticators))
		for i, a := range ps.Authenticators {
			names[i] = authenticatorLabel(a)
		}
		d.Personas = append(d.Personas, personaOption{Key: ps.Key, Name: ps.DisplayName(), Description: ps.Description,
			ID: ps.ID, Authenticators: strings.Join(names, ", "), Checked: ps.Key == persona})
	}
	checked := chosen
	for _, a := range []Authenticator{Smartcard, FIDO2, TOTP, Password} {
		weak := len(req.acr) > 0 && satisfiedACR(a, req.acr) == ""
		if checked == "" && !weak {
			checked = a
		}
		d.Authenticators = append(d.Authenticators, authenticatorOption{Value: string(a), Label: authenticatorLabel(a),
			AAL: a.AAL(), Weak: weak, Checked: a == checked})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_ = s.page.Execute(w, d) // a write error means the browser went away
}

func (p *Provider) renderError(w http.ResponseWriter, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(http.StatusBadRequest)
	_ = p.signIn.errPage.Execute(w, struct{ Title, Message string }{title, msg})
}
