package signin

import (
	"fmt"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// margin is the blank columns left of the text.
const margin = 2

// View draws the state: progress, the challenge, the result or the error.
func (m *Model) View() string {
	st := m.c.Styles
	b := fit.NewBlock(m.width, margin)
	add, blank := b.Add, b.Blank

	blank()
	add(st.Title.Render, "Sign in to the e-Referral Service")
	blank()
	if m.reason != "" {
		add(st.Warning.Render, m.reason)
		blank()
	}
	switch m.state {
	case resuming:
		add(st.Text.Render, "Checking for a saved session…")
	case starting:
		add(st.Text.Render, "Starting sign-in…")
	case waiting:
		m.challengeLines(b)
	case signedIn:
		add(st.Success.Render, "Signed in as "+m.identity.Name+".")
	case signedOut:
		add(st.Text.Render, "Signed out. Press enter (or r) to sign in again; q quits.")
	case cancelled:
		add(st.Text.Render, "Sign-in cancelled.")
		blank()
		add(st.Faint.Render, "Press r to start again, or q to quit.")
	case failed:
		e := errorview.DescribeRetry(m.err, "r")
		add(st.Error.Render, e.What)
		blank()
		add(st.Text.Render, e.Do)
		if e.Detail != "" {
			add(st.Faint.Render, e.Detail)
		}
		blank()
		add(st.Faint.Render, "Or press q to quit.")
	}
	return fit.Frame(strings.Join(b.Lines(), "\n"), m.width, m.height)
}

// challengeLines tells the user where to go and which code to expect, in
// the words of the mode: loopback opened a browser here, remote did not.
func (m *Model) challengeLines(b *fit.Block) {
	st := m.c.Styles
	add, blank := b.Add, b.Blank
	ch := m.challenge
	add(st.Text.Render, "Waiting for you to sign in with your smartcard…")
	blank()
	switch {
	case ch.Mode == session.ModeRemote:
		add(st.Text.Render, "On a computer with your smartcard, open:")
	case ch.BrowserOpened:
		add(st.Text.Render, "Your browser has been opened. If it did not open, go to:")
	case ch.BrowserError != nil:
		add(st.Text.Render, "Your browser could not be opened ("+ch.BrowserError.Error()+"). Go to:")
	default:
		add(st.Text.Render, "Open this link in your browser:")
	}
	blank()
	add(st.Accent.Render, "  "+ch.URL)
	blank()
	add(st.Text.Render, "and check that it shows the code:")
	blank()
	add(st.Accent.Render, "  "+ch.UserCode)
	blank()
	if !ch.ExpiresAt.IsZero() {
		add(st.Faint.Render, "The link expires in "+remaining(ch.ExpiresAt.Sub(m.c.Now()))+".")
	}
	add(st.Faint.Render, "Press y to copy the link, or c to cancel.")
}

// remaining is a duration as m:ss, never negative.
func remaining(d time.Duration) string {
	d = max(d, 0).Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d/time.Minute), int(d%time.Minute/time.Second))
}
