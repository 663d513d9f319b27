package ui_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/files"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func TestOpenPushesAndBackPops(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail", Arg: "ubrn-1"})
	if got := m.Stack(); !slices.Equal(got, []string{"Home", "Detail"}) {
		t.Fatalf("stack %v", got)
	}
	if d := h.last("detail"); d.arg != "ubrn-1" || d.w != 100 || d.h != 28 {
		t.Fatalf("detail built with arg %v at %dx%d", d.arg, d.w, d.h)
	}
	run(m, uitest.Key("esc"))
	if got := m.Stack(); !slices.Equal(got, []string{"Home"}) {
		t.Fatalf("after esc: %v", got)
	}
	if res := run(m, uitest.Key("esc")); res.Quit || len(m.Stack()) != 1 {
		t.Fatal("esc on the bottom screen must do nothing")
	}
	if res := run(m, uitest.Key("q")); !res.Quit {
		t.Fatal("q on the bottom screen must quit")
	}
}

func TestOpenRefusesARouteTheRoleMayNotUse(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "admin"})
	if len(m.Stack()) != 2 {
		t.Fatalf("admin should open for an admin: %v", m.Stack())
	}
	h2 := newHarness()
	m2 := h2.signedIn()
	m2.Identity().Role.BusinessFunction = "REFERRING_ADMIN"
	run(m2, screen.Open{Route: "admin"}, screen.Open{Route: "nowhere"})
	if len(m2.Stack()) != 1 {
		t.Fatalf("admin opened for a referrer: %v", m2.Stack())
	}
	if !strings.Contains(ansi.Strip(content(m2)), "no screen called nowhere") {
		t.Fatalf("no toast for an unknown route:\n%s", ansi.Strip(content(m2)))
	}
}

func TestKeysReachTheTopScreenAfterTheGlobals(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	home := h.last(screen.RouteHome)
	run(m, uitest.Key("x"), uitest.Key("enter"), uitest.Key("?"))
	if !slices.Equal(home.keys, []string{"x", "enter"}) {
		t.Fatalf("screen got %v", home.keys)
	}
	// the help overlay takes the next key and closes
	run(m, uitest.Key("x"))
	if len(home.keys) != 2 {
		t.Fatalf("a key reached the screen through the help overlay: %v", home.keys)
	}
	run(m, uitest.Key("x"))
	if len(home.keys) != 3 {
		t.Fatalf("help did not close: %v", home.keys)
	}
}

func TestACapturingScreenGetsEveryKeyButCtrlC(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail"})
	d := h.last("detail")
	d.capturing = true
	res := run(m, uitest.Keys("q", "?", ":", "esc", "y")...)
	if res.Quit || len(m.Stack()) != 2 || len(res.Clipboard) != 0 {
		t.Fatalf("a global key acted while capturing: quit=%v stack=%v", res.Quit, m.Stack())
	}
	if !slices.Equal(d.keys, []string{"q", "?", ":", "esc", "y"}) {
		t.Fatalf("screen got %v", d.keys)
	}
	if res := run(m, uitest.Key("ctrl+c")); !res.Quit {
		t.Fatal("ctrl+c must quit even while capturing")
	}
}

