// Package apim is a mock of the NHS API Management (Apigee) token service,
// POST /oauth2/token, for the e-RS simulator: it validates signed client
// assertions with the real rules, error strings and statuses of the NHS
// identity-service proxy, and issues opaque access tokens that the e-RS side
// looks up with TokenStore.Lookup.
//
// This first slice implements the application registry, client-assertion
// validation (JWKS fetched from the application's URL with a one-hour
// cache, jti replay cache) and the client_credentials grant. Token exchange,
// refresh and the combined authorization-code flow answer "not yet
// supported". It is for local demos and tests only: everything is in memory.
package apim
