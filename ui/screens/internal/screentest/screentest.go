// Package screentest drives the sign-in, role and home screens in their
// tests: a scriptable fake Auth, memory Prefs, a runner that executes a
// screen's commands synchronously and feeds their messages back, key
// helpers, the size matrix, the frame invariant and golden files.
//
// It is imported by tests only. The shell's own test kit (ui/uitest) covers
// the root; this one needs nothing from it.
package screentest

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// Now is the fixed clock of screen tests.
func Now() time.Time { return time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC) }

// Common is what a screen is built with in tests: default theme, fixed clock.
func Common(auth screen.Auth, prefs screen.Prefs) screen.Common {
	return screen.Common{
		Styles: theme.New(theme.Default), Auth: auth, Prefs: prefs,
		Environment: theme.BannerSandbox, Now: Now, Timeout: 5 * time.Second,
	}
}

// FakeAuth is a scriptable screen.Auth; a nil func gives a zero result.
// It records the calls made.
type FakeAuth struct {
	ResumeFn     func(ctx context.Context) (session.Identity, error)
	StartFn      func(ctx context.Context) (session.Challenge, error)
	FinishFn     func(ctx context.Context) (session.Identity, error)
	RolesFn      func(ctx context.Context) (session.Roles, error)
	ChooseRoleFn func(ctx context.Context, role session.Role) (session.Identity, error)
	SignOutFn    func(ctx context.Context) error

	mu     sync.Mutex
	calls  []string
	chosen []session.Role
	ended  chan error
}

func (f *FakeAuth) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

// Calls are the methods called so far, in order.
func (f *FakeAuth) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// Chosen are the roles ChooseRole was called with.
func (f *FakeAuth) Chosen() []session.Role {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]session.Role(nil), f.chosen...)
}

func (f *FakeAuth) Resume(ctx context.Context) (session.Identity, error) {
	f.record("Resume")
	if f.ResumeFn == nil {
		return session.Identity{}, session.ErrSignInRequired
	}
	return f.ResumeFn(ctx)
}

func (f *FakeAuth) StartSignIn(ctx context.Context) (session.Challenge, error) {
	f.record("StartSignIn")
	if f.StartFn == nil {
		return session.Challenge{}, errors.New("fake: StartSignIn not scripted")
	}
	return f.StartFn(ctx)
}

func (f *FakeAuth) FinishSignIn(ctx context.Context) (session.Identity, error) {
	f.record("FinishSignIn")
	if f.FinishFn == nil {
		<-ctx.Done()
		return session.Identity{}, ctx.Err()
	}
	return f.FinishFn(ctx)
}

func (f *FakeAuth) Roles(ctx context.Context) (session.Roles, error) {
	f.record("Roles")
	if f.RolesFn == nil {
		return session.Roles{}, nil
	}
	return f.RolesFn(ctx)
}

func (f *FakeAuth) ChooseRole(ctx context.Context, role session.Role) (session.Identity, error) {
	f.record("ChooseRole")
	f.mu.Lock()
	f.chosen = append(f.chosen, role)
	f.mu.Unlock()
	if f.ChooseRoleFn == nil {
		return session.Identity{UserID: "555000000001", Name: "Test User", Role: &role}, nil
	}
	return f.ChooseRoleFn(ctx, role)
}

func (f *FakeAuth) SignOut(ctx context.Context) error {
	f.record("SignOut")
	if f.SignOutFn == nil {
		return nil
	}
	return f.SignOutFn(ctx)
}

func (f *FakeAuth) Ended() <-chan error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ended == nil {
		f.ended = make(chan error, 1)
	}
	return f.ended
}

func (f *FakeAuth) Deadline() time.Time      { return Now().Add(15 * time.Minute) }
func (f *FakeAuth) Storage() session.Storage { return session.StorageKeyring }

// MemoryPrefs is screen.Prefs in memory; Err makes SetLastRole fail.
type MemoryPrefs struct {
	mu    sync.Mutex
	roles map[string]session.Role
	Err   error
}

func (p *MemoryPrefs) LastRole(userID string) (session.Role, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.roles[userID]
	return r, ok
}

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

