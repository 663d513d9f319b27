package store

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestSQLiteContract(t *testing.T) {
	t.Run("in memory", func(t *testing.T) {
		runContract(t, func(t *testing.T) Store {
			s, err := OpenSQLite(context.Background(), "")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		})
	})
	t.Run("in a file", func(t *testing.T) {
		runContract(t, func(t *testing.T) Store {
			s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "gw.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		})
	})
}

func TestSQLiteInMemoryStoresArePrivate(t *testing.T) {
	ctx := context.Background()
	a, err := OpenSQLite(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := OpenSQLite(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.CreateLogin(ctx, testLogin("l1", "CODE")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Login(ctx, "l1"); err == nil {
		t.Fatal("a second in-memory store sees the first one's login")
	}
}

func TestSQLiteFileIsPrivateAndInWALMode(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gw.db")
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateLogin(ctx, testLogin("l1", "CODE")); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q, %v; want wal", mode, err)
	}
	var busy int
	if err := s.db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil || busy != sqliteBusyTimeoutMS {
		t.Fatalf("busy_timeout %d, %v; want %d", busy, err, sqliteBusyTimeoutMS)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %04o, want no group or other access", filepath.Base(p), fi.Mode().Perm())
		}
	}
}

func TestSQLiteReopenKeepsDataAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gw.db")
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateLogin(ctx, testLogin("l1", "CODE")); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Two gateways opening the same file at once both start.
	var wg sync.WaitGroup
	stores := make([]*SQLite, 2)
	errs := make([]error, 2)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = OpenSQLite(ctx, path)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	if _, err := stores[1].Login(ctx, "l1"); err != nil {
		t.Fatalf("data lost on reopen: %v", err)
	}
	var n int
	if err := stores[0].db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations("migrations/sqlite")
	if n != len(ms) {
		t.Fatalf("%d migrations recorded, want %d", n, len(ms))
	}
}

func TestSQLiteUnreachableFileIsUnavailable(t *testing.T) {
	_, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "no", "such", "dir", "gw.db"))
	mustIs(t, err, ErrUnavailable)
}

func TestSQLiteRefusesDSNOptions(t *testing.T) {
	for _, dsn := range []string{"file:gw.db", "gw.db?_pragma=journal_mode(DELETE)"} {
		if _, err := OpenSQLite(context.Background(), dsn); err == nil {
			t.Errorf("%q accepted", dsn)
		}
	}
}
