package cis2

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Client is a relying party registered with the mock, as in the CIS2
// connection manager (notes 1.4 and 7.1).
type Client struct {
	ID string
	// RedirectURIs are matched byte for byte.
	RedirectURIs []string
	// AuthMethod is AuthPrivateKeyJWT or AuthClientSecretPost.
	AuthMethod string
	// JWKSURL serves the client's public keys (private_key_jwt).
	JWKSURL string
	// Secret is the client secret (client_secret_post).
	Secret string
	// PostLogoutRedirectURIs are where end-session may send the browser
	// back to, matched byte for byte.
	PostLogoutRedirectURIs []string
	// BackchannelLogoutURI receives logout tokens when a session the
	// client signed in to ends; empty means none are sent.
	BackchannelLogoutURI string
}

// The client assertion rules of the token endpoint.
const (
	ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// ClientJWKSCacheTTL is how long a fetched client JWKS is kept; an
	// unknown kid refetches at once.
	ClientJWKSCacheTTL = time.Hour
	// ClientJWKSTimeout bounds one fetch of a client JWKS.
	ClientJWKSTimeout = 10 * time.Second
	// jtiMemory is how long a used assertion jti is remembered, longer
	// than any assertion may live.
	jtiMemory = 24 * time.Hour
	// assertionLeeway is the clock skew allowed on an assertion's exp.
	assertionLeeway = 0
	maxJWKSBytes    = 1 << 20
)

// assertionAlgs are the algorithms a client assertion may use
// (jwks_uri_signing_algorithm RS512, RS256 accepted too).
var assertionAlgs = []jose.SignatureAlgorithm{jose.RS512, jose.RS256}

func checkClients(cs []Client) (map[string]Client, error) {
	out := make(map[string]Client, len(cs))
	for _, c := range cs {
		if c.ID == "" {
			return nil, errors.New("cis2: a client needs an id")
		}
		if _, dup := out[c.ID]; dup {
			return nil, fmt.Errorf("cis2: client %q is registered twice", c.ID)
		}
		if len(c.RedirectURIs) == 0 {
			return nil, fmt.Errorf("cis2: client %q has no redirect URI", c.ID)
		}
		switch c.AuthMethod {
		case AuthPrivateKeyJWT:
			if c.JWKSURL == "" {
				return nil, fmt.Errorf("cis2: client %q uses private_key_jwt without a JWKS URL", c.ID)
			}
		case AuthClientSecretPost:
			if c.Secret == "" {
				return nil, fmt.Errorf("cis2: client %q uses client_secret_post without a secret", c.ID)
			}
		default:
			return nil, fmt.Errorf("cis2: client %q has auth method %q", c.ID, c.AuthMethod)
		}
		c.RedirectURIs = slices.Clone(c.RedirectURIs)
		c.PostLogoutRedirectURIs = slices.Clone(c.PostLogoutRedirectURIs)
		out[c.ID] = c
	}
	return out, nil
}

func (c Client) allowsRedirect(uri string) bool { return slices.Contains(c.RedirectURIs, uri) }

// errClientAuth is any client authentication failure; the response never
// says which check failed.
var errClientAuth = errors.New("cis2: client authentication failed")

// clientAuth authenticates clients at the token endpoint.
type clientAuth struct {
	clients map[string]Client
	http    *http.Client
	now     func() time.Time

	mu   sync.Mutex
	jwks map[string]jwksEntry
	jtis map[string]time.Time // client id + " " + jti -> forget after
}

type jwksEntry struct {
	set     jose.JSONWebKeySet
	fetched time.Time
}

// assertionClaims are the registered claims plus nothing else we need.
type assertionClaims = jwt.Claims

// authenticateAssertion verifies a private_key_jwt client assertion and
// returns its client.
func (a *clientAuth) authenticateAssertion(ctx context.Context, assertion, formClientID, tokenURL string) (Client, error) {
	tok, err := jwt.ParseSigned(assertion, assertionAlgs)
	if err != nil || len(tok.Headers) != 1 || tok.Headers[0].KeyID == "" {
		return Client{}, errClientAuth
	}
	var unverified assertionClaims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return Client{}, errClientAuth
	}
	c, ok := a.clients[unverified.Issuer]
	if !ok || c.AuthMethod != AuthPrivateKeyJWT || unverified.Subject != c.ID ||
		(formClientID != "" && formClientID != c.ID) {
		return Client{}, errClientAuth
	}
	keys, err := a.keys(ctx, c.JWKSURL, tok.Headers[0].KeyID)
	if err != nil || len(keys) == 0 {
		return Client{}, errClientAuth
	}
	var claims assertionClaims
	verified := false
	for _, k := range keys {
		if tok.Claims(k, &claims) == nil {
			verified = true
			break
		}
	}
	if !verified || claims.Expiry == nil || claims.ID == "" {
		return Client{}, errClientAuth
	}
	if err := claims.ValidateWithLeeway(jwt.Expected{
		Issuer: c.ID, Subject: c.ID, AnyAudience: jwt.Audience{tokenURL}, Time: a.now(),
	}, assertionLeeway); err != nil {
		return Client{}, errClientAuth
	}
	if !a.claimJTI(c.ID, claims.ID, claims.Expiry.Time()) {
		return Client{}, errClientAuth
	}
	return c, nil
}

// authenticateSecret checks client_secret_post credentials.
func (a *clientAuth) authenticateSecret(id, secret string) (Client, error) {
	c, ok := a.clients[id]
	if !ok || c.AuthMethod != AuthClientSecretPost ||
		subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return Client{}, errClientAuth
	}
	return c, nil
}

// claimJTI remembers the client's jti, reporting false when it was used.
func (a *clientAuth) claimJTI(clientID, jti string, exp time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	for k, until := range a.jtis {
		if !now.Before(until) {
			delete(a.jtis, k)
		}
	}
	key := clientID + " " + jti
	if _, used := a.jtis[key]; used {
		return false
	}
	until := now.Add(jtiMemory)
	if exp.After(until) {
		until = exp
	}
	a.jtis[key] = until
	return true
}

// keys returns the keys named kid at url, from the cache while fresh; an
// unknown kid refetches once.
func (a *clientAuth) keys(ctx context.Context, url, kid string) ([]jose.JSONWebKey, error) {
	a.mu.Lock()
	e, ok := a.jwks[url]
	a.mu.Unlock()
	if ok && a.now().Sub(e.fetched) < ClientJWKSCacheTTL {
		if ks := e.set.Key(kid); len(ks) > 0 {
			return ks, nil
		}
	}
	set, err := a.fetch(ctx, url)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.jwks[url] = jwksEntry{set: set, fetched: a.now()}
	a.mu.Unlock()
	return set.Key(kid), nil
}

func (a *clientAuth) fetch(ctx context.Context, url string) (jose.JSONWebKeySet, error) {
	ctx, cancel := context.WithTimeout(ctx, ClientJWKSTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("cis2: client JWKS %s: %w", url, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("cis2: client JWKS %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return jose.JSONWebKeySet{}, fmt.Errorf("cis2: client JWKS %s: status %d", url, resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKSBytes)).Decode(&set); err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("cis2: client JWKS %s: %w", url, err)
	}
	return set, nil
}
