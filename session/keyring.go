package session

import (
	"errors"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// Keyring keeps small secrets by service and user: the OS keyring in the
// product, memory in tests. Get returns ErrKeyringNotFound when there is no
// entry.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// osKeyring is the OS keyring through github.com/zalando/go-keyring (the
// Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) {
	s, err := gokeyring.Get(service, user)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return "", ErrKeyringNotFound
	}
	return s, err
}

func (osKeyring) Set(service, user, secret string) error {
	return gokeyring.Set(service, user, secret)
}

func (osKeyring) Delete(service, user string) error {
	err := gokeyring.Delete(service, user)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return nil
	}
	return err
}

// noKeyring is used where asking the OS keyring would do harm: it always
// fails, so the session stays in memory.
type noKeyring struct{}

var errNoKeyring = errors.New("session: no keyring on this host")

func (noKeyring) Get(string, string) (string, error) { return "", errNoKeyring }
func (noKeyring) Set(string, string, string) error   { return errNoKeyring }
func (noKeyring) Delete(string, string) error        { return errNoKeyring }

// defaultKeyring is the OS keyring, except over SSH with no D-Bus session
// bus: there go-keyring's D-Bus library would try to start a session bus of
// its own (dbus-launch), a side effect on a shared jump host, for a keyring
// that would not be unlocked anyway.
func defaultKeyring(getenv func(string) string) Keyring {
	if getenv("SSH_CONNECTION") != "" && getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return noKeyring{}
	}
	return osKeyring{}
}

// boundedKeyring bounds every call of a Keyring by a timeout. The keyring
// API takes no context, and a locked Secret Service collection waits for an
// unlock prompt with no timeout, so a call that does not return in time is
// abandoned: its goroutine is left to finish (or hang) on its own, writing
// into a buffered channel nobody reads, and the caller goes on as if the
// keyring had failed.
type boundedKeyring struct {
	k       Keyring
	timeout time.Duration
}

type keyringResult struct {
	s   string
	err error
}

func (b boundedKeyring) call(f func() (string, error)) (string, error) {
	done := make(chan keyringResult, 1)
	go func() {
		s, err := f()
		done <- keyringResult{s, err}
	}()
	t := time.NewTimer(b.timeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.s, r.err
	case <-t.C:
		return "", errKeyringTimeout
	}
}

func (b boundedKeyring) Get(service, user string) (string, error) {
	return b.call(func() (string, error) { return b.k.Get(service, user) })
}

func (b boundedKeyring) Set(service, user, secret string) error {
	_, err := b.call(func() (string, error) { return "", b.k.Set(service, user, secret) })
	return err
}

func (b boundedKeyring) Delete(service, user string) error {
	_, err := b.call(func() (string, error) { return "", b.k.Delete(service, user) })
	return err
}