func TestConfirmationDefaultsToNo(t *testing.T) {
	type done struct{}
	ask := screen.Confirm{Title: "Reject referral?", Body: "Reject 0000 1111 2222 for Pat Synthetic.", Yes: "Reject referral",
		OnYes: func() tea.Msg { return done{} }}
	for _, k := range []string{"enter", "n", "space", "esc", "Y"} {
		t.Run("key "+k+" cancels", func(t *testing.T) {
			h := newHarness()
			m := h.signedIn()
			run(m, ask)
			if !strings.Contains(ansi.Strip(content(m)), "Pat Synthetic") {
				t.Fatalf("modal not shown:\n%s", ansi.Strip(content(m)))
			}
			h.clock.Advance(time.Second)
			run(m, uitest.Key(k))
			home := h.last(screen.RouteHome)
			for _, msg := range home.msgs {
				if _, ok := msg.(done); ok {
					t.Fatal("confirmed")
				}
			}
			if strings.Contains(ansi.Strip(content(m)), "Pat Synthetic") {
				t.Fatal("modal still open")
			}
		})
	}
	t.Run("y confirms once the modal has been open 150 ms", func(t *testing.T) {
		h := newHarness()
		m := h.signedIn()
		run(m, ask, uitest.Key("y"))
		home := h.last(screen.RouteHome)
		if len(home.msgs) != 0 || !strings.Contains(ansi.Strip(content(m)), "Pat Synthetic") {
			t.Fatal("a y at once (key repeat) must be ignored and the modal stay open")
		}
		h.clock.Advance(200 * time.Millisecond)
		run(m, uitest.Key("y"))
		if len(home.msgs) != 1 {
			t.Fatalf("not confirmed: %v", home.msgs)
		}
		if _, ok := home.msgs[0].(done); !ok {
			t.Fatalf("got %T", home.msgs[0])
		}
	})
}

func TestQuitAsksWhenWorkIsUnsent(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail"})
	h.last("detail").dirty = true
	if res := run(m, uitest.Key("ctrl+c")); res.Quit {
		t.Fatal("quit without asking")
	}
	if !strings.Contains(ansi.Strip(content(m)), "unsent work in Detail") {
		t.Fatalf("no question:\n%s", ansi.Strip(content(m)))
	}
	h.clock.Advance(time.Second)
	if res := run(m, uitest.Key("enter")); res.Quit {
		t.Fatal("enter must not confirm")
	}
	if res := run(m, uitest.Key("q")); res.Quit {
		t.Fatal("q on a dirty screen must ask, not leave")
	}
	h.clock.Advance(time.Second)
	run(m, uitest.Key("n"))
	if len(m.Stack()) != 2 {
		t.Fatal("cancelled back left the screen")
	}
	run(m, uitest.Key("ctrl+c"))
	if res := run(m, uitest.Key("ctrl+c")); !res.Quit {
		t.Fatal("a second ctrl+c must quit")
	}
	run(m, uitest.Key("esc"))
	h.clock.Advance(time.Second)
	run(m, uitest.Key("esc"))
	h.clock.Advance(time.Second)
	run(m, uitest.Key("y"))
	if len(m.Stack()) != 1 {
		t.Fatalf("confirmed back did not pop: %v", m.Stack())
	}
}

func TestHelpListsTheScreensBindingsAndTheGlobals(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, uitest.Key("?"))
	v := ansi.Strip(content(m))
	for _, want := range []string{"Keys: Home", "do the thing", "commands", "copy id", "ctrl+c"} {
		if !strings.Contains(v, want) {
			t.Errorf("help lacks %q:\n%s", want, v)
		}
	}
}

func TestPaletteFiltersAndRuns(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, uitest.Key(":"))
	run(m, uitest.Type("deta")...)
	v := ansi.Strip(content(m))
	if !strings.Contains(v, "detail") || strings.Contains(v, "logout") {
		t.Fatalf("filter 'deta':\n%s", v)
	}
	run(m, uitest.Key("enter"))
	if !slices.Equal(m.Stack(), []string{"Home", "Detail"}) {
		t.Fatalf("enter did not open detail: %v", m.Stack())
	}
	run(m, uitest.Key(":"), uitest.Key("l"), uitest.Key("o"), uitest.Key("g"), uitest.Key("esc"))
	if h.auth.CallCount("SignOut") != 0 || len(m.Stack()) != 2 {
		t.Fatal("esc must close the palette without running anything")
	}
}

