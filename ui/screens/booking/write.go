package booking

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// action is a write this screen makes.
type action int

const (
	actBook action = iota + 1
	actDefer
	actTriage
	actCancel
)

// verb is the action as the confirmation's yes names it.
func (a action) verb() string {
	switch a {
	case actBook:
		return "Book appointment"
	case actDefer:
		return "Defer to provider"
	case actTriage:
		return "Send for triage"
	case actCancel:
		return "Cancel appointment"
	}
	return ""
}

// done is the action done, for the toast and the worklist's note.
func (a action) done() string {
	switch a {
	case actBook:
		return "Booked"
	case actDefer:
		return "Deferred to provider"
	case actTriage:
		return "Sent for triage"
	case actCancel:
		return "Appointment cancelled"
	}
	return "Changed"
}

// write is a snapshot taken when the confirmation opens: what is sent is
// exactly what the user confirmed, against that version.
type write struct {
	id        int
	action    action
	ubrn      string
	version   string // the referral's version (A016 carries it in the body)
	nhsNumber string
	service   service
	slot      ersclient.SlotView
	// reopen: the referral's appointment was cancelled, so e-RS needs the
	// shortlist confirmed again (A031) before it can be booked (A016).
	reopen bool
	// reopenStep: A031 itself got no answer (nothing was booked).
	reopenStep bool
	shortlist  []ersclient.ShortlistedService
	criteria   ersclient.SearchCriteria
	intention  ersclient.LetterIntention

	deferReason ersclient.DeferralReason
	lostSlot    string
	comment     string

	appt         *ersclient.AppointmentView // A034: the appointment as read (A038)
	cancelReason fhir.Coding
}

// Results of the commands, each with the id of its request: replies to an
// older request are dropped.
type (
	servicesMsg struct {
		id   int
		list *ersclient.ServiceList
		err  error
	}
	slotsMsg struct {
		id      int
		service string
		more    bool // a further page, not a refresh
		page    *ersclient.SlotPage
		err     error
	}
	apptMsg struct {
		id   int
		appt *ersclient.AppointmentView
		err  error
	}
	reasonsMsg struct {
		id   int
		data *ersclient.ReferenceData
		err  error
	}
	confirmedMsg struct{ id int }
	writtenMsg   struct {
		id   int
		appt *ersclient.AppointmentView
		// reopened is the referral after A031, when the write did it first:
		// from then on its version is the one to send.
		reopened *ersclient.Referral
		// step is "reopen" when A031 failed (nothing was booked).
		step string
		err  error
		// ref is the referral read back after success (nil if that failed).
		ref *ersclient.Referral
	}
	referralMsg struct {
		id  int
		ref *ersclient.Referral
		err error
	}
	reconciledMsg struct {
		id   int
		rec  *ersclient.Reconciliation
		appt *ersclient.AppointmentView // A034's outcome: the appointment read back
		ref  *ersclient.Referral
		err  error
	}
)

type timeoutFunc func() (context.Context, context.CancelFunc)

// run sends the write, then reads the referral back for the other screens.
func (w write) run(ers screen.ERS, timeout timeoutFunc) writtenMsg {
	out := writtenMsg{id: w.id}
	version := w.version
	if w.reopen {
		ctx, cancel := timeout()
		ref, err := ers.ChangeShortlist(ctx, ersclient.ChangeShortlistRequest{UBRN: w.ubrn, Version: version,
			Services: w.shortlist, Criteria: w.criteria, LetterIntention: w.intention})
		cancel()
		if err != nil {
			out.step, out.err = "reopen", err
			return out
		}
		out.reopened, version = ref, ref.Version
	}
	ctx, cancel := timeout()
	switch w.action {
	case actBook:
		out.appt, out.err = ers.BookAppointment(ctx, ersclient.BookRequest{UBRN: w.ubrn, Version: version, Slot: w.slot,
			ServiceID: w.service.ID, ServiceName: w.service.name(), NHSNumber: w.nhsNumber})
	case actDefer:
		out.appt, out.err = ers.DeferToProvider(ctx, ersclient.DeferRequest{UBRN: w.ubrn, Version: version,
			Reason: w.deferReason, LostSlotID: w.lostSlot, Comment: w.comment, ServiceID: w.service.ID, NHSNumber: w.nhsNumber})
	case actTriage:
		out.appt, out.err = ers.SendForTriage(ctx, ersclient.TriageRequest{UBRN: w.ubrn, Version: version,
			ServiceID: w.service.ID, NHSNumber: w.nhsNumber})
	case actCancel:
		out.appt, out.err = ers.CancelAppointment(ctx, ersclient.CancelAppointmentRequest{Appointment: w.appt.Resource,
			AppointmentID: w.appt.ID, Version: w.appt.Version, Reason: w.cancelReason, Comment: w.comment})
	default:
		out.err = fmt.Errorf("booking: no write for action %d", w.action)
	}
	cancel()
	if out.err == nil {
		out.ref = readBack(ers, timeout, w.ubrn)
	}
	return out
}

