package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// sqlStore is the one implementation of Store, over database/sql. The two
// dialects differ only in their schema, their migration lock and how their
// driver's errors are classified; the statements are the same ($N
// placeholders, RETURNING, integer times).
type sqlStore struct {
	db *sql.DB
	d  dialect
	q  queries
}

// queries are built once from the column lists.
type queries struct {
	loginSelect, loginInsert, loginUpdate, loginFreeCode string
	sessionSelect, sessionInsert, sessionUpdate          string
	auditInsert, auditSelect                             string
}

func newQueries() queries {
	lc, sc, ac := loginCols(), sessionCols(), auditCols()
	nl, ns := len(lc), len(sc)
	return queries{
		loginSelect: "SELECT " + cols(lc) + " FROM logins",
		loginInsert: "INSERT INTO logins (" + cols(lc) + ") VALUES (" + placeholders(1, nl) + ")",
		loginUpdate: fmt.Sprintf("UPDATE logins SET %s, version = version + 1 WHERE id = $1 AND version = $%d",
			assignments(lc[1:nl-1], 2), nl),
		// A user code is unique among live logins: an expired login gives
		// its code up (and is bumped so a stale writer cannot take it back).
		loginFreeCode: "UPDATE logins SET user_code = NULL, version = version + 1 WHERE user_code = $1 AND expires <= $2",

		sessionSelect: "SELECT " + cols(sc) + " FROM sessions",
		sessionInsert: "INSERT INTO sessions (" + cols(sc) + ") VALUES (" + placeholders(1, ns) + ")",
		sessionUpdate: fmt.Sprintf("UPDATE sessions SET %s, version = version + 1 WHERE id = $1 AND version = $%d",
			assignments(sc[1:ns-1], 2), ns),

		auditInsert: "INSERT INTO audit (" + cols(ac[1:]) + ") VALUES (" + placeholders(1, len(ac)-1) + ") RETURNING id",
		// Keyset paging: ($3, $4) is the last (time, id) seen.
		auditSelect: "SELECT " + cols(ac) + " FROM audit WHERE time >= $1 AND time < $2" +
			" AND (time > $3 OR (time = $3 AND id > $4)) ORDER BY time, id LIMIT $5",
	}
}

// auditPage is how many records Audit reads per query: fn runs between
// queries, never while a connection is held, so fn may use the store.
const auditPage = 500

// errKind is what a driver error means to the gateway.
type errKind int

const (
	errOther errKind = iota
	errConflict
	errUnavailable
)

