package store

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkRememberJTISQLiteFile is the cost the shared replay check adds
// to every proof of possession with the default store: one insert into an
// SQLite file (WAL). It reports p50 and p99 per call; it asserts nothing
// about time.
func BenchmarkRememberJTISQLiteFile(b *testing.B) {
	s, err := OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "gateway.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchmarkRememberJTI(b, s)
}

// BenchmarkRememberJTIPostgres is the same against PostgreSQL (skipped
// without it).
func BenchmarkRememberJTIPostgres(b *testing.B) {
	if pgTest.dsn == "" {
		b.Skip("PostgreSQL not available: " + pgTest.skip)
	}
	s, err := OpenPostgres(context.Background(), pgTest.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.Cleanup(func() { s.db.Exec("DELETE FROM jtis") }) //nolint:errcheck // best effort in a scratch cluster
	benchmarkRememberJTI(b, s)
}

func benchmarkRememberJTI(b *testing.B, s Store) {
	ctx := context.Background()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		fresh, err := s.RememberJTI(ctx, JTIScopeDPoP, rand.Text(), start, start.Add(5*time.Minute))
		if err != nil || !fresh {
			b.Fatalf("fresh %v, err %v", fresh, err)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	pct := func(p float64) time.Duration { return times[int(float64(len(times)-1)*p)] }
	b.ReportMetric(float64(pct(0.50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(pct(0.99).Microseconds()), "p99-µs")
}
