package dpop

import (
	"errors"
	"net/http"
	"net/url"
	"time"
)

// Transport is the workstation's http.RoundTripper for gateway calls: it adds
// "Authorization: DPoP <session token>" and a fresh DPoP proof to every request it carries,
// including each retry and redirect, since a proof is single use. It makes no calls of its
// own; the http.Client around it sets the timeout.
type Transport struct {
	// Base carries the request; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Key signs the proofs. Required.
	Key *Key
	// Token returns the current session token; nil or "" sends a proof without Authorization
	// (as when redeeming the login, before there is a session).
	Token func() string
	// Now is the clock for iat; nil means time.Now.
	Now func() time.Time
	// Origin, such as "https://gw.example", limits the credentials to the gateway: requests
	// to any other origin (the object-store URL of an A042 redirect) go out untouched, so the
	// session token never leaves for a third party. Empty means every request gets them;
	// set it whenever the client may follow a redirect.
	Origin string
}

// RoundTrip signs a clone of req; req itself is not modified.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if t.Origin != "" && !sameOrigin(t.Origin, req.URL) {
		return base.RoundTrip(req)
	}
	if t.Key == nil {
		closeBody(req)
		return nil, errors.New("dpop: transport has no key")
	}
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	token := ""
	if t.Token != nil {
		token = t.Token()
	}
	proof, err := t.Key.Proof(req.Method, req.URL.String(), token, now())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	out := req.Clone(req.Context())
	out.Header.Del("Authorization")
	if token != "" {
		out.Header.Set("Authorization", "DPoP "+token)
	}
	out.Header.Set("DPoP", proof)
	return base.RoundTrip(out)
}

// sameOrigin compares scheme, host and port after normalisation (RFC 6454).
func sameOrigin(origin string, u *url.URL) bool {
	o, err := url.Parse(origin)
	if err != nil {
		return false
	}
	want, err1 := normaliseHTU((&url.URL{Scheme: o.Scheme, Host: o.Host, Path: "/"}).String())
	got, err2 := normaliseHTU((&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"}).String())
	return err1 == nil && err2 == nil && want == got
}

// closeBody honours the RoundTripper contract: the body is closed even on error.
func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}
