package booking

import (
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// confirm validates, takes the snapshot and asks: the confirmation's yes
// sends exactly what it names.
func (m *Model) confirm(a action) tea.Cmd {
	s, _ := m.current()
	sum := m.summary()
	m.seq++
	w := write{id: m.seq, action: a, ubrn: m.ref.UBRN(), version: m.ref.Version, nhsNumber: sum.NHSNumber, service: s}
	switch a {
	case actBook:
		slot, ok := m.list.selected()
		if !ok {
			return nil
		}
		w.slot = slot
		if m.needsReopen() {
			services, criteria, _ := ersclient.ReferralShortlist(m.ref.Resource)
			w.reopen, w.shortlist, w.criteria = true, services, criteria
			// The letters already sent stay; say whether more are coming.
			w.intention = ersclient.LetterToFollow
			if len(sum.Attachments) > 0 {
				w.intention = ersclient.NoLetterIntended
			}
		}
	case actDefer, actCancel:
		if !m.form.validate() {
			return m.setFormFocus(m.form.focus)
		}
		o, _ := m.form.picked()
		w.comment = m.form.comment.Value()
		if a == actDefer {
			w.deferReason = o.deferral
			if o.deferral == ersclient.SlotNotAvailable {
				w.lostSlot = m.lostSlot
			}
		} else {
			if m.appt == nil {
				return nil
			}
			w.appt, w.cancelReason = m.appt, o.coding
		}
	}
	m.pending = &w
	id := w.id
	c := screen.Confirm{
		Title: a.verb() + "?",
		Body:  w.confirmBody(m.slotWhen),
		Yes:   a.verb(),
		OnYes: func() tea.Msg { return confirmedMsg{id: id} },
	}
	return func() tea.Msg { return c }
}

// slotWhen is a slot's day, time, clinician and place, in words.
func (m *Model) slotWhen(s ersclient.SlotView) string {
	loc := m.c.Now().Location()
	t := s.Start.In(loc).Format("Monday 2 January 2006 15:04")
	if !s.End.IsZero() {
		t += "-" + s.End.In(loc).Format("15:04")
	}
	if s.ClinicianName != "" {
		t += " with " + s.ClinicianName
	}
	if s.Location != "" {
		t += " at " + s.Location
	}
	return t
}

// send starts the confirmed write.
func (m *Model) send(id int) tea.Cmd {
	if m.pending == nil || m.pending.id != id || m.phase != "" {
		return nil
	}
	w, ers, timeout := *m.pending, m.c.ERS, m.timeout()
	m.phase = "Sending"
	m.clearFailure()
	m.notice = nil
	return tea.Batch(busy(w.action.verb(), true), func() tea.Msg { return w.run(ers, timeout) })
}

// written handles the write's reply: success, a conflict or a lost slot
// (reload and choose again), an unknown outcome (read back first), or a
// refusal shown with everything kept.
func (m *Model) written(msg writtenMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != "Sending" {
		return nil
	}
	w := m.pending
	off := busy(w.action.verb(), false)
	if msg.reopened != nil {
		// A031 went through: the referral is NOT_BOOKED at a new version.
		m.ref, w.version, w.reopen = msg.reopened, msg.reopened.Version, false
	}
	err := msg.err
	m.phase = ""
	switch {
	case err == nil:
		return tea.Batch(off, m.succeed(*w, msg.ref))
	case ersclient.IsOutcomeUnknown(err):
		m.phase = "Checking"
		w.reopenStep = msg.step == "reopen"
		m.notice = []string{outcomeWords(err, *w)}
		return tea.Batch(off, m.reconcile())
	case ersclient.IsVersionConflict(err) || ersclient.IsLocked(err) || slotGone(err):
		lead := "Someone else changed this referral while you were working, so nothing was booked."
		switch {
		case ersclient.IsLocked(err):
			lead = "Someone else is updating this referral right now, so nothing was changed."
		case slotGone(err):
			lead = "That slot was taken before your booking reached e-RS, so nothing was booked."
			m.lostSlot = w.slot.ID
		}
		m.notice = []string{lead}
		m.phase = "Reloading"
		return tea.Batch(off, m.reload())
	}
	lead := "e-RS did not make the change; nothing was sent twice. Your choices are kept."
	if msg.step == "reopen" {
		lead = "e-RS did not accept the shortlist again, so nothing was booked."
	}
	m.fail(err, lead, retryNone)
	m.notice = refusalWords(err)
	return off
}

// succeed reports success; a cancellation stays on the screen to rebook.
func (m *Model) succeed(w write, ref *ersclient.Referral) tea.Cmd {
	what := ""
	if w.action == actBook {
		what = " " + m.slotWhen(w.slot)
	}
	if w.action != actCancel {
		m.done = true
		return succeeded(w.action, w.ubrn, ref, what)
	}
	if ref != nil {
		m.ref = ref
	}
	m.mode, m.appt, m.pending = modeSlots, nil, nil
	m.form = newForm(nil, -1)
	m.notice = []string{"The appointment is cancelled. Choose a slot to book again, or defer to the provider."}
	return tea.Batch(succeeded(w.action, w.ubrn, ref, ""), m.loadSlots(false))
}

// reload reads the referral and the slots again after a conflict or a
// lost slot; the service and the place in the list are kept.
func (m *Model) reload() tea.Cmd {
	m.seq++
	id, ers, ubrn, timeout := m.seq, m.c.ERS, m.ref.UBRN(), m.timeout()
	m.pending.id = id
	return tea.Batch(busy("Reloading referral", true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		ref, err := ers.RetrieveReferral(ctx, ubrn)
		return referralMsg{id: id, ref: ref, err: err}
	})
}

func (m *Model) reloaded(msg referralMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != "Reloading" {
		return nil
	}
	m.phase = ""
	off := busy("Reloading referral", false)
	if msg.err != nil {
		m.fail(msg.err, "Reading the referral again failed. Nothing was sent.", retryReload)
		return off
	}
	m.ref = msg.ref
	m.pending = nil
	if m.canAct() {
		m.notice = append(m.notice, "The referral and the slots are reloaded: choose a slot again, or press d to defer to the provider.")
	} else {
		m.notice = append(m.notice, "The referral is now "+stateWords(m.summary())+": it cannot be booked here.")
	}
	return tea.Batch(off, m.loadSlots(false))
}

// reconcile reads the record back after a write with no answer; the write
// is never sent again without the user.
func (m *Model) reconcile() tea.Cmd {
	m.seq++
	m.pending.id = m.seq
	id, ers, w, timeout := m.seq, m.c.ERS, *m.pending, m.timeout()
	return tea.Batch(busy("Checking the referral", true), func() tea.Msg {
		return w.reconcile(ers, timeout, id, w.version)
	})
}

func (m *Model) reconciled(msg reconciledMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != "Checking" {
		return nil
	}
	m.phase = ""
	w := *m.pending
	off := busy("Checking the referral", false)
	if msg.err != nil {
		m.fail(msg.err, "Reading the referral back failed: the change may or may not have been made. "+
			"Press r to check again before doing anything else.", retryReconcile)
		return off
	}
	if w.applied(msg) {
		return tea.Batch(off, m.succeed(w, msg.ref))
	}
	if msg.ref != nil {
		m.ref = msg.ref
	}
	switch {
	case w.reopenStep && msg.rec != nil && msg.rec.Applied && m.summary().State.Code == ersclient.ReferralStateNotBooked:
		m.notice = append(m.notice, "Reading the referral back shows the shortlist was confirmed again, but the slot was NOT booked. Press enter to book it.")
	case w.action == actCancel:
		m.notice = append(m.notice, "Reading the appointment back shows it is NOT cancelled (it is "+apptStatus(msg.appt)+
			"). Press enter to send the cancellation again when you are ready.")
	case msg.rec != nil && msg.rec.NotApplied:
		m.notice = append(m.notice, "Reading the referral back shows nothing was changed (still version "+msg.rec.CurrentVersion+").")
		if w.action == actBook {
			m.unanswered = true
			m.notice = append(m.notice, "Press enter to try the booking again, choose another slot, or press d to defer to the provider (booking attempt problem).")
		} else {
			m.notice = append(m.notice, "Send it again when you are ready.")
		}
	case msg.rec != nil && msg.rec.Applied:
		m.notice = append(m.notice, "The referral has changed since, but not as you asked (it is now "+stateWords(m.summary())+
			"): someone else may have changed it. Check it before doing anything else.")
	default:
		m.notice = append(m.notice, "The referral read back does not show whether the change was made. Check it in the referral screen before trying again.")
	}
	m.pending = nil
	if w.action != actCancel {
		return tea.Batch(off, m.loadSlots(false))
	}
	return off
}

// doRetry repeats what failed.
func (m *Model) doRetry() tea.Cmd {
	r := m.retry
	m.clearFailure()
	switch r {
	case retryServices:
		return m.loadServices()
	case retrySlots:
		return m.loadSlots(m.list.page > 0)
	case retryCancel:
		return m.loadCancel()
	case retryReload:
		if m.pending == nil {
			return nil
		}
		m.phase = "Reloading"
		return m.reload()
	case retryReconcile:
		if m.pending == nil {
			return nil
		}
		m.phase = "Checking"
		return m.reconcile()
	}
	return nil
}

func (m *Model) fail(err error, lead string, retry retryKind) {
	m.failure, m.failureLead, m.retry = err, lead, retry
}

// clearFailure forgets the last failure and its retry.
func (m *Model) clearFailure() { m.failure, m.failureLead, m.retry = nil, "", retryNone }

func apptStatus(a *ersclient.AppointmentView) string {
	if a == nil || a.Status == "" {
		return "unknown"
	}
	return a.Status
}
