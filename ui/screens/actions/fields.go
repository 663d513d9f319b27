package actions

import (
	"charm.land/bubbles/v2/textarea"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// fieldID names a focus stop of a form.
type fieldID int

const (
	fieldReason fieldID = iota
	fieldOutcome
	fieldComments
	fieldPriority
	fieldPAS
	fieldAttach // the attachments component: its list, and its picker when open
	fieldSend
)

// maxCommentRunes is e-RS's limit on a provider's comments.
const maxCommentRunes = 2000

// outcomeCodes are the review outcomes A028 accepts, in the order offered.
func outcomeCodes() []ersclient.ReviewOutcome {
	return []ersclient.ReviewOutcome{ersclient.ReviewAcceptBookLater, ersclient.ReviewReturnToReferrer}
}

// priorityCodes are the priority choices, "" (no change) first.
func priorityCodes() []ersclient.Priority {
	return []ersclient.Priority{"", ersclient.PriorityTwoWeekWait, ersclient.PriorityUrgent, ersclient.PriorityRoutine}
}

// form is what the user fills in; which parts show depends on the action.
type form struct {
	action   string
	reasons  []reason
	reason   choice
	outcome  choice
	comments textarea.Model
	priority choice
	// pasNeeded: the appointment is at an indirectly bookable service (or
	// e-RS said the flag is required), so the PAS question must be answered.
	pasNeeded bool
	pas       choice // 0 yes, 1 no
	att       *attach.Model
	focus     fieldID
	errs      map[fieldID]string
}

func newForm(action string, st *theme.Styles, current ersclient.Priority, pasNeeded bool, home func() (string, error)) form {
	f := form{action: action, pasNeeded: pasNeeded, errs: map[fieldID]string{}}
	outcomes := make([]string, len(outcomeCodes()))
	for i, o := range outcomeCodes() {
		outcomes[i] = o.Label()
	}
	f.outcome = newChoice(outcomes, -1)
	prios := make([]string, len(priorityCodes()))
	for i, p := range priorityCodes() {
		switch {
		case p == "":
			prios[i] = "No change"
		case p == current:
			prios[i] = p.Label() + " (current)"
		default:
			prios[i] = p.Label()
		}
	}
	f.priority = newChoice(prios, 0)
	f.pas = newChoice([]string{"Yes: already cancelled in the hospital's system (PAS)", "No: not yet cancelled in PAS"}, -1)
	f.reason = newChoice(nil, -1)

	f.comments = textarea.New()
	f.comments.ShowLineNumbers = false
	f.comments.Prompt = "│ "
	f.comments.Placeholder = "Comments"
	f.comments.SetStyles(textarea.Styles{
		Focused: textarea.StyleState{Text: st.Text, Placeholder: st.Faint, Prompt: st.Accent, CursorLine: st.Text, EndOfBuffer: st.Faint},
		Blurred: textarea.StyleState{Text: st.Text, Placeholder: st.Faint, Prompt: st.Faint, CursorLine: st.Text, EndOfBuffer: st.Faint},
	})

	f.att = attach.New(st, home)
	f.focus = f.fields()[0]
	return f
}

// setReasons fills the reason list once A004 has answered.
func (f *form) setReasons(rs []reason) {
	f.reasons = rs
	labels := make([]string, len(rs))
	for i, r := range rs {
		labels[i] = r.Display
		if r.CommentMandatory {
			labels[i] += " (comment required)"
		}
	}
	f.reason = newChoice(labels, -1)
}

// returning reports that the chosen review outcome sends the referral back,
// which allows no priority change.
func (f *form) returning() bool {
	return f.outcome.picked() && outcomeCodes()[f.outcome.chosen] == ersclient.ReviewReturnToReferrer
}

// fields are the focus stops of the action's form, in order.
func (f *form) fields() []fieldID {
	var out []fieldID
	switch f.action {
	case Reject:
		out = []fieldID{fieldReason, fieldComments}
		if f.pasNeeded {
			out = append(out, fieldPAS)
		}
	case CancelAppointmentActionLater:
		out = []fieldID{fieldComments, fieldPriority}
		if f.pasNeeded {
			out = append(out, fieldPAS)
		}
		out = append(out, fieldAttach)
	case RecordReviewOutcome:
		out = []fieldID{fieldOutcome, fieldComments}
		if !f.returning() {
			out = append(out, fieldPriority)
		}
		out = append(out, fieldAttach)
	case CancelReferral:
		out = []fieldID{fieldReason, fieldComments}
	}
	return append(out, fieldSend)
}

// has reports whether the field is part of the form now.
func (f *form) has(id fieldID) bool {
	for _, x := range f.fields() {
		if x == id {
			return true
		}
	}
	return false
}

// chosenReason is the reason picked, if any.
func (f *form) chosenReason() (reason, bool) {
	if !f.reason.picked() || f.reason.chosen >= len(f.reasons) {
		return reason{}, false
	}
	return f.reasons[f.reason.chosen], true
}

// chosenPriority is the new priority, or "" for no change (always "" when
// the form has no priority, or the outcome returns the referral).
func (f *form) chosenPriority() ersclient.Priority {
	if !f.has(fieldPriority) || !f.priority.picked() {
		return ""
	}
	return priorityCodes()[f.priority.chosen]
}

// chosenPAS is the PAS answer, nil when the question is not asked.
func (f *form) chosenPAS() *bool {
	if !f.has(fieldPAS) || !f.pas.picked() {
		return nil
	}
	yes := f.pas.chosen == 0
	return &yes
}

// dirty: anything typed or attached would be lost by leaving.
func (f *form) dirty() bool {
	return f.comments.Value() != "" || f.att.Dirty()
}
