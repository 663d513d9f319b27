package document

import (
	"strings"

	"github.com/ers-workstation/ers-workstation/ui/components/errorview"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
)

// View is the pane of the focused document, exactly width x height: where
// it is saved (or why it cannot be fetched, or the download's error with
// its e-RS code and correlation id) and then its preview from the scroll
// position. why, when not "", says why the document cannot be downloaded.
func (s *Set) View(why string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	st := s.styles
	d := s.docs[s.focus]
	var out []string
	add := func(render func(...string) string, text string) {
		for _, w := range fit.Wrap(text, width) {
			out = append(out, render(w))
		}
	}
	switch {
	case s.focus == "":
		add(st.Faint.Render, "No document is chosen.")
	case why != "":
		add(st.Warning.Render, "This file cannot be downloaded: "+why+".")
	case d == nil && s.enabled:
		add(st.Faint.Render, "Press enter to download it and preview its text.")
	case d == nil:
		add(st.Warning.Render, "No download folder is set up, so files cannot be saved.")
	case d.Busy:
		add(st.Text.Render, "Downloading…")
	case d.Err != nil:
		desc := errorview.Describe(d.Err)
		add(st.Error.Render, "The download failed: "+desc.What)
		if dl := detail(desc); dl != "" {
			add(st.Faint.Render, dl)
		}
		add(st.Faint.Render, "Press enter to try again.")
	default:
		where := "Saved at " + d.Path
		if d.Kept {
			where += " (kept after sign-out)"
		} else {
			where += " (removed at sign-out; K keeps it)"
		}
		add(st.Faint.Render, where)
		out = append(out, "")
		if d.Note != "" {
			add(st.Faint.Render, d.Note)
			break
		}
		rest := height - len(out)
		if rest <= 0 {
			break
		}
		lines := d.Text.Lines(width)
		s.top = min(s.top, max(len(lines)-rest, 0))
		for _, l := range lines[s.top:min(s.top+rest, len(lines))] {
			out = append(out, st.Text.Render(l))
		}
	}
	if len(out) > height {
		out = out[:height]
	}
	return fit.Frame(strings.Join(out, "\n"), width, height)
}

// detail is an error's code and correlation id, for a line of its own.
func detail(d errorview.Details) string {
	var parts []string
	if d.Code != "" {
		parts = append(parts, "e-RS code "+d.Code)
	}
	if d.CorrelationID != "" {
		parts = append(parts, "correlation id "+d.CorrelationID)
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + ". "
}
