package cis2

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// The admin API paths (AdminHandler).
const (
	AdminRotateKeyPath = "/_admin/cis2/rotate-key"
	AdminRevokePath    = "/_admin/cis2/revoke"
	AdminSessionsPath  = "/_admin/cis2/sessions"
	// DefaultKeyBits is the modulus size of keys made by RotateKey when
	// Config.KeyBits is zero.
	DefaultKeyBits = 2048
)

// RotateKeyResult is the answer of RotateKey and of the rotate-key action.
type RotateKeyResult struct {
	KID       string   `json:"kid"`
	Removed   []string `json:"removed"`
	Published []string `json:"published"`
}

// RotateKey generates a key, publishes it and signs with it from now on.
// With removeOld every other key is withdrawn at once (tokens they signed
// stop verifying); otherwise they stay published.
func (p *Provider) RotateKey(removeOld bool) (RotateKeyResult, error) {
	kid := "cis2-mock-" + p.now().UTC().Format("20060102T150405Z") + "-" + randomID()[:8]
	k, err := GenerateKey(kid, p.keyBits)
	if err != nil {
		return RotateKeyResult{}, err
	}
	if err := p.keys.Rotate(k); err != nil {
		return RotateKeyResult{}, err
	}
	res := RotateKeyResult{KID: kid, Removed: []string{}}
	if removeOld {
		for _, old := range p.keys.KIDs() {
			if old == kid {
				continue
			}
			if err := p.keys.Remove(old); err != nil {
				return RotateKeyResult{}, err
			}
			res.Removed = append(res.Removed, old)
		}
	}
	res.Published = p.keys.KIDs()
	return res, nil
}

// RevokeResult is the answer of the revoke action.
type RevokeResult struct {
	Revoked []string `json:"revoked"`
	// DeliveryErrors describe failed back-channel logouts (client and
	// session ids, status or transport error; never a token).
	DeliveryErrors []string `json:"delivery_errors"`
}

// AdminHandler serves the admin API, apart from the public Handler so it
// can listen on its own (loopback) address. It has no authentication:
// never expose it.
//
//	POST /_admin/cis2/rotate-key[?remove_old=true]  -> RotateKeyResult
//	POST /_admin/cis2/revoke?sid=... or ?sub=...    -> RevokeResult (404 when nothing matched)
//	GET  /_admin/cis2/sessions                      -> []SessionInfo
func (p *Provider) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+AdminRotateKeyPath, p.adminRotateKey)
	mux.HandleFunc("POST "+AdminRevokePath, p.adminRevoke)
	mux.HandleFunc("GET "+AdminSessionsPath, func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, p.Sessions()) })
	return mux
}

func (p *Provider) adminRotateKey(w http.ResponseWriter, r *http.Request) {
	removeOld := false
	if v := r.URL.Query().Get("remove_old"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeOAuthError(w, http.StatusBadRequest, ErrInvalidRequest, "remove_old must be true or false")
			return
		}
		removeOld = b
	}
	res, err := p.RotateKey(removeOld)
	if err != nil {
		writeOAuthError(w, http.StatusInternalServerError, "server_error", "key rotation failed")
		return
	}
	writeJSON(w, res)
}

func (p *Provider) adminRevoke(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sid, sub := q.Get("sid"), q.Get("sub")
	if (sid == "") == (sub == "") {
		writeOAuthError(w, http.StatusBadRequest, ErrInvalidRequest, "give exactly one of sid and sub")
		return
	}
	match := func(x *session) bool { return x.sid == sid }
	if sub != "" {
		match = func(x *session) bool { return x.persona.ID == sub }
	}
	sids, err := p.revoke(r.Context(), match)
	if errors.Is(err, ErrSessionNotFound) {
		writeOAuthError(w, http.StatusNotFound, "not_found", "no live session matches")
		return
	}
	res := RevokeResult{Revoked: sids, DeliveryErrors: []string{}}
	if err != nil {
		for _, e := range strings.Split(err.Error(), "\n") { // errors.Join separates with newlines
			res.DeliveryErrors = append(res.DeliveryErrors, e)
		}
	}
	writeJSON(w, res)
}
