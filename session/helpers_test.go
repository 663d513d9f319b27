package session

import (
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
)

// memKeyring is an in-memory Keyring (go-keyring's own mock is global).
type memKeyring struct {
	mu    sync.Mutex
	items map[string]string
	sets  int
}

func newMemKeyring() *memKeyring { return &memKeyring{items: map[string]string{}} }

func (k *memKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.items[service+"\x00"+user]
	if !ok {
		return "", ErrKeyringNotFound
	}
	return s, nil
}

func (k *memKeyring) Set(service, user, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.items[service+"\x00"+user] = secret
	k.sets++
	return nil
}

func (k *memKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.items, service+"\x00"+user)
	return nil
}

func (k *memKeyring) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.items)
}

// blockingKeyring never answers until released, like a locked Secret
// Service collection waiting on its unlock prompt.
type blockingKeyring struct{ release chan struct{} }

func (k blockingKeyring) Get(string, string) (string, error) {
	<-k.release
	return "", ErrKeyringNotFound
}
func (k blockingKeyring) Set(string, string, string) error { <-k.release; return nil }
func (k blockingKeyring) Delete(string, string) error      { <-k.release; return nil }

// clock is a settable clock shared by the Manager and the gateway.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// within waits for cond, failing the test after a deadline; no fixed sleep.
func within(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// env is an environment lookup from a map.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func mustKey(t *testing.T) *dpop.Key {
	t.Helper()
	k, err := dpop.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
