package advice

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// formKind is what the form sends: a response (A026) or a conversion
// (A027). Both carry guidance to the referrer, so the text is shared: a
// clinician who wrote advice and then decides to convert keeps it.
type formKind int

const (
	kindRespond formKind = iota
	kindConvert
)

type fieldID int

const (
	fieldText           fieldID = iota // the guidance to the referrer
	fieldComments                      // convert: review comments for the admin team
	fieldOutcome                       // respond
	fieldRecommendation                // respond, with advice only
	fieldPriority
	fieldFiles       // files for the referrer (GUIDANCE_RESPONSE)
	fieldReviewFiles // convert: files kept with the referral (PROVIDER)
)

// draftDelay is how long typing must pause before the draft is written.
const draftDelay = 400 * time.Millisecond

// Rows of the form's parts; the form scrolls to keep the focused field in
// view when they do not all fit.
const (
	commentRows = 3
	fileRows    = 3 // the files chosen
	pickerRows  = 9 // the picker or typed path, while open
)

var priorities = []ersclient.Priority{ersclient.PriorityRoutine, ersclient.PriorityUrgent, ersclient.PriorityTwoWeekWait}

// form is the provider's response (A026: guidance, outcome, recommendation
// with advice, updated priority, files) or conversion (A027: guidance,
// review comments, new referral priority, files for the referrer and for
// the referral).
type form struct {
	kind     formKind
	text     textarea.Model
	comments textarea.Model
	focus    fieldID
	outcome  int // index in ersclient.AdviceOutcomes(); -1 none
	rec      int // index in ersclient.AdviceRecommendations(); -1 none
	priority int // index in priorities; -1 none
	chosenP  bool
	files    *attach.Model
	review   *attach.Model
	errs     map[fieldID]string
	top      int // the first line drawn when the form does not fit

	drafts [slotCount]draftState
	delay  time.Duration
}

func newForm(st *theme.Styles, home func() (string, error)) *form {
	area := func(placeholder string) textarea.Model {
		ta := textarea.New()
		ta.Placeholder = placeholder
		ta.ShowLineNumbers = false
		// e-RS's limit is counted and checked, not enforced by cutting
		// what is typed or pasted.
		ta.CharLimit = 0
		ta.MaxHeight = 0
		return ta
	}
	return &form{
		text:     area("Your advice to the referrer"),
		comments: area("What the admin team should do with the referral (they shortlist and book it)"),
		outcome:  -1, rec: -1, priority: -1,
		files:  attach.New(st, home),
		review: attach.New(st, home),
		errs:   map[fieldID]string{}, delay: draftDelay,
	}
}

// setSize gives the text what the other fields leave of height (at least
// three rows); the form scrolls when even that does not fit.
func (f *form) setSize(width, height int) {
	w := max(width-2, 10) // the parts sit under their labels
	f.text.SetWidth(w)
	f.comments.SetWidth(w)
	f.comments.SetHeight(commentRows)
	f.files.SetSize(w, f.attachRows(f.files))
	f.review.SetSize(w, f.attachRows(f.review))
	// Label, choices, files' label and rows, hint, and two errors.
	other := 8 + fileRows
	if f.kind == kindConvert {
		other = 8 + commentRows + 2*fileRows
	}
	f.text.SetHeight(max(height-other, 3))
}

// attachRows gives an open picker room to choose in.
func (f *form) attachRows(a *attach.Model) int {
	if a.Capturing() {
		return pickerRows
	}
	return fileRows
}

// open shows the form for kind with the text focused.
func (f *form) open(kind formKind) tea.Cmd {
	f.kind, f.errs, f.top = kind, map[fieldID]string{}, 0
	f.text.Placeholder = "Your advice to the referrer"
	if kind == kindConvert {
		f.text.Placeholder = "Your final guidance to the referrer: what happens next for the patient"
	}
	return f.setFocus(fieldText)
}

