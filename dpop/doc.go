// Package dpop implements the proof of possession that binds a gateway session to the
// workstation's key (RFC 9449 section 4, "DPoP proofs").
//
// Both sides live here because they must agree byte for byte: the workstation holds an
// ephemeral ES256 [Key] and signs a fresh [Key.Proof] for every request (the [Transport] does it
// for an http.Client); the gateway checks each proof with a [Verifier] and compares the returned
// key thumbprint with the one it stored when the session was created ([CheckBinding]).
//
// It is not an OAuth DPoP authorization server: there are no server nonces and no DPoP-bound
// access tokens here. The "access token" of RFC 9449 is the gateway's opaque session token.
// NHS tokens never reach the workstation, so they never appear in a proof.
//
// Nothing in this package logs, and no error message carries a proof, token or key.
package dpop
