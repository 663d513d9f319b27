package session

import (
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"
)

// Manager is the workstation's session with one gateway: the sign-in in
// progress, the session token and key, and where they are kept. It
// implements ui/screen.Auth. Its methods are safe for concurrent use.
type Manager struct {
	o       Options
	origin  *url.URL
	mode    Mode
	keyring Keyring
	ended   chan error

	mu        sync.Mutex
	cur       *live     // nil when signed out
	lastOK    time.Time // the last successful gateway call of cur
	expiresAt time.Time // cur's absolute end
	pending   *signIn   // the sign-in StartSignIn began, if any
	roles     *Roles    // the last Roles answer, for organisation and clinician names
	inMemory  bool      // the keyring failed once: memory only from then on
}

// New returns a Manager for the options. It does no I/O: the keyring is
// first asked by Resume or after a sign-in.
func New(o Options) (*Manager, error) {
	o, origin, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	_, none := o.Keyring.(noKeyring)
	return &Manager{
		o: o, origin: origin, mode: resolveMode(o.Mode, o.Getenv),
		keyring:  boundedKeyring{k: o.Keyring, timeout: o.KeyringTimeout},
		ended:    make(chan error, 1),
		inMemory: none,
	}, nil
}

// Mode is the sign-in mode in use, ModeAuto resolved.
func (m *Manager) Mode() Mode { return m.mode }

// GatewayURL is the gateway's origin, without a trailing slash.
func (m *Manager) GatewayURL() string { return m.o.GatewayURL }

// Ended delivers the reason when a call finds the session over (the error
// wraps ErrSignInRequired). The channel holds one reason; a second ending
// before the first is read is dropped, as it says the same.
func (m *Manager) Ended() <-chan error { return m.ended }

// Storage says whether the session is kept in the keyring or in memory
// only. It turns to memory when the keyring first fails or does not answer
// in time, and stays so for the life of the Manager.
func (m *Manager) Storage() Storage {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.inMemory {
		return StorageMemory
	}
	return StorageKeyring
}

// Deadline is when the session ends if nothing more happens: the idle
// limit counted from the last successful gateway call, capped by the
// absolute expiry. Zero when signed out. The gateway records activity at a
// 15 s resolution, so its own idle end may come up to that much sooner.
func (m *Manager) Deadline() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil {
		return time.Time{}
	}
	d := m.expiresAt
	if idle := m.cur.identity.IdleTimeout; idle > 0 {
		if end := m.lastOK.Add(idle); d.IsZero() || end.Before(d) {
			d = end
		}
	}
	return d
}

// Identity is the signed-in user, and whether there is one.
func (m *Manager) Identity() (Identity, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil {
		return Identity{}, false
	}
	return m.cur.identity, true
}

// current returns the live session, or ErrSignInRequired.
func (m *Manager) current() (live, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil {
		return live{}, fmt.Errorf("session: not signed in: %w", ErrSignInRequired)
	}
	return *m.cur, nil
}

// touched records a successful call made with token.
func (m *Manager) touched(token string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur != nil && m.cur.token == token {
		m.lastOK = m.o.Now()
	}
}

// establish makes l the live session and keeps it in the keyring.
func (m *Manager) establish(l live, expiresAt time.Time) {
	m.mu.Lock()
	m.cur, m.lastOK, m.expiresAt = &l, m.o.Now(), expiresAt
	m.mu.Unlock()
	m.save(l)
}

// checkEnded ends the live session when err says the gateway ended it,
// made with token, and signals Ended. A session already replaced or signed
// out is left alone.
func (m *Manager) checkEnded(err error, token string) {
	var ge *GatewayError
	if !errors.As(err, &ge) || !ge.sessionOver() {
		return
	}
	m.mu.Lock()
	if m.cur == nil || m.cur.token != token {
		m.mu.Unlock()
		return
	}
	m.cur = nil
	m.mu.Unlock()
	m.wipe()
	m.o.Logger.Info("session ended by the gateway", "code", ge.Code)
	select {
	case m.ended <- fmt.Errorf("%w: %s", ErrSignInRequired, ge.Description):
	default:
	}
}

// save writes l to the keyring unless the keyring has failed before.
func (m *Manager) save(l live) {
	if m.memoryOnly() {
		return
	}
	s, err := encodeEntry(l)
	if err == nil {
		err = m.keyring.Set(KeyringService, m.o.GatewayURL, s)
	}
	if err != nil {
		m.keyringFailed("set", err)
	}
}

// wipe deletes the keyring entry (when the keyring is in use).
func (m *Manager) wipe() {
	if m.memoryOnly() {
		return
	}
	if err := m.keyring.Delete(KeyringService, m.o.GatewayURL); err != nil && !errors.Is(err, ErrKeyringNotFound) {
		m.keyringFailed("delete", err)
	}
}

func (m *Manager) memoryOnly() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.inMemory
}

// keyringFailed switches to memory only. The error is the keyring's own
// (no secret in it); it is logged by kind.
func (m *Manager) keyringFailed(op string, err error) {
	m.mu.Lock()
	m.inMemory = true
	m.mu.Unlock()
	m.o.Logger.Warn("keyring unavailable: the session is kept in memory only", "op", op, "err", err)
}
