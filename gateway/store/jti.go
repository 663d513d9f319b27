package store

import (
	"context"
	"errors"
	"time"
)

// The scopes of RememberJTI: each kind of token has its own id space.
const (
	// JTIScopeDPoP holds the ids of accepted proofs of possession.
	JTIScopeDPoP = "dpop"
	// JTIScopeLogout holds the ids of accepted back-channel logout tokens.
	JTIScopeLogout = "logout"
)

// rememberJTI inserts the id, or takes over a dead row of the same id, in
// one statement: the database's unique key makes it atomic across gateways.
// A live row makes the conflict's WHERE false, so no row is touched.
const rememberJTI = "INSERT INTO jtis (scope, hash, expires) VALUES ($1, $2, $3)" +
	" ON CONFLICT (scope, hash) DO UPDATE SET expires = excluded.expires WHERE jtis.expires <= $4"

// RememberJTI records jti under scope until expires. fresh is false when
// the scope already holds the same id, still live at now: a replay. Only
// Hash(jti) is written.
func (s *sqlStore) RememberJTI(ctx context.Context, scope, jti string, now, expires time.Time) (bool, error) {
	if scope == "" || jti == "" {
		return false, errors.New("store: remember jti: a scope and an id are required")
	}
	if !expires.After(now) {
		return false, errors.New("store: remember jti: expires must be after now")
	}
	res, err := s.db.ExecContext(ctx, rememberJTI, scope, Hash(jti), encTime(expires), encTime(now))
	n, err := s.affected("remember jti", res, err)
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

// DeleteExpiredJTIs removes the ids whose memory ended at or before now.
func (s *sqlStore) DeleteExpiredJTIs(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM jtis WHERE expires <= $1", encTime(now))
	return s.affected("delete expired jtis", res, err)
}