func TestPaletteHidesRoutesTheRoleMayNotUse(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	m.Identity().Role.BusinessFunction = "REFERRING_ADMIN"
	run(m, uitest.Key(":"))
	if v := ansi.Strip(content(m)); strings.Contains(v, "Open Admin tools") || !strings.Contains(v, "detail") {
		t.Fatalf("palette:\n%s", v)
	}
}

func TestThemeCommandCyclesLive(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	for _, want := range []theme.Name{theme.HighContrast, theme.Mono, theme.Default} {
		run(m, uitest.Key(":"))
		run(m, uitest.Type("theme")...)
		run(m, uitest.Key("enter"))
		if h.common.Styles.Theme != want {
			t.Fatalf("theme %s, want %s", h.common.Styles.Theme, want)
		}
	}
}

func TestCopyPutsTheFocusedIDOnTheClipboard(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	res := run(m, uitest.Key("y"))
	if len(res.Clipboard) != 0 || !strings.Contains(ansi.Strip(content(m)), "Nothing to copy") {
		t.Fatal("copied with no focused id")
	}
	h.last(screen.RouteHome).id = "000011112222"
	res = run(m, uitest.Key("y"))
	if !slices.Equal(res.Clipboard, []string{"000011112222"}) {
		t.Fatalf("clipboard %v", res.Clipboard)
	}
	if !strings.Contains(ansi.Strip(content(m)), "Done: Copied UBRN 000011112222") {
		t.Fatalf("no toast:\n%s", ansi.Strip(content(m)))
	}
}

func TestStatusBarsSayWhoWhereAndHowLong(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, tea.WindowSizeMsg{Width: 160, Height: 30})
	m.Identity().Role.OnBehalfOf = "u-bob"
	m.Identity().Role.OnBehalfOfName = "Dr Bob Synthetic"
	h.auth.DeadlineAt = h.clock.Now().Add(23*time.Minute + 30*time.Second)
	h.auth.StorageKind = session.StorageMemory
	run(m, screen.Busy{Task: "load", On: true}, screen.Toast{Text: "Worklist is stale", Level: screen.Warning})
	lines := strings.Split(ansi.Strip(content(m)), "\n")
	top, bottom := lines[0], lines[len(lines)-1]
	for _, want := range []string{"SANDBOX", "Alice Example", "Service provider admin", "Synthetic Hospital (RX1)", "on behalf of Dr Bob Synthetic", "Home"} {
		if !strings.Contains(top, want) {
			t.Errorf("top bar lacks %q: %q", want, top)
		}
	}
	for _, want := range []string{"Warning: Worklist is stale", "Working…", "Home status", "session: 23 min left", "session in memory only"} {
		if !strings.Contains(bottom, want) {
			t.Errorf("bottom bar lacks %q: %q", want, bottom)
		}
	}
	run(m, screen.Busy{Task: "load", On: false})
	if strings.Contains(ansi.Strip(content(m)), "Working") {
		t.Error("activity shown after the task ended")
	}
}

func TestViewIsAFullScreenWindowWithTheTitle(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail"})
	v := m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeNone || v.WindowTitle != "e-RS · Detail" {
		t.Fatalf("view settings: alt=%v mouse=%v title=%q", v.AltScreen, v.MouseMode, v.WindowTitle)
	}
}

func TestLayoutHoldsAcrossTheSizeMatrix(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail"}, screen.Toast{Text: strings.Repeat("long message ", 20)})
	for _, overlay := range []string{"", "?", ":"} {
		if overlay != "" {
			run(m, uitest.Key(overlay))
		}
		for _, s := range uitest.Sizes() {
			run(m, tea.WindowSizeMsg{Width: s.W, Height: s.H})
			uitest.AssertFrame(t, content(m), s.W, s.H)
			if d := h.last("detail"); d.w != s.W || d.h != s.H-2 {
				t.Fatalf("screen sized %dx%d at %dx%d", d.w, d.h, s.W, s.H)
			}
		}
		if overlay != "" {
			run(m, uitest.Key("esc"))
		}
	}
	for _, s := range uitest.SmallSizes() {
		run(m, tea.WindowSizeMsg{Width: s.W, Height: s.H})
		uitest.AssertFrame(t, content(m), s.W, s.H)
		if s.W >= ui.MinWidth-1 {
			want := fmt.Sprintf("Terminal too small: need 80x24, have %dx%d", s.W, s.H)
			if !strings.Contains(ansi.Strip(content(m)), want) {
				t.Fatalf("no %q:\n%s", want, ansi.Strip(content(m)))
			}
		}
	}
}

