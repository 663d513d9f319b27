// Package keys is the gateway's key custody: the RSA keys it signs client
// assertions with (CIS2 private_key_jwt and APIM signed JWTs, RS512), their
// publication as a JWKS at /.well-known/jwks.json, and their rotation.
//
// The private keys never leave this package: callers get signed assertions
// and the public key set, never a key. Keys live in a directory, one PEM file
// per key named <kid>.pem, readable by the owner only (the gateway refuses to
// start otherwise), or in memory for the sandbox.
//
// Rotation follows the JWKS cache of the verifiers: APIM keeps a fetched key
// set for an hour, so a new key is published at once but signs only after a
// lead time; older keys stay published for a retention period after the new
// one starts signing, then drop out of the JWKS. Retired key files are left
// in the directory untouched: deleting key material is an operator's
// decision, and a retired key never signs or reappears in the JWKS.
// A running set takes up key files another process wrote (Reload), so a
// key can be rotated in without a restart.
//
// It is not a general key store: no encryption keys (see gateway/store's
// Sealer), no TLS keys, no workstation proof keys (see dpop).
package keys