// fail maps a driver error to the package's sentinels. Conflicts are not
// wrapped with the driver's text, which may quote the duplicate value.
func (s *sqlStore) fail(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", op, ErrNotFound)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	kind := s.d.classify(err)
	if kind == errOther && isPoolGone(err) {
		kind = errUnavailable
	}
	switch kind {
	case errConflict:
		return fmt.Errorf("store: %s: %w", op, ErrConflict)
	case errUnavailable:
		return fmt.Errorf("store: %s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// isPoolGone: database/sql's own "closed" errors (its errDBClosed is not
// exported, so it is matched by text).
func isPoolGone(err error) bool {
	return errors.Is(err, sql.ErrConnDone) || err.Error() == "sql: database is closed"
}

// CreateLogin inserts l with Version 1.
func (s *sqlStore) CreateLogin(ctx context.Context, l Login) error {
	l.Version = 1
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail("create login", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if l.UserCode != "" {
		if _, err := tx.ExecContext(ctx, s.q.loginFreeCode, l.UserCode, encTime(l.Created)); err != nil {
			return s.fail("create login", err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.q.loginInsert, loginArgs(l)...); err != nil {
		return s.fail("create login", err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail("create login", err)
	}
	return nil
}

// Login returns the login by id.
func (s *sqlStore) Login(ctx context.Context, id string) (Login, error) {
	return s.oneLogin(ctx, "login", " WHERE id = $1", id)
}

// LoginByUserCode returns the live login with the user code.
func (s *sqlStore) LoginByUserCode(ctx context.Context, userCode string, now time.Time) (Login, error) {
	if userCode == "" {
		return Login{}, fmt.Errorf("store: login by user code: %w", ErrNotFound)
	}
	return s.oneLogin(ctx, "login by user code", " WHERE user_code = $1 AND expires > $2", userCode, encTime(now))
}

// LoginByCIS2State returns the login with the CIS2 state.
func (s *sqlStore) LoginByCIS2State(ctx context.Context, state string) (Login, error) {
	if state == "" {
		return Login{}, fmt.Errorf("store: login by CIS2 state: %w", ErrNotFound)
	}
	return s.oneLogin(ctx, "login by CIS2 state", " WHERE cis2_state = $1", state)
}

func (s *sqlStore) oneLogin(ctx context.Context, op, where string, args ...any) (Login, error) {
	l, err := scanLogin(s.db.QueryRowContext(ctx, s.q.loginSelect+where, args...))
	if err != nil {
		return Login{}, s.fail(op, err)
	}
	return l, nil
}

// UpdateLogin is a compare-and-set on Version.
func (s *sqlStore) UpdateLogin(ctx context.Context, l Login) (Login, error) {
	res, err := s.db.ExecContext(ctx, s.q.loginUpdate, loginArgs(l)...)
	if err := s.casResult(ctx, "update login", "logins", l.ID, res, err); err != nil {
		return Login{}, err
	}
	l.Version++
	return l, nil
}

// casResult tells a lost compare-and-set (ErrConflict) from a missing row
// (ErrNotFound).
func (s *sqlStore) casResult(ctx context.Context, op, table, id string, res sql.Result, err error) error {
	if err != nil {
		return s.fail(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.fail(op, err)
	}
	if n == 1 {
		return nil
	}
	var one int
	err = s.db.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = $1", id).Scan(&one)
	if err != nil {
		return s.fail(op, err)
	}
	return fmt.Errorf("store: %s: %w", op, ErrConflict)
}

// DeleteExpiredLogins removes logins expired before now.
func (s *sqlStore) DeleteExpiredLogins(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM logins WHERE expires < $1", encTime(now))
	return s.affected("delete expired logins", res, err)
}

func (s *sqlStore) affected(op string, res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, s.fail(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.fail(op, err)
	}
	return int(n), nil
}

// CreateSession inserts s with Version 1; ErrConflict when the id or token
// hash is taken.
func (s *sqlStore) CreateSession(ctx context.Context, sess Session) error {
	sess.Version = 1
	if _, err := s.db.ExecContext(ctx, s.q.sessionInsert, sessionArgs(sess)...); err != nil {
		return s.fail("create session", err)
	}
	return nil
}

// Session returns a session by id.
func (s *sqlStore) Session(ctx context.Context, id string) (Session, error) {
	return s.oneSession(ctx, "session", " WHERE id = $1", id)
}

// SessionByTokenHash returns the session whose current token hash it is.
func (s *sqlStore) SessionByTokenHash(ctx context.Context, tokenHash string) (Session, error) {
	if tokenHash == "" {
		return Session{}, fmt.Errorf("store: session by token: %w", ErrNotFound)
	}
	return s.oneSession(ctx, "session by token", " WHERE token_hash = $1", tokenHash)
}

func (s *sqlStore) oneSession(ctx context.Context, op, where string, args ...any) (Session, error) {
	sess, err := scanSession(s.db.QueryRowContext(ctx, s.q.sessionSelect+where, args...))
	if err != nil {
		return Session{}, s.fail(op, err)
	}
	return sess, nil
}

// UpdateSession is a compare-and-set on Version.
func (s *sqlStore) UpdateSession(ctx context.Context, sess Session) (Session, error) {
	res, err := s.db.ExecContext(ctx, s.q.sessionUpdate, sessionArgs(sess)...)
	if err := s.casResult(ctx, "update session", "sessions", sess.ID, res, err); err != nil {
		return Session{}, err
	}
	sess.Version++
	return sess, nil
}

// EndSessions ends the live sessions of a CIS2 sid (or, without one, of a
// subject) and wipes their sealed tokens. One of the two is required: an
// empty match would otherwise end unrelated sessions.
func (s *sqlStore) EndSessions(ctx context.Context, cis2SID, subject string) ([]string, error) {
	col, val := "cis2_sid", cis2SID
	if cis2SID == "" {
		col, val = "subject", subject
	}
	if val == "" {
		return nil, errors.New("store: end sessions: a CIS2 sid or a subject is required")
	}
	rows, err := s.db.QueryContext(ctx, "UPDATE sessions SET state = $1,"+
		" sealed_access = NULL, sealed_refresh = NULL, sealed_id = NULL, version = version + 1"+
		" WHERE "+col+" = $2 AND state IN ($3, $4) RETURNING id",
		string(SessionEnded), val, string(SessionActive), string(SessionLoginRequired))
	if err != nil {
		return nil, s.fail("end sessions", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.fail("end sessions", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("end sessions", err)
	}
	return ids, nil
}

// DeleteSessionsBefore removes sessions whose absolute end is before now
// (whatever their state: past Absolute none is usable).
func (s *sqlStore) DeleteSessionsBefore(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE absolute < $1", encTime(now))
	return s.affected("delete sessions", res, err)
}

// AppendAudit appends r and returns its id.
func (s *sqlStore) AppendAudit(ctx context.Context, r AuditRecord) (int64, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, s.q.auditInsert, auditInsertArgs(r)...).Scan(&id); err != nil {
		return 0, s.fail("append audit", err)
	}
	return id, nil
}

// CompleteAudit completes an in-flight record once: ErrConflict when it
// is already complete, ErrNotFound when there is no such record.
func (s *sqlStore) CompleteAudit(ctx context.Context, id int64, status int, outcome, requestID string, latency time.Duration, completed time.Time) error {
	if completed.IsZero() {
		return errors.New("store: complete audit: a completion time is required")
	}
	res, err := s.db.ExecContext(ctx, "UPDATE audit SET status = $1, outcome = $2, request_id = $3,"+
		" latency = $4, completed = $5 WHERE id = $6 AND completed = 0",
		status, outcome, requestID, int64(latency), encTime(completed), id)
	if err != nil {
		return s.fail("complete audit", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.fail("complete audit", err)
	}
	if n == 1 {
		return nil
	}
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1 FROM audit WHERE id = $1", id).Scan(&one); err != nil {
		return s.fail("complete audit", err)
	}
	return fmt.Errorf("store: complete audit: already complete: %w", ErrConflict)
}

// Audit calls fn for each record with from <= Time < to, oldest first
// (by time, then id).
func (s *sqlStore) Audit(ctx context.Context, from, to time.Time, fn func(AuditRecord) error) error {
	lastTime, lastID := encTime(from), int64(-1)
	for {
		page, err := s.auditPage(ctx, encTime(from), encTime(to), lastTime, lastID)
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < auditPage {
			return nil
		}
		last := page[len(page)-1]
		lastTime, lastID = encTime(last.Time), last.ID
	}
}

func (s *sqlStore) auditPage(ctx context.Context, from, to, lastTime, lastID int64) ([]AuditRecord, error) {
	rows, err := s.db.QueryContext(ctx, s.q.auditSelect, from, to, lastTime, lastID, auditPage)
	if err != nil {
		return nil, s.fail("audit", err)
	}
	defer rows.Close()
	var page []AuditRecord
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return nil, s.fail("audit", err)
		}
		page = append(page, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("audit", err)
	}
	return page, nil
}

// Ping checks the database answers.
func (s *sqlStore) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return s.fail("ping", err)
	}
	return nil
}

// Close closes the pool.
func (s *sqlStore) Close() error { return s.db.Close() }