func TestGoldenFrames(t *testing.T) {
	for _, s := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
		h := newHarness()
		m := h.signedIn()
		h.auth.DeadlineAt = h.clock.Now().Add(42 * time.Minute)
		run(m, tea.WindowSizeMsg{Width: s.W, Height: s.H}, screen.Confirm{Title: "Sign out?", Body: "Any draft is discarded.", Yes: "Sign out"})
		uitest.Golden(t, fmt.Sprintf("root_confirm_%dx%d", s.W, s.H), content(m))
	}
}

func TestSignInThenRoleThenHome(t *testing.T) {
	h := newHarness()
	start := h.routes[0].New(h.common, nil)
	m := ui.New(ui.Options{Common: h.common, Registry: h.routes, Start: start, Plain: true, Context: t.Context()})
	run(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	run(m, screen.SignedIn{Identity: alice})
	if !slices.Equal(m.Stack(), []string{"Choose a role"}) {
		t.Fatalf("after sign-in: %v", m.Stack())
	}
	id := alice
	r := adminRole
	id.Role = &r
	run(m, screen.RoleChosen{Identity: id})
	if !slices.Equal(m.Stack(), []string{"Home"}) || m.Identity().Role == nil {
		t.Fatalf("after role: %v", m.Stack())
	}
}

func TestExpiryKeepsTheWorkAndReturnsToIt(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	h.auth.RolesResult = session.Roles{Choices: []gatewayapi.RoleChoice{{BusinessFunction: adminRole.BusinessFunction, ODS: adminRole.ODS}}}
	run(m, screen.Open{Route: "detail"})
	draft := h.last("detail")
	draft.dirty = true
	reason := fmt.Errorf("idle timeout: %w", session.ErrSignInRequired)
	run(m, ui.SessionEnded{Err: reason})
	if !slices.Equal(m.Stack(), []string{"Sign in"}) || m.Identity() != nil {
		t.Fatalf("after expiry: %v", m.Stack())
	}
	if got := h.last(screen.RouteSignIn).arg; got != reason {
		t.Fatalf("sign-in got reason %v, want the error so it signs in again at once", got)
	}
	run(m, screen.SignedIn{Identity: alice})
	if !slices.Equal(m.Stack(), []string{"Home", "Detail"}) {
		t.Fatalf("not back at work: %v", m.Stack())
	}
	if m.Top() != draft || !draft.dirty {
		t.Fatal("the draft screen is not the same one")
	}
	if c := h.auth.Chosen(); len(c) != 1 || c[0] != adminRole {
		t.Fatalf("role not chosen again: %v", c)
	}
	if !strings.Contains(ansi.Strip(content(m)), "back where you were") {
		t.Fatal("no toast on return")
	}
}

func TestExpiryThenAnotherUserDropsTheWork(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail"}, ui.SessionEnded{Err: session.ErrSignInRequired})
	run(m, screen.SignedIn{Identity: session.Identity{UserID: "u-other", Name: "Other"}})
	if !slices.Equal(m.Stack(), []string{"Choose a role"}) {
		t.Fatalf("another user: %v", m.Stack())
	}
	if h.auth.CallCount("ChooseRole") != 0 {
		t.Fatal("chose a role for another user")
	}
}

func TestExpiryWhenThePreviousRoleIsGoneShowsTheRolePicker(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail"}, ui.SessionEnded{Err: session.ErrSignInRequired})
	run(m, screen.SignedIn{Identity: alice})
	if !slices.Equal(m.Stack(), []string{"Choose a role"}) {
		t.Fatalf("%v", m.Stack())
	}
	// choosing the same role by hand still returns to the work
	id := alice
	r := adminRole
	id.Role = &r
	run(m, screen.RoleChosen{Identity: id})
	if !slices.Equal(m.Stack(), []string{"Home", "Detail"}) {
		t.Fatalf("%v", m.Stack())
	}
}

func TestAuthEndedIsListenedTo(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	h.auth.End(errors.New("revoked"))
	res := uitest.RunInit(tea.Model(m), m.Init())
	_ = res
	if !slices.Equal(m.Stack(), []string{"Sign in"}) {
		t.Fatalf("Ended did not reach the root: %v", m.Stack())
	}
}

func TestSignOutAsksWhenDirtyThenLeavesOnlySignIn(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	h.auth.SignOutErr = context.DeadlineExceeded
	run(m, screen.Open{Route: "detail"})
	h.last("detail").dirty = true
	run(m, screen.SignOut{})
	if h.auth.CallCount("SignOut") != 0 {
		t.Fatal("signed out without asking")
	}
	h.clock.Advance(time.Second)
	run(m, uitest.Key("y"))
	if h.auth.CallCount("SignOut") != 1 || !slices.Equal(m.Stack(), []string{"Sign in"}) || m.Identity() != nil {
		t.Fatalf("after sign-out: %v", m.Stack())
	}
	if !strings.Contains(ansi.Strip(content(m)), "Signed out on this computer") {
		t.Fatal("a failed gateway call must still sign out locally, and say so")
	}
	if got := h.last(screen.RouteSignIn).arg; got != (screen.SignedOut{}) {
		t.Fatalf("sign-in built with %#v after a sign-out, want screen.SignedOut so it waits for a key", got)
	}
}

// TestConfirmationShowsALongLinkWhole: a body word wider than the modal (a
// URL) is broken across lines, never cut or spilled out of the box.
func TestConfirmationShowsALongLinkWhole(t *testing.T) {
	link := "https://ers-gateway.example.nhs.uk/v1/ers/FHIR/ServiceRequest/000000070000?include=everything-and-more"
	for _, s := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
		h := newHarness()
		m := h.signedIn()
		run(m, tea.WindowSizeMsg{Width: s.W, Height: s.H}, screen.Confirm{Title: "Open?", Body: "Open " + link + " now.", Yes: "Open"})
		frame := ansi.Strip(content(m))
		uitest.AssertFrame(t, content(m), s.W, s.H)
		var inBox strings.Builder
		for _, l := range strings.Split(frame, "\n") {
			first, last := strings.Index(l, "│"), strings.LastIndex(l, "│")
			if first >= 0 && last > first {
				inBox.WriteString(strings.TrimSpace(l[first+len("│") : last]))
			}
		}
		if !strings.Contains(inBox.String(), link) {
			t.Errorf("%dx%d: the link is not shown whole inside the box:\n%s", s.W, s.H, frame)
		}
	}
}

