package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

func TestPostgresContract(t *testing.T) {
	postgresDSN(t) // skip the whole run early when there is no PostgreSQL
	runContract(t, func(t *testing.T) Store {
		s, err := OpenPostgres(context.Background(), postgresDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestPostgresGatewaysStartingAtOnceMigrateOnce(t *testing.T) {
	dsn := postgresDSN(t)
	ctx := context.Background()
	const n = 4
	var wg sync.WaitGroup
	stores := make([]*Postgres, n)
	errs := make([]error, n)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = OpenPostgres(ctx, dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("gateway %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	var count int
	if err := stores[0].db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&count); err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations("migrations/postgres")
	if count != len(ms) {
		t.Fatalf("%d migrations recorded, want %d", count, len(ms))
	}
	// They share state: what one writes, another reads.
	if err := stores[0].CreateLogin(ctx, testLogin("l1", "CODE")); err != nil {
		t.Fatal(err)
	}
	if _, err := stores[n-1].LoginByUserCode(ctx, "CODE", t0); err != nil {
		t.Fatal(err)
	}
}

func TestPostgresUnreachableIsUnavailable(t *testing.T) {
	port, err := freePort() // nothing listens there once freePort returns
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenPostgres(context.Background(), fmt.Sprintf("postgres://nobody:secret-pw@127.0.0.1:%d/db?sslmode=disable&connect_timeout=2", port))
	mustIs(t, err, ErrUnavailable)
	if err != nil && containsString(err.Error(), "secret-pw") {
		t.Fatalf("error quotes the password: %v", err)
	}
}

func containsString(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
