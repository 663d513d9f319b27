package store

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// pgTest is what TestMain found for the PostgreSQL run: a DSN to an
// administrative database, or the reason there is none. It is the only
// package-level state, and only in tests (TestMain has no other way to
// hand it to the tests).
var pgTest struct {
	dsn  string
	skip string
	dbs  atomic.Int64
}

func TestMain(m *testing.M) {
	stop, err := setupPostgres()
	if err != nil {
		fmt.Fprintln(os.Stderr, "store tests: PostgreSQL:", err)
		pgTest.skip = err.Error()
	}
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

// setupPostgres uses ERS_TEST_POSTGRES_DSN, or starts a private cluster
// from the Debian binaries, or says why neither is possible.
func setupPostgres() (stop func(), err error) {
	if dsn := os.Getenv("ERS_TEST_POSTGRES_DSN"); dsn != "" {
		pgTest.dsn = dsn
		return nil, nil
	}
	initdbs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(initdbs) == 0 {
		return nil, fmt.Errorf("no ERS_TEST_POSTGRES_DSN and no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)")
	}
	sort.Strings(initdbs) // lexical; fine for one installed major version
	bin := filepath.Dir(initdbs[len(initdbs)-1])
	dir, err := os.MkdirTemp("", "ers-store-pg-")
	if err != nil {
		return nil, err
	}
	// initdb refuses to run as root: run the server as the postgres user.
	var prefix []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root and there is no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root and runuser is missing: %w", err)
		}
		prefix = []string{runuser, "-u", "postgres", "--"}
	}
	run := func(name string, args ...string) error {
		argv := append(append(append([]string{}, prefix...), filepath.Join(bin, name)), args...)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(string(out)))
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s"+
		" -c fsync=off -c synchronous_commit=off -c full_page_writes=off", port, dir)
	if err := run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	pgTest.dsn = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return func() {
		if err := run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"); err != nil {
			fmt.Fprintln(os.Stderr, "store tests: stopping PostgreSQL:", err)
		}
		os.RemoveAll(dir)
	}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// postgresDSN gives the test a fresh database of its own, dropped at the
// end, or skips (fails with ERS_TEST_REQUIRE_POSTGRES=1) when there is no
// PostgreSQL.
func postgresDSN(t *testing.T) string {
	t.Helper()
	if pgTest.dsn == "" {
		if os.Getenv("ERS_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("ERS_TEST_REQUIRE_POSTGRES=1 but PostgreSQL is not available: %s", pgTest.skip)
		}
		t.Skipf("PostgreSQL tests skipped: %s (set ERS_TEST_POSTGRES_DSN, or install the postgresql package)", pgTest.skip)
	}
	name := fmt.Sprintf("ers_store_test_%d_%d", os.Getpid(), pgTest.dbs.Add(1))
	admin, err := sql.Open("pgx", pgTest.dsn) // driver registered by pgx/v5/stdlib (postgres.go)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return withDatabase(t, pgTest.dsn, name)
}

// withDatabase points a URL or key=value DSN at another database.
func withDatabase(t *testing.T, dsn, db string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + db
		return u.String()
	}
	return dsn + " dbname=" + db // a later keyword wins
}