func TestABroadcastReachesEveryStackedScreen(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail", Arg: "ubrn-1"})
	changed := screen.ReferralChanged{UBRN: "000000070000", Action: "Accepted"}
	run(m, changed)
	for _, name := range []string{"home", "detail"} {
		got := h.last(name).msgs
		if len(got) == 0 || got[len(got)-1] != any(changed) {
			t.Errorf("%s did not receive the broadcast: %v", name, got)
		}
	}
	run(m, "not a broadcast")
	if got := h.last("home").msgs; got[len(got)-1] == any("not a broadcast") {
		t.Error("an ordinary message reached a screen under the top")
	}
}

func TestTheTopBarShortensTheOrganisationBeforeLosingTheClinicianActedFor(t *testing.T) {
	h := newHarness()
	id := alice
	r := session.Role{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "RV1",
		OrganisationName: "Garforth Vale Hospitals NHS Foundation Trust", OnBehalfOf: "656005750105", OnBehalfOfName: "Dr Bilal Chowdhury"}
	id.Role = &r
	m := ui.New(ui.Options{Common: h.common, Registry: h.routes, Start: h.routes[2].New(h.common, nil), Identity: &id, Plain: true})
	for _, size := range []struct {
		w       int
		orgName bool
	}{{200, true}, {100, false}} {
		m.Update(tea.WindowSizeMsg{Width: size.w, Height: 30})
		top := strings.SplitN(ansi.Strip(m.View().Content), "\n", 2)[0]
		if !strings.Contains(top, "on behalf of Dr Bilal Chowdhury") || !strings.Contains(top, "RV1") {
			t.Errorf("at %d columns the top bar lost who is acted for or the organisation: %q", size.w, top)
		}
		if got := strings.Contains(top, "Garforth Vale"); got != size.orgName {
			t.Errorf("at %d columns, organisation name shown = %v, want %v: %q", size.w, got, size.orgName, top)
		}
	}
}

