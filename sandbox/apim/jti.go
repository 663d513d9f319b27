package apim

import (
	"sync"
	"time"
)

// JTICacheTTL is how long a used client-assertion jti is remembered per
// client (PopulateCache.JTIClaim.xml: 2592000 s).
const JTICacheTTL = 30 * 24 * time.Hour

// jtiCache remembers (sub, jti) pairs until they age out.
type jtiCache struct {
	now func() time.Time

	mu   sync.Mutex
	seen map[jtiKey]time.Time // expiry
}

type jtiKey struct{ sub, jti string }

func newJTICache(now func() time.Time) *jtiCache {
	return &jtiCache{now: now, seen: map[jtiKey]time.Time{}}
}

// used reports whether the pair is still remembered.
func (c *jtiCache) used(sub, jti string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	exp, ok := c.seen[jtiKey{sub, jti}]
	return ok && c.now().Before(exp)
}

// claim remembers the pair unless it is already remembered, atomically; it
// reports whether this call claimed it.
func (c *jtiCache) claim(sub, jti string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if exp, ok := c.seen[jtiKey{sub, jti}]; ok && now.Before(exp) {
		return false
	}
	for k, exp := range c.seen {
		if !now.Before(exp) {
			delete(c.seen, k)
		}
	}
	c.seen[jtiKey{sub, jti}] = now.Add(JTICacheTTL)
	return true
}
