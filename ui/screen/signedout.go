package screen

// SignedOut is the sign-in route's Open arg after the user signed out on
// purpose. The sign-in screen then waits for a key before starting a new
// sign-in: starting one at once would let a browser that still holds a CIS2
// session (or the demo's in-process one) sign the user straight back in.
// After a session ends by itself (expiry, revocation) the arg is the error
// instead, and a new sign-in starts at once.
type SignedOut struct{}
