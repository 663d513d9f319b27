package actions

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// write is a snapshot of the form taken when the confirmation opens: what
// is sent is exactly what the user confirmed, against that version.
type write struct {
	id       int
	action   string
	ubrn     string
	version  string
	reason   fhir.Coding
	comments string
	priority ersclient.Priority
	outcome  ersclient.ReviewOutcome
	pas      *bool
	files    []attach.File
}

// Results of the commands, each carrying the id of its request: a reply
// for an older request is dropped.
type (
	reasonsMsg struct {
		id   int
		data *ersclient.ReferenceData
		err  error
	}
	confirmedMsg struct{ id int }
	writtenMsg   struct {
		id           int
		ref          *ersclient.Referral
		files        []attach.File
		uploadFailed string // the file whose upload failed; nothing was written
		err          error
	}
	reloadedMsg struct {
		id     int
		ref    *ersclient.Referral
		locked bool
		err    error
	}
	reconciledMsg struct {
		id  int
		rec *ersclient.Reconciliation
		err error
	}
)

// validate checks the form as e-RS would, putting each problem next to its
// field; it reports whether the form may be sent.
func (f *form) validate() bool {
	f.errs = map[fieldID]string{}
	comments := f.comments.Value()
	mandatory := false
	switch f.action {
	case Reject, CancelReferral:
		r, ok := f.chosenReason()
		if !ok {
			f.errs[fieldReason] = "Choose a reason."
		}
		mandatory = ok && r.CommentMandatory
	case CancelAppointmentActionLater:
		mandatory = true
	case RecordReviewOutcome:
		if !f.outcome.picked() {
			f.errs[fieldOutcome] = "Choose an outcome."
		}
		mandatory = true
	}
	if f.has(fieldComments) {
		switch n := utf8.RuneCountInString(comments); {
		case mandatory && strings.TrimSpace(comments) == "":
			f.errs[fieldComments] = "Comments are required" + commentsWhy(f.action) + "."
		case n > maxCommentRunes:
			f.errs[fieldComments] = fmt.Sprintf("Comments are %d characters; e-RS allows at most %d.", n, maxCommentRunes)
		}
	}
	if f.has(fieldPAS) && !f.pas.picked() {
		f.errs[fieldPAS] = "Say whether the appointment has been cancelled in the hospital's system."
	}
	if len(f.errs) == 0 {
		return true
	}
	for _, id := range f.fields() {
		if _, bad := f.errs[id]; bad {
			f.focus = id
			break
		}
	}
	return false
}

func commentsWhy(action string) string {
	switch action {
	case CancelAppointmentActionLater:
		return ": tell the admin team what to do"
	case RecordReviewOutcome:
		return " with a review outcome"
	}
	return " with this reason"
}

// snapshot takes the write the form describes, against version.
func (f *form) snapshot(id int, ubrn, version string) write {
	w := write{id: id, action: f.action, ubrn: ubrn, version: version, comments: f.comments.Value(),
		priority: f.chosenPriority(), pas: f.chosenPAS(), files: f.att.Files()}
	if r, ok := f.chosenReason(); ok {
		w.reason = r.Coding
	}
	if f.outcome.picked() {
		w.outcome = outcomeCodes()[f.outcome.chosen]
	}
	return w
}

// confirmBody names the patient, the referral and the action, and what
// goes with it, so the user checks them before saying yes.
func confirmBody(w write, s ersclient.ReferralSummary, reasonText string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s for patient NHS number %s, UBRN %s.", Label(w.action), nhs(s.NHSNumber), w.ubrn)
	if reasonText != "" {
		fmt.Fprintf(&b, "\nReason: %s.", reasonText)
	}
	if w.outcome != "" {
		fmt.Fprintf(&b, "\nOutcome: %s.", w.outcome.Label())
	}
	if w.priority != "" {
		fmt.Fprintf(&b, "\nPriority: %s -> %s.", priorityText(s.Priority), w.priority.Label())
	}
	if w.pas != nil {
		if *w.pas {
			b.WriteString("\nThe appointment has been cancelled in PAS.")
		} else {
			b.WriteString("\nThe appointment has NOT yet been cancelled in PAS.")
		}
	}
	if n := len(w.files); n > 0 {
		fmt.Fprintf(&b, "\n%d file(s) will be uploaded and attached.", n)
	}
	return b.String()
}

