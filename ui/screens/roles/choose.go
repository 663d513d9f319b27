package roles

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// chosenMsg is the answer to ChooseRole, for the picker that asked.
type chosenMsg struct {
	attempt  int
	identity session.Identity
	err      error
	prefsErr error
}

// chooseCmd sets the role at the gateway and, once it is set, remembers it
// as the user's last choice. Both are I/O, so both run in the command.
func chooseCmd(c screen.Common, userID string, role session.Role, attempt int) tea.Cmd {
	choose := func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
		defer cancel()
		id, err := c.Auth.ChooseRole(ctx, role)
		msg := chosenMsg{attempt: attempt, identity: id, err: err}
		if err != nil {
			return msg
		}
		if userID == "" {
			userID = id.UserID
		}
		if c.Prefs != nil && userID != "" {
			msg.prefsErr = c.Prefs.SetLastRole(userID, role)
		}
		return msg
	}
	return tea.Batch(busy("Choosing role", true), choose)
}

// result is what the picker does with the answer: on success tell the root
// (and warn when the choice could not be remembered), on failure return the
// error to show while the list stays.
func (msg chosenMsg) result() (tea.Cmd, error) {
	off := busy("Choosing role", false)
	if msg.err != nil {
		return off, msg.err
	}
	id := msg.identity
	cmds := []tea.Cmd{off, func() tea.Msg { return screen.RoleChosen{Identity: id} }}
	if msg.prefsErr != nil {
		cmds = append(cmds, func() tea.Msg {
			return screen.Toast{Text: "Your role is set, but it could not be remembered for next time.", Level: screen.Warning}
		})
	}
	return tea.Batch(cmds...), nil
}

func busy(task string, on bool) tea.Cmd {
	return func() tea.Msg { return screen.Busy{Task: task, On: on} }
}

// choice is a picker's ChooseRole call: whether one is in flight, why the
// last one failed, and which attempt an answer belongs to. Both pickers
// (roles and clinicians) choose the same way.
type choice struct {
	busy    bool
	err     error
	attempt int
}

// start sets role (see chooseCmd); nil while a call is in flight.
func (ch *choice) start(c screen.Common, userID string, role session.Role) tea.Cmd {
	if ch.busy {
		return nil
	}
	ch.busy, ch.err = true, nil
	ch.attempt++
	return chooseCmd(c, userID, role, ch.attempt)
}

// answered takes the answer to the call in flight; any other is dropped.
func (ch *choice) answered(msg chosenMsg) tea.Cmd {
	if msg.attempt != ch.attempt || !ch.busy {
		return nil
	}
	ch.busy = false
	cmd, err := msg.result()
	ch.err = err
	return cmd
}

// footer says the role is being set, or why it could not be.
func (ch *choice) footer(b *fit.Block, st *theme.Styles) {
	switch {
	case ch.busy:
		b.Blank()
		b.Add(st.Text.Render, "Setting your role…")
	case ch.err != nil:
		b.Blank()
		explain(b, st, ch.err, "", "enter")
	}
}