// readBack reads the referral after a write; nil when that fails (the
// write stands: the other screens then reload it themselves).
func readBack(ers screen.ERS, timeout timeoutFunc, ubrn string) *ersclient.Referral {
	ctx, cancel := timeout()
	defer cancel()
	ref, err := ers.RetrieveReferral(ctx, ubrn)
	if err != nil {
		return nil
	}
	return ref
}

// reconcile reads the record back after a write with no answer. A016 (and
// A031) raise the referral's version; A034 changes the appointment, so it
// is read back itself.
func (w write) reconcile(ers screen.ERS, timeout timeoutFunc, id int, version string) reconciledMsg {
	out := reconciledMsg{id: id}
	ctx, cancel := timeout()
	defer cancel()
	if w.action == actCancel {
		out.appt, out.err = ers.RetrieveAppointment(ctx, w.appt.ID)
		if out.err == nil {
			out.ref, _ = ers.RetrieveReferral(ctx, w.ubrn)
		}
		return out
	}
	out.rec, out.err = ers.ReconcileReferral(ctx, w.ubrn, version)
	if out.rec != nil {
		out.ref = out.rec.Referral
	}
	return out
}

// applied reports whether what was read back shows this write's change,
// not merely some change.
func (w write) applied(rec reconciledMsg) bool {
	if w.action == actCancel {
		return rec.appt != nil && rec.appt.Status == ersclient.AppointmentCancelled
	}
	if rec.rec == nil || !rec.rec.Applied || rec.ref == nil {
		return false
	}
	s := rec.ref.Summary()
	switch w.action {
	case actBook:
		a := s.Appointment
		return s.State.Code == ersclient.ReferralStateBooked && a != nil &&
			(a.Start.IsZero() || w.slot.Start.IsZero() || a.Start.Equal(w.slot.Start))
	case actDefer:
		return s.State.Code == ersclient.ReferralStateDeferredToProvider
	case actTriage:
		return s.State.Code == ersclient.ReferralStateAwaitingTriage
	}
	return false
}

// confirmBody names the patient, the referral, the service and the slot.
func (w write) confirmBody(loc func(t ersclient.SlotView) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s for patient NHS number %s, UBRN %s.", w.action.verb(), nhs(w.nhsNumber), w.ubrn)
	switch w.action {
	case actBook:
		fmt.Fprintf(&b, "\nService: %s.\nSlot: %s.", w.service.name(), loc(w.slot))
		if w.reopen {
			b.WriteString("\nThe appointment was cancelled, so e-RS needs the same shortlist confirmed again first; then the slot is booked.")
		}
	case actDefer:
		fmt.Fprintf(&b, "\nService: %s.\nReason: %s.", w.service.name(), deferLabel(w.deferReason))
		b.WriteString("\nThe provider will contact the patient to arrange the appointment.")
	case actTriage:
		fmt.Fprintf(&b, "\nService: %s.\nThe service will review the referral and decide what happens next.", w.service.name())
	case actCancel:
		fmt.Fprintf(&b, "\nAppointment: %s.", apptText(w.appt))
		b.WriteString("\nThe slot is released; you can then book another.")
	}
	return b.String()
}

// succeeded tells every screen the referral changed and says so; a booking,
// deferral or triage then goes back, a cancellation stays to rebook.
func succeeded(a action, ubrn string, ref *ersclient.Referral, what string) tea.Cmd {
	cmds := []tea.Cmd{
		func() tea.Msg { return screen.ReferralChanged{UBRN: ubrn, Referral: ref, Action: a.done()} },
		func() tea.Msg {
			return screen.Toast{Text: a.done() + what + ": referral " + ubrn, Level: screen.Success}
		},
	}
	if a != actCancel {
		cmds = append(cmds, func() tea.Msg { return screen.Back{} })
	}
	return tea.Batch(cmds...)
}

func nhs(n string) string {
	if n == "" {
		return "unknown"
	}
	return ersclient.FormatNHSNumber(n)
}

func apptText(a *ersclient.AppointmentView) string {
	if a == nil {
		return "unknown"
	}
	t := a.Start.Format("Mon 2 Jan 2006 15:04")
	if a.Start.IsZero() {
		t = "no time"
	}
	if a.ServiceName != "" {
		t += " at " + a.ServiceName
	}
	return t
}
