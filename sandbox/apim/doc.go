// Package apim is a mock of the NHS API Management (Apigee) token service,
// POST /oauth2/token, for the e-RS simulator: it validates signed client
// assertions and CIS2 ID tokens with the real rules, error strings and
// statuses of the NHS identity-service proxy, and issues opaque access
// tokens that the e-RS side looks up with TokenStore.Lookup.
//
// It implements the application registry, client-assertion validation
// (JWKS fetched from the application's URL with a one-hour cache, jti
// replay cache), the client_credentials grant, token exchange with a CIS2
// ID token as the subject token (CIS2 JWKS cached a day and refetched on an
// unknown kid; scopes filtered by the user's authentication assurance
// level) and the refresh_token grant (rotation, refresh_count and the
// refresh window counted from the first issue). The combined
// authorization-code flow answers "not yet supported". It is for local
// demos and tests only: everything is in memory.
package apim
