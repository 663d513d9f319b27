package proxy

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// Error codes of the proxy's own answers (the JSON body's "error").
const (
	codeNotFound        = "not_found"                 // 404: no allow-listed operation at this method and path
	codeNoRole          = gatewayapi.ErrNoRole        // 409: the session has not chosen a role yet
	codeTooLarge        = "request_too_large"         // 413
	codeRateLimited     = gatewayapi.ErrRateLimited   // 429, with Retry-After
	codeAuditFailed     = "audit_unavailable"         // 503: the audit record could not be written
	codeLoginRequired   = gatewayapi.ErrLoginRequired // 401: the session cannot get an APIM token any more
	codeTokenFailed     = "token_unavailable"         // 502: the APIM token could not be obtained
	codeUpstreamFailed  = "upstream_failed"           // 502: e-RS could not be reached or broke the connection
	codeUpstreamTimeout = "upstream_timeout"          // 504
	codeBadRequest      = "invalid_request"           // 400: the body could not be read
)

// writeError answers with the proxy's own JSON error. The description is a
// fixed sentence: never a token, header value or upstream detail.
func writeError(w http.ResponseWriter, status int, code, description string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(gatewayapi.ErrorBody{Error: code, Description: description}) //nolint:errcheck // the client is gone
}

// retryAfterSeconds rounds a wait up to whole seconds, at least 1.
func retryAfterSeconds(d float64) string {
	s := int(d)
	if float64(s) < d {
		s++
	}
	if s < 1 {
		s = 1
	}
	return strconv.Itoa(s)
}
