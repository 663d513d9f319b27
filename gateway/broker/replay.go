package broker

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// The dpop verifier and upstream's logout verifier each remember the token
// ids they accepted, but only in this process: gateways sharing a store
// would each accept the same proof once. The store's replay memory is the
// one they share; the in-process memories stay in front as a cheap first
// refusal of a replay to the same gateway.

const (
	// jtiTimeout bounds the store call that remembers a token id.
	jtiTimeout = 2 * time.Second
	// logoutJTIMemory is the least time a logout token's jti is kept (as
	// upstream.VerifyLogoutToken keeps it in memory).
	logoutJTIMemory = 10 * time.Minute
)

// errNoJTI: a verified token without an id cannot be checked for replay.
var errNoJTI = errors.New("broker: token has no jti")

// jwtClaims are the claims read back from a token its verifier already
// accepted (the signature is not checked again here).
type jwtClaims struct {
	JTI string `json:"jti"`
	Exp int64  `json:"exp"`
}

// verifiedClaims decodes the payload of a compact JWS that has passed its
// verifier.
func verifiedClaims(compact string) (jwtClaims, error) {
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		return jwtClaims{}, errors.New("broker: not a compact JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return jwtClaims{}, errors.New("broker: payload is not base64url")
	}
	var c jwtClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return jwtClaims{}, errors.New("broker: payload is not a JSON object")
	}
	if c.JTI == "" {
		return jwtClaims{}, errNoJTI
	}
	return c, nil
}

// rememberProof records an accepted proof in the shared memory. The id is
// the key's thumbprint with the jti, as the dpop verifier keys it, so two
// clients' random ids can never collide. A replay is a dpop refusal; a
// store failure is a 503 (fail closed: an unchecked proof is not accepted).
func (b *Broker) rememberProof(ctx context.Context, proof, thumb string) *dpop.Error {
	c, err := verifiedClaims(proof)
	if err != nil {
		return &dpop.Error{Code: dpop.CodeInvalidProof, Description: "jti is required", Reason: dpop.ErrMalformed}
	}
	ctx, cancel := context.WithTimeout(ctx, jtiTimeout)
	defer cancel()
	now := b.o.Now()
	fresh, err := b.o.Store.RememberJTI(ctx, store.JTIScopeDPoP, thumb+"\x00"+c.JTI, now, now.Add(b.o.ProofMemory))
	switch {
	case err != nil:
		b.o.Logger.Error("store failed", "during", "proof replay check", "err", err)
		return &dpop.Error{Code: dpop.CodeUnavailable, Description: "the gateway cannot check the proof; try again shortly", Reason: err}
	case !fresh:
		return &dpop.Error{Code: dpop.CodeInvalidProof, Description: "proof has already been used", Reason: dpop.ErrReplay}
	}
	return nil
}

// rememberLogout records an accepted logout token's jti in the shared
// memory until the token expires (at least logoutJTIMemory). It answers
// the refusal itself and reports whether the logout may go ahead.
func (b *Broker) rememberLogout(w http.ResponseWriter, r *http.Request, raw string) bool {
	c, err := verifiedClaims(raw)
	if err != nil {
		b.o.Logger.Warn("back-channel logout refused", "err", err)
		writeError(w, http.StatusBadRequest, "invalid_request", "the logout token is not valid")
		return false
	}
	now := b.o.Now()
	until := now.Add(logoutJTIMemory)
	if exp := time.Unix(c.Exp, 0); exp.After(until) {
		until = exp
	}
	ctx, cancel := context.WithTimeout(r.Context(), jtiTimeout)
	defer cancel()
	fresh, err := b.o.Store.RememberJTI(ctx, store.JTIScopeLogout, c.JTI, now, until)
	switch {
	case err != nil:
		b.storeFailed(w, "logout token replay check", err)
		return false
	case !fresh:
		b.o.Logger.Warn("back-channel logout refused", "err", "replayed (jti already seen)")
		writeError(w, http.StatusBadRequest, "invalid_request", "the logout token is not valid")
		return false
	}
	return true
}
