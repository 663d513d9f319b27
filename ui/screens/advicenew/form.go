package advicenew

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textarea"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// fieldID names a focus stop of the form.
type fieldID int

const (
	fieldText fieldID = iota
	fieldConversion
	fieldAttach
	fieldSend
)

// fields are the focus stops, in order.
var fields = [...]fieldID{fieldText, fieldConversion, fieldAttach, fieldSend}

// The conversion choices, in the order offered: yes first (index 0).
const (
	conversionYes = 0
	conversionNo  = 1
)

// conversionOptions explain what each answer lets the provider do.
func conversionOptions() []string {
	return []string{
		"Yes: the provider may turn this into a referral without asking you again",
		"No: the provider answers with advice; any referral is yours to make",
	}
}

// form is what the user fills in.
type form struct {
	text       textarea.Model
	conversion choice
	attach     *attach.Model
	focus      fieldID
	errs       map[fieldID]string
}

func newForm(st *theme.Styles, home func() (string, error)) form {
	f := form{conversion: newChoice(conversionOptions()), errs: map[fieldID]string{}}
	f.text = textarea.New()
	f.text.ShowLineNumbers = false
	f.text.Prompt = "│ "
	f.text.Placeholder = "Your question for the provider, with the clinical background they need"
	// e-RS's limit is shown and checked, not enforced by truncating what
	// is typed or pasted; nor is the number of lines capped.
	f.text.CharLimit = 0
	f.text.MaxHeight = 0
	f.text.SetStyles(textarea.Styles{
		Focused: textarea.StyleState{Text: st.Text, Placeholder: st.Faint, Prompt: st.Accent, CursorLine: st.Text, EndOfBuffer: st.Faint},
		Blurred: textarea.StyleState{Text: st.Text, Placeholder: st.Faint, Prompt: st.Faint, CursorLine: st.Text, EndOfBuffer: st.Faint},
	})
	f.attach = attach.New(st, home)
	return f
}

// runes is the request's length as e-RS counts it.
func (f *form) runes() int { return utf8.RuneCountInString(f.text.Value()) }

// dirty reports anything typed or chosen that is not sent.
func (f *form) dirty() bool {
	return strings.TrimSpace(f.text.Value()) != "" || f.attach.Dirty()
}

// validate checks the form as e-RS would, putting each problem next to its
// field, and focuses the first field in trouble; it reports whether the
// form may be sent.
func (f *form) validate() bool {
	f.errs = map[fieldID]string{}
	switch n := f.runes(); {
	case strings.TrimSpace(f.text.Value()) == "":
		f.errs[fieldText] = "Write the question for the provider."
	case n > ersclient.MaxAdviceTextRunes:
		f.errs[fieldText] = fmt.Sprintf("The request is %d characters; e-RS allows at most %d. Shorten it, or attach the detail as a file.",
			n, ersclient.MaxAdviceTextRunes)
	}
	if !f.conversion.picked() {
		f.errs[fieldConversion] = "Say whether the provider may convert this request into a referral."
	}
	if f.attach.Capturing() {
		f.errs[fieldAttach] = "Finish choosing the file (enter) or close the picker (esc) first."
	}
	if len(f.errs) == 0 {
		return true
	}
	for _, id := range fields {
		if _, bad := f.errs[id]; bad {
			f.focus = id
			break
		}
	}
	return false
}

// authorised is the conversion answer.
func (f *form) authorised() bool { return f.conversion.chosen == conversionYes }
