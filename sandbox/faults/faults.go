// Package faults decides the simulator's rate limit and injected failures:
// it says what should happen to a call, and package sandbox makes it happen.
package faults

// Stub, replaced by H7.

// Injector decides the fault, if any, for each call.
type Injector struct{}

// Limiter is a per-application rate limit.
type Limiter struct{}

// Allow reports whether the application may make a call now.
func (l *Limiter) Allow(appID string) bool { return true }
