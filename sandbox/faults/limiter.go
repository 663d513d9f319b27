package faults

import (
	"sync"

	"golang.org/x/time/rate"
)

// Limiter is APIM's rate limit: a token bucket per application. It is safe
// for concurrent use.
type Limiter struct {
	mu    sync.Mutex
	limit rate.Limit
	burst int
	apps  map[string]*rate.Limiter
}

// NewLimiter allows each application perSecond calls a second on average,
// with bursts of up to burst calls (at least 1).
func NewLimiter(perSecond float64, burst int) *Limiter {
	return &Limiter{limit: rate.Limit(perSecond), burst: max(burst, 1), apps: map[string]*rate.Limiter{}}
}

// Allow reports whether the application may make a call now, and counts it.
func (l *Limiter) Allow(appID string) bool {
	l.mu.Lock()
	lim, ok := l.apps[appID]
	if !ok {
		lim = rate.NewLimiter(l.limit, l.burst)
		l.apps[appID] = lim
	}
	l.mu.Unlock()
	return lim.Allow()
}
