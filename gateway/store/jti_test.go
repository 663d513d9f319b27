package store

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// runJTIContract is the replay memory's part of the contract, run by
// runContract against both databases.
func runJTIContract(t *testing.T, open opener) {
	ctx := context.Background()

	t.Run("a token id is fresh once, then a replay until it expires", func(t *testing.T) {
		s := open(t)
		until := t0.Add(5 * time.Minute)
		fresh, err := s.RememberJTI(ctx, JTIScopeDPoP, "jti-1", t0, until)
		if err != nil || !fresh {
			t.Fatalf("first: fresh %v, err %v", fresh, err)
		}
		for _, at := range []time.Time{t0, t0.Add(time.Minute), until.Add(-time.Nanosecond)} {
			fresh, err = s.RememberJTI(ctx, JTIScopeDPoP, "jti-1", at, at.Add(5*time.Minute))
			if err != nil || fresh {
				t.Fatalf("replay at %v: fresh %v, err %v", at, fresh, err)
			}
		}
		// The memory ends at expires: a row not yet deleted is taken over.
		fresh, err = s.RememberJTI(ctx, JTIScopeDPoP, "jti-1", until, until.Add(5*time.Minute))
		if err != nil || !fresh {
			t.Fatalf("after expiry: fresh %v, err %v", fresh, err)
		}
		// ... and remembered again from then on.
		fresh, err = s.RememberJTI(ctx, JTIScopeDPoP, "jti-1", until.Add(time.Second), until.Add(time.Minute))
		if err != nil || fresh {
			t.Fatalf("replay after take-over: fresh %v, err %v", fresh, err)
		}
	})

	t.Run("scopes are separate id spaces", func(t *testing.T) {
		s := open(t)
		for _, scope := range []string{JTIScopeDPoP, JTIScopeLogout} {
			fresh, err := s.RememberJTI(ctx, scope, "same", t0, t0.Add(time.Minute))
			if err != nil || !fresh {
				t.Fatalf("%s: fresh %v, err %v", scope, fresh, err)
			}
		}
	})

	t.Run("only the hash of a token id is stored", func(t *testing.T) {
		s := open(t)
		const raw = "a-raw-token-id-that-must-not-be-stored"
		if _, err := s.RememberJTI(ctx, JTIScopeLogout, raw, t0, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		var scope, hash string
		if err := rawDB(t, s).QueryRowContext(ctx, "SELECT scope, hash FROM jtis").Scan(&scope, &hash); err != nil {
			t.Fatal(err)
		}
		if scope != JTIScopeLogout || hash != Hash(raw) || strings.Contains(hash, raw) {
			t.Fatalf("stored %q %q, want the logout scope and Hash(jti)", scope, hash)
		}
	})

	t.Run("bad arguments are refused, not remembered", func(t *testing.T) {
		s := open(t)
		for name, call := range map[string]func() (bool, error){
			"no scope":    func() (bool, error) { return s.RememberJTI(ctx, "", "j", t0, t0.Add(time.Minute)) },
			"no id":       func() (bool, error) { return s.RememberJTI(ctx, JTIScopeDPoP, "", t0, t0.Add(time.Minute)) },
			"already due": func() (bool, error) { return s.RememberJTI(ctx, JTIScopeDPoP, "j", t0, t0) },
		} {
			if fresh, err := call(); err == nil || fresh {
				t.Errorf("%s: fresh %v, err %v; want an error", name, fresh, err)
			}
		}
	})

	t.Run("of concurrent claims of one id exactly one is fresh", func(t *testing.T) {
		s := open(t)
		var fresh atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for range 16 {
			wg.Go(func() {
				ok, err := s.RememberJTI(ctx, JTIScopeDPoP, "raced", t0, t0.Add(time.Minute))
				if err != nil {
					errs <- err
					return
				}
				if ok {
					fresh.Add(1)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if n := fresh.Load(); n != 1 {
			t.Fatalf("%d claims were fresh, want 1", n)
		}
	})

	t.Run("housekeeping deletes only the expired ids", func(t *testing.T) {
		s := open(t)
		for i, until := range []time.Time{t0.Add(time.Minute), t0.Add(2 * time.Minute), t0.Add(10 * time.Minute)} {
			if _, err := s.RememberJTI(ctx, JTIScopeDPoP, string(rune('a'+i)), t0, until); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.DeleteExpiredJTIs(ctx, t0.Add(2*time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("deleted %d, err %v; want 2", n, err)
		}
		var left int
		if err := rawDB(t, s).QueryRowContext(ctx, "SELECT COUNT(*) FROM jtis").Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 1 {
			t.Fatalf("%d ids left, want 1", left)
		}
		fresh, err := s.RememberJTI(ctx, JTIScopeDPoP, "c", t0.Add(3*time.Minute), t0.Add(20*time.Minute))
		if err != nil || fresh {
			t.Fatalf("the live id was forgotten: fresh %v, err %v", fresh, err)
		}
	})

	t.Run("a closed store refuses with ErrUnavailable", func(t *testing.T) {
		s := open(t)
		s.Close()
		fresh, err := s.RememberJTI(ctx, JTIScopeDPoP, "j", t0, t0.Add(time.Minute))
		mustIs(t, err, ErrUnavailable)
		if fresh {
			t.Fatal("fresh on error")
		}
	})
}
