package broker

import "sync"

// refreshLocks makes one APIM refresh at a time per session in this process
// (across processes the store's compare-and-set decides). An entry lives
// only while some request holds or waits for its lock: the last one out
// deletes it, so sessions that end any way (logout, back-channel logout,
// expiry in the store, another gateway) leave nothing behind.
type refreshLocks struct {
	mu    sync.Mutex
	locks map[string]*refreshLock
}

type refreshLock struct {
	sync.Mutex
	users int // holders and waiters; guarded by refreshLocks.mu
}

// lock takes the session's refresh lock and returns its release.
func (l *refreshLocks) lock(id string) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = make(map[string]*refreshLock)
	}
	e := l.locks[id]
	if e == nil {
		e = &refreshLock{}
		l.locks[id] = e
	}
	e.users++
	l.mu.Unlock()

	e.Lock()
	return func() {
		e.Unlock()
		l.mu.Lock()
		defer l.mu.Unlock()
		if e.users--; e.users == 0 {
			delete(l.locks, id)
		}
	}
}

// len is how many sessions have a lock entry (for tests).
func (l *refreshLocks) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.locks)
}
