package upstream

import (
	"context"
	"fmt"
	"time"
)

// Logout names what a back-channel logout ends: every session of Subject,
// or the one CIS2 session SessionID (either may be empty, not both).
type Logout struct{ Subject, SessionID string }

// Logout token rules beyond go-oidc's.
const (
	// logoutIATSkew is how far in the future a logout token's iat may be.
	logoutIATSkew = 60 * time.Second
	// logoutJTIMemory is the least time a logout jti is remembered.
	logoutJTIMemory = 10 * time.Minute
)

// VerifyLogoutToken checks a back-channel logout token (OpenID Connect
// Back-Channel Logout 1.0): RS256 signature with the provider's keys, iss,
// aud containing the client id, exp, the back-channel-logout event, no
// nonce, sub or sid (go-oidc), then iat present and not more than 60 s in
// the future, and a jti not seen before (bounded memory).
func (c *CIS2) VerifyLogoutToken(ctx context.Context, raw string) (Logout, error) {
	ctx, cancel := context.WithTimeout(ctx, c.http.Timeout)
	defer cancel()
	tok, err := c.loVerifier.VerifyLogout(ctx, raw)
	if err != nil {
		return Logout{}, verifyError(ErrLogoutInvalid, err)
	}
	now := c.opts.Now()
	switch {
	case tok.IssuedAt.IsZero():
		return Logout{}, fmt.Errorf("%w: no iat", ErrLogoutInvalid)
	case tok.IssuedAt.After(now.Add(logoutIATSkew)):
		return Logout{}, fmt.Errorf("%w: issued in the future", ErrLogoutInvalid)
	}
	until := tok.Expiry
	if min := now.Add(logoutJTIMemory); until.Before(min) {
		until = min
	}
	if !c.logoutJTIs.claim(tok.TokenID, until, now) {
		return Logout{}, fmt.Errorf("%w: replayed (jti already seen)", ErrLogoutInvalid)
	}
	return Logout{Subject: tok.Subject, SessionID: tok.SessionID}, nil
}