// run sends the write: uploads first (nothing is written if one fails),
// then the action with the version as If-Match.
func (w write) run(ers screen.ERS, timeout func() (context.Context, context.CancelFunc)) writtenMsg {
	out := writtenMsg{id: w.id, files: w.files}
	if len(w.files) > 0 {
		ctx, cancel := timeout()
		files, failed, err := attach.UploadAll(ctx, ers, w.ubrn, w.files)
		cancel()
		out.files = files
		if err != nil {
			out.uploadFailed, out.err = failed, err
			return out
		}
	}
	ctx, cancel := timeout()
	defer cancel()
	switch w.action {
	case Accept:
		out.ref, out.err = ers.AcceptReferral(ctx, w.ubrn, w.version)
	case Reject:
		out.ref, out.err = ers.RejectReferral(ctx, ersclient.RejectReferralRequest{UBRN: w.ubrn, Version: w.version,
			Reason: w.reason, Comments: w.comments, AppointmentCancelledInPAS: w.pas})
	case CancelAppointmentActionLater:
		out.ref, out.err = ers.CancelAppointmentActionLater(ctx, ersclient.CancelAppointmentActionLaterRequest{
			UBRN: w.ubrn, Version: w.version, Comments: w.comments, Priority: w.priority,
			AppointmentCancelledInPAS: w.pas, Attachments: attach.Links(out.files)})
	case RecordReviewOutcome:
		out.ref, out.err = ers.RecordReviewOutcome(ctx, ersclient.ReviewOutcomeRequest{UBRN: w.ubrn, Version: w.version,
			Outcome: w.outcome, Comments: w.comments, Priority: w.priority, Attachments: attach.Links(out.files)})
	case CancelReferral:
		var res *ersclient.CancelReferralResult
		res, out.err = ers.CancelReferral(ctx, ersclient.CancelReferralRequest{UBRN: w.ubrn, Version: w.version,
			Reason: w.reason, Comments: w.comments})
		if res != nil {
			out.ref = res.UpdatedReferral
		}
	default:
		out.err = fmt.Errorf("no form for action %q", w.action)
	}
	return out
}

// applied reports whether the referral read back shows the write's
// change, not merely some change: the version moved on, and the state is
// the one the action leads to.
func (w write) applied(ref *ersclient.Referral) bool {
	s := ref.Summary()
	state, reason := s.State.Code, s.StateReason.Code
	switch w.action {
	case Accept:
		return state == ersclient.ReferralStateBooked
	case Reject:
		return state == ersclient.ReferralStateRejected
	case CancelAppointmentActionLater:
		return state == ersclient.ReferralStateTriagedProviderToAction && reason == CancelAppointmentActionLater
	case RecordReviewOutcome:
		if w.outcome == ersclient.ReviewReturnToReferrer {
			return state == ersclient.ReferralStateTriageResponse ||
				(state == ersclient.ReferralStateTriagedProviderToAction && reason == string(w.outcome))
		}
		return state == ersclient.ReferralStateTriagedProviderToAction
	case CancelReferral:
		return s.IsCancelled()
	}
	return false
}

// pastTense is the action done, for the worklist's note and the toast.
func pastTense(action string) string {
	switch action {
	case Accept:
		return "Accepted"
	case Reject:
		return "Rejected"
	case CancelAppointmentActionLater:
		return "Appointment cancelled, action later"
	case RecordReviewOutcome:
		return "Review outcome recorded"
	case CancelReferral:
		return "Cancelled"
	}
	return "Changed"
}

// succeeded tells every screen the referral changed, says so, and goes
// back to where the action was opened from.
func succeeded(action, ubrn string, ref *ersclient.Referral) tea.Cmd {
	done := pastTense(action)
	return tea.Batch(
		func() tea.Msg { return screen.ReferralChanged{UBRN: ubrn, Referral: ref, Action: done} },
		func() tea.Msg { return screen.Toast{Text: done + ": referral " + ubrn, Level: screen.Success} },
		func() tea.Msg { return screen.Back{} },
	)
}

// pasRequired reports e-RS saying the PAS question must be answered (an
// indirectly bookable service the form did not recognise as one).
func pasRequired(err error) bool {
	e, ok := ersclient.AsError(err)
	return ok && ersclient.IsBusinessRule(err) && strings.Contains(e.Diagnostics, "appointmentCancelledInPAS")
}

func nhs(n string) string {
	if n == "" {
		return "unknown"
	}
	return ersclient.FormatNHSNumber(n)
}

func priorityText(p ersclient.Priority) string {
	if p == "" {
		return "none"
	}
	return p.Label()
}
