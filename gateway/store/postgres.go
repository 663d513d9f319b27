package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Postgres is the shared store: several gateways use one database for
// sessions and the audit trail.
//
// It uses pgx through database/sql (pgx/v5/stdlib) rather than pgxpool so
// that SQLite and PostgreSQL share one implementation and one set of
// statements; the gateway's queries are small single-row reads and
// writes, where pgxpool's extra speed would not show.
type Postgres struct {
	*sqlStore
}

var _ Store = (*Postgres)(nil)

// pgConnectTimeout bounds each new connection when the DSN sets none.
const pgConnectTimeout = 10 * time.Second

// pgMigrationLock is the advisory lock key held while migrating
// ("ers-gw" in ASCII); it is a transaction lock, released at commit.
const pgMigrationLock = 0x6572732d6777

// OpenPostgres connects with dsn (a URL or key=value string, as libpq),
// checks the server answers and runs the migrations. A server that cannot
// be reached gives ErrUnavailable.
func OpenPostgres(ctx context.Context, dsn string) (*Postgres, error) {
	cfg, err := pgx.ParseConfig(dsn) // its errors redact the password
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = pgConnectTimeout
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s, err := open(ctx, db, dialect{
		name: "postgres",
		dir:  "migrations/postgres",
		schemaMigrations: "CREATE TABLE IF NOT EXISTS schema_migrations (" +
			"version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TIMESTAMPTZ NOT NULL DEFAULT now())",
		lock:     fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", pgMigrationLock),
		classify: classifyPostgres,
	})
	if err != nil {
		return nil, err
	}
	return &Postgres{s}, nil
}

func classifyPostgres(err error) errKind {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return errConflict
		case pe.Code == "40001", pe.Code == "40P01": // serialization failure, deadlock: the other writer won
			return errConflict
		case strings.HasPrefix(pe.Code, "08"), // connection exception
			strings.HasPrefix(pe.Code, "53"),                           // insufficient resources
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // shutting down, cannot connect now
			pe.Code == "3D000", pe.Code == "28000", pe.Code == "28P01": // no database, auth refused
			return errUnavailable
		}
		return errOther
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, net.ErrClosed):
		return errUnavailable
	}
	return errOther
}
