package proxy

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters holds one token bucket per session. Idle sessions' buckets are
// dropped during later calls (no goroutine), so memory follows the number of
// active sessions.
type limiters struct {
	rate  rate.Limit
	burst int
	idle  time.Duration

	mu        sync.Mutex
	bySession map[string]*sessionLimiter
	nextSweep time.Time
}

type sessionLimiter struct {
	lim      *rate.Limiter
	lastSeen time.Time
}

func newLimiters(r rate.Limit, burst int, idle time.Duration) *limiters {
	return &limiters{rate: r, burst: burst, idle: idle, bySession: map[string]*sessionLimiter{}}
}

// allow takes a token for the session at now. When none is left it returns
// false and how long until one is, without consuming anything.
func (l *limiters) allow(session string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	s := l.bySession[session]
	if s == nil {
		s = &sessionLimiter{lim: rate.NewLimiter(l.rate, l.burst)}
		l.bySession[session] = s
	}
	s.lastSeen = now
	res := s.lim.ReserveN(now, 1)
	if !res.OK() {
		return false, l.idle
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep drops the limiters of sessions idle longer than l.idle, at most once
// per idle period. A dropped session starts again with a full bucket, which
// is what an idle one would have anyway.
func (l *limiters) sweep(now time.Time) {
	if now.Before(l.nextSweep) {
		return
	}
	l.nextSweep = now.Add(l.idle)
	for id, s := range l.bySession {
		if now.Sub(s.lastSeen) > l.idle {
			delete(l.bySession, id)
		}
	}
}