func (f *form) defaultPriority(p ersclient.Priority) {
	if f.chosenP {
		return
	}
	for i, q := range priorities {
		if q == p {
			f.priority = i
		}
	}
}

func (f *form) fields() []fieldID {
	if f.kind == kindConvert {
		return []fieldID{fieldText, fieldComments, fieldPriority, fieldFiles, fieldReviewFiles}
	}
	out := []fieldID{fieldText, fieldOutcome}
	if f.chosenOutcome().NeedsRecommendation() {
		out = append(out, fieldRecommendation)
	}
	return append(out, fieldPriority, fieldFiles)
}

func (f *form) chosenOutcome() ersclient.AdviceOutcome {
	if f.outcome < 0 {
		return ""
	}
	return ersclient.AdviceOutcomes()[f.outcome]
}

func (f *form) chosenRec() ersclient.AdviceRecommendation {
	if f.rec < 0 || !f.chosenOutcome().NeedsRecommendation() {
		return ""
	}
	return ersclient.AdviceRecommendations()[f.rec]
}

func (f *form) chosenPriority() ersclient.Priority {
	if f.priority < 0 {
		return ""
	}
	return priorities[f.priority]
}

// area is the text of a slot.
func (f *form) area(s slot) *textarea.Model {
	if s == slotComments {
		return &f.comments
	}
	return &f.text
}

// focusedArea is the text with the keys, if a text has them.
func (f *form) focusedArea() (slot, bool) {
	switch f.focus {
	case fieldText:
		return slotGuidance, true
	case fieldComments:
		return slotComments, true
	}
	return 0, false
}

// focusedFiles is the attachments with the keys, if they have them.
func (f *form) focusedFiles() *attach.Model {
	switch f.focus {
	case fieldFiles:
		return f.files
	case fieldReviewFiles:
		return f.review
	}
	return nil
}

// picking reports an open picker or typed path: it has every key.
func (f *form) picking() bool {
	a := f.focusedFiles()
	return a != nil && a.Capturing()
}

// blur takes the keys from the texts and files; the focus stays where it
// was, for when the form opens again.
func (f *form) blur() {
	f.text.Blur()
	f.comments.Blur()
	f.files.Blur()
	f.review.Blur()
}

// setFocus moves the keys to id, focusing or blurring the texts and files.
func (f *form) setFocus(id fieldID) tea.Cmd {
	f.focus = id
	f.blur()
	switch id {
	case fieldText:
		return f.text.Focus()
	case fieldComments:
		return f.comments.Focus()
	case fieldFiles:
		f.files.Focus()
	case fieldReviewFiles:
		f.review.Focus()
	}
	return nil
}

// move goes to the next (or previous) field, round the form.
func (f *form) move(step int) tea.Cmd {
	fs := f.fields()
	i := 0
	for j, id := range fs {
		if id == f.focus {
			i = j
		}
	}
	return f.setFocus(fs[(i+step+len(fs))%len(fs)])
}

// choose steps the focused choice; the outcome excludes PROVIDER_CONVERTED,
// which the conversion (A027) records.
func (f *form) choose(step int) {
	cycle := func(i, n int) int {
		if i < 0 {
			if step > 0 {
				return 0
			}
			return n - 1
		}
		return (i + step + n) % n
	}
	switch f.focus {
	case fieldOutcome:
		f.outcome = cycle(f.outcome, 2)
	case fieldRecommendation:
		f.rec = cycle(f.rec, len(ersclient.AdviceRecommendations()))
	case fieldPriority:
		f.priority, f.chosenP = cycle(f.priority, len(priorities)), true
	}
	delete(f.errs, f.focus)
}

// updateText gives the focused text a message and starts its draft's
// debounce when the text changed.
func (f *form) updateText(s slot, msg tea.Msg) tea.Cmd {
	ta := f.area(s)
	before := ta.Value()
	var cmd tea.Cmd
	*ta, cmd = ta.Update(msg)
	if ta.Value() == before {
		return cmd
	}
	delete(f.errs, s.field())
	d := &f.drafts[s]
	d.seq++
	seq := d.seq
	return tea.Batch(cmd, tea.Tick(f.delay, func(time.Time) tea.Msg { return draftTickMsg{slot: s, seq: seq} }))
}

