package create

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

const (
	phaseSending   = "Sending"
	phaseReloading = "Reloading"
	phaseChecking  = "Checking"
)

// write is the form as confirmed: what is sent is exactly what the user
// said yes to, against that version.
type write struct {
	id        int
	nhs       string
	ubrn      string // the referral whose shortlist changes; "" creates
	version   string
	services  []ersclient.ShortlistedService
	names     []string
	criteria  ersclient.SearchCriteria
	intention ersclient.LetterIntention
	days      int
	triage    bool
	sentAt    time.Time
}

// Replies of the commands, each with the id of its request: a reply to an
// older request is dropped.
type (
	confirmedMsg struct{ id int }
	writtenMsg   struct {
		id  int
		ref *ersclient.Referral
		err error
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
	lookedUpMsg struct {
		id   int
		rows []ersclient.WorklistRow
		err  error
	}
)

func (m *Model) snapshot(id int) write {
	w := write{id: id, nhs: m.req.NHSNumber, criteria: m.req.Criteria, triage: m.triage && m.triageOffered(),
		intention: ersclient.LetterToFollow, sentAt: m.c.Now()}
	if m.noLetter {
		w.intention = ersclient.NoLetterIntended
	}
	w.days, _ = strconv.Atoi(m.days)
	for _, s := range m.req.Services {
		w.services = append(w.services, ersclient.ShortlistedService{ID: s.ID, Name: s.Name})
		w.names = append(w.names, serviceName(s))
	}
	if m.ref != nil {
		w.ubrn, w.version = m.ref.UBRN(), m.ref.Version
		if s := m.ref.Summary(); s.NHSNumber != "" {
			w.nhs = s.NHSNumber
		}
	}
	return w
}

func serviceName(s ersclient.ServiceResult) string {
	name := s.Name
	if name == "" {
		name = s.ID
	}
	if s.LocationName != "" {
		name += " (" + s.LocationName + ")"
	}
	return name
}

// verb is what the write does, for the confirmation and the busy line.
func (w write) verb() string {
	switch {
	case w.ubrn != "" && w.triage:
		return "Change shortlist and send for triage"
	case w.ubrn != "":
		return "Change shortlist"
	case w.triage:
		return "Create referral and send for triage"
	}
	return "Create referral"
}

// pastTense is the write done, for the worklist's note and the toast.
func (w write) pastTense() string {
	switch {
	case w.ubrn != "" && w.triage:
		return "Shortlist changed, sent for triage"
	case w.ubrn != "":
		return "Shortlist changed"
	case w.triage:
		return "Created, sent for triage"
	}
	return "Created"
}

// confirmBody names the patient, the referral (for a change), the
// services and what else is sent. again warns that a create whose outcome
// was never known may already exist.
func confirmBody(w write, again bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s for patient NHS number %s", w.verb(), ersclient.FormatNHSNumber(w.nhs))
	if w.ubrn != "" {
		fmt.Fprintf(&b, ", UBRN %s", w.ubrn)
	}
	b.WriteString(".\nShortlist:")
	for i, n := range w.names {
		fmt.Fprintf(&b, "\n  %d. %s", i+1, n)
	}
	fmt.Fprintf(&b, "\nLetter: %s. First reminder after %d days.", intentionText(w.intention), w.days)
	if w.ubrn != "" {
		b.WriteString("\nThe new shortlist replaces the current one and the referral goes back to not booked.")
	}
	if again {
		b.WriteString("\nWARNING: the last attempt got no answer and may have made this referral already; " +
			"creating again may make a duplicate.")
	}
	return b.String()
}

func intentionText(li ersclient.LetterIntention) string {
	if li == ersclient.NoLetterIntended {
		return "no letter intended"
	}
	return "letter to follow"
}

func (m *Model) timeout() func() (context.Context, context.CancelFunc) {
	t := m.c.Timeout
	return func() (context.Context, context.CancelFunc) { return context.WithTimeout(context.Background(), t) }
}

func busy(task string, on bool) tea.Cmd {
	return func() tea.Msg { return screen.Busy{Task: task, On: on} }
}

// send runs the confirmed write once; nothing retries it.
func (m *Model) send(id int) tea.Cmd {
	if m.pending == nil || m.pending.id != id || m.phase != "" || m.done != nil {
		return nil
	}
	m.phase = phaseSending
	m.clearFailure()
	m.notice, m.found = nil, nil
	w, ers, timeout := *m.pending, m.c.ERS, m.timeout()
	return tea.Batch(busy(w.verb(), true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		ref, err := w.run(ctx, ers)
		return writtenMsg{id: w.id, ref: ref, err: err}
	})
}

// run is the one call the write makes: A011, A021, A031 or A032.
func (w write) run(ctx context.Context, ers screen.ERS) (*ersclient.Referral, error) {
	create := ersclient.CreateReferralRequest{NHSNumber: w.nhs, Services: w.services, Criteria: w.criteria,
		LetterIntention: w.intention, FirstReminderLetterFollowUpDays: w.days}
	change := ersclient.ChangeShortlistRequest{UBRN: w.ubrn, Version: w.version, Services: w.services,
		Criteria: w.criteria, LetterIntention: w.intention, FirstReminderLetterFollowUpDays: w.days}
	switch {
	case w.ubrn != "" && w.triage:
		res, err := ers.ChangeShortlistAndSendForTriage(ctx, change)
		if err != nil || res == nil {
			return nil, err
		}
		return res.Referral, nil
	case w.ubrn != "":
		return ers.ChangeShortlist(ctx, change)
	case w.triage:
		return ers.CreateReferralAndSendForTriage(ctx, create)
	}
	return ers.CreateReferral(ctx, create)
}

// written handles the reply: success, a conflict (reload), an unknown
// outcome (read back), or a failure shown with the choices kept.
func (m *Model) written(msg writtenMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != phaseSending {
		return nil
	}
	w := *m.pending
	off := busy(w.verb(), false)
	err := msg.err
	switch {
	case err == nil && msg.ref != nil:
		m.phase = ""
		return tea.Batch(off, m.succeeded(w, msg.ref))
	case err == nil:
		m.phase = ""
		m.fail(fmt.Errorf("e-RS answered without the referral"), "e-RS gave no referral back. Check the worklists before trying again.", retryNone)
		return off
	case w.ubrn != "" && (ersclient.IsVersionConflict(err) || ersclient.IsLocked(err)):
		m.phase = phaseReloading
		return tea.Batch(off, m.reload(ersclient.IsLocked(err)))
	case ersclient.IsOutcomeUnknown(err) && w.ubrn != "":
		m.phase = phaseChecking
		return tea.Batch(off, m.reconcile())
	case ersclient.IsOutcomeUnknown(err):
		m.phase = phaseChecking
		m.fail(err, "e-RS did not answer, so it is not known whether the referral was made. "+
			"Looking for it on your worklists before anything is sent again.", retryNone)
		return tea.Batch(off, m.lookUp())
	}
	m.phase = ""
	lead := "e-RS did not create the referral. Your choices are kept."
	if w.ubrn != "" {
		lead = "e-RS did not change the shortlist. Your choices are kept."
	}
	m.fail(err, lead, retrySend)
	return off
}

// succeeded tells every screen about the referral, says so with its UBRN,
// and opens it so the user can add letters and book.
func (m *Model) succeeded(w write, ref *ersclient.Referral) tea.Cmd {
	m.done = ref
	m.touched, m.unsentOld = false, false
	ubrn := ref.UBRN()
	if ubrn == "" {
		ubrn = w.ubrn
	}
	done := w.pastTense()
	return tea.Batch(
		func() tea.Msg { return screen.ReferralChanged{UBRN: ubrn, Referral: ref, Action: done} },
		func() tea.Msg { return screen.Toast{Text: done + ": referral " + ubrn, Level: screen.Success} },
		func() tea.Msg { return screen.Open{Route: screen.RouteReferral, Arg: ubrn} },
	)
}

// reload reads the referral again after a conflict.
func (m *Model) reload(locked bool) tea.Cmd {
	m.seq++
	m.pending.id = m.seq
	id, ers, ubrn, timeout := m.seq, m.c.ERS, m.pending.ubrn, m.timeout()
	return tea.Batch(busy("Reloading referral", true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		ref, err := ers.RetrieveReferral(ctx, ubrn)
		return reloadedMsg{id: id, ref: ref, locked: locked, err: err}
	})
}

func (m *Model) reloaded(msg reloadedMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != phaseReloading {
		return nil
	}
	m.phase = ""
	off := busy("Reloading referral", false)
	if msg.err != nil {
		m.fail(msg.err, "The referral changed or is busy, and reading it again failed. Nothing was sent.", retryReload)
		return off
	}
	lead := "Someone else changed this referral while you were working, so nothing was sent."
	if msg.locked {
		lead = "Someone else is updating this referral right now, so nothing was sent."
	}
	m.ref = msg.ref
	s := msg.ref.Summary()
	m.notice = []string{lead, "It is now " + stateText(s) + ", version " + orNone(msg.ref.Version) + ".",
		"Your choices are kept. Check the referral, then send again."}
	return off
}

// reconcile reads the referral back after a change with no answer.
func (m *Model) reconcile() tea.Cmd {
	m.seq++
	m.pending.id = m.seq
	id, ers, w, timeout := m.seq, m.c.ERS, *m.pending, m.timeout()
	return tea.Batch(busy("Checking the referral", true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		rec, err := ers.ReconcileReferral(ctx, w.ubrn, w.version)
		return reconciledMsg{id: id, rec: rec, err: err}
	})
}

func (m *Model) reconciled(msg reconciledMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != phaseChecking {
		return nil
	}
	m.phase = ""
	w := *m.pending
	off := busy("Checking the referral", false)
	if msg.err != nil {
		m.fail(msg.err, "e-RS did not answer, and reading the referral back failed: the shortlist may or may not have changed. "+
			"Press r to check again before sending anything.", retryCheck)
		return off
	}
	rec := msg.rec
	if rec.Referral != nil {
		m.ref = rec.Referral
	}
	switch {
	case rec.Applied && rec.Referral != nil && sameShortlist(rec.Referral, w.services):
		return tea.Batch(off, m.succeeded(w, rec.Referral))
	case rec.Applied:
		m.notice = []string{"e-RS did not answer, and the referral has since changed, but its shortlist is not the one you sent: " +
			"someone else may have changed it (version " + orNone(rec.CurrentVersion) + " now).",
			"Your choices are kept. Check the referral before sending again."}
	case rec.NotApplied:
		m.notice = []string{"e-RS did not answer in time, and reading the referral back shows the shortlist was NOT changed " +
			"(still version " + orNone(rec.CurrentVersion) + ").", "Your choices are kept. Send again when you are ready."}
	default:
		m.notice = []string{"e-RS did not answer, and the referral read back does not show whether the shortlist changed " +
			"(version " + orNone(rec.SentVersion) + " sent, " + orNone(rec.CurrentVersion) + " now).",
			"Check the referral before sending again."}
	}
	return off
}

// sameShortlist reports the referral holding exactly the services sent.
func sameShortlist(ref *ersclient.Referral, sent []ersclient.ShortlistedService) bool {
	got := ref.Summary().Shortlist
	if len(got) != len(sent) {
		return false
	}
	for i := range got {
		if got[i].ID != sent[i].ID {
			return false
		}
	}
	return true
}

func stateText(s ersclient.ReferralSummary) string {
	if l := s.State.Label(); l != "" {
		return l
	}
	return "in an unknown state"
}
