package proxy

import (
	"net/http"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// The headers the proxy sets itself.
const (
	headerCorrelationID    = "X-Correlation-ID"
	headerRequestID        = "X-Request-ID"
	headerBusinessFunction = "NHSD-eRS-Business-Function"
	headerODS              = "NHSD-End-User-Organisation-ODS"
	headerOnBehalfOf       = "NHSD-eRS-On-Behalf-Of-User-ID"
)

// passRequest are the workstation's request headers forwarded to e-RS. It is
// an allow-list, not a strip list: Authorization, DPoP, Cookie, every NHSD-*
// and x-ers-* header, X-Forwarded-*, and anything else not named here never
// reach e-RS, so a workstation cannot choose its own role, organisation,
// on-behalf-of user or identity.
var passRequest = []string{"Accept", "Content-Type", "If-Match", "If-None-Match", "Prefer"}

// passRequestFor are the documented data headers of single operations (the
// NHSD-* headers that carry no privilege): the upload's file name and
// intended referral, and the slot search's commissioning-rule organisation.
var passRequestFor = map[ersclient.OperationID][]string{
	ersclient.OpUploadFile:    {"NHSD-eRS-File-Name", "NHSD-eRS-Referral-ID"},
	ersclient.OpRetrieveSlots: {"NHSD-eRS-Comm-Rule-Org"},
}

// passResponse are e-RS's response headers returned to the workstation.
// Location is added for 201 and redirects only.
var passResponse = []string{"Content-Type", "Content-Length", "ETag", "Retry-After", "Content-Disposition", "Cache-Control", headerRequestID, headerCorrelationID}

// outboundHeader builds the request headers sent to e-RS: the allow-listed
// workstation headers, then the ones the gateway owns.
func outboundHeader(in http.Header, op ersclient.Operation, token, correlationID string, bf, ods, obo string) http.Header {
	out := http.Header{}
	copyHeaders(out, in, passRequest)
	copyHeaders(out, in, passRequestFor[op.ID])
	out.Set("Authorization", "Bearer "+token)
	out.Set(headerCorrelationID, correlationID)
	if op.NoContext {
		return out
	}
	out.Set(headerBusinessFunction, bf)
	out.Set(headerODS, ods)
	// Only a clinician admin acts for someone, and only where the operation
	// documents the header; e-RS refuses it anywhere else.
	if ersclient.BusinessFunction(bf) == ersclient.ServiceProviderClinicianAdmin && op.OnBehalfOf && obo != "" {
		out.Set(headerOnBehalfOf, obo)
	}
	return out
}

// responseHeader copies e-RS's safe response headers to w.
func responseHeader(w http.Header, in http.Header, status int) {
	copyHeaders(w, in, passResponse)
	if status == http.StatusCreated || (status >= 300 && status < 400) {
		copyHeaders(w, in, []string{"Location"})
	}
}

func copyHeaders(dst, src http.Header, names []string) {
	for _, n := range names {
		if vs := src.Values(n); len(vs) > 0 {
			dst[http.CanonicalHeaderKey(n)] = append([]string(nil), vs...)
		}
	}
}

// validCorrelationID accepts the workstation's correlation id when it is a
// short token of safe characters; anything else is replaced, so the id can
// be logged and echoed without escaping.
func validCorrelationID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}
