package roles

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
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
