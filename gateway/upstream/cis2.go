package upstream

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Signer makes client assertions (gateway/keys.Set satisfies it).
type Signer interface {
	Assertion(clientID, audience string) (string, error)
}

// Defaults of CIS2Options.
const (
	// DefaultACRValues accepts AAL2 or AAL3, as e-RS does.
	DefaultACRValues = "AAL2_OR_AAL3_ANY"
	// MaxAge forces a recent authentication, as APIM's own CIS2 flow does.
	MaxAge = "300"
)

// DefaultScopes are the CIS2 scopes asked for when CIS2Options.Scopes is nil.
func DefaultScopes() []string { return []string{oidc.ScopeOpenID, "profile", "nationalrbacaccess"} }

// ClientAssertionType is the client_assertion_type of private_key_jwt and
// APIM signed JWTs (RFC 7523).
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// CIS2Options configure a CIS2 client.
type CIS2Options struct {
	Issuer      string // verbatim, with its port (go-oidc compares byte for byte)
	ClientID    string
	RedirectURL string // the gateway's fixed callback
	Signer      Signer // private_key_jwt; the audience is the discovered token endpoint
	HTTPClient  *http.Client
	Now         func() time.Time
	ACRValues   string   // default DefaultACRValues
	Scopes      []string // default DefaultScopes()
}

// CIS2 is the gateway's relying party at CIS2: it is safe for concurrent use.
type CIS2 struct {
	opts       CIS2Options
	http       *http.Client
	provider   *oidc.Provider
	idVerifier *oidc.IDTokenVerifier
	loVerifier *oidc.IDTokenVerifier
	tokenURL   string
	authURL    string
	userInfo   string
	endSession string
	logoutJTIs *jtiCache
}

// discoveryExtra are the discovery members go-oidc does not expose.
type discoveryExtra struct {
	EndSessionEndpoint string `json:"end_session_endpoint"`
}

// NewCIS2 discovers the provider at o.Issuer (go-oidc's NewProvider: the
// document's issuer must equal o.Issuer exactly).
func NewCIS2(ctx context.Context, o CIS2Options) (*CIS2, error) {
	switch {
	case o.Issuer == "":
		return nil, errors.New("upstream: CIS2 needs an issuer")
	case o.ClientID == "":
		return nil, errors.New("upstream: CIS2 needs a client id")
	case o.RedirectURL == "":
		return nil, errors.New("upstream: CIS2 needs the gateway's redirect URL")
	case o.Signer == nil:
		return nil, errors.New("upstream: CIS2 needs a signer for private_key_jwt")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ACRValues == "" {
		o.ACRValues = DefaultACRValues
	}
	if o.Scopes == nil {
		o.Scopes = DefaultScopes()
	}
	c := &CIS2{opts: o, http: httpClient(o.HTTPClient), logoutJTIs: newJTICache(maxLogoutJTIs)}
	// The provider keeps this context (without its cancellation) to fetch
	// the key set later, so the client with its timeout goes in it.
	pctx := oidc.ClientContext(ctx, c.http)
	p, err := oidc.NewProvider(pctx, o.Issuer)
	if err != nil {
		var mismatch *oidc.IssuerMismatchError
		if errors.As(err, &mismatch) {
			return nil, fmt.Errorf("upstream: CIS2 discovery: %w", err)
		}
		return nil, unavailable("CIS2 discovery", redactURLError(err))
	}
	var extra discoveryExtra
	if err := p.Claims(&extra); err != nil {
		return nil, fmt.Errorf("upstream: CIS2 discovery document: %w", err)
	}
	c.provider = p
	c.tokenURL = p.Endpoint().TokenURL
	c.authURL = p.Endpoint().AuthURL
	c.userInfo = p.UserInfoEndpoint()
	c.endSession = extra.EndSessionEndpoint
	if c.tokenURL == "" || c.authURL == "" {
		return nil, errors.New("upstream: CIS2 discovery lists no authorization or token endpoint")
	}
	c.idVerifier = p.Verifier(&oidc.Config{ClientID: o.ClientID, Now: o.Now})
	c.loVerifier = p.Verifier(&oidc.Config{ClientID: o.ClientID, Now: o.Now, SupportedSigningAlgs: []string{oidc.RS256}})
	return c, nil
}

// TokenURL is the discovered token endpoint (the audience of the CIS2
// client assertion).
func (c *CIS2) TokenURL() string { return c.tokenURL }

// AuthCodeURL is where the browser signs in: response_type=code, the
// client, redirect URL, scopes, state, nonce, the S256 PKCE challenge of
// pkceVerifier, acr_values, prompt=login and max_age=300.
func (c *CIS2) AuthCodeURL(state, nonce, pkceVerifier string) string {
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {c.opts.ClientID},
		"redirect_uri":          {c.opts.RedirectURL},
		"scope":                 {strings.Join(c.opts.Scopes, " ")},
		"state":                 {state},
		"nonce":                 {nonce},
		"code_challenge":        {S256Challenge(pkceVerifier)},
		"code_challenge_method": {"S256"},
		"acr_values":            {c.opts.ACRValues},
		"prompt":                {"login"},
		"max_age":               {MaxAge},
	}
	return withQuery(c.authURL, q)
}

// S256Challenge is the PKCE code challenge of a verifier (RFC 7636).
func S256Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// EndSessionURL is the provider's RP-initiated logout URL for the browser,
// or "" if the provider has none. An empty postLogoutRedirect is left out.
func (c *CIS2) EndSessionURL(idTokenHint, postLogoutRedirect string) string {
	if c.endSession == "" {
		return ""
	}
	q := url.Values{"client_id": {c.opts.ClientID}}
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	if postLogoutRedirect != "" {
		q.Set("post_logout_redirect_uri", postLogoutRedirect)
	}
	return withQuery(c.endSession, q)
}

// withQuery adds q to the query the endpoint may already have.
func withQuery(endpoint string, q url.Values) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpoint + "?" + q.Encode()
	}
	merged := u.Query()
	for k, v := range q {
		merged[k] = v
	}
	u.RawQuery = merged.Encode()
	return u.String()
}
