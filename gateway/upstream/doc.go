// Package upstream is the gateway's client side of NHS CIS2 and APIM: it
// starts a CIS2 sign-in (the authorize URL with PKCE, nonce and acr_values),
// redeems the code with a private_key_jwt, verifies the ID token (signature,
// issuer, audience, expiry, nonce, then identity and authentication
// assurance) before anything reaches APIM, exchanges the ID token for an
// APIM token (RFC 8693) and refreshes it, and verifies CIS2 back-channel
// logout tokens.
//
// The order matters: APIM does not check the ID token's audience or nonce,
// so an ID token that fails here must never be exchanged.
//
// Every request is built by hand so each client assertion is fresh and the
// APIM Content-Type is exactly application/x-www-form-urlencoded. Errors
// carry the HTTP status, OAuth error code and description only (OAuthError),
// or one of the sentinel reasons (ErrIDTokenInvalid, ErrAssurance,
// ErrUnavailable); they never hold a token, code or assertion.
//
// It is not the sign-in broker: state, cookies, sessions and storage of
// tokens belong to the caller, which also serialises refreshes per session.
package upstream
