// Package session is the workstation's side of sign-in: it starts a login at
// the gateway, brings the browser's answer back (a one-shot loopback listener
// on 127.0.0.1, or polling the gateway in remote mode), redeems it with the
// PKCE verifier and a proof of possession, and keeps the resulting session
// token and its key in memory and, when one answers in time, the OS keyring.
//
// Manager implements the ui's Auth port (ui/screen.Auth) without importing
// ui, and its Transport carries ersclient's calls through the gateway proxy.
//
// It holds no NHS token and no supplier secret: only the opaque session token
// and the ephemeral key it is bound to. Nothing here logs a token, code,
// verifier, proof or key, and nothing is ever written to a file.
package session
