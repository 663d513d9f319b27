// Package proxy is the gateway's e-RS proxy: an http.Handler for
// /v1/ers/FHIR/{STU3|R4}/... that forwards a signed-in workstation's e-RS
// calls to e-RS (INT, production or the simulator) with the session's APIM
// access token and e-RS context headers, so the workstation never holds an
// NHS token and cannot choose its own role.
//
// What it does, in order, for each request: authenticate the caller (through
// the sign-in broker's Authenticate; the proxy knows nothing of sign-in),
// match the method and path against the allow-list built from
// ersclient.Catalogue (anything else is 404), apply the per-session rate
// limit (429 with Retry-After), require a chosen role except on A030 (409
// no_role), read the request body within its limit (413), write the audit
// record (503 and no forwarding when that fails: fail closed), forward with
// only allow-listed request headers plus the headers it sets itself, and
// stream the answer back with only safe response headers. Redirects are never
// followed: A042's redirect to the object store reaches the workstation as
// is, so it downloads the bytes without an NHS token. Nothing is retried.
//
// It is not for sign-in, session checks or proof of possession (the broker),
// nor for storing audit records (gateway/store): it talks to both through the
// small interfaces Caller, Authenticate and Auditor.
package proxy
