package keys

import (
	"regexp"
	"slices"
	"testing"
	"time"
)

func TestRotation(t *testing.T) {
	t.Run("a new key is published at once but signs only after the lead time", func(t *testing.T) {
		clock := newClock()
		s := openTest(t, clock, "")
		url := serveJWKS(t, s)
		old := s.Current(clock.Now()).KID

		rotatedAt := t0().Add(10 * time.Minute)
		clock.Set(rotatedAt)
		info, err := s.Rotate(rotatedAt)
		if err != nil {
			t.Fatal(err)
		}
		if info.State != StatePending || !info.Active.Equal(rotatedAt.Add(DefaultLead)) {
			t.Fatalf("new key = %+v, want pending until rotation + lead", info)
		}
		if got := kids(fetchJWKS(t, url)); !slices.Contains(got, info.KID) || !slices.Contains(got, old) {
			t.Fatalf("JWKS kids %v, want both %s and %s", got, old, info.KID)
		}

		clock.Set(rotatedAt.Add(DefaultLead - time.Second))
		a, err := s.Assertion(testClientID, testAudience)
		if err != nil {
			t.Fatal(err)
		}
		if kid := assertionKID(t, a); kid != old {
			t.Fatalf("one second before the lead passes, signed with %s, want the old key %s", kid, old)
		}

		clock.Set(rotatedAt.Add(DefaultLead))
		a, err = s.Assertion(testClientID, testAudience)
		if err != nil {
			t.Fatal(err)
		}
		if kid := assertionKID(t, a); kid != info.KID {
			t.Fatalf("once the lead passed, signed with %s, want the new key %s", kid, info.KID)
		}
	})

	t.Run("a replaced key stays published for the retention period, then drops out", func(t *testing.T) {
		clock := newClock()
		s := openTest(t, clock, "")
		url := serveJWKS(t, s)
		old := s.Current(t0()).KID
		info, err := s.Rotate(t0())
		if err != nil {
			t.Fatal(err)
		}
		switched := info.Active

		clock.Set(switched.Add(DefaultRetention - time.Second))
		if got := kids(fetchJWKS(t, url)); !slices.Contains(got, old) {
			t.Fatalf("within retention, JWKS kids %v lack the old key %s", got, old)
		}
		clock.Set(switched.Add(DefaultRetention))
		got := kids(fetchJWKS(t, url))
		if slices.Contains(got, old) || !slices.Equal(got, []string{info.KID}) {
			t.Fatalf("after retention, JWKS kids %v, want only %s", got, info.KID)
		}
		states := map[string]KeyState{}
		for _, k := range s.Keys(clock.Now()) {
			states[k.KID] = k.State
		}
		if states[old] != StateRetired || states[info.KID] != StateSigning {
			t.Fatalf("states %v", states)
		}
	})

	t.Run("kids are dated and unique within the same minute", func(t *testing.T) {
		clock := newClock()
		s := openTest(t, clock, "")
		for range 2 {
			if _, err := s.Rotate(t0().Add(5 * time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		dated := regexp.MustCompile(`^ers-gw-20261121T0730Z(-\d+)?$`)
		seen := map[string]bool{}
		for _, k := range s.Keys(t0()) {
			if !dated.MatchString(k.KID) {
				t.Errorf("kid %q is not dated", k.KID)
			}
			if seen[k.KID] {
				t.Errorf("kid %q repeated", k.KID)
			}
			seen[k.KID] = true
		}
		if len(seen) != 3 {
			t.Fatalf("%d kids, want 3", len(seen))
		}
	})
}

func TestOptions(t *testing.T) {
	bad := map[string]Options{
		"a key below 2048 bits":       {Bits: 1024},
		"a retention under 5 minutes": {Bits: testBits, Retention: time.Minute},
		"a negative lead":             {Bits: testBits, Lead: -time.Second},
		"a kid prefix with a slash":   {Bits: testBits, KIDPrefix: "a/b"},
	}
	for name, o := range bad {
		t.Run("refuses "+name, func(t *testing.T) {
			if _, err := Open(o); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
