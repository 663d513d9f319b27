package uitest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

func TestKeyBuildsWhatBubbleTeaNames(t *testing.T) {
	for _, name := range []string{"ctrl+c", "enter", "esc", "space", "up", "down", "shift+tab", "tab", "backspace",
		"pgdown", "home", "G", "g", "?", ":", "/", "y", "ctrl+n", "alt+x", "f5", "1"} {
		if got := Key(name).String(); got != name {
			t.Errorf("Key(%q).String() = %q", name, got)
		}
	}
	if got := Type("a b"); len(got) != 3 || got[1].(tea.KeyPressMsg).String() != "space" {
		t.Errorf("Type: %v", got)
	}
}

// counter counts messages; "go" starts a batch of a fast answer, a slow one
// and a clipboard write.
type counter struct{ got []string }

type answer string

func (c *counter) Update(msg tea.Msg) (*counter, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		c.got = append(c.got, msg.String())
		switch msg.String() {
		case "g":
			return c, tea.Batch(
				func() tea.Msg { return answer("fast") },
				func() tea.Msg { time.Sleep(time.Hour); return answer("slow") },
				tea.SetClipboard("0000 1111 2222"),
			)
		case "q":
			return c, tea.Quit
		}
	case answer:
		c.got = append(c.got, string(msg))
	}
	return c, nil
}

func TestRunExecutesCommandsAndSkipsSlowOnes(t *testing.T) {
	res := Run(&counter{}, Key("g"), Key("x"), Key("q"), Key("z"))
	if want := []string{"g", "fast", "x", "q"}; !slices.Equal(res.Model.got, want) {
		t.Fatalf("got %v, want %v", res.Model.got, want)
	}
	if !res.Quit || res.Skipped != 1 || !slices.Equal(res.Clipboard, []string{"0000 1111 2222"}) {
		t.Fatalf("quit=%v skipped=%d clipboard=%v", res.Quit, res.Skipped, res.Clipboard)
	}
}

// keyScreen is a screen with the bindings given.
type keyScreen struct{ bindings []key.Binding }

type flat []key.Binding

func (f flat) ShortHelp() []key.Binding  { return f }
func (f flat) FullHelp() [][]key.Binding { return [][]key.Binding{f} }

func (s keyScreen) Init() tea.Cmd                           { return nil }
func (s keyScreen) Update(tea.Msg) (screen.Screen, tea.Cmd) { return s, nil }
func (s keyScreen) View() string                            { return "" }
func (s keyScreen) SetSize(int, int)                        {}
func (s keyScreen) Title() string                           { return "keys" }
func (s keyScreen) KeyMap() help.KeyMap                     { return flat(s.bindings) }
func (s keyScreen) Status() string                          { return "" }
func (s keyScreen) Capturing() bool                         { return false }
func (s keyScreen) Dirty() bool                             { return false }
func bind(keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], "do "+keys[0]))
}
func route(name string, bs ...key.Binding) screen.Route {
	return screen.Route{Name: name, New: func(screen.Common, any) screen.Screen { return keyScreen{bs} }}
}

// recorder collects the failures CheckKeys reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}

func TestCheckKeysFindsConflicts(t *testing.T) {
	disabled := bind("q")
	disabled.SetEnabled(false)
	c := screen.Common{Styles: theme.New(theme.Mono)}
	cases := []struct {
		name   string
		routes []screen.Route
		want   []string
	}{
		{"clean", []screen.Route{route("a", bind("j", "down"), bind("enter"), disabled), route("b", bind("j"))}, nil},
		{"bound twice", []screen.Route{route("a", bind("j"), key.NewBinding(key.WithKeys("x", "j"), key.WithHelp("x", "other")))}, []string{`"j" twice`}},
		{"global key", []screen.Route{route("a", bind("y"))}, []string{`binds "y"`}},
		{"route twice", []screen.Route{route("a"), route("a")}, []string{"registered twice"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			CheckKeys(r, tc.routes, c)
			if len(r.errs) != len(tc.want) {
				t.Fatalf("got %v, want %v", r.errs, tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(r.errs[i], w) {
					t.Errorf("error %q lacks %q", r.errs[i], w)
				}
			}
		})
	}
}

func TestAssertFrameAcceptsAnExactFrame(t *testing.T) {
	AssertFrame(t, "ab\ncd", 2, 2)
	AssertFrame(t, "\x1b[1mab\x1b[m\ncd", 2, 2)
}

// asker is a screen-like model that asks the root for things.
type asker struct{ got []string }

func (a *asker) Update(msg tea.Msg) (*asker, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return a, tea.Batch(
			func() tea.Msg { return answer("own") },
			func() tea.Msg { return screen.Busy{Task: "t", On: true} },
		)
	case answer:
		a.got = append(a.got, string(msg))
		return a, func() tea.Msg { return screen.Open{Route: "home"} }
	}
	return a, nil
}

func TestToRootKeepsOnlyTheMessagesForTheRoot(t *testing.T) {
	res := Run(&asker{}, Key("x"))
	got := res.ToRoot()
	if len(got) != 2 || got[0] != (screen.Busy{Task: "t", On: true}) || got[1] != (screen.Open{Route: "home"}) {
		t.Fatalf("ToRoot = %#v (all: %#v)", got, res.Msgs)
	}
	if !slices.Equal(res.Model.got, []string{"own"}) {
		t.Errorf("the model's own message did not reach it: %v", res.Model.got)
	}
}

func TestFinishFnAnswersFinishSignIn(t *testing.T) {
	f := NewFakeAuth()
	f.FinishErr = errors.New("not used")
	f.FinishFn = func(ctx context.Context) (session.Identity, error) {
		<-ctx.Done()
		return session.Identity{}, ctx.Err()
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := f.FinishSignIn(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("FinishSignIn = %v", err)
	}
	if f.CallCount("FinishSignIn") != 1 {
		t.Errorf("calls %v", f.Calls())
	}
}

func TestZeroMemoryPrefsIsReady(t *testing.T) {
	var p MemoryPrefs
	role := session.Role{BusinessFunction: "REFERRING_ADMIN", ODS: "A1"}
	if err := p.SetLastRole("u", role); err != nil {
		t.Fatal(err)
	}
	if got, ok := p.LastRole("u"); !ok || got != role {
		t.Errorf("LastRole = %v %v", got, ok)
	}
}

func TestCommonHasAFixedClock(t *testing.T) {
	c := Common(NewFakeAuth(), NewMemoryPrefs())
	if !c.Now().Equal(Now()) || c.Styles == nil || c.Timeout <= 0 {
		t.Errorf("Common = %+v", c)
	}
}

func TestGoldenIgnoresOneFinalNewline(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"with": "ab\ncd\n", "without": "ab\ncd"} {
		if err := os.WriteFile(filepath.Join("testdata", name+".golden"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		Golden(t, name, "\x1b[1mab\x1b[m\ncd")
	}
}
