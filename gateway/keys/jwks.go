package keys

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ers-workstation/ers-workstation/config"
)

// JWKSPath is where the gateway publishes its public keys; it is the
// "public key URL" registered with CIS2 and APIM.
const JWKSPath = config.GatewayJWKSPath

// jwksMaxAge is the Cache-Control max-age of the JWKS: well under the
// rotation lead, so a cache in front of the gateway cannot hold back a new
// key for long.
const jwksMaxAge = "max-age=300"

// Algorithm is the signing algorithm of every key (CIS2 and APIM require
// RS512).
const Algorithm = jose.RS512

// JWKS returns the public keys published at now: pending, signing and
// recently replaced keys. It never holds private parts.
func (s *Set) JWKS(now time.Time) jose.JSONWebKeySet {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var set jose.JSONWebKeySet
	for _, k := range s.publishedLocked(now) {
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key: &k.priv.PublicKey, KeyID: k.kid, Algorithm: string(Algorithm), Use: "sig",
		})
	}
	return set
}

// JWKSHandler serves the JWKS (GET and HEAD) at the set's clock time.
// Register it at "GET "+JWKSPath.
func (s *Set) JWKSHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := json.Marshal(s.JWKS(s.opts.Now()))
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", jwksMaxAge)
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(body)
		}
	})
}
