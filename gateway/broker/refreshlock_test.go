package broker

import (
	"context"
	"sync"
	"testing"
	"time"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestConcurrentRefreshesOfASessionRefreshOnceAndLeaveNoLock(t *testing.T) {
	h := newHarness(t)
	h.apim.release = make(chan struct{})
	g := h.serve(publicURL, nil)
	h.session("s1")
	ctx := context.Background()
	// The access token is about to expire: every request wants a refresh.
	h.clock.Advance(9*time.Minute + 30*time.Second)
	s, err := h.store.Session(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	s.Sealed.RefreshToken, err = h.sealer.Seal([]byte("refresh-synthetic"), []byte("s1/refresh"))
	if err != nil {
		t.Fatal(err)
	}
	if s, err = h.store.UpdateSession(ctx, s); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			if _, err := g.b.freshTokens(ctx, s); err != nil {
				errs <- err
			}
		})
	}
	waitFor(t, "the first refresh to reach APIM", func() bool { return h.apim.refreshes.Load() == 1 })
	if n := g.b.refresh.len(); n != 1 {
		t.Errorf("%d lock entries while refreshing, want 1", n)
	}
	close(h.apim.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := h.apim.refreshes.Load(); n != 1 {
		t.Errorf("APIM saw %d refreshes, want 1 (the others reuse its tokens)", n)
	}
	if n := g.b.refresh.len(); n != 0 {
		t.Errorf("%d lock entries left after the refreshes, want 0", n)
	}
}

func TestASessionEndedInTheStoreLeavesNoRefreshLock(t *testing.T) {
	h := newHarness(t)
	g := h.serve(publicURL, nil)
	h.session("s1")
	ctx := context.Background()
	h.clock.Advance(9*time.Minute + 30*time.Second)
	s, err := h.store.Session(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	// Back-channel logout (here or at another gateway) ends it in the
	// store, without this broker's end().
	if _, err := h.store.EndSessions(ctx, "sid-1", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := g.b.freshTokens(ctx, s); err == nil {
		t.Fatal("a refresh of an ended session succeeded")
	}
	if n := g.b.refresh.len(); n != 0 {
		t.Errorf("%d lock entries left for the ended session, want 0", n)
	}
}

func TestRefreshLocksSerialiseOneSessionOnly(t *testing.T) {
	var l refreshLocks
	unlockA := l.lock("a")
	// Another session's lock is independent.
	unlockB := l.lock("b")
	if n := l.len(); n != 2 {
		t.Fatalf("%d entries, want 2", n)
	}
	got := make(chan struct{})
	go func() {
		defer close(got)
		l.lock("a")()
	}()
	waitFor(t, "the second caller to wait for a's lock", func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.locks["a"].users == 2
	})
	select {
	case <-got:
		t.Fatal("a second holder of a's lock got it while the first held it")
	default:
	}
	unlockA()
	<-got
	unlockB()
	if n := l.len(); n != 0 {
		t.Fatalf("%d entries after every holder left, want 0", n)
	}
}
