package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// Transport is the http.RoundTripper for ersclient through the gateway's
// proxy (ersclient.Options{BaseURL: GatewayURL() + gatewayapi.ERSPrefix}).
// Each request to the gateway gets the current session token and a fresh
// proof; requests to any other origin (an attachment's object-store
// redirect) go out untouched. A 401 that says the session is over ends it
// here too: the keyring entry is wiped and Ended fires; the response is
// still returned, so ersclient decodes it as usual. With no session, a
// request to the gateway is not sent: the answer is the gateway's own 401
// login_required, made here, so ersclient reports it at once as the same
// refusal (an error from the transport would be retried as a network
// failure).
func (m *Manager) Transport() http.RoundTripper {
	base := m.o.HTTPClient.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &sessionTransport{m: m, base: base}
}

type sessionTransport struct {
	m    *Manager
	base http.RoundTripper
}

func (t *sessionTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	m := t.m
	if !sameOrigin(m.origin, req.URL) {
		return t.base.RoundTrip(req)
	}
	l, err := m.current()
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return notSignedIn(req), nil
	}
	signer := &dpop.Transport{Base: t.base, Key: l.key, Token: func() string { return l.token }, Now: m.o.Now, Origin: m.o.GatewayURL}
	resp, err := signer.RoundTrip(req)
	if err != nil {
		if req.Context().Err() != nil {
			return nil, err // the caller gave up
		}
		return nil, &NetworkError{GatewayURL: m.o.GatewayURL, Err: err}
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		m.checkEnded(peekError(resp), l.token)
	case resp.StatusCode < 500:
		// The gateway authenticated the call (its refusals of the call
		// itself are still activity): the idle clock restarts.
		m.touched(l.token)
	}
	return resp, nil
}

// notSignedIn is the 401 login_required the gateway would give a request
// with no session.
func notSignedIn(req *http.Request) *http.Response {
	body, _ := json.Marshal(gatewayapi.ErrorBody{Error: gatewayapi.ErrLoginRequired, Description: "not signed in; sign in again"})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("WWW-Authenticate", `DPoP error="login_required", algs="ES256"`)
	return &http.Response{
		Status: "401 Unauthorized", StatusCode: http.StatusUnauthorized, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: req,
	}
}

// peekError decodes a 401's JSON error without consuming it: the body is
// put back for the caller.
func peekError(resp *http.Response) error {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("reading the refusal: %w", err)
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(raw), resp.Body), resp.Body}
	return gatewayError(resp.StatusCode, raw)
}

// sameOrigin compares scheme and host (with its port) of two URLs.
func sameOrigin(origin *url.URL, u *url.URL) bool {
	return origin.Scheme == u.Scheme && origin.Host == u.Host
}
