package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// The RFC 8693 values of the APIM token exchange (notes 1.6).
const (
	GrantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	TokenTypeIDToken   = "urn:ietf:params:oauth:token-type:id_token"
)

// APIMOptions configure an APIM client.
type APIMOptions struct {
	// TokenURL is APIM's /oauth2/token; it is also, exactly, the audience
	// of every client assertion.
	TokenURL string
	// APIKey is the application's API key (client id); AppSecret its
	// secret, sent on refresh only.
	APIKey, AppSecret string
	Signer            Signer
	HTTPClient        *http.Client
	Now               func() time.Time
	// Extra form fields sent with every exchange and refresh (the
	// simulator's test-only lifetime knobs); nil in production.
	Extra url.Values
}

// APIM is the gateway's client of the APIM token endpoint; it is safe for
// concurrent use (the caller serialises refreshes of one session).
type APIM struct {
	opts APIMOptions
	http *http.Client
}

// Tokens are APIM's user-restricted tokens. AccessToken and RefreshToken
// are credentials: never log them.
type Tokens struct {
	AccessToken, RefreshToken     string
	AccessExpires, RefreshExpires time.Time
	RefreshCount                  int
}

// NewAPIM checks o and returns a client.
func NewAPIM(o APIMOptions) (*APIM, error) {
	switch {
	case o.TokenURL == "":
		return nil, errors.New("upstream: APIM needs its token URL")
	case o.APIKey == "":
		return nil, errors.New("upstream: APIM needs the application's API key")
	case o.Signer == nil:
		return nil, errors.New("upstream: APIM needs a signer for client assertions")
	}
	u, err := url.Parse(o.TokenURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("upstream: APIM token URL %q must be an http(s) URL without query or fragment", o.TokenURL)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &APIM{opts: o, http: httpClient(o.HTTPClient)}, nil
}

// Exchange swaps a verified CIS2 ID token for APIM tokens (RFC 8693), with
// a fresh client assertion whose audience is the token URL. Call it only
// with the IDToken of an Identity from Redeem, at once: APIM refuses an
// expired ID token and checks neither its audience nor its nonce.
func (a *APIM) Exchange(ctx context.Context, idToken string) (Tokens, error) {
	if idToken == "" {
		return Tokens{}, errors.New("upstream: the token exchange needs an ID token")
	}
	assertion, err := a.opts.Signer.Assertion(a.opts.APIKey, a.opts.TokenURL)
	if err != nil {
		return Tokens{}, fmt.Errorf("upstream: APIM client assertion: %w", err)
	}
	form := url.Values{
		"grant_type":            {GrantTokenExchange},
		"subject_token_type":    {TokenTypeIDToken},
		"subject_token":         {idToken},
		"client_assertion_type": {ClientAssertionType},
		"client_assertion":      {assertion},
	}
	return a.token(ctx, "APIM token exchange", form)
}

// Refresh redeems a refresh token (client_id and client_secret). Refresh
// tokens rotate: the old one is spent, even if the answer is lost. An
// *OAuthError with InvalidGrant() means the user must sign in again.
func (a *APIM) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	if refreshToken == "" {
		return Tokens{}, errors.New("upstream: a refresh needs a refresh token")
	}
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {refreshToken},
		"client_id":     {a.opts.APIKey},
		"client_secret": {a.opts.AppSecret},
	}
	return a.token(ctx, "APIM refresh", form)
}

// apimTokenResponse is APIM's answer; its numbers are JSON strings.
type apimTokenResponse struct {
	AccessToken           string      `json:"access_token"`
	ExpiresIn             json.Number `json:"expires_in"`
	RefreshToken          string      `json:"refresh_token"`
	RefreshTokenExpiresIn json.Number `json:"refresh_token_expires_in"`
	RefreshCount          json.Number `json:"refresh_count"`
}

// token posts form (plus Extra) and reads the tokens, with expiries from
// the time the request was sent.
func (a *APIM) token(ctx context.Context, service string, form url.Values) (Tokens, error) {
	for k, v := range a.opts.Extra {
		if _, set := form[k]; !set {
			form[k] = v
		}
	}
	ctx, cancel := context.WithTimeout(ctx, a.http.Timeout)
	defer cancel()
	sent := a.opts.Now()
	body, err := postForm(ctx, a.http, service, a.opts.TokenURL, form)
	if err != nil {
		return Tokens{}, err
	}
	var r apimTokenResponse
	if err := decodeJSON(service, body, &r); err != nil {
		return Tokens{}, err
	}
	access, err1 := seconds(r.ExpiresIn)
	refresh, err2 := seconds(r.RefreshTokenExpiresIn)
	count, err3 := r.RefreshCount.Int64()
	if r.RefreshCount == "" {
		count, err3 = 0, nil
	}
	if r.AccessToken == "" || r.RefreshToken == "" || errors.Join(err1, err2, err3) != nil {
		return Tokens{}, unavailable(service, errors.New("an answer without the tokens and their lifetimes"))
	}
	return Tokens{
		AccessToken: r.AccessToken, RefreshToken: r.RefreshToken,
		AccessExpires: sent.Add(access), RefreshExpires: sent.Add(refresh), RefreshCount: int(count),
	}, nil
}

// seconds reads a lifetime in seconds, given as a number or a numeric
// string (json.Number takes both).
func seconds(n json.Number) (time.Duration, error) {
	v, err := n.Int64()
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad lifetime")
	}
	return time.Duration(v) * time.Second, nil
}
