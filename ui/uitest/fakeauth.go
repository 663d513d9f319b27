// Package uitest helps test the workstation's screens and root model the way
// a user meets them: a scriptable fake Auth, in-memory prefs and clock, the
// Common a screen is built with in tests, key helpers, a runner that
// executes commands synchronously (for a root model, or for a screen on its
// own with what it asks of the root in Result.ToRoot), the terminal size
// matrix, frame and golden checks, and the key-conflict walk of a registry.
package uitest

import (
	"context"
	"sync"
	"time"

	"github.com/ers-workstation/ers-workstation/session"
)

// FakeAuth is a scriptable screen.Auth. Set the result fields before use;
// every call is recorded by method name. Safe for concurrent use.
type FakeAuth struct {
	mu sync.Mutex

	ResumeIdentity session.Identity
	ResumeErr      error
	Challenge      session.Challenge
	StartErr       error
	FinishIdentity session.Identity
	FinishErr      error
	// FinishFn, when set, answers FinishSignIn instead of FinishIdentity
	// and FinishErr: a sign-in that waits for the browser until its
	// context ends, or one that reports how its wait was ended.
	FinishFn    func(ctx context.Context) (session.Identity, error)
	RolesResult session.Roles
	RolesErr    error
	// ChooseErr fails ChooseRole; otherwise it returns FinishIdentity (or
	// ResumeIdentity when that has a user) with the role set.
	ChooseErr   error
	SignOutErr  error
	DeadlineAt  time.Time
	StorageKind session.Storage
	// Block, when not nil, makes every call wait for it to be closed (or
	// for the call's context to end), to test what shows while waiting.
	Block chan struct{}

	calls  []string
	chosen []session.Role
	ended  chan error
}

// NewFakeAuth returns a FakeAuth that keeps the session in the keyring and
// whose Ended channel the test fires with End.
func NewFakeAuth() *FakeAuth {
	return &FakeAuth{StorageKind: session.StorageKeyring, ended: make(chan error, 4)}
}

func (f *FakeAuth) record(ctx context.Context, name string) error {
	f.mu.Lock()
	f.calls = append(f.calls, name)
	block := f.Block
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Calls lists the methods called so far, in order.
func (f *FakeAuth) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// CallCount is how often method was called.
func (f *FakeAuth) CallCount(method string) int {
	n := 0
	for _, c := range f.Calls() {
		if c == method {
			n++
		}
	}
	return n
}

// Chosen lists the roles passed to ChooseRole, in order.
func (f *FakeAuth) Chosen() []session.Role {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]session.Role(nil), f.chosen...)
}

// End fires Ended with err, as session.Manager does when the gateway ends
// the session. It never blocks: a full channel drops err.
func (f *FakeAuth) End(err error) {
	select {
	case f.ended <- err:
	default:
	}
}

// Resume implements screen.Auth.
func (f *FakeAuth) Resume(ctx context.Context) (session.Identity, error) {
	if err := f.record(ctx, "Resume"); err != nil {
		return session.Identity{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ResumeIdentity, f.ResumeErr
}

// StartSignIn implements screen.Auth.
func (f *FakeAuth) StartSignIn(ctx context.Context) (session.Challenge, error) {
	if err := f.record(ctx, "StartSignIn"); err != nil {
		return session.Challenge{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Challenge, f.StartErr
}

// FinishSignIn implements screen.Auth.
func (f *FakeAuth) FinishSignIn(ctx context.Context) (session.Identity, error) {
	if err := f.record(ctx, "FinishSignIn"); err != nil {
		return session.Identity{}, err
	}
	f.mu.Lock()
	fn := f.FinishFn
	id, err := f.FinishIdentity, f.FinishErr
	f.mu.Unlock()
	if fn != nil {
		return fn(ctx)
	}
	return id, err
}

// Roles implements screen.Auth.
func (f *FakeAuth) Roles(ctx context.Context) (session.Roles, error) {
	if err := f.record(ctx, "Roles"); err != nil {
		return session.Roles{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.RolesResult, f.RolesErr
}

// ChooseRole implements screen.Auth.
func (f *FakeAuth) ChooseRole(ctx context.Context, role session.Role) (session.Identity, error) {
	if err := f.record(ctx, "ChooseRole"); err != nil {
		return session.Identity{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chosen = append(f.chosen, role)
	if f.ChooseErr != nil {
		return session.Identity{}, f.ChooseErr
	}
	id := f.FinishIdentity
	if id.UserID == "" {
		id = f.ResumeIdentity
	}
	r := role
	id.Role = &r
	return id, nil
}

// SignOut implements screen.Auth.
func (f *FakeAuth) SignOut(ctx context.Context) error {
	if err := f.record(ctx, "SignOut"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.SignOutErr
}

// Ended implements screen.Auth.
func (f *FakeAuth) Ended() <-chan error { return f.ended }

// Deadline implements screen.Auth.
func (f *FakeAuth) Deadline() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.DeadlineAt
}

// Identity implements screen.Auth: the user ChooseRole last returned, else
// ResumeIdentity; false when neither has a user.
func (f *FakeAuth) Identity() (session.Identity, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.FinishIdentity
	if id.UserID == "" {
		id = f.ResumeIdentity
	}
	if n := len(f.chosen); n > 0 && f.ChooseErr == nil {
		r := f.chosen[n-1]
		id.Role = &r
	}
	return id, id.UserID != ""
}

// Storage implements screen.Auth.
func (f *FakeAuth) Storage() session.Storage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.StorageKind
}

// Set changes the scripted results under the lock, for tests that change
// them while commands may be running: uitest.Set(func(){ f.RolesErr = err }).
func (f *FakeAuth) Set(change func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change()
}
