package signin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

var user = session.Identity{UserID: "555000000001", Name: "Dr Ada Example"}

func challenge(mode session.Mode) session.Challenge {
	return session.Challenge{
		URL: "http://127.0.0.1:8443/l/BCDF-GHJK", UserCode: "BCDF-GHJK", Mode: mode,
		ExpiresAt: uitest.Now().Add(4*time.Minute + 30*time.Second), BrowserOpened: mode == session.ModeLoopback,
	}
}

// newAuth has no saved session to resume.
func newAuth() *uitest.FakeAuth {
	auth := uitest.NewFakeAuth()
	auth.ResumeErr = session.ErrSignInRequired
	return auth
}

// waitingAuth starts a sign-in whose wait lasts until the context ends.
func waitingAuth(mode session.Mode) *uitest.FakeAuth {
	auth := newAuth()
	auth.Challenge = challenge(mode)
	auth.FinishFn = func(ctx context.Context) (session.Identity, error) {
		<-ctx.Done()
		return session.Identity{}, ctx.Err()
	}
	return auth
}

// start builds the screen and runs its Init; it returns what the screen
// sent to the root.
func start(t *testing.T, auth *uitest.FakeAuth, arg any) (*Model, []tea.Msg) {
	t.Helper()
	m := New(uitest.Common(auth, uitest.NewMemoryPrefs()), arg)
	m.SetSize(80, 24)
	res := uitest.RunInit(screen.Screen(m), m.Init())
	return res.Model.(*Model), res.ToRoot()
}

// run feeds msgs to the screen and returns what it sent to the root.
func run(m *Model, msgs ...tea.Msg) []tea.Msg {
	return uitest.Run(screen.Screen(m), msgs...).ToRoot()
}

// text is the view as one line of words, so wrapping does not matter.
func text(m *Model) string { return strings.Join(strings.Fields(ansi.Strip(m.View())), " ") }

func TestResumedSessionWithoutRoleGoesToTheRolePicker(t *testing.T) {
	auth := uitest.NewFakeAuth()
	auth.ResumeIdentity = user
	_, out := start(t, auth, nil)
	if len(out) != 1 || out[0] != (screen.SignedIn{Identity: user}) {
		t.Fatalf("sent %#v, want SignedIn", out)
	}
	if calls := auth.Calls(); len(calls) != 1 {
		t.Errorf("calls %v: a resumed session needs no new sign-in", calls)
	}
}

func TestResumedSessionWithRoleGoesStraightHome(t *testing.T) {
	withRole := user
	withRole.Role = &session.Role{BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "R1A"}
	auth := uitest.NewFakeAuth()
	auth.ResumeIdentity = withRole
	_, out := start(t, auth, nil)
	if len(out) != 1 {
		t.Fatalf("sent %#v", out)
	}
	if rc, ok := out[0].(screen.RoleChosen); !ok || rc.Identity.Role == nil {
		t.Fatalf("sent %#v, want RoleChosen", out[0])
	}
}

func TestNoSavedSessionStartsSignInAndFinishes(t *testing.T) {
	auth := waitingAuth(session.ModeLoopback)
	auth.FinishFn = func(context.Context) (session.Identity, error) { return user, nil }
	m, out := start(t, auth, nil)
	if got := strings.Join(auth.Calls(), ","); got != "Resume,StartSignIn,FinishSignIn" {
		t.Errorf("calls %s", got)
	}
	if len(out) != 1 || out[0] != (screen.SignedIn{Identity: user}) {
		t.Fatalf("sent %#v, want SignedIn", out)
	}
	if !strings.Contains(text(m), "Signed in as Dr Ada Example") {
		t.Errorf("view:\n%s", text(m))
	}
}

