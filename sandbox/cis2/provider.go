package cis2

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// IssuerPath is the path of the real CIS2 issuer (notes 1.1); the mock's
// issuer is http://127.0.0.1:<port> followed by it.
const IssuerPath = "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"

// The endpoint paths under the issuer (notes 1.1 and 7.1).
const (
	DiscoveryPath          = "/.well-known/openid-configuration"
	AuthorizePath          = "/authorize"
	TokenPath              = "/access_token"
	UserInfoPath           = "/userinfo"
	JWKSPath               = "/connect/jwk_uri"
	EndSessionPath         = "/connect/endSession"
	DefaultIDTokenLifetime = time.Hour
)

// IssuerFor returns the issuer of a mock served at base, an origin with an
// explicit port such as an httptest server's URL ("http://127.0.0.1:41234").
func IssuerFor(base string) string { return strings.TrimSuffix(base, "/") + IssuerPath }

// Config is what a Provider needs. Issuer and Keys are required.
type Config struct {
	// Issuer is the issuer URL, verbatim: scheme, host, explicit port and
	// IssuerPath (see IssuerFor). Relying parties compare it byte for byte.
	Issuer string
	// Keys signs the tokens and is published at the JWKS endpoint.
	Keys *KeySet
	// Now is the provider's clock; nil means time.Now.
	Now func() time.Time
	// IDTokenLifetime is how long ID tokens last; zero means
	// DefaultIDTokenLifetime.
	IDTokenLifetime time.Duration
	// Clients are the registered relying parties (the connection
	// manager); none means no one can sign in.
	Clients []Client
	// Personas are the users offered on the sign-in page; nil means
	// Personas().
	Personas []Persona
	// AutoApprove skips the sign-in page when login_hint names a persona
	// key; without it login_hint only preselects the persona.
	AutoApprove bool
	// AccessTokenLifetime is how long access tokens work at /userinfo;
	// zero means DefaultAccessTokenLifetime.
	AccessTokenLifetime time.Duration
	// HTTPClient fetches client JWKS; nil means a client with a
	// DefaultJWKSClientTimeout timeout. It also sends back-channel
	// logout tokens (each POST bounded by BackchannelLogoutTimeout too).
	HTTPClient *http.Client
	// KeyBits is the modulus size of keys made by RotateKey; zero means
	// DefaultKeyBits.
	KeyBits int
}

// Provider is the mock CIS2 OpenID provider.
type Provider struct {
	issuer     string
	issuerPath string
	keys       *KeySet
	now        func() time.Time
	idLifetime time.Duration
	keyBits    int
	signIn     *signIn
}

// New returns a provider for cfg.
func New(cfg Config) (*Provider, error) {
	if cfg.Keys == nil {
		return nil, errors.New("cis2: a provider needs a key set")
	}
	u, err := url.Parse(cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("cis2: issuer %q: %w", cfg.Issuer, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Port() == "" || u.RawQuery != "" || u.Fragment != "" ||
		!strings.HasSuffix(u.Path, IssuerPath) {
		return nil, fmt.Errorf("cis2: issuer %q must be an http(s) origin with an explicit port followed by %s", cfg.Issuer, IssuerPath)
	}
	p := &Provider{issuer: cfg.Issuer, issuerPath: u.Path, keys: cfg.Keys, now: cfg.Now, idLifetime: cfg.IDTokenLifetime}
	if p.now == nil {
		p.now = time.Now
	}
	if p.keyBits = cfg.KeyBits; p.keyBits <= 0 {
		p.keyBits = DefaultKeyBits
	}
	if p.idLifetime <= 0 {
		p.idLifetime = DefaultIDTokenLifetime
	}
	if p.signIn, err = newSignIn(cfg, p.now); err != nil {
		return nil, err
	}
	return p, nil
}

// Issuer is the issuer URL.
func (p *Provider) Issuer() string { return p.issuer }

// Keys is the provider's key set, for rotation.
func (p *Provider) Keys() *KeySet { return p.keys }

// Discovery is the OpenID provider metadata (notes 7.1).
type Discovery struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserInfoEndpoint                  string   `json:"userinfo_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	ACRValuesSupported                []string `json:"acr_values_supported"`
	BackchannelLogoutSupported        bool     `json:"backchannel_logout_supported"`
	BackchannelLogoutSessionSupported bool     `json:"backchannel_logout_session_supported"`
}

// The scopes CIS2 offers (notes 1.3 and 1.5).
const (
	ScopeOpenID             = "openid"
	ScopeProfile            = "profile"
	ScopeEmail              = "email"
	ScopeNHSPerson          = "nhsperson"
	ScopeNationalRBACAccess = "nationalrbacaccess"
	ScopeAssociatedOrgs     = "associatedorgs"
	ScopeSelectedRole       = "selectedrole"
)

// Token endpoint client authentication methods (notes 1.4).
const (
	AuthPrivateKeyJWT    = "private_key_jwt"
	AuthClientSecretPost = "client_secret_post"
)

// Discovery returns the provider metadata. It advertises every endpoint of
// the full mock, including those later slices serve.
func (p *Provider) Discovery() Discovery {
	return Discovery{
		Issuer:                            p.issuer,
		AuthorizationEndpoint:             p.issuer + AuthorizePath,
		TokenEndpoint:                     p.issuer + TokenPath,
		UserInfoEndpoint:                  p.issuer + UserInfoPath,
		JWKSURI:                           p.issuer + JWKSPath,
		EndSessionEndpoint:                p.issuer + EndSessionPath,
		ResponseTypesSupported:            []string{"code"},
		GrantTypesSupported:               []string{"authorization_code"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{string(SigningAlgorithm)},
		TokenEndpointAuthMethodsSupported: []string{AuthPrivateKeyJWT, AuthClientSecretPost},
		CodeChallengeMethodsSupported:     []string{"S256"},
		ScopesSupported: []string{ScopeOpenID, ScopeProfile, ScopeEmail, ScopeNHSPerson, ScopeNationalRBACAccess,
			ScopeAssociatedOrgs, ScopeSelectedRole},
		ClaimsSupported:                   claimsSupported(),
		ACRValuesSupported:                ACRValues(),
		BackchannelLogoutSupported:        true,
		BackchannelLogoutSessionSupported: true,
	}
}

// Handler serves discovery, the JWKS, the sign-in endpoints (/authorize,
// /access_token, /userinfo) and end-session (/connect/endSession) under
// the issuer path. The admin actions are on AdminHandler.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p.issuerPath+DiscoveryPath, p.serveDiscovery)
	mux.HandleFunc("GET "+p.issuerPath+JWKSPath, p.serveJWKS)
	mux.HandleFunc("GET "+p.issuerPath+AuthorizePath, p.serveAuthorize)
	mux.HandleFunc("POST "+p.issuerPath+AuthorizePath, p.serveAuthorizeForm)
	mux.HandleFunc("POST "+p.issuerPath+TokenPath, p.serveToken)
	mux.HandleFunc("GET "+p.issuerPath+UserInfoPath, p.serveUserInfo)
	mux.HandleFunc("POST "+p.issuerPath+UserInfoPath, p.serveUserInfo)
	mux.HandleFunc("GET "+p.issuerPath+EndSessionPath, p.serveEndSession)
	mux.HandleFunc("POST "+p.issuerPath+EndSessionPath, p.serveEndSession)
	return mux
}

func (p *Provider) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, p.Discovery())
}

func (p *Provider) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, p.keys.Public())
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

func marshalJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("cis2: encode %T: %w", v, err)
	}
	return b, nil
}
