package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite is the embedded store: one file (or memory, for the sandbox and
// tests) inside the gateway process. It serves one gateway; several
// gateways sharing state need Postgres.
type SQLite struct {
	*sqlStore
}

var _ Store = (*SQLite)(nil)

// sqliteBusyTimeoutMS is how long a writer waits for another (a second
// connection, or a second gateway on the same file) before giving up.
const sqliteBusyTimeoutMS = 5000

// OpenSQLite opens (creating if needed, with mode 0600) the database file
// dsn, a path, in WAL mode with a busy timeout, and runs the migrations.
// An empty dsn is a private in-memory database held on a single connection
// (an in-memory SQLite database lives and dies with its connection).
func OpenSQLite(ctx context.Context, dsn string) (*SQLite, error) {
	var (
		db  *sql.DB
		err error
	)
	if dsn == "" {
		db, err = sql.Open("sqlite", "file::memory:?_pragma=foreign_keys(1)")
		if err != nil {
			return nil, fmt.Errorf("store: sqlite: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	} else {
		if strings.ContainsAny(dsn, "?#") || strings.HasPrefix(dsn, "file:") {
			return nil, errors.New("store: sqlite: give a plain file path (the connection options are set by the gateway)")
		}
		if err := createPrivate(dsn); err != nil {
			return nil, fmt.Errorf("store: sqlite: %w: %w", ErrUnavailable, err)
		}
		q := url.Values{}
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeoutMS))
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "foreign_keys(1)")
		// Write transactions take the write lock at BEGIN, so two writers
		// wait on the busy timeout instead of failing on lock upgrade.
		q.Set("_txlock", "immediate")
		db, err = sql.Open("sqlite", "file:"+dsn+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("store: sqlite: %w", err)
		}
		db.SetMaxOpenConns(8)
	}
	s, err := open(ctx, db, dialect{
		name: "sqlite",
		dir:  "migrations/sqlite",
		schemaMigrations: "CREATE TABLE IF NOT EXISTS schema_migrations (" +
			"version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
		classify: classifySQLite,
	})
	if err != nil {
		return nil, err
	}
	return &SQLite{s}, nil
}

// createPrivate creates the database file with mode 0600 before SQLite
// opens it (SQLite would use 0644); the WAL and shared-memory files SQLite
// creates later copy the database file's mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

func classifySQLite(err error) errKind {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return errOther
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return errConflict
	}
	switch se.Code() & 0xff { // the primary result code
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN,
		sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_READONLY:
		return errUnavailable
	}
	return errOther
}
