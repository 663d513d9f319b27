package broker

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/assets"
	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/gateway/upstream"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// IdentityProvider is the gateway's side of NHS CIS2 (upstream.CIS2).
type IdentityProvider interface {
	AuthCodeURL(state, nonce, pkceVerifier string) string
	Redeem(ctx context.Context, code, pkceVerifier, nonce string) (upstream.Identity, error)
	VerifyLogoutToken(ctx context.Context, raw string) (upstream.Logout, error)
}

// TokenService is the gateway's side of APIM's token endpoint (upstream.APIM).
type TokenService interface {
	Exchange(ctx context.Context, idToken string) (upstream.Tokens, error)
	Refresh(ctx context.Context, refreshToken string) (upstream.Tokens, error)
}

// Roles answers A030 and A040 for a session, so the role context is checked
// against what e-RS says the user holds.
type Roles interface {
	// Choices are the user's (business function, organisation) pairs (A030).
	Choices(ctx context.Context, accessToken string) ([]RoleChoice, error)
	// OnBehalfOf are the clinicians a clinician admin may act for at the
	// organisation (A040).
	OnBehalfOf(ctx context.Context, accessToken, ods string) ([]Clinician, error)
}

// Defaults of Options.
const (
	DefaultLoginLifetime   = 5 * time.Minute
	DefaultHandoffLifetime = 60 * time.Second
	DefaultPollInterval    = 2 * time.Second
	DefaultIdleTimeout     = 15 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
	// DefaultRefreshMargin: the APIM access token is refreshed when it has
	// less than this left.
	DefaultRefreshMargin = 60 * time.Second
	// lastSeenResolution limits session writes: LastSeen is only stored
	// when it moved by this much, so a busy session does not write on
	// every call; the idle timeout is that much less precise.
	lastSeenResolution = 15 * time.Second
)

// Options configure a Broker. PublicURL, Store, Sealer, CIS2, APIM and
// Roles are required.
type Options struct {
	// PublicURL is the gateway's origin as browsers and workstations reach
	// it: the short login URL and the proof-of-possession URLs are below it.
	PublicURL string
	Store     store.Store
	Sealer    *store.Sealer
	CIS2      IdentityProvider
	APIM      TokenService
	Roles     Roles
	// Proofs checks the workstation's proofs of possession; default a
	// verifier with dpop's defaults on Now.
	Proofs *dpop.Verifier
	// ProofMemory is how long an accepted proof's jti is kept in the
	// store's replay memory, shared by the gateways on the store. It must
	// cover the proofs' iat window both ways; default
	// dpop.DefaultReplayMemory (matching the default verifier).
	ProofMemory time.Duration

	LoginLifetime, HandoffLifetime, PollInterval time.Duration
	IdleTimeout, AbsoluteTimeout, RefreshMargin  time.Duration

	Now    func() time.Time
	Logger *slog.Logger
	// Random fills b with random bytes; default crypto/rand.
	Random func(b []byte)
}

// Broker is the sign-in broker: the login transactions, the browser pages,
// the CIS2 callback, session tokens bound to the workstation's key, the role
// context and logout.
type Broker struct {
	o       Options
	public  *url.URL
	secure  bool // cookies are Secure (an https public URL)
	pages   *template.Template
	refresh refreshLocks // one refresh at a time per session in this process
}

// New returns a Broker for the options.
func New(o Options) (*Broker, error) {
	switch {
	case o.Store == nil, o.Sealer == nil, o.CIS2 == nil, o.APIM == nil, o.Roles == nil:
		return nil, errors.New("broker: Store, Sealer, CIS2, APIM and Roles are required")
	}
	u, err := url.Parse(strings.TrimSuffix(o.PublicURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, errors.New("broker: PublicURL must be an http(s) origin such as https://ers-gateway.example.nhs.uk")
	}
	u.Path = ""
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Random == nil {
		o.Random = cryptoRandom
	}
	defaults := []struct {
		d   *time.Duration
		def time.Duration
	}{
		{&o.LoginLifetime, DefaultLoginLifetime}, {&o.HandoffLifetime, DefaultHandoffLifetime},
		{&o.PollInterval, DefaultPollInterval}, {&o.IdleTimeout, DefaultIdleTimeout},
		{&o.AbsoluteTimeout, DefaultAbsoluteTimeout}, {&o.RefreshMargin, DefaultRefreshMargin},
		{&o.ProofMemory, dpop.DefaultReplayMemory},
	}
	for _, d := range defaults {
		if *d.d <= 0 {
			*d.d = d.def
		}
	}
	if o.Proofs == nil {
		if o.Proofs, err = dpop.NewVerifier(dpop.VerifierOptions{Now: o.Now}); err != nil {
			return nil, err
		}
	}
	pages, err := template.ParseFS(assets.Gateway(), "*.html")
	if err != nil {
		return nil, err
	}
	return &Broker{o: o, public: u, secure: u.Scheme == "https", pages: pages}, nil
}

// The broker's paths.
const (
	LoginPath        = gatewayapi.LoginPath
	TokenPath        = gatewayapi.TokenPath
	LogoutPath       = gatewayapi.LogoutPath
	SessionPath      = gatewayapi.SessionPath
	ContextPath      = gatewayapi.ContextPath
	RolesPath        = gatewayapi.RolesPath
	ShortLoginPrefix = gatewayapi.ShortLoginPrefix
	// The two paths registered with CIS2, shared with ers-sandbox's
	// registration of the gateway.
	CallbackPath          = config.GatewayCIS2CallbackPath
	BackchannelLogoutPath = config.GatewayBackchannelLogoutPath
)

// Register adds the broker's routes to mux.
func (b *Broker) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST "+LoginPath, b.login)
	mux.HandleFunc("POST "+TokenPath, b.redeem)
	mux.HandleFunc("POST "+LogoutPath, b.logout)
	mux.HandleFunc("GET "+SessionPath, b.session)
	mux.HandleFunc("GET "+RolesPath, b.roles)
	mux.HandleFunc("PUT "+ContextPath, b.setContext)
	mux.HandleFunc("GET "+ShortLoginPrefix+"{code}", b.confirmPage)
	mux.HandleFunc("GET "+DonePath, b.donePage)
	mux.HandleFunc("POST "+ShortLoginPrefix+"{code}", b.confirm)
	mux.HandleFunc("GET "+CallbackPath, b.callback)
	mux.HandleFunc("POST "+BackchannelLogoutPath, b.backchannelLogout)
}

// url is the public URL of a path, as the workstation signs it.
func (b *Broker) url(path string) string {
	u := *b.public
	u.Path = path
	return u.String()
}
