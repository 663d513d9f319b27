package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

// The contract every Store implementation keeps, run against SQLite and
// PostgreSQL alike (see TestSQLiteContract and TestPostgresContract).

type opener func(t *testing.T) Store

var t0 = time.Date(2026, 11, 21, 7, 30, 0, 123456789, time.UTC)

func testLogin(id, code string) Login {
	return Login{
		ID: id, UserCode: code, Mode: LoginLoopback,
		RedirectURI: "http://127.0.0.1:49152/callback", ClientState: "cs-" + id,
		CodeChallenge: "challenge", KeyThumbprint: "jkt", RequestingHost: "10.0.0.7",
		Status: LoginPending, CIS2State: "state-" + id, CIS2Nonce: "nonce-" + id, CIS2Verifier: "verifier",
		Created: t0, Expires: t0.Add(5 * time.Minute),
	}
}

func testSession(id, sid, sub string) Session {
	return Session{
		ID: id, TokenHash: Hash("token-" + id), KeyThumbprint: "jkt", State: SessionActive,
		Subject: sub, Name: "Dr Test", CIS2SID: sid, IAL: 3, AAL: 3,
		Context:   Context{BusinessFunction: "REFERRING_CLINICIAN", ODS: "R69"},
		Sealed:    Sealed{AccessToken: []byte("a-" + id), RefreshToken: []byte("r-" + id), IDToken: []byte("i-" + id)},
		APIMToken: APIMTokenTimes{AccessExpires: t0.Add(10 * time.Minute), RefreshExpires: t0.Add(12 * time.Hour), RefreshCount: 2},
		Created:   t0, LastSeen: t0, Absolute: t0.Add(12 * time.Hour),
	}
}

func mustIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}

// rawDB reaches under the interface, for the append-only checks.
func rawDB(t *testing.T, s Store) *sql.DB {
	switch s := s.(type) {
	case *SQLite:
		return s.db
	case *Postgres:
		return s.db
	}
	t.Fatalf("unknown store %T", s)
	return nil
}

