// Package errorview is the in-pane error a screen shows when it could not load:
// what happened in plain words, what to do, the e-RS code and correlation id
// support will ask for, and the keys to retry or go back.
//
// It only renders; the screen keeps the error, binds Retry in its own key map
// and starts the retry. "esc" is the root's global back key.
package errorview

import (
	"errors"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// View is an error as shown in a screen's body.
type View struct {
	styles        *theme.Styles
	err           error
	width, height int
	// Retry is the key that tries again; a screen puts it in its KeyMap.
	Retry key.Binding
}

// New describes err with the given styles. A nil err renders nothing.
func New(styles *theme.Styles, err error) View {
	return View{
		styles: styles,
		err:    err,
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
	}
}

// Err is the error shown.
func (v View) Err() error { return v.err }

// SetSize sets the size View renders.
func (v *View) SetSize(width, height int) { v.width, v.height = width, height }

// Details is the error taken apart into what the view shows.
type Details struct {
	What, Do            string
	Code, CorrelationID string
}

// Describe takes err apart: what happened, what to do, and for an e-RS error
// its code and correlation id.
func Describe(err error) Details {
	var d Details
	if err == nil {
		return d
	}
	d.Do = "Press r to try again, or esc to go back. If it keeps happening, " +
		"tell the service desk the code and correlation id below."
	if e, ok := ersclient.AsError(err); ok {
		d.What = sentence(e.Message())
		d.Code = e.Code
		if e.CodeDisplay != "" && e.Code != "" {
			d.Code = e.Code + " (" + e.CodeDisplay + ")"
		}
		d.CorrelationID = e.CorrelationID
		switch e.Kind {
		case ersclient.KindNotSent:
			d.Do = "Check the network connection, then press r to try again."
		case ersclient.KindAuth:
			d.Do = "Sign in again, then press r."
		}
		return d
	}
	if errors.Is(err, session.ErrSignInRequired) {
		d.What = "Your session has ended."
		d.Do = "Sign in again to carry on; press esc to go back."
		return d
	}
	d.What = sentence(err.Error())
	return d
}

// View renders the error in exactly the size set.
func (v View) View() string {
	if v.err == nil || v.width <= 0 || v.height <= 0 {
		return fit.Frame("", v.width, v.height)
	}
	d := Describe(v.err)
	wrap := max(v.width-4, 10)
	lines := []string{
		"",
		"  " + v.styles.Error.Render("Error: could not finish this"),
		"",
		indent(ansi.Wordwrap(d.What, wrap, "")),
		"",
		indent(ansi.Wordwrap(d.Do, wrap, "")),
	}
	if d.Code != "" || d.CorrelationID != "" {
		lines = append(lines, "")
	}
	if d.Code != "" {
		lines = append(lines, "  "+v.styles.Faint.Render("e-RS code:      ")+v.styles.Text.Render(d.Code))
	}
	if d.CorrelationID != "" {
		lines = append(lines, "  "+v.styles.Faint.Render("Correlation id: ")+v.styles.Accent.Render(d.CorrelationID))
	}
	lines = append(lines, "", "  "+v.styles.Key.Render("r")+" "+v.styles.KeyHelp.Render("retry")+
		"  "+v.styles.Key.Render("esc")+" "+v.styles.KeyHelp.Render("back"))
	return fit.Frame(strings.Join(lines, "\n"), v.width, v.height)
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// sentence makes a message start with a capital and end with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "Something went wrong."
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	s = string(r)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
