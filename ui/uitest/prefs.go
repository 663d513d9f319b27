package uitest

import (
	"sync"
	"time"

	"github.com/ers-workstation/ers-workstation/session"
)

// MemoryPrefs is a screen.Prefs kept in memory. The zero value is ready
// to use.
type MemoryPrefs struct {
	mu    sync.Mutex
	roles map[string]session.Role
	// Err, when set, fails SetLastRole.
	Err error
}

// NewMemoryPrefs returns empty prefs.
func NewMemoryPrefs() *MemoryPrefs { return &MemoryPrefs{roles: map[string]session.Role{}} }

// LastRole implements screen.Prefs.
func (p *MemoryPrefs) LastRole(userID string) (session.Role, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.roles[userID]
	return r, ok
}

// SetLastRole implements screen.Prefs.
func (p *MemoryPrefs) SetLastRole(userID string, role session.Role) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Err != nil {
		return p.Err
	}
	if p.roles == nil {
		p.roles = map[string]session.Role{}
	}
	p.roles[userID] = role
	return nil
}

// Clock is a settable clock for Common.Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
