package keys

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// statesOf maps each kid of the set to its state at now.
func statesOf(s *Set, now time.Time) map[string]KeyState {
	out := map[string]KeyState{}
	for _, k := range s.Keys(now) {
		out[k.KID] = k.State
	}
	return out
}

func TestReload(t *testing.T) {
	t.Run("a key another process wrote is published at once and signs after the lead", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		running := openTest(t, clock, dir)
		url := serveJWKS(t, running)
		old := running.Current(t0()).KID

		// "ers-gateway keys rotate", a separate process, one minute on.
		clock.Set(t0().Add(time.Minute))
		other := openTest(t, clock, dir)
		rotated, err := other.Rotate(clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(kids(fetchJWKS(t, url)), rotated.KID) {
			t.Fatal("the running set published the key before reloading")
		}

		clock.Set(t0().Add(90 * time.Second))
		added, err := running.Reload()
		if err != nil {
			t.Fatal(err)
		}
		if len(added) != 1 || added[0].KID != rotated.KID || added[0].State != StatePending {
			t.Fatalf("reload added %+v, want the rotated key %s, pending", added, rotated.KID)
		}
		if got := kids(fetchJWKS(t, url)); !slices.Equal(got, []string{old, rotated.KID}) {
			t.Fatalf("JWKS kids %v, want %s and %s", got, old, rotated.KID)
		}
		if st := statesOf(running, clock.Now()); st[old] != StateSigning {
			t.Fatalf("states %v: the old key must go on signing", st)
		}
		// Counted from the later of creation and publication: here the
		// creation, read from the kid as the end of its minute (07:32).
		switchAt := t0().Add(2 * time.Minute).Add(DefaultLead)
		if !added[0].Active.Equal(switchAt) {
			t.Fatalf("active from %s, want %s", added[0].Active, switchAt)
		}
		clock.Set(switchAt.Add(-time.Second))
		if a, _ := running.Assertion(testClientID, testAudience); assertionKID(t, a) != old {
			t.Fatal("the new key signed before its lead time")
		}
		clock.Set(switchAt)
		if a, _ := running.Assertion(testClientID, testAudience); assertionKID(t, a) != rotated.KID {
			t.Fatal("the new key does not sign once its lead time passed")
		}
		if st := statesOf(running, clock.Now()); st[old] != StatePublished || st[rotated.KID] != StateSigning {
			t.Fatalf("states %v after the switch", st)
		}
	})

	t.Run("a reload that finds nothing new changes nothing", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		s := openTest(t, clock, dir)
		if _, err := s.Rotate(t0()); err != nil {
			t.Fatal(err)
		}
		before := s.Keys(t0())
		clock.Set(t0().Add(10 * time.Minute))
		added, err := s.Reload()
		if err != nil || len(added) != 0 {
			t.Fatalf("reload added %v, %v; want nothing", added, err)
		}
		if after := s.Keys(t0()); !slices.Equal(before, after) {
			t.Fatalf("keys %+v became %+v", before, after)
		}
	})

	t.Run("a key found long after it was written still waits a whole lead from the reload", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		running := openTest(t, clock, dir)
		other := openTest(t, clock, dir)
		rotated, err := other.Rotate(t0())
		if err != nil {
			t.Fatal(err)
		}
		late := t0().Add(2 * DefaultLead)
		clock.Set(late)
		added, err := running.Reload()
		if err != nil || len(added) != 1 {
			t.Fatalf("reload: %v, %v", added, err)
		}
		if !added[0].Active.Equal(late.Add(DefaultLead)) {
			t.Fatalf("active from %s, want a lead after the reload (%s)", added[0].Active, late.Add(DefaultLead))
		}
		if cur := running.Current(late).KID; cur == rotated.KID {
			t.Fatal("a key published this moment signs at once")
		}
	})

	t.Run("an insecure new file is refused and the set goes on unchanged", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		s := openTest(t, clock, dir)
		before := kids(s.JWKS(t0()))
		priv, _ := rsa.GenerateKey(rand.Reader, testBits)
		der, _ := x509.MarshalPKCS8PrivateKey(priv)
		path := writePEM(t, dir, "ers-gw-20261121T0800Z.pem", "PRIVATE KEY", der, 0o644)
		if _, err := s.Reload(); !errors.Is(err, ErrInsecureKeyFile) {
			t.Fatalf("reload: %v, want ErrInsecureKeyFile", err)
		}
		if got := kids(s.JWKS(t0())); !slices.Equal(got, before) {
			t.Fatalf("JWKS kids %v, want unchanged %v", got, before)
		}
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
		added, err := s.Reload()
		if err != nil || len(added) != 1 || added[0].KID != "ers-gw-20261121T0800Z" {
			t.Fatalf("after chmod 600: %+v, %v", added, err)
		}
	})

	t.Run("a deleted key file keeps its key in the running set", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		s := openTest(t, clock, dir)
		cur := s.Current(t0())
		if err := os.Remove(cur.File); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Reload(); err != nil {
			t.Fatal(err)
		}
		if got := s.Current(t0()).KID; got != cur.KID {
			t.Fatalf("signing with %s, want %s", got, cur.KID)
		}
	})

	t.Run("a set in memory has nothing to reload", func(t *testing.T) {
		s := openTest(t, newClock(), "")
		if added, err := s.Reload(); err != nil || len(added) != 0 {
			t.Fatalf("reload: %v, %v", added, err)
		}
	})
}

func TestList(t *testing.T) {
	t.Run("an empty directory lists nothing and gets no key", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "keys")
		if _, err := List(Options{Dir: dir, Bits: testBits}, t0()); !errors.Is(err, ErrNoKeys) {
			t.Fatalf("List: %v, want ErrNoKeys", err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("List created the directory: %v", err)
		}
	})

	t.Run("lists each key with its state and file", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		s := openTest(t, clock, dir)
		old := s.Current(t0())
		rotated, err := s.Rotate(t0().Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		got, err := List(Options{Dir: dir, Bits: testBits}, t0().Add(5*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("listed %+v", got)
		}
		want := map[string]KeyState{old.KID: StateSigning, rotated.KID: StatePending}
		for _, k := range got {
			if want[k.KID] != k.State || k.File != filepath.Join(dir, k.KID+".pem") {
				t.Errorf("listed %+v, want state %s and its file", k, want[k.KID])
			}
		}
	})
}
