package flows

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/time/rate"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
	"github.com/ers-workstation/ers-workstation/ui/uitest/live"
)

// The size every screen of a flow is drawn at.
const width, height = 120, 40

// desk is one user's screens, opened as the root opens them: by route,
// with the registry's constructors.
type desk struct {
	t      *testing.T
	env    *live.Env
	routes map[string]screen.Route
	// pace keeps the user's e-RS calls under the gateway's per-session
	// limit, as a person's pace would: the test is otherwise faster than
	// the limit allows and gets 429s. It mirrors the gateway's token
	// bucket, at a margin.
	pace *rate.Limiter
}

func newDesk(t *testing.T, env *live.Env) *desk {
	routes := map[string]screen.Route{}
	for _, r := range screens.Registry() {
		routes[r.Name] = r
	}
	pace := rate.NewLimiter(rate.Limit(config.DefaultGatewayRate)*0.8, config.DefaultGatewayBurst/2)
	return &desk{t: t, env: env, routes: routes, pace: pace}
}

// calls waits until the next step's n e-RS calls fit under the limit.
func (d *desk) calls(n int) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := d.pace.WaitN(ctx, n); err != nil {
		d.t.Fatal(err)
	}
}

// open builds the screen an Open names, sizes it and runs its Init (at
// most n e-RS calls) to the end.
func (d *desk) open(o screen.Open, n int) screen.Screen {
	d.t.Helper()
	d.calls(n)
	r, ok := d.routes[o.Route]
	if !ok {
		d.t.Fatalf("no route %q in the registry", o.Route)
	}
	s := r.New(d.env.Common, o.Arg)
	s.SetSize(width, height)
	live.Drive(s, s.Init())
	return s
}

// press sends keys to s as a person types them, running what each starts
// to its end; it returns what s asked of the root.
func press(s screen.Screen, keys ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range keys {
		out = append(out, send(s, uitest.Key(k))...)
	}
	return out
}

// typeText types text into s.
func typeText(s screen.Screen, text string) []tea.Msg {
	var out []tea.Msg
	for _, msg := range uitest.Type(text) {
		out = append(out, send(s, msg)...)
	}
	return out
}

func send(s screen.Screen, msg tea.Msg) []tea.Msg {
	_, cmd := s.Update(msg)
	return live.Drive(s, cmd)
}

// find is the first message of type T.
func find[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func mustFind[T any](t *testing.T, what string, msgs []tea.Msg, s screen.Screen) T {
	t.Helper()
	v, ok := find[T](msgs)
	if !ok {
		t.Fatalf("%s: no %T among %#v; the screen:\n%s", what, v, msgs, view(s))
	}
	return v
}

func view(s screen.Screen) string { return ansi.Strip(s.View()) }

var countRE = regexp.MustCompile(`^([\d,]+) of ([\d,]+)`)

// counts reads a worklist's "N of M" from its status.
func counts(t *testing.T, s screen.Screen) (shown, total int) {
	t.Helper()
	m := countRE.FindStringSubmatch(s.Status())
	if m == nil {
		t.Fatalf("no count in the status %q", s.Status())
	}
	n := func(x string) int {
		v, err := strconv.Atoi(strings.ReplaceAll(x, ",", ""))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return n(m[1]), n(m[2])
}
