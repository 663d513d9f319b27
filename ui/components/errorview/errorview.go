// Package errorview is the one place an error becomes words for the user:
// Describe says what happened in plain words, what to do, and the e-RS code,
// correlation id or gateway code support will ask for. View shows that as
// the in-pane error of a screen that could not load, with the keys to retry
// or go back; screens that show an error among their own content lay out
// Describe's words themselves.
//
// It only describes and renders; the screen keeps the error, binds Retry in
// its own key map and starts the retry. "esc" is the root's global back key.
package errorview

import (
	"strings"

	"charm.land/bubbles/v2/key"

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

// View renders the error in exactly the size set.
func (v View) View() string {
	if v.err == nil || v.width <= 0 || v.height <= 0 {
		return fit.Frame("", v.width, v.height)
	}
	d := Describe(v.err)
	wrap := max(v.width-4, 10)
	lines := []string{"", "  " + v.styles.Error.Render("Error: could not finish this"), ""}
	lines = append(lines, indent(fit.Wrap(d.What, wrap))...)
	lines = append(lines, "")
	lines = append(lines, indent(fit.Wrap(d.Do, wrap))...)
	if d.Detail != "" {
		for _, l := range fit.Wrap(d.Detail, wrap) {
			lines = append(lines, "  "+v.styles.Faint.Render(l))
		}
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

func indent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "  " + l
	}
	return out
}