// count is a text's live count against e-RS's limit.
func count(ta *textarea.Model) (int, bool) {
	n := utf8.RuneCountInString(ta.Value())
	return n, n <= ersclient.MaxAdviceTextRunes
}

// filesChosen reports files chosen: unlike the texts, they are not kept
// in a draft.
func (f *form) filesChosen() bool { return f.files.Dirty() || f.review.Dirty() }

// validate checks the form as A026 or A027 would, each problem beside its
// field; it returns the first field with a problem.
func (f *form) validate() (first fieldID, ok bool) {
	f.errs = map[fieldID]string{}
	what := "the advice or the question for the referrer"
	if f.kind == kindConvert {
		what = "the final guidance for the referrer: e-RS sends it with the conversion"
	}
	f.checkText(fieldText, &f.text, what)
	if f.kind == kindConvert {
		f.checkText(fieldComments, &f.comments, "review comments: the admin team reads them when they shortlist and book the referral")
	}
	if f.kind == kindRespond {
		if f.outcome < 0 {
			f.errs[fieldOutcome] = "Choose an outcome."
		}
		if f.chosenOutcome().NeedsRecommendation() && f.rec < 0 {
			f.errs[fieldRecommendation] = "Choose a recommendation: it goes with advice."
		}
	}
	if f.priority < 0 {
		f.errs[fieldPriority] = "Choose the priority."
	}
	for _, id := range f.fields() {
		if _, bad := f.errs[id]; bad {
			return id, false
		}
	}
	return 0, true
}

func (f *form) checkText(id fieldID, ta *textarea.Model, what string) {
	if strings.TrimSpace(ta.Value()) == "" {
		f.errs[id] = "Write " + what + "."
	} else if n, ok := count(ta); !ok {
		f.errs[id] = fmt.Sprintf("This is %d characters; e-RS allows at most %d.", n, ersclient.MaxAdviceTextRunes)
	}
}

// formKey handles a key while the form is open. An open picker has every
// key; the files' own keys (add, remove, move) go to them.
func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	k, f := m.keys, m.form
	if f.picking() {
		return m.updateFiles(msg)
	}
	switch {
	case key.Matches(msg, k.Send):
		return m.confirmForm()
	case key.Matches(msg, k.Leave):
		f.blur()
		m.mode = modeThread
		return m.saveDraftNow()
	case key.Matches(msg, k.NextField):
		return f.move(1)
	case key.Matches(msg, k.PrevField):
		return f.move(-1)
	}
	if s, ok := f.focusedArea(); ok {
		return f.updateText(s, msg)
	}
	if a := f.focusedFiles(); a != nil {
		if a.Handles(msg) {
			return m.updateFiles(msg)
		}
		return nil
	}
	switch msg.String() {
	case "left", "h":
		f.choose(-1)
	case "right", "l", "space", " ":
		f.choose(1)
	}
	return nil
}

// updateFiles gives the focused files a key.
func (m *Model) updateFiles(msg tea.Msg) tea.Cmd {
	if a := m.form.focusedFiles(); a != nil {
		return m.updateAttach(a, msg)
	}
	return nil
}

// updateAttach gives files a message (a key, or the answer of a folder
// read or a file check), and resizes the form when their picker opens or
// closes.
func (m *Model) updateAttach(a *attach.Model, msg tea.Msg) tea.Cmd {
	picking := a.Capturing()
	cmd := a.Update(msg)
	if a.Capturing() != picking {
		m.form.setSize(m.textWidth(), m.bodyHeight())
	}
	return cmd
}

// field is the field a text slot fills.
func (s slot) field() fieldID {
	if s == slotComments {
		return fieldComments
	}
	return fieldText
}
