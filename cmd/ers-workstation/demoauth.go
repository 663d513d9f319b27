package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/ers-workstation/ers-workstation/demo"
	"github.com/ers-workstation/ers-workstation/session"
)

// demoBrowser runs the demo's in-process browser in the background, as a
// real opener returns at once, and keeps the failure of the latest sign-in
// when it means no answer will come (demo.ErrStalled).
type demoBrowser struct {
	browse func(url string) error
	log    *slog.Logger

	mu    sync.Mutex
	stall chan error // the current attempt's; holds at most one error
}

func newDemoBrowser(browse func(string) error, log *slog.Logger) *demoBrowser {
	return &demoBrowser{browse: browse, log: log, stall: make(chan error, 1)}
}

// reset starts a new attempt: failures of earlier ones are forgotten.
func (b *demoBrowser) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stall = make(chan error, 1)
}

// stalled delivers the current attempt's stall.
func (b *demoBrowser) stalled() <-chan error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stall
}

// open is session.Options.OpenBrowser: it starts the browser and returns.
// The browser's own HTTP timeouts bound the goroutine.
func (b *demoBrowser) open(url string) error {
	b.mu.Lock()
	stall := b.stall
	b.mu.Unlock()
	go func() {
		err := b.browse(url)
		if err == nil {
			return
		}
		b.log.Warn("demo browser failed", "err", err)
		if errors.Is(err, demo.ErrStalled) {
			select {
			case stall <- err:
			default:
			}
		}
	}()
	return nil
}

// demoAuth is the session manager of a demo signed in by the in-process
// browser. In remote mode the session never opens a browser (the person
// opens the URL on another computer), so after StartSignIn the in-process
// browser plays that person while the workstation polls as it would for
// real. And when the browser stalls (a persona CIS2 will not approve), the
// wait ends at once with the reason instead of at the login's expiry.
type demoAuth struct {
	*session.Manager
	browser *demoBrowser
}

// StartSignIn starts the sign-in and, in remote mode, the person at the
// other computer.
func (a demoAuth) StartSignIn(ctx context.Context) (session.Challenge, error) {
	a.browser.reset()
	ch, err := a.Manager.StartSignIn(ctx)
	if err == nil && ch.Mode == session.ModeRemote {
		a.browser.open(ch.URL)
	}
	return ch, err
}

// FinishSignIn waits for the sign-in, or for the browser to stall.
func (a demoAuth) FinishSignIn(ctx context.Context) (session.Identity, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stall := a.browser.stalled()
	go func() {
		select {
		case err := <-stall:
			cancel(err)
		case <-ctx.Done():
		}
	}()
	id, err := a.Manager.FinishSignIn(ctx)
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, demo.ErrStalled) {
		return id, cause
	}
	return id, err
}
