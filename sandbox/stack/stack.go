// Package stack puts the three simulators together as one supplier-facing
// service: e-RS (package sandbox), CIS2 (package sandbox/cis2) and APIM
// (package sandbox/apim), sharing the personas, the application registry and
// the token store, so that a token APIM issues for a CIS2 persona is the
// caller e-RS sees. ers-sandbox serves a Stack; the workstation's demo and
// the gateway's tests build one in process.
//
// By default the three share one origin (one listener); each of CIS2 and
// APIM may be given its own (Options.CIS2BaseURL, Options.APIMBaseURL), in
// which case serve CIS2Handler and APIMHandler on them and ERSHandler on the
// main one.
package stack

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/sandbox/faults"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Options configure a Stack. BaseURL and Seed are required.
type Options struct {
	// BaseURL is the origin the e-RS API is reached at, with an explicit
	// port: "http://127.0.0.1:9000". CIS2 and APIM share it unless given
	// their own below.
	BaseURL string
	// CIS2BaseURL and APIMBaseURL are the origins of their own listeners;
	// empty means BaseURL.
	CIS2BaseURL, APIMBaseURL string
	// Seed builds (and on reset rebuilds) the e-RS data. The personas are
	// added to it as e-RS users, so the roles CIS2 shows are the ones A030
	// returns and the access rules enforce.
	Seed func() *store.State
	// Personas are the CIS2 users; nil means cis2.Personas().
	Personas []cis2.Persona
	// Apps are the APIM applications. The e-RS side trusts a token only
	// if its application is here.
	Apps []apim.App
	// Clients are the CIS2 relying parties.
	Clients []cis2.Client
	// OpenAccess serves e-RS without tokens, as NHS's public sandbox does
	// (sandbox.OpenAuthenticator). CIS2 and APIM are still served.
	OpenAccess bool
	// AutoApprove lets a login_hint naming a persona sign in without the
	// page: for tests and unattended demos only.
	AutoApprove bool
	// CIS2Keys signs CIS2's tokens; nil generates one key of KeyBits.
	CIS2Keys *cis2.KeySet
	// KeyBits is the size of generated CIS2 keys; zero is
	// cis2.DefaultKeyBits.
	KeyBits int
	// Faults, Limiter, Version and Logger are e-RS's (see sandbox.Options).
	Faults  *faults.Injector
	Limiter *faults.Limiter
	Version string
	Logger  *slog.Logger
	// Now is the clock of CIS2 and APIM; nil means time.Now.
	Now func() time.Time
	// HTTPClient fetches client and application key sets and delivers
	// back-channel logouts; nil gives each side its own default.
	HTTPClient *http.Client
}

// Stack is the three simulators, wired.
type Stack struct {
	ers      *sandbox.Server
	cis2     *cis2.Provider
	apim     *apim.Server
	tokens   *apim.TokenStore
	shared   bool // CIS2 and APIM served on the e-RS origin
	baseURL  string
	cis2Base string
	apimBase string
}