// The wait lasts as long as the login, measured on the screen's clock:
// with a clock years behind or ahead of the wall clock, FinishSignIn still
// gets the login's 4:30 (and a little more), neither an expired context
// nor one that lasts for years.
func TestTheWaitLastsAsLongAsTheLoginWhateverTheWallClockSays(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2009, 2, 13, 23, 31, 30, 0, time.UTC),
		time.Date(2061, 7, 28, 3, 0, 0, 0, time.UTC),
	} {
		t.Run(at.Format("2006"), func(t *testing.T) {
			clock := uitest.NewClock(at)
			auth := newAuth()
			auth.Challenge = challenge(session.ModeRemote)
			auth.Challenge.ExpiresAt = clock.Now().Add(4*time.Minute + 30*time.Second)
			type seen struct {
				err      error
				deadline time.Time
				ok       bool
			}
			got := make(chan seen, 1)
			auth.FinishFn = func(ctx context.Context) (session.Identity, error) {
				dl, ok := ctx.Deadline()
				got <- seen{err: ctx.Err(), deadline: dl, ok: ok}
				return user, nil
			}
			c := uitest.Common(auth, uitest.NewMemoryPrefs())
			c.Now = clock.Now
			m := New(c, nil)
			m.SetSize(80, 24)
			before := time.Now()
			uitest.RunInit(screen.Screen(m), m.Init())
			after := time.Now()
			var s seen
			select {
			case s = <-got:
			default:
				t.Fatal("FinishSignIn was not called")
			}
			if s.err != nil {
				t.Fatalf("FinishSignIn got a context already ended: %v", s.err)
			}
			lo, hi := before.Add(4*time.Minute+30*time.Second), after.Add(4*time.Minute+40*time.Second)
			if !s.ok || s.deadline.Before(lo) || s.deadline.After(hi) {
				t.Errorf("wait deadline %v (set %v), want between %v and %v", s.deadline, s.ok, lo, hi)
			}
		})
	}
}

func TestWaitingShowsTheLinkCodeAndTimeLeft(t *testing.T) {
	tests := []struct {
		mode session.Mode
		says string
	}{
		{session.ModeLoopback, "Your browser has been opened. If it did not open, go to:"},
		{session.ModeRemote, "On a computer with your smartcard, open:"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			m, out := start(t, waitingAuth(tt.mode), nil)
			if len(out) != 0 {
				t.Fatalf("sent %#v while waiting", out)
			}
			v := text(m)
			for _, want := range []string{tt.says, "http://127.0.0.1:8443/l/BCDF-GHJK", "BCDF-GHJK", "expires in 4:30", "smartcard"} {
				if !strings.Contains(v, want) {
					t.Errorf("view lacks %q:\n%s", want, v)
				}
			}
			label, value, ok := m.FocusedID()
			if !ok || value != "http://127.0.0.1:8443/l/BCDF-GHJK" || label == "" {
				t.Errorf("FocusedID = %q %q %v, want the link", label, value, ok)
			}
			m.Update(uitest.Key("c"))
		})
	}
}

func TestBrowserThatFailedToOpenIsExplained(t *testing.T) {
	auth := waitingAuth(session.ModeLoopback)
	auth.Challenge.BrowserOpened, auth.Challenge.BrowserError = false, errors.New("no browser found")
	m, _ := start(t, auth, nil)
	defer m.Update(uitest.Key("c"))
	if v := text(m); !strings.Contains(v, "could not be opened (no browser found)") {
		t.Errorf("view:\n%s", v)
	}
}

func TestFailuresAreExplainedAndRetried(t *testing.T) {
	tests := []struct {
		name   string
		start  error
		finish error
		says   string
	}{
		{"assurance too low", nil, &session.DeniedError{Code: gatewayapi.ErrAccessDenied, Description: gatewayapi.ReasonAssuranceTooLow}, "does not give the assurance e-RS needs"},
		{"cancelled at CIS2", nil, &session.DeniedError{Code: gatewayapi.ErrAccessDenied}, "Sign-in was cancelled"},
		{"link expired", nil, &session.DeniedError{Code: gatewayapi.ErrExpiredToken}, "link expired"},
		{"gateway refused", &session.GatewayError{Status: 503, Code: gatewayapi.ErrTemporarilyUnavailable}, nil, "unavailable just now"},
		{"gateway unreachable", &session.NetworkError{GatewayURL: "https://gw.example", Err: errors.New("connection refused")}, nil, "https://gw.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth := newAuth()
			auth.StartErr, auth.FinishErr = tt.start, tt.finish
			if tt.start == nil {
				auth.Challenge = challenge(session.ModeRemote)
			}
			m, out := start(t, auth, nil)
			if len(out) != 0 {
				t.Fatalf("sent %#v after a failure", out)
			}
			v := text(m)
			if !strings.Contains(v, tt.says) || !strings.Contains(strings.ToLower(v), "press r") {
				t.Errorf("view lacks %q:\n%s", tt.says, v)
			}
			if !m.KeyMap().ShortHelp()[0].Enabled() {
				t.Error("r is not offered")
			}
			before := len(auth.Calls())
			run(m, uitest.Key("r"))
			if calls := auth.Calls(); len(calls) <= before || calls[before] != "StartSignIn" {
				t.Errorf("r did not start again: %v", calls)
			}
		})
	}
}

