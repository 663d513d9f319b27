// Package ersclient is a typed client for the NHS e-Referral Service (e-RS)
// FHIR API: every operation A004-A044, STU3 and R4, one method each.
//
// It sets the e-RS headers (business function, organisation, on-behalf-of,
// If-Match, a fresh X-Correlation-ID per call), decodes every error shape into
// an *Error a clerk can read, retries reads (never writes) on 429, 503 and
// connection errors, refuses oversized responses and uploads, and offers
// friendly views (worklist rows, referral summaries, slot pages, A&G threads)
// so that screens never dig in raw FHIR.
//
// Authentication is pluggable: a bearer token (direct to e-RS or the
// simulator) or any http.RoundTripper (the gateway session, which adds the NHS
// token and the user's context headers itself).
//
// It is not a server and holds no credentials of its own.
package ersclient
