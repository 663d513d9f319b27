package upstream

import (
	"sync"
	"time"
)

// maxLogoutJTIs bounds the memory of seen logout token ids.
const maxLogoutJTIs = 10000

// jtiCache remembers token ids until their tokens expire, in bounded
// memory: when full it forgets the expired ones, then the one expiring
// first (whose token is about to be refused as expired anyway).
type jtiCache struct {
	mu   sync.Mutex
	max  int
	seen map[string]time.Time // jti -> until
}

func newJTICache(max int) *jtiCache {
	return &jtiCache{max: max, seen: make(map[string]time.Time)}
}

// claim records jti until `until` and reports whether it was unseen.
func (c *jtiCache) claim(jti string, until, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.seen[jti]; ok && now.Before(t) {
		return false
	}
	if len(c.seen) >= c.max {
		c.evictLocked(now)
	}
	c.seen[jti] = until
	return true
}

func (c *jtiCache) evictLocked(now time.Time) {
	oldest, first := "", time.Time{}
	for j, t := range c.seen {
		if !now.Before(t) {
			delete(c.seen, j)
			continue
		}
		if oldest == "" || t.Before(first) {
			oldest, first = j, t
		}
	}
	if len(c.seen) >= c.max && oldest != "" {
		delete(c.seen, oldest)
	}
}
