package broker

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

const maxJSONBody = 16 << 10

// login starts a sign-in transaction.
func (b *Broker) login(w http.ResponseWriter, r *http.Request) {
	var req LoginRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	mode := store.LoginMode(req.Mode)
	switch {
	case mode != store.LoginLoopback && mode != store.LoginRemote:
		writeError(w, http.StatusBadRequest, "invalid_request", `mode must be "loopback" or "remote"`)
		return
	case req.CodeChallengeMethod != "S256" || len(req.CodeChallenge) != 43:
		writeError(w, http.StatusBadRequest, "invalid_request", "code_challenge must be an S256 challenge (43 characters, code_challenge_method S256)")
		return
	case mode == store.LoginLoopback && !loopbackRedirect(req.RedirectURI):
		writeError(w, http.StatusBadRequest, "invalid_request",
			"redirect_uri must be http://127.0.0.1:<port>/callback or http://[::1]:<port>/callback")
		return
	case mode == store.LoginRemote && req.RedirectURI != "":
		writeError(w, http.StatusBadRequest, "invalid_request", "redirect_uri is for loopback mode only")
		return
	case len(req.State) > 512:
		writeError(w, http.StatusBadRequest, "invalid_request", "state is longer than 512 characters")
		return
	}
	if _, err := req.JWK.ECDSA(); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "jwk must be a public P-256 (ES256) key")
		return
	}
	thumb, err := dpop.Thumbprint(req.JWK)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "jwk must be a public P-256 (ES256) key")
		return
	}

	now := b.o.Now()
	l := store.Login{
		ID: b.token(), Mode: mode, RedirectURI: req.RedirectURI, ClientState: req.State,
		CodeChallenge: req.CodeChallenge, KeyThumbprint: thumb, RequestingHost: requestingHost(r),
		Status: store.LoginPending, Created: now, Expires: now.Add(b.o.LoginLifetime),
	}
	// A clash of user codes among live logins is possible (about 2^-34
	// each): try again with a fresh one.
	for attempt := 0; ; attempt++ {
		l.UserCode = b.userCode()
		err = b.o.Store.CreateLogin(r.Context(), l)
		if !errors.Is(err, store.ErrConflict) || attempt == 3 {
			break
		}
	}
	if err != nil {
		b.storeFailed(w, "login", err)
		return
	}
	b.o.Logger.Info("login started", "mode", string(mode), "from", l.RequestingHost)
	writeJSON(w, http.StatusOK, LoginResponse{
		LoginID: l.ID, VerificationURI: b.url(ShortLoginPrefix + l.UserCode), UserCode: l.UserCode,
		ExpiresIn: int(b.o.LoginLifetime.Seconds()), Interval: int(b.o.PollInterval.Seconds()),
	})
}

// loopbackRedirect reports whether uri is an allowed loopback callback:
// http, the literal 127.0.0.1 or [::1] (not "localhost", which a hosts file
// may send elsewhere), an explicit port, the exact path /callback, nothing
// else. Anything wider would make the gateway an open redirect.
func loopbackRedirect(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Path != "/callback" {
		return false
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || port == "" || port == "0" || strings.TrimLeft(port, "0123456789") != "" {
		return false
	}
	return host == "127.0.0.1" || host == "::1"
}

// requestingHost is the address a login came from, for the confirmation
// page. Without a trusted proxy in front, the connection's address is all
// there is.
func requestingHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// decodeJSON reads a small JSON body into v, answering 400 itself on failure.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "invalid_request", "send the body as application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "the body is not the expected JSON object")
		return false
	}
	return true
}

func writeError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, ErrorBody{Error: code, Description: description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// storeFailed answers a store failure: 503, fail closed, without detail.
func (b *Broker) storeFailed(w http.ResponseWriter, what string, err error) {
	b.o.Logger.Error("store failed", "during", what, "err", err)
	writeError(w, http.StatusServiceUnavailable, "temporarily_unavailable", "the gateway cannot reach its store; try again shortly")
}
