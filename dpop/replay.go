package dpop

import (
	"sync"
	"time"
)

// replayMemory remembers the jti of every accepted proof until it could no longer pass the
// iat check anyway. It is bounded: when full of live entries it refuses new proofs instead of
// forgetting old ones, because forgetting would let a captured proof be replayed.
type replayMemory struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	seen  map[[32]byte]struct{}
	queue []replayEntry // insertion order, which is expiry order for a clock that moves forward
	head  int
}

type replayEntry struct {
	key     [32]byte
	expires time.Time
}

func newReplayMemory(ttl time.Duration, max int) *replayMemory {
	return &replayMemory{ttl: ttl, max: max, seen: make(map[[32]byte]struct{})}
}

// remember records key at now. It reports ErrReplay when key is already remembered and
// ErrReplayFull when there is no room.
func (m *replayMemory) remember(key [32]byte, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(now)
	if _, ok := m.seen[key]; ok {
		return ErrReplay
	}
	if len(m.seen) >= m.max {
		return ErrReplayFull
	}
	m.seen[key] = struct{}{}
	m.queue = append(m.queue, replayEntry{key: key, expires: now.Add(m.ttl)})
	return nil
}

func (m *replayMemory) expire(now time.Time) {
	for m.head < len(m.queue) && !m.queue[m.head].expires.After(now) {
		delete(m.seen, m.queue[m.head].key)
		m.queue[m.head] = replayEntry{}
		m.head++
	}
	if m.head > 0 && m.head*2 >= len(m.queue) { // compact so the slice does not grow forever
		m.queue = append(m.queue[:0], m.queue[m.head:]...)
		m.head = 0
	}
}

// size is the number of remembered proofs (for tests and metrics).
func (m *replayMemory) size() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seen)
}