func TestCancelStopsTheWaitAndDropsItsResult(t *testing.T) {
	var waitEnded = make(chan error, 1)
	auth := waitingAuth(session.ModeRemote)
	auth.FinishFn = func(ctx context.Context) (session.Identity, error) {
		<-ctx.Done()
		waitEnded <- ctx.Err()
		return user, nil // a late success must not sign in
	}
	m, _ := start(t, auth, nil)
	out := run(m, uitest.Key("c"))
	select {
	case err := <-waitEnded:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("wait ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("FinishSignIn still waiting after cancel")
	}
	late := run(m, finishedMsg{attempt: m.attempt - 1, identity: user})
	if len(out)+len(late) != 0 {
		t.Errorf("sent %#v after cancel", append(out, late...))
	}
	if v := text(m); !strings.Contains(v, "Sign-in cancelled") {
		t.Errorf("view:\n%s", v)
	}
	if _, _, ok := m.FocusedID(); ok {
		t.Error("link still offered for copying after cancel")
	}
}

func TestReasonTheSessionEndedIsShown(t *testing.T) {
	m, _ := start(t, waitingAuth(session.ModeLoopback), session.ErrSignInRequired)
	defer m.Update(uitest.Key("c"))
	if v := text(m); !strings.Contains(v, "Your session ended") {
		t.Errorf("view:\n%s", v)
	}
}

func TestRetryIsOnlyOfferedAfterAFailure(t *testing.T) {
	m, _ := start(t, waitingAuth(session.ModeLoopback), nil)
	defer m.Update(uitest.Key("c"))
	before := len(m.c.Auth.(*uitest.FakeAuth).Calls())
	run(m, uitest.Key("r"))
	if after := len(m.c.Auth.(*uitest.FakeAuth).Calls()); after != before {
		t.Error("r started another sign-in while one was waiting")
	}
}

func TestAfterSignOutNothingStartsUntilTheUserAsks(t *testing.T) {
	for _, k := range []string{"enter", "r"} {
		t.Run(k, func(t *testing.T) {
			auth := waitingAuth(session.ModeLoopback)
			m, out := start(t, auth, screen.SignedOut{})
			defer m.Update(uitest.Key("c"))
			if calls := auth.Calls(); len(calls) != 0 || len(out) != 0 {
				t.Fatalf("after a sign-out the screen called %v and sent %#v; it must wait for a key", calls, out)
			}
			if v := text(m); !strings.Contains(v, "Signed out. Press enter (or r) to sign in again; q quits") {
				t.Errorf("view:\n%s", v)
			}
			if b := m.KeyMap().ShortHelp()[0]; !b.Enabled() || b.Help().Key != "enter/r" {
				t.Errorf("the key to sign in again is not offered: %+v", b.Help())
			}
			run(m, uitest.Key("x")) // any other key does nothing
			if calls := auth.Calls(); len(calls) != 0 {
				t.Fatalf("x started %v", calls)
			}
			run(m, uitest.Key(k))
			if got := strings.Join(auth.Calls(), ","); got != "StartSignIn,FinishSignIn" {
				t.Errorf("%s: calls %s, want a new sign-in (the keyring is empty after a sign-out)", k, got)
			}
			if v := text(m); !strings.Contains(v, "BCDF-GHJK") {
				t.Errorf("the challenge is not shown:\n%s", v)
			}
		})
	}
}

func TestAfterASessionEndsSignInStartsAtOnce(t *testing.T) {
	auth := waitingAuth(session.ModeLoopback)
	m, _ := start(t, auth, fmt.Errorf("revoked: %w", session.ErrSignInRequired))
	defer m.Update(uitest.Key("c"))
	if got := strings.Join(auth.Calls(), ","); got != "Resume,StartSignIn,FinishSignIn" {
		t.Errorf("calls %s: after an expiry the sign-in starts without a key", got)
	}
	if v := text(m); strings.Contains(v, "Signed out") {
		t.Errorf("an expiry is not a sign-out:\n%s", v)
	}
}
