// Package broker is the gateway's sign-in broker: the workstation's side of
// the protocol in notes section 5.3 and docs/architecture.md.
//
// A workstation starts a login (POST /v1/auth/login) with its PKCE
// challenge and the public half of its ephemeral ES256 key. The person
// opens the short URL (/l/{user code}), checks the code and the requesting
// host, and continues to NHS CIS2; the broker binds that browser with a
// cookie, sends it to CIS2 with its own state, nonce and PKCE, and on the
// callback redeems the code (private_key_jwt), verifies the ID token
// (issuer, audience, nonce, expiry, IAL 3, AAL 2 or 3) and exchanges it at
// APIM, all in package upstream. The session then exists; the workstation
// redeems it (POST /v1/auth/token) with its verifier and a proof of
// possession, in loopback mode with the single-use 60-second handoff code
// the browser brought to its 127.0.0.1 callback, in remote mode by polling
// (the browser is sent on from the callback to a clean result page, DonePath,
// so CIS2's code does not stay in its address bar).
//
// Every proof's jti and every back-channel logout token's jti is remembered
// in the store (store.RememberJTI), which gateways sharing a database share,
// so a token accepted by one gateway is refused by the others; when the
// store cannot answer, the token is refused (503), never accepted unchecked.
//
// Every later call carries "Authorization: DPoP <session token>" and a
// fresh proof (package dpop) bound to the session's key. Sessions end after
// 15 idle minutes or 12 hours, on logout, on CIS2 back-channel logout, and
// turn to login_required when APIM refuses a refresh. Changing the role
// (PUT /v1/session/context, checked against A030 and A040) rotates the
// session token. NHS tokens are kept sealed in the store; session tokens,
// handoff codes and browser cookies only as hashes.
package broker