// New builds a Stack.
func New(opts Options) (*Stack, error) {
	if opts.Seed == nil {
		return nil, errors.New("stack: Options.Seed is required")
	}
	base, err := origin("base URL", opts.BaseURL)
	if err != nil {
		return nil, err
	}
	cis2Base, apimBase := base, base
	if opts.CIS2BaseURL != "" {
		if cis2Base, err = origin("CIS2 base URL", opts.CIS2BaseURL); err != nil {
			return nil, err
		}
	}
	if opts.APIMBaseURL != "" {
		if apimBase, err = origin("APIM base URL", opts.APIMBaseURL); err != nil {
			return nil, err
		}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	personas := opts.Personas
	if personas == nil {
		personas = cis2.Personas()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	keys := opts.CIS2Keys
	if keys == nil {
		bits := opts.KeyBits
		if bits == 0 {
			bits = cis2.DefaultKeyBits
		}
		k, err := cis2.GenerateKey(keyID(now()), bits)
		if err != nil {
			return nil, fmt.Errorf("stack: CIS2 signing key: %w", err)
		}
		if keys, err = cis2.NewKeySet(k); err != nil {
			return nil, fmt.Errorf("stack: CIS2 key set: %w", err)
		}
	}
	issuer := cis2.IssuerFor(cis2Base)
	provider, err := cis2.New(cis2.Config{
		Issuer: issuer, Keys: keys, Now: now, Clients: opts.Clients, Personas: personas,
		AutoApprove: opts.AutoApprove, HTTPClient: opts.HTTPClient, KeyBits: opts.KeyBits,
	})
	if err != nil {
		return nil, err
	}

	registry, err := apim.NewRegistry(opts.Apps...)
	if err != nil {
		return nil, err
	}
	tokens := apim.NewTokenStore(now)
	apimServer, err := apim.New(apim.Options{
		Apps: registry, Tokens: tokens, TokenURL: apimBase + apim.TokenPath, Now: now,
		CIS2Issuer: issuer, CIS2JWKSURL: issuer + cis2.JWKSPath, HTTPClient: opts.HTTPClient,
		Logger: log.With("component", "apim"),
	})
	if err != nil {
		return nil, err
	}

	var auth sandbox.Authenticator = sandbox.TokenAuthenticator{Tokens: tokens, Apps: registry}
	if opts.OpenAccess {
		auth = sandbox.OpenAuthenticator{}
	}
	ers := sandbox.New(sandbox.Options{
		Store:   store.New(WithPersonas(opts.Seed, personas), nil),
		Auth:    auth,
		Faults:  opts.Faults,
		Limiter: opts.Limiter,
		BaseURL: base + "/referrals",
		Logger:  log,
		Version: opts.Version,
	})
	return &Stack{
		ers: ers, cis2: provider, apim: apimServer, tokens: tokens,
		shared:  cis2Base == base && apimBase == base,
		baseURL: base, cis2Base: cis2Base, apimBase: apimBase,
	}, nil
}

// keyID names a generated CIS2 key by its creation time.
func keyID(t time.Time) string { return "cis2-sandbox-" + t.UTC().Format("20060102T150405Z") }

// origin checks that raw is an http(s) origin with an explicit port and
// returns it without a trailing slash.
func origin(what, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Port() == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", fmt.Errorf("stack: %s %q must be an http(s) origin with an explicit port, like http://127.0.0.1:9000", what, raw)
	}
	return strings.TrimSuffix(raw, "/"), nil
}

// WithPersonas returns a seed that adds the personas to seed's data as
// e-RS users (a persona replaces a seeded user with the same id).
func WithPersonas(seed func() *store.State, personas []cis2.Persona) func() *store.State {
	return func() *store.State {
		st := seed()
		if st.Users == nil {
			st.Users = map[string]*store.User{}
		}
		for _, p := range personas {
			st.Users[p.ID] = p.User()
		}
		return st
	}
}

// Handler serves everything on the e-RS origin: e-RS, and CIS2 and APIM
// unless they have origins of their own.
func (s *Stack) Handler() http.Handler {
	if !s.shared {
		return s.ers
	}
	mux := http.NewServeMux()
	mux.Handle(cis2.IssuerPath+"/", s.cis2.Handler())
	mux.Handle(apim.TokenPath, s.apim)
	mux.Handle("/", s.ers)
	return mux
}

// CIS2Handler serves CIS2 alone, for its own listener.
func (s *Stack) CIS2Handler() http.Handler { return s.cis2.Handler() }

// APIMHandler serves APIM alone, for its own listener.
func (s *Stack) APIMHandler() http.Handler { return s.apim }

// AdminHandler serves the admin API of all three: e-RS's /_admin/reset,
// /_admin/faults and /_admin/state, CIS2's /_admin/cis2/..., and
// POST /_admin/apim/revoke?sub=...|sid=... which drops the APIM tokens of a
// user or CIS2 session (access and refresh: the next call gets 401). It has
// no authentication: serve it on loopback only.
func (s *Stack) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/_admin/cis2/", s.cis2.AdminHandler())
	mux.HandleFunc("POST "+AdminAPIMRevokePath, s.revokeAPIM)
	mux.Handle("/_admin/", s.ers.AdminHandler())
	return mux
}

// AdminAPIMRevokePath drops APIM tokens (see AdminHandler).
const AdminAPIMRevokePath = "/_admin/apim/revoke"

func (s *Stack) revokeAPIM(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sub, sid := q.Get("sub"), q.Get("sid")
	var n int
	switch {
	case sid != "" && sub == "":
		n = s.tokens.RevokeSession(sid)
	case sub != "" && sid == "":
		n = s.tokens.RevokeSubject(sub)
	default:
		http.Error(w, "give exactly one of sub (an SDS user id) or sid (a CIS2 session id)", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "{\"revoked\":%d}\n", n)
}

// ERS is the e-RS simulator, for fault plans and tests.
func (s *Stack) ERS() *sandbox.Server { return s.ers }

// CIS2 is the CIS2 provider, for key rotation and revocation.
func (s *Stack) CIS2() *cis2.Provider { return s.cis2 }

// APIM is the APIM token service.
func (s *Stack) APIM() *apim.Server { return s.apim }

// Tokens is APIM's token store.
func (s *Stack) Tokens() *apim.TokenStore { return s.tokens }

// URLs are where a client finds each part.
type URLs struct {
	// ERSBase is the FHIR base: ".../referrals/FHIR".
	ERSBase string
	// CIS2Issuer is the issuer, verbatim with its port.
	CIS2Issuer string
	// APIMTokenURL is the token endpoint (and the audience of client assertions).
	APIMTokenURL string
}

// URLs returns the stack's endpoints.
func (s *Stack) URLs() URLs {
	return URLs{
		ERSBase:      s.baseURL + sandbox.BasePath,
		CIS2Issuer:   cis2.IssuerFor(s.cis2Base),
		APIMTokenURL: s.apimBase + apim.TokenPath,
	}
}
