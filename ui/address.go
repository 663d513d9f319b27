package ui

import (
	"reflect"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// addressed is the answer of a command a screen started, carried back to
// that screen wherever it is by then. Without it an answer goes to the
// screen on top: a load that ends after the user opened another screen
// would be lost, or worse, taken by another screen of the same kind (its
// load generation can hold the same number) and show the wrong patient.
type addressed struct {
	to  screen.Screen
	msg tea.Msg
}

// teaPackage is where Bubble Tea's own messages (quit, clipboard, window
// title, exec) come from: they go to the program, never to a screen.
var teaPackage = reflect.TypeFor[tea.BatchMsg]().PkgPath()

// from addresses the messages of s's command to s: batches and sequences
// are opened, so each command in them is addressed too, and Bubble Tea's
// own messages pass as they are.
func from(s screen.Screen, cmd tea.Cmd) tea.Cmd {
	if s == nil || cmd == nil {
		return cmd
	}
	return func() tea.Msg {
		msg := cmd()
		if msg == nil {
			return nil
		}
		if cmds, ok := msg.(tea.BatchMsg); ok {
			out := make(tea.BatchMsg, len(cmds))
			for i, c := range cmds {
				out[i] = from(s, c)
			}
			return out
		}
		v := reflect.ValueOf(msg)
		if v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			// tea.Sequence's message, whose type is unexported: the same
			// type is made again so the program still runs it in order.
			out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			for i := range v.Len() {
				c, _ := v.Index(i).Interface().(tea.Cmd)
				if c != nil {
					out.Index(i).Set(reflect.ValueOf(from(s, c)))
				}
			}
			return out.Interface()
		}
		if strings.HasPrefix(reflect.TypeOf(msg).PkgPath(), teaPackage) {
			return msg
		}
		return addressed{to: s, msg: msg}
	}
}

// toScreen gives s a message of its own, wherever it is: on the stack or
// set aside while the user signs in again. A screen that has gone (popped,
// signed out) gets nothing.
func (m *Model) toScreen(s screen.Screen, msg tea.Msg) tea.Cmd {
	stacks := [][]screen.Screen{m.stack}
	if m.away != nil {
		stacks = append(stacks, m.away.stack)
	}
	for _, stack := range stacks {
		for i, t := range stack {
			if !same(t, s) {
				continue
			}
			next, cmd := t.Update(msg)
			if next != nil {
				stack[i] = next
			}
			return from(stack[i], cmd)
		}
	}
	return nil
}

// same reports the same screen. Screens are pointers in practice; one
// that is not comparable is never taken for another.
func same(a, b screen.Screen) bool {
	ta := reflect.TypeOf(a)
	return ta != nil && ta == reflect.TypeOf(b) && ta.Comparable() && a == b
}
