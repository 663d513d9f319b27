package uitest

import (
	"go/token"
	"reflect"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// Updater is a tea.Model or a screen.Screen: something whose Update returns
// its own type. Pass a root model as tea.Model and a screen as
// screen.Screen: uitest.Run(tea.Model(root), ...).
type Updater[M any] interface {
	Update(msg tea.Msg) (M, tea.Cmd)
}

// DefaultCmdTimeout is how long Run waits for a command: long enough for a
// fake's answer, short enough that ticks (toasts, clocks, spinners) and
// waits on channels are skipped.
const DefaultCmdTimeout = 50 * time.Millisecond

// maxSteps stops a model that keeps answering itself.
const maxSteps = 500

// teaPkg is Bubble Tea's import path: its unexported messages are for the
// program, not the model.
const teaPkg = "charm.land/bubbletea/v2"

// Result is the model after Run and what its commands did.
type Result[M any] struct {
	Model M
	// Quit: a command returned tea.Quit; Run stopped there.
	Quit bool
	// Clipboard holds what was copied with tea.SetClipboard, in order.
	Clipboard []string
	// Msgs are the messages commands produced, in the order delivered.
	Msgs []tea.Msg
	// Skipped counts commands that did not answer within the timeout.
	Skipped int
}

// ToRoot is what a screen run on its own asked of the root: the messages
// of package screen (Open, Push, Back, Confirm, Toast, Busy, SignedIn,
// RoleChosen, SignOut) among Msgs, in order.
func (r Result[M]) ToRoot() []tea.Msg {
	var out []tea.Msg
	for _, m := range r.Msgs {
		if IsRootMsg(m) {
			out = append(out, m)
		}
	}
	return out
}

// IsRootMsg reports whether msg is one of package screen's requests of the
// root (Open, Push, Back, Confirm, Toast, Busy, SignedIn, RoleChosen,
// SignOut).
func IsRootMsg(msg tea.Msg) bool {
	switch msg.(type) {
	case screen.Open, screen.Push, screen.Back, screen.Confirm, screen.Toast, screen.Busy,
		screen.SignedIn, screen.RoleChosen, screen.SignOut:
		return true
	}
	return false
}

// Runner feeds messages and executes the commands they return.
type Runner struct {
	// Timeout bounds each command; DefaultCmdTimeout when zero.
	Timeout time.Duration
}

// Run feeds msgs to m one by one, and after each runs the returned commands
// synchronously (the commands of a tea.Batch in parallel), feeding their
// messages back until none is left. Commands that take longer than
// DefaultCmdTimeout are skipped (their goroutine is abandoned).
func Run[M Updater[M]](m M, msgs ...tea.Msg) Result[M] {
	return RunWith(Runner{}, m, msgs...)
}

// RunWith is Run with the runner's settings.
func RunWith[M Updater[M]](r Runner, m M, msgs ...tea.Msg) Result[M] {
	if r.Timeout <= 0 {
		r.Timeout = DefaultCmdTimeout
	}
	res := Result[M]{Model: m}
	for _, msg := range msgs {
		queue := []tea.Msg{msg}
		for steps := 0; len(queue) > 0 && steps < maxSteps; steps++ {
			next := queue[0]
			queue = queue[1:]
			if steps > 0 {
				res.Msgs = append(res.Msgs, next)
			}
			var cmd tea.Cmd
			res.Model, cmd = res.Model.Update(next)
			out, clip, quit, skipped := execCmd(r.Timeout, cmd)
			res.Clipboard = append(res.Clipboard, clip...)
			res.Skipped += skipped
			if quit {
				res.Quit = true
				return res
			}
			queue = append(queue, out...)
		}
	}
	return res
}

// execCmd runs cmd and the commands of any batch it returns, each round in
// parallel under one deadline, and sorts what they produce: messages for the
// model, clipboard writes, quit.
func execCmd(timeout time.Duration, cmd tea.Cmd) (out []tea.Msg, clip []string, quit bool, skipped int) {
	cmds := []tea.Cmd{cmd}
	for len(cmds) > 0 {
		chans := make([]chan tea.Msg, 0, len(cmds))
		for _, c := range cmds {
			if c == nil {
				continue
			}
			ch := make(chan tea.Msg, 1)
			chans = append(chans, ch)
			go func() { ch <- c() }()
		}
		cmds = nil
		expired := time.After(timeout)
		late := false
		for _, ch := range chans {
			var msg tea.Msg
			if late {
				select {
				case msg = <-ch:
				default:
					skipped++
					continue
				}
			} else {
				select {
				case msg = <-ch:
				case <-expired:
					late = true
					skipped++
					continue
				}
			}
			switch msg := msg.(type) {
			case nil:
			case tea.BatchMsg:
				cmds = append(cmds, msg...)
			case tea.QuitMsg:
				quit = true
			default:
				t := reflect.TypeOf(msg)
				switch {
				case t.Kind() == reflect.Slice && t.Elem() == reflect.TypeFor[tea.Cmd]():
					// tea.Sequence: its commands one after another, in order.
					v := reflect.ValueOf(msg)
					for i := range v.Len() {
						c, _ := v.Index(i).Interface().(tea.Cmd)
						o, cl, q, sk := execCmd(timeout, c)
						out, clip, skipped = append(out, o...), append(clip, cl...), skipped+sk
						quit = quit || q
					}
				case t.PkgPath() == teaPkg && t.Name() == "setClipboardMsg":
					clip = append(clip, reflect.ValueOf(msg).String())
				case t.PkgPath() == teaPkg && !token.IsExported(t.Name()):
					// for the program itself (cursor, title...), not the model
				default:
					out = append(out, msg)
				}
			}
		}
	}
	return out, clip, quit, skipped
}

// RunInit runs a model's Init command (or any command) first, feeding its
// messages to m, then feeds msgs: uitest.RunInit(s, s.Init(), keys...).
func RunInit[M Updater[M]](m M, init tea.Cmd, msgs ...tea.Msg) Result[M] {
	res := Result[M]{Model: m}
	out, clip, quit, skipped := execCmd(DefaultCmdTimeout, init)
	res.Clipboard, res.Skipped = clip, skipped
	if quit {
		res.Quit = true
		return res
	}
	rest := RunWith(Runner{}, m, append(out, msgs...)...)
	rest.Clipboard = append(res.Clipboard, rest.Clipboard...)
	rest.Skipped += res.Skipped
	rest.Msgs = append(append([]tea.Msg(nil), out...), rest.Msgs...)
	return rest
}
