package cis2

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ers-workstation/ers-workstation/assets"
)

// Lifetimes of the sign-in flow.
const (
	// CodeLifetime is how long an authorization code may be redeemed
	// (notes 7.1: 60 s).
	CodeLifetime = 60 * time.Second
	// PendingLifetime is how long the sign-in page stays usable.
	PendingLifetime = 10 * time.Minute
	// DefaultAccessTokenLifetime is how long a CIS2 access token lasts
	// for /userinfo.
	DefaultAccessTokenLifetime = time.Hour
	// DefaultJWKSClientTimeout is the timeout of the default HTTP client
	// that fetches client JWKS and sends back-channel logout tokens.
	DefaultJWKSClientTimeout = 10 * time.Second
)

// The OAuth error codes the sign-in endpoints answer with.
const (
	ErrInvalidRequest          = "invalid_request"
	ErrUnsupportedResponseType = "unsupported_response_type"
	ErrInvalidScope            = "invalid_scope"
	ErrAccessDenied            = "access_denied"
	ErrLoginRequired           = "login_required"
	ErrInvalidClient           = "invalid_client"
	ErrInvalidGrant            = "invalid_grant"
	ErrUnsupportedGrantType    = "unsupported_grant_type"
	ErrInvalidToken            = "invalid_token"
)

// The error descriptions. DescJWTNotValid is the real one (notes 1.4); the
// others are the mock's own wording.
const (
	DescJWTNotValid          = "JWT is not valid"
	DescClientAuthFailed     = "Client authentication failed"
	DescUnknownClient        = "The client is not registered"
	DescRedirectMismatch     = "The redirection URI provided does not match a pre-registered value."
	DescResponseType         = "response_type must be code"
	DescScopeOpenID          = "scope must contain openid"
	DescStateMissing         = "state is required"
	DescPKCEMissing          = "code_challenge is required"
	DescPKCEMethod           = "code_challenge_method must be S256"
	DescACRUnknown           = "acr_values names an unknown value"
	DescMaxAge               = "max_age must be a non-negative integer"
	DescPrompt               = "prompt is not supported"
	DescLoginRequired        = "The user is not signed in"
	DescUserCancelled        = "The user cancelled the sign-in"
	DescGrantInvalid         = "The provided access grant is invalid, expired, or revoked."
	DescVerifierMismatch     = "The code_verifier does not match the code_challenge"
	DescVerifierMissing      = "code_verifier is required"
	DescCodeMissing          = "code is required"
	DescGrantType            = "grant_type must be authorization_code"
	DescContentType          = "Content-Type must be application/x-www-form-urlencoded"
	DescAccessTokenInvalid   = "The access token is invalid or has expired"
	DescAuthenticatorNotHeld = "This person cannot sign in with that authenticator. Choose one they hold."
	DescPersonaUnknown       = "Choose who you are."
	DescSessionExpired       = "This sign-in page has expired or was already used. Start again from the service."
)

// request is a validated authorize request.
type request struct {
	client        Client
	redirectURI   string
	state, nonce  string
	scopes        []string
	challenge     string
	acr           []string // requested ACR values, in order
	loginHint     string
	prompt        string
	maxAge        string
	pendingExpiry time.Time
	csrf          string
}

// grant is an issued authorization code.
type grant struct {
	req     request
	login   Login
	expires time.Time
}

// accessGrant is what an issued access token allows.
type accessGrant struct {
	persona      Persona
	scopes       []string
	selectedRole string
	sid          string
	expires      time.Time
}

// signIn is the state of the sign-in endpoints.
type signIn struct {
	personas    []Persona
	autoApprove bool
	atLifetime  time.Duration
	auth        *clientAuth
	http        *http.Client // client JWKS and back-channel logout
	page        *template.Template
	errPage     *template.Template
	outPage     *template.Template

	mu       sync.Mutex
	pending  map[string]request     // request id -> request
	codes    map[string]grant       // code -> grant
	tokens   map[string]accessGrant // access token -> grant
	sessions map[string]*session    // sid -> live session
}

func newSignIn(cfg Config, now func() time.Time) (*signIn, error) {
	clients, err := checkClients(cfg.Clients)
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultJWKSClientTimeout}
	}
	personas := cfg.Personas
	if personas == nil {
		personas = Personas()
	}
	pages, err := template.ParseFS(assets.CIS2(), "layout.html", "signin.html", "error.html", "signedout.html")
	if err != nil {
		return nil, fmt.Errorf("cis2: sign-in templates: %w", err)
	}
	s := &signIn{
		personas: slices.Clone(personas), autoApprove: cfg.AutoApprove, atLifetime: cfg.AccessTokenLifetime,
		auth: &clientAuth{clients: clients, http: hc, now: now, jwks: map[string]jwksEntry{}, jtis: map[string]time.Time{}},
		http: hc, page: pages.Lookup("signin.html"), errPage: pages.Lookup("error.html"),
		outPage: pages.Lookup("signedout.html"),
		pending: map[string]request{}, codes: map[string]grant{}, tokens: map[string]accessGrant{},
		sessions: map[string]*session{},
	}
	if s.atLifetime <= 0 {
		s.atLifetime = DefaultAccessTokenLifetime
	}
	return s, nil
}

// sweep drops expired pending requests, codes and tokens. Callers hold mu.
func (s *signIn) sweepLocked(now time.Time) {
	for k, r := range s.pending {
		if !now.Before(r.pendingExpiry) {
			delete(s.pending, k)
		}
	}
	for k, g := range s.codes {
		if !now.Before(g.expires) {
			delete(s.codes, k)
		}
	}
	for k, a := range s.tokens {
		if !now.Before(a.expires) {
			delete(s.tokens, k)
		}
	}
}

func splitSpaces(s string) []string { return strings.Fields(s) }
