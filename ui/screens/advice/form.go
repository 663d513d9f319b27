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
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

type fieldID int

const (
	fieldText fieldID = iota
	fieldOutcome
	fieldRecommendation
	fieldPriority
	fieldCount
)

// draftDelay is how long typing must pause before the draft is written.
const draftDelay = 400 * time.Millisecond

var priorities = []ersclient.Priority{ersclient.PriorityRoutine, ersclient.PriorityUrgent, ersclient.PriorityTwoWeekWait}

// form is the provider's response (A026): the guidance, the outcome, the
// recommendation (with advice only) and the updated priority.
type form struct {
	text     textarea.Model
	focus    fieldID
	outcome  int // index in ersclient.AdviceOutcomes(); -1 none
	rec      int // index in ersclient.AdviceRecommendations(); -1 none
	priority int // index in priorities; -1 none
	chosenP  bool
	errs     map[fieldID]string

	draftSeq  int
	delay     time.Duration
	draftErr  error
	restored  bool
	lastSaved string
}

func newForm(st *theme.Styles) *form {
	ta := textarea.New()
	ta.Placeholder = "Your advice to the referrer"
	ta.ShowLineNumbers = false
	ta.CharLimit = 0
	ta.MaxHeight = 0
	_ = st
	return &form{text: ta, outcome: -1, rec: -1, priority: -1, errs: map[fieldID]string{}, delay: draftDelay}
}

func (f *form) setSize(width, height int) {
	f.text.SetWidth(max(width, 10))
	f.text.SetHeight(max(height-9, 3)) // label, choices, their errors and the hint
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

func (f *form) focusText() tea.Cmd {
	f.focus = fieldText
	return f.text.Focus()
}

func (f *form) fields() []fieldID {
	out := []fieldID{fieldText, fieldOutcome}
	if f.chosenOutcome().NeedsRecommendation() {
		out = append(out, fieldRecommendation)
	}
	return append(out, fieldPriority)
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

// move goes to the next (or previous) field.
func (f *form) move(step int) tea.Cmd {
	fs := f.fields()
	i := 0
	for j, id := range fs {
		if id == f.focus {
			i = j
		}
	}
	f.focus = fs[(i+step+len(fs))%len(fs)]
	if f.focus == fieldText {
		return f.text.Focus()
	}
	f.text.Blur()
	return nil
}

// choose steps the focused choice; outcome excludes PROVIDER_CONVERTED,
// which A027 (convert) records.
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

// updateText gives the textarea a message and starts the draft's debounce
// when the text changed.
func (f *form) updateText(msg tea.Msg) tea.Cmd {
	before := f.text.Value()
	var cmd tea.Cmd
	f.text, cmd = f.text.Update(msg)
	if f.text.Value() == before {
		return cmd
	}
	delete(f.errs, fieldText)
	f.draftSeq++
	seq := f.draftSeq
	return tea.Batch(cmd, tea.Tick(f.delay, func(time.Time) tea.Msg { return draftTickMsg{seq: seq} }))
}

// count is the live count against e-RS's limit.
func (f *form) count() (int, bool) {
	n := utf8.RuneCountInString(f.text.Value())
	return n, n <= ersclient.MaxAdviceTextRunes
}

// validate checks the form as A026 would, each problem beside its field.
func (f *form) validate() bool {
	f.errs = map[fieldID]string{}
	if strings.TrimSpace(f.text.Value()) == "" {
		f.errs[fieldText] = "Write the advice or the question for the referrer."
	} else if n, ok := f.count(); !ok {
		f.errs[fieldText] = fmt.Sprintf("The response is %d characters; e-RS allows at most %d.", n, ersclient.MaxAdviceTextRunes)
	}
	if f.outcome < 0 {
		f.errs[fieldOutcome] = "Choose an outcome."
	}
	if f.chosenOutcome().NeedsRecommendation() && f.rec < 0 {
		f.errs[fieldRecommendation] = "Choose a recommendation: it goes with advice."
	}
	if f.priority < 0 {
		f.errs[fieldPriority] = "Choose the priority."
	}
	for _, id := range f.fields() {
		if _, bad := f.errs[id]; bad {
			f.focus = id
			if id != fieldText {
				f.text.Blur()
			}
			break
		}
	}
	return len(f.errs) == 0
}

// formKey handles a key in the respond mode.
func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	k, f := m.keys, m.form
	switch {
	case key.Matches(msg, k.Send):
		return m.confirmRespond()
	case key.Matches(msg, k.Leave):
		f.text.Blur()
		m.mode = modeThread
		return m.saveDraftNow()
	case key.Matches(msg, k.NextField):
		return f.move(1)
	case key.Matches(msg, k.PrevField):
		return f.move(-1)
	}
	if f.focus == fieldText {
		return f.updateText(msg)
	}
	switch msg.String() {
	case "left", "h":
		f.choose(-1)
	case "right", "l", "space", " ":
		f.choose(1)
	}
	return nil
}
