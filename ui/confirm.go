package ui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// confirmOverlay asks before a consequential action. Only "y" confirms;
// every other key, enter included, cancels, so a slip never acts.
//
// Key-repeat guard: a "y" within confirmGuard of the modal opening (by the
// injected clock), or one the terminal marks as a repeat, is ignored and the
// modal stays open; a held key cannot confirm a modal it did not see.
type confirmOverlay struct {
	title, body, yes string
	onYes            tea.Cmd
	opened           time.Time
	quit             bool // the quit confirmation: a second ctrl+c quits
}

func (c *confirmOverlay) update(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "y" {
		if msg.IsRepeat || m.common.Now().Sub(c.opened) < confirmGuard {
			return nil
		}
		m.overlay = nil
		return c.onYes
	}
	m.overlay = nil
	return m.showToast("Cancelled: nothing was done", screen.Info)
}

func (c *confirmOverlay) view(m *Model, width, _ int) string {
	st := m.common.Styles
	w := min(width-6, 64)
	yes := c.yes
	if yes == "" {
		yes = "Confirm"
	}
	lines := []string{
		st.ModalTitle.Render(c.title),
		"",
		strings.Join(fit.Wrap(c.body, w), "\n"),
		"",
		st.Key.Render("y") + " " + st.Danger.Render(yes) + "    " +
			st.Key.Render("any other key") + " " + st.KeyHelp.Render("cancel (default)"),
	}
	return wrapLines(strings.Join(lines, "\n"), w)
}

// wrapLines hard-wraps every line to w cells, so nothing is cut.
func wrapLines(s string, w int) string {
	return ansi.Hardwrap(s, w, true)
}
