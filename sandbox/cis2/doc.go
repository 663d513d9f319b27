// Package cis2 is a mock of NHS CIS2 Authentication, the OpenID Connect
// provider (ForgeRock AM, realm /NHSIdentity/Healthcare) that healthcare
// workers sign in with before the gateway exchanges their ID token at APIM.
//
// It mirrors the real provider where a relying party can observe it: the
// issuer path with an explicit port, the discovery document, the JWKS at
// /connect/jwk_uri with key rotation, RS256 ID tokens and userinfo claims
// with the real names and shapes (reference notes auth-cis2-apim.md, 1.5
// and 7.1), and a set of personas covering the assurance and role cases the
// gateway and the e-RS simulator must handle.
//
// It serves discovery, the JWKS and the sign-in endpoints: a client
// registry (Config.Clients), /authorize with an accessible persona and
// authenticator picker (templates in package assets) or auto-approval by
// login_hint (Config.AutoApprove), single-use 60 s codes bound to the
// client, redirect URI and PKCE S256 challenge, /access_token with
// private_key_jwt or client_secret_post, and /userinfo.
//
// Each sign-in starts a session (the ID token's sid, a browser cookie);
// prompt=none reuses a live session and otherwise answers login_required
// (session.go has the rules). /connect/endSession (id_token_hint, client_id,
// post_logout_redirect_uri matched exactly against
// Client.PostLogoutRedirectURIs, state) ends it. RevokeSession and
// RevokeSubject end sessions from the side and, like end-session, POST a
// back-channel logout_token (RS256, typ JWT, current key; iss, aud, iat,
// exp, jti, sub, sid, events; no nonce) to Client.BackchannelLogoutURI of
// every client of the session. An ended session's codes and access tokens
// stop working. AdminHandler, served apart from Handler, rotates the key,
// revokes sessions and lists them (ids only).
//
// It is not for production: keys and users are synthetic and live in
// memory, and the admin API has no authentication.
package cis2