func runContract(t *testing.T, open opener) {
	ctx := context.Background()

	t.Run("a login reads back as written, by id, user code and CIS2 state", func(t *testing.T) {
		s := open(t)
		l := testLogin("l1", "ABCD-EFGH")
		l.Version = 42 // ignored: a new login starts at 1
		if err := s.CreateLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
		l.Version = 1
		for name, get := range map[string]func() (Login, error){
			"id":         func() (Login, error) { return s.Login(ctx, "l1") },
			"user code":  func() (Login, error) { return s.LoginByUserCode(ctx, "ABCD-EFGH", t0.Add(time.Minute)) },
			"CIS2 state": func() (Login, error) { return s.LoginByCIS2State(ctx, "state-l1") },
		} {
			got, err := get()
			if err != nil {
				t.Fatalf("by %s: %v", name, err)
			}
			if !reflect.DeepEqual(got, l) {
				t.Fatalf("by %s:\n got %+v\nwant %+v", name, got, l)
			}
		}
	})

	t.Run("missing or expired logins are ErrNotFound", func(t *testing.T) {
		s := open(t)
		if err := s.CreateLogin(ctx, testLogin("l1", "CODE")); err != nil {
			t.Fatal(err)
		}
		_, err := s.Login(ctx, "nope")
		mustIs(t, err, ErrNotFound)
		_, err = s.LoginByUserCode(ctx, "CODE", t0.Add(5*time.Minute))
		mustIs(t, err, ErrNotFound)
		_, err = s.LoginByUserCode(ctx, "", t0)
		mustIs(t, err, ErrNotFound)
		_, err = s.LoginByCIS2State(ctx, "nope")
		mustIs(t, err, ErrNotFound)
	})

	t.Run("a login id or a live user code cannot be taken twice", func(t *testing.T) {
		s := open(t)
		if err := s.CreateLogin(ctx, testLogin("l1", "CODE")); err != nil {
			t.Fatal(err)
		}
		mustIs(t, s.CreateLogin(ctx, testLogin("l1", "OTHER")), ErrConflict)
		mustIs(t, s.CreateLogin(ctx, testLogin("l2", "CODE")), ErrConflict)
		// Logins without a user code do not collide with each other.
		if err := s.CreateLogin(ctx, testLogin("l3", "")); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateLogin(ctx, testLogin("l4", "")); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("an expired login gives its user code up but stays readable by id", func(t *testing.T) {
		s := open(t)
		if err := s.CreateLogin(ctx, testLogin("old", "CODE")); err != nil {
			t.Fatal(err)
		}
		later := testLogin("new", "CODE")
		later.Created, later.Expires = t0.Add(6*time.Minute), t0.Add(11*time.Minute)
		if err := s.CreateLogin(ctx, later); err != nil {
			t.Fatal(err)
		}
		got, err := s.LoginByUserCode(ctx, "CODE", later.Created)
		if err != nil || got.ID != "new" {
			t.Fatalf("by code: %v %v", got.ID, err)
		}
		old, err := s.Login(ctx, "old")
		if err != nil || old.UserCode != "" {
			t.Fatalf("old login: %+v %v", old, err)
		}
		// A stale write of the old login cannot take the code back.
		stale := testLogin("old", "CODE")
		stale.Version = 1
		_, err = s.UpdateLogin(ctx, stale)
		mustIs(t, err, ErrConflict)
	})

	t.Run("UpdateLogin is a compare-and-set on Version", func(t *testing.T) {
		s := open(t)
		if err := s.CreateLogin(ctx, testLogin("l1", "CODE")); err != nil {
			t.Fatal(err)
		}
		l, _ := s.Login(ctx, "l1")
		l.Status, l.SessionID, l.HandoffHash = LoginAuthorised, "s1", Hash("handoff")
		l.HandoffExpires, l.LastPoll = t0.Add(time.Minute), t0.Add(2*time.Second)
		got, err := s.UpdateLogin(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 {
			t.Fatalf("version %d, want 2", got.Version)
		}
		stored, _ := s.Login(ctx, "l1")
		if !reflect.DeepEqual(stored, got) {
			t.Fatalf("stored %+v\nreturned %+v", stored, got)
		}
		_, err = s.UpdateLogin(ctx, l) // still version 1
		mustIs(t, err, ErrConflict)
		l.ID = "nope"
		_, err = s.UpdateLogin(ctx, l)
		mustIs(t, err, ErrNotFound)
	})

	t.Run("of concurrent updates from one version exactly one wins", func(t *testing.T) {
		s := open(t)
		if err := s.CreateLogin(ctx, testLogin("l1", "CODE")); err != nil {
			t.Fatal(err)
		}
		l, _ := s.Login(ctx, "l1")
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := l
				c.DenyReason = fmt.Sprint("writer", i)
				_, err := s.UpdateLogin(ctx, c)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		wins := 0
		for err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, ErrConflict):
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d writers won, want 1", wins)
		}
	})

	t.Run("of concurrent logins with one user code exactly one is created", func(t *testing.T) {
		s := open(t)
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.CreateLogin(ctx, testLogin(fmt.Sprint("l", i), "SAME"))
			}()
		}
		wg.Wait()
		close(errs)
		created := 0
		for err := range errs {
			switch {
			case err == nil:
				created++
			case !errors.Is(err, ErrConflict):
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if created != 1 {
			t.Fatalf("%d created, want 1", created)
		}
	})

	t.Run("DeleteExpiredLogins removes only expired logins", func(t *testing.T) {
		s := open(t)
		for i, exp := range []time.Duration{time.Minute, 2 * time.Minute, 10 * time.Minute} {
			l := testLogin(fmt.Sprint("l", i), "")
			l.Expires = t0.Add(exp)
			if err := s.CreateLogin(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.DeleteExpiredLogins(ctx, t0.Add(3*time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("deleted %d, %v; want 2", n, err)
		}
		_, err = s.Login(ctx, "l0")
		mustIs(t, err, ErrNotFound)
		if _, err := s.Login(ctx, "l2"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a session reads back as written, by id and by token hash", func(t *testing.T) {
		s := open(t)
		sess := testSession("s1", "sid1", "555555555555")
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		sess.Version = 1
		got, err := s.Session(ctx, "s1")
		if err != nil || !reflect.DeepEqual(got, sess) {
			t.Fatalf("by id: %v\n got %+v\nwant %+v", err, got, sess)
		}
		got, err = s.SessionByTokenHash(ctx, sess.TokenHash)
		if err != nil || !reflect.DeepEqual(got, sess) {
			t.Fatalf("by token: %v\n got %+v\nwant %+v", err, got, sess)
		}
		_, err = s.Session(ctx, "nope")
		mustIs(t, err, ErrNotFound)
		_, err = s.SessionByTokenHash(ctx, Hash("nope"))
		mustIs(t, err, ErrNotFound)
		mustIs(t, s.CreateSession(ctx, sess), ErrConflict)
		other := testSession("s2", "sid2", "555555555555")
		other.TokenHash = sess.TokenHash
		mustIs(t, s.CreateSession(ctx, other), ErrConflict)
	})

	t.Run("rotating the session token retires the old hash", func(t *testing.T) {
		s := open(t)
		sess := testSession("s1", "sid1", "555555555555")
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		cur, _ := s.Session(ctx, "s1")
		old := cur.TokenHash
		cur.TokenHash = Hash("rotated")
		cur.Context = Context{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R69", OnBehalfOf: "444444444444"}
		got, err := s.UpdateSession(ctx, cur)
		if err != nil || got.Version != 2 {
			t.Fatalf("update: %v version %d", err, got.Version)
		}
		_, err = s.SessionByTokenHash(ctx, old)
		mustIs(t, err, ErrNotFound)
		stored, err := s.SessionByTokenHash(ctx, Hash("rotated"))
		if err != nil || !reflect.DeepEqual(stored, got) {
			t.Fatalf("by new token: %v\n got %+v\nwant %+v", err, stored, got)
		}
		_, err = s.UpdateSession(ctx, cur) // stale version
		mustIs(t, err, ErrConflict)
		cur.ID = "nope"
		_, err = s.UpdateSession(ctx, cur)
		mustIs(t, err, ErrNotFound)
	})

	t.Run("EndSessions by sid ends that CIS2 session only and wipes its tokens", func(t *testing.T) {
		s := open(t)
		for _, sess := range []Session{
			testSession("a", "sid1", "111111111111"),
			testSession("b", "sid1", "111111111111"),
			testSession("c", "sid2", "111111111111"),
		} {
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		b, _ := s.Session(ctx, "b")
		b.State = SessionLoginRequired
		if _, err := s.UpdateSession(ctx, b); err != nil {
			t.Fatal(err)
		}
		ids, err := s.EndSessions(ctx, "sid1", "111111111111")
		if err != nil {
			t.Fatal(err)
		}
		if !sameSet(ids, []string{"a", "b"}) {
			t.Fatalf("ended %v, want a and b", ids)
		}
		for _, id := range []string{"a", "b"} {
			got, _ := s.Session(ctx, id)
			if got.State != SessionEnded || got.Sealed.AccessToken != nil || got.Sealed.RefreshToken != nil || got.Sealed.IDToken != nil {
				t.Fatalf("session %s not ended and wiped: %+v", id, got)
			}
		}
		c, _ := s.Session(ctx, "c")
		if c.State != SessionActive || !bytes.Equal(c.Sealed.AccessToken, []byte("a-c")) {
			t.Fatalf("session c touched: %+v", c)
		}
		ids, err = s.EndSessions(ctx, "sid1", "")
		if err != nil || len(ids) != 0 {
			t.Fatalf("ending again: %v %v; want none", ids, err)
		}
	})

	t.Run("EndSessions by subject ends all of that user's sessions", func(t *testing.T) {
		s := open(t)
		for _, sess := range []Session{
			testSession("a", "sid1", "111111111111"),
			testSession("b", "sid2", "111111111111"),
			testSession("c", "sid3", "222222222222"),
		} {
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		ids, err := s.EndSessions(ctx, "", "111111111111")
		if err != nil || !sameSet(ids, []string{"a", "b"}) {
			t.Fatalf("ended %v, %v; want a and b", ids, err)
		}
		c, _ := s.Session(ctx, "c")
		if c.State != SessionActive {
			t.Fatalf("session c ended")
		}
		if _, err := s.EndSessions(ctx, "", ""); err == nil {
			t.Fatal("ending with neither sid nor subject succeeded")
		}
	})

	t.Run("DeleteSessionsBefore removes sessions past their absolute end", func(t *testing.T) {
		s := open(t)
		a, b := testSession("a", "sid1", "1"), testSession("b", "sid2", "1")
		a.Absolute, b.Absolute = t0.Add(time.Hour), t0.Add(3*time.Hour)
		for _, sess := range []Session{a, b} {
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.DeleteSessionsBefore(ctx, t0.Add(2*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("deleted %d, %v; want 1", n, err)
		}
		_, err = s.Session(ctx, "a")
		mustIs(t, err, ErrNotFound)
		if _, err := s.Session(ctx, "b"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("audit records come back in time order within [from, to)", func(t *testing.T) {
		s := open(t)
		offsets := []time.Duration{3, 1, 2, 1, 5, 0} // seconds, out of order, one tie
		ids := map[int64]time.Duration{}
		for i, off := range offsets {
			id, err := s.AppendAudit(ctx, AuditRecord{
				Time: t0.Add(off * time.Second), Kind: AuditCall, SessionID: "s1", User: "555555555555",
				Role: "REFERRING_CLINICIAN", ODS: "R69", Operation: "A005", Resource: fmt.Sprint("ubrn", i),
				Outcome: "pending", CorrelationID: fmt.Sprint("corr", i),
			})
			if err != nil {
				t.Fatal(err)
			}
			ids[id] = off
		}
		var got []AuditRecord
		err := s.Audit(ctx, t0.Add(time.Second), t0.Add(5*time.Second), func(r AuditRecord) error {
			got = append(got, r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 { // 1, 1, 2, 3: not 0 (before from), not 5 (at to)
			t.Fatalf("got %d records, want 4: %+v", len(got), got)
		}
		for i := 1; i < len(got); i++ {
			if got[i].Time.Before(got[i-1].Time) || (got[i].Time.Equal(got[i-1].Time) && got[i].ID < got[i-1].ID) {
				t.Fatalf("out of order at %d: %+v", i, got)
			}
		}
		if got[0].User != "555555555555" || got[0].Kind != AuditCall || got[0].Operation != "A005" || ids[got[0].ID] != 1 {
			t.Fatalf("first record wrong: %+v", got[0])
		}
		stop := errors.New("stop")
		calls := 0
		err = s.Audit(ctx, t0, t0.Add(time.Hour), func(AuditRecord) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("fn error: %v after %d calls; want stop after 1", err, calls)
		}
	})

	t.Run("an audit export longer than a page is complete and ordered", func(t *testing.T) {
		s := open(t)
		n := auditPage*2 + 7
		for i := range n {
			// Many records share a time, so paging must use the id too.
			if _, err := s.AppendAudit(ctx, AuditRecord{Time: t0.Add(time.Duration(i/50) * time.Millisecond), Kind: AuditCall}); err != nil {
				t.Fatal(err)
			}
		}
		var last AuditRecord
		count := 0
		seen := map[int64]bool{}
		err := s.Audit(ctx, t0, t0.Add(time.Hour), func(r AuditRecord) error {
			if count > 0 && (r.Time.Before(last.Time) || (r.Time.Equal(last.Time) && r.ID <= last.ID)) {
				return fmt.Errorf("out of order: %+v after %+v", r, last)
			}
			if seen[r.ID] {
				return fmt.Errorf("id %d twice", r.ID)
			}
			seen[r.ID], last = true, r
			count++
			return nil
		})
		if err != nil || count != n {
			t.Fatalf("%d of %d records, %v", count, n, err)
		}
	})

	t.Run("an audit record is completed once and otherwise never changes", func(t *testing.T) {
		s := open(t)
		rec := AuditRecord{Time: t0, Kind: AuditCall, SessionID: "s1", User: "u", Operation: "A005", Outcome: "pending", CorrelationID: "c1"}
		id, err := s.AppendAudit(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		done := t0.Add(40 * time.Millisecond)
		if err := s.CompleteAudit(ctx, id, 200, "ok", "req-1", 40*time.Millisecond, done); err != nil {
			t.Fatal(err)
		}
		var got AuditRecord
		_ = s.Audit(ctx, t0, t0.Add(time.Second), func(r AuditRecord) error { got = r; return nil })
		rec.ID, rec.Status, rec.Outcome, rec.RequestID, rec.Latency, rec.Completed = id, 200, "ok", "req-1", 40*time.Millisecond, done
		if !reflect.DeepEqual(got, rec) {
			t.Fatalf("\n got %+v\nwant %+v", got, rec)
		}
		mustIs(t, s.CompleteAudit(ctx, id, 500, "error", "req-2", time.Second, done), ErrConflict)
		mustIs(t, s.CompleteAudit(ctx, id+1000, 200, "ok", "", 0, done), ErrNotFound)
		if err := s.CompleteAudit(ctx, id, 200, "ok", "", 0, time.Time{}); err == nil {
			t.Fatal("completing without a time succeeded")
		}

		// The database itself refuses changes that bypass the store.
		db := rawDB(t, s)
		if _, err := db.ExecContext(ctx, "DELETE FROM audit WHERE id = $1", id); err == nil {
			t.Fatal("DELETE of an audit record succeeded")
		}
		if _, err := db.ExecContext(ctx, "UPDATE audit SET outcome = 'tampered' WHERE id = $1", id); err == nil {
			t.Fatal("UPDATE of a completed audit record succeeded")
		}
		id2, _ := s.AppendAudit(ctx, AuditRecord{Time: t0, Kind: AuditCall})
		if _, err := db.ExecContext(ctx, "UPDATE audit SET user_id = 'someone' WHERE id = $1", id2); err == nil {
			t.Fatal("UPDATE of who an in-flight audit record is about succeeded")
		}
	})

	t.Run("concurrent audit appends get distinct ids and all are kept", func(t *testing.T) {
		s := open(t)
		const writers, each = 8, 25
		var wg sync.WaitGroup
		var mu sync.Mutex
		ids := map[int64]bool{}
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					id, err := s.AppendAudit(ctx, AuditRecord{Time: t0.Add(time.Duration(w*each+i) * time.Microsecond), Kind: AuditCall})
					if err != nil {
						t.Error(err)
						return
					}
					if err := s.CompleteAudit(ctx, id, 200, "ok", "", time.Millisecond, t0.Add(time.Second)); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					ids[id] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(ids) != writers*each {
			t.Fatalf("%d distinct ids, want %d", len(ids), writers*each)
		}
		count := 0
		_ = s.Audit(ctx, t0, t0.Add(time.Hour), func(r AuditRecord) error {
			if !ids[r.ID] || r.Status != 200 {
				return fmt.Errorf("unexpected record %+v", r)
			}
			count++
			return nil
		})
		if count != writers*each {
			t.Fatalf("listed %d, want %d", count, writers*each)
		}
	})

	t.Run("a closed store answers ErrUnavailable", func(t *testing.T) {
		s := open(t)
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		s.Close()
		mustIs(t, s.Ping(ctx), ErrUnavailable)
		_, err := s.AppendAudit(ctx, AuditRecord{Time: t0, Kind: AuditCall})
		mustIs(t, err, ErrUnavailable)
	})

	runJTIContract(t, open)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}