// cmdTimeout is how long Run waits for one command: the fakes answer at
// once, so a command still running after it is a timer (a tick, a cursor
// blink) or a wait the test left open, and its message is dropped.
const cmdTimeout = 150 * time.Millisecond

// Run sends msgs to s one by one, runs the commands it returns and feeds
// their messages back to it, and returns the screen and the messages meant
// for the root (those of package screen), in order.
func Run(s screen.Screen, msgs ...tea.Msg) (screen.Screen, []tea.Msg) {
	var out []tea.Msg
	queue := append([]tea.Msg(nil), msgs...)
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		var cmd tea.Cmd
		s, cmd = s.Update(msg)
		for _, m := range Exec(cmd) {
			if ForRoot(m) {
				out = append(out, m)
			} else {
				queue = append(queue, m)
			}
		}
	}
	return s, out
}

// Init runs s.Init's commands like Run.
func Init(s screen.Screen) (screen.Screen, []tea.Msg) {
	var out, back []tea.Msg
	for _, m := range Exec(s.Init()) {
		if ForRoot(m) {
			out = append(out, m)
		} else {
			back = append(back, m)
		}
	}
	s, more := Run(s, back...)
	return s, append(out, more...)
}

// Exec runs cmd (expanding batches, concurrently) and returns the messages
// that arrived within cmdTimeout, in the order of the batch.
func Exec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(cmdTimeout):
		return nil
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		results := make([][]tea.Msg, len(batch))
		var wg sync.WaitGroup
		for i, c := range batch {
			wg.Go(func() { results[i] = Exec(c) })
		}
		wg.Wait()
		var out []tea.Msg
		for _, r := range results {
			out = append(out, r...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// ForRoot reports whether msg is one screens send to the root.
func ForRoot(msg tea.Msg) bool {
	switch msg.(type) {
	case screen.Open, screen.Push, screen.Back, screen.Confirm, screen.Toast, screen.Busy,
		screen.SignedIn, screen.RoleChosen, screen.SignOut:
		return true
	}
	return false
}

// Key is a key press as Bubble Tea delivers it: "j", "enter", "up", "esc",
// "space", "ctrl+c".
func Key(s string) tea.KeyPressMsg {
	named := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "backspace": tea.KeyBackspace, "tab": tea.KeyTab,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "space": tea.KeySpace,
	}
	if strings.HasPrefix(s, "ctrl+") {
		return tea.KeyPressMsg{Code: rune(s[len("ctrl+")]), Mod: tea.ModCtrl}
	}
	if r, ok := named[s]; ok {
		k := tea.KeyPressMsg{Code: r}
		if r == tea.KeySpace {
			k.Text = " "
		}
		return k
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

// Type is one key press per character of text.
func Type(text string) []tea.Msg {
	var out []tea.Msg
	for _, r := range text {
		out = append(out, Key(string(r)))
	}
	return out
}

// Sizes is the size matrix, growing from the minimum and back, with the
// boundaries around 80x24.
func Sizes() [][2]int {
	return [][2]int{
		{80, 24}, {81, 25}, {100, 30}, {120, 40}, {160, 50}, {200, 60}, {240, 70},
		{200, 60}, {120, 40}, {81, 24}, {80, 25}, {80, 24},
	}
}

// AssertFrame fails unless view is exactly h lines of exactly w cells.
func AssertFrame(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: view has %d lines, want %d", w, h, len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%dx%d: line %d is %d cells wide: %q", w, h, i, got, ansi.Strip(l))
		}
	}
}

// Golden compares the view, stripped of escapes, with testdata/name.golden.
// Run the tests with ERS_UPDATE_GOLDEN=1 (or -update where a golden package
// defines it) to write the files.
func Golden(t testing.TB, name, view string) {
	t.Helper()
	got := ansi.Strip(view) + "\n"
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with ERS_UPDATE_GOLDEN=1 to create it)", err)
	}
	if string(want) != got {
		t.Errorf("view differs from %s (run with ERS_UPDATE_GOLDEN=1 to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func updating() bool {
	if os.Getenv("ERS_UPDATE_GOLDEN") == "1" {
		return true
	}
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}