func TestSignOutRemovesDownloadedDocumentsTheUserDidNotKeep(t *testing.T) {
	h := newHarness()
	h.common.Files = t.TempDir()
	m := h.signedIn()
	docs := files.New(h.common.Files)
	letter, err := docs.Save("letter.pdf", strings.NewReader("%PDF synthetic"))
	if err != nil {
		t.Fatal(err)
	}
	kept, err := docs.Save("kept.pdf", strings.NewReader("%PDF synthetic"))
	if err != nil {
		t.Fatal(err)
	}
	if kept, err = docs.Keep(kept); err != nil {
		t.Fatal(err)
	}
	run(m, screen.SignOut{})
	if _, err := os.Stat(letter); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an unkept document survived sign-out: %v", err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("a kept document was removed at sign-out: %v", err)
	}
}

// A screen's answer reaches that screen even when another screen of the
// same kind is on top by then; Bubble Tea's own messages still reach the
// program.
func TestAnAnswerReachesTheScreenThatAsked(t *testing.T) {
	h := newHarness()
	m := h.signedIn()
	run(m, screen.Open{Route: "detail", Arg: "first"})
	first := h.last("detail")
	first.onX = tea.Batch(func() tea.Msg { return "loaded first" }, tea.Quit)
	_, slow := m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"}) // started, not yet answered
	run(m, screen.Open{Route: "detail", Arg: "second"})
	second := h.last("detail")
	if second == first {
		t.Fatal("the second detail screen was not built")
	}
	var quit bool
	for _, c := range slow().(tea.BatchMsg) {
		switch msg := c().(type) {
		case tea.QuitMsg:
			quit = true
		default:
			m.Update(msg)
		}
	}
	if !quit {
		t.Error("tea.Quit did not reach the program as it is")
	}
	if !slices.Contains(first.msgs, tea.Msg("loaded first")) {
		t.Errorf("the screen that asked did not get its answer: %v", first.msgs)
	}
	if slices.Contains(second.msgs, tea.Msg("loaded first")) {
		t.Error("the screen on top took another screen's answer")
	}
	// Once its screen has gone, an answer goes nowhere.
	second.onX = func() tea.Msg { return "loaded second" }
	_, late := m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	run(m, tea.KeyPressMsg{Code: tea.KeyEscape})
	if h.last("detail") != second || len(m.Stack()) != 2 {
		t.Fatalf("the second screen was not popped: %v", m.Stack())
	}
	m.Update(late())
	if slices.Contains(first.msgs, tea.Msg("loaded second")) {
		t.Error("a gone screen's answer reached the screen now on top")
	}
}
