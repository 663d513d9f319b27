package advice

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textarea"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
)

// formView draws the form in height lines; when it does not fit, it
// scrolls to keep the focused field in view.
func (m *Model) formView(height int) []string {
	lines, from, to := m.formLines()
	f := m.form
	f.top = scroll.Window(f.top, to, len(lines), height)
	if from < f.top && to-from < height {
		f.top = from // the field's label too, when it fits
	}
	return lines[f.top:min(f.top+height, len(lines))]
}

// formLines is every line of the form, and the lines of the focused field.
func (m *Model) formLines() (lines []string, focusFrom, focusTo int) {
	st := m.c.Styles
	pad := strings.Repeat(" ", margin)
	indent := pad + "  "
	f := m.form
	add := func(id fieldID, part ...string) {
		if id == f.focus {
			focusFrom = len(lines)
		}
		lines = append(lines, part...)
		if e, ok := f.errs[id]; ok {
			lines = append(lines, indent+st.Error.Render(fit.Line(e, m.textWidth()-2)))
		}
		if id == f.focus {
			focusTo = len(lines) - 1
		}
	}
	label := func(id fieldID, name string) string {
		if f.focus == id {
			return pad + st.Accent.Render("▶ "+name)
		}
		return pad + st.Title.Render("  "+name)
	}
	counted := func(id fieldID, name string, ta *textarea.Model) []string {
		n, ok := count(ta)
		text, style := fmt.Sprintf("%d / %d characters", n, ersclient.MaxAdviceTextRunes), st.Faint
		if !ok {
			text, style = text+" (too long)", st.Error
		}
		return append([]string{label(id, name) + "  " + style.Render(text)}, indented(indent, ta.View())...)
	}
	choice := func(id fieldID, name, value string) {
		if value == "" {
			value = "(choose with ←/→)"
		}
		add(id, label(id, name)+"  "+st.Text.Render("‹ "+value+" ›"))
	}
	files := func(id fieldID, name string, a *attach.Model) {
		add(id, append([]string{label(id, name)}, indented(indent, a.View())...)...)
	}

	if f.kind == kindConvert {
		add(fieldText, counted(fieldText, "Final guidance to the referrer", &f.text)...)
		add(fieldComments, counted(fieldComments, "Review comments for your admin team", &f.comments)...)
		choice(fieldPriority, "New referral priority", f.chosenPriority().Label())
		files(fieldFiles, "Files for the referrer", f.files)
		files(fieldReviewFiles, "Files kept with the referral", f.review)
	} else {
		add(fieldText, counted(fieldText, "Response to the referrer", &f.text)...)
		choice(fieldOutcome, "Outcome", f.chosenOutcome().Label())
		if f.chosenOutcome().NeedsRecommendation() {
			choice(fieldRecommendation, "Recommendation", f.chosenRec().Label())
		}
		choice(fieldPriority, "Priority", f.chosenPriority().Label())
		files(fieldFiles, "Files for the referrer", f.files)
	}
	lines = append(lines, pad+st.Faint.Render(fit.Line(m.draftHint(), m.textWidth())))
	return lines, focusFrom, focusTo
}

// draftHint says how the texts are kept.
func (m *Model) draftHint() string {
	hint := "Text kept on this computer as a draft as you type; removed when sent. Files are not kept."
	restored := false
	for _, d := range m.form.drafts {
		restored = restored || d.restored
	}
	switch err := m.draftProblem(); {
	case err != nil:
		return "The draft could not be saved: " + err.Error()
	case m.user.UserID == "":
		return "The draft cannot be kept: who is signed in is not known yet."
	case restored:
		return "Your unsent draft was restored. " + hint
	}
	return hint
}

func indented(indent, block string) []string {
	out := strings.Split(block, "\n")
	for i, l := range out {
		out[i] = indent + l
	}
	return out
}
