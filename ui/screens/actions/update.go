package actions

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// key handles a key press. While a text field has focus it gets every key
// but tab, shift+tab and esc (and enter in the file path field).
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if !m.usable() || m.phase != "" || m.done {
		return nil
	}
	k := m.keys
	// The attachments take the keys they use (all of them while the picker
	// is open); the others move about the form.
	if m.f.focus == fieldAttach && m.f.att.Handles(msg) {
		return m.f.att.Update(msg)
	}
	switch {
	case key.Matches(msg, k.Next):
		return m.moveFocus(1)
	case key.Matches(msg, k.Prev):
		return m.moveFocus(-1)
	}
	if m.focusText() {
		switch {
		case key.Matches(msg, k.Leave):
			return m.setFocus(fieldSend)
		}
		return m.updateField(msg)
	}
	switch {
	case key.Matches(msg, k.Up):
		if !m.moveInList(-1) {
			return m.moveFocus(-1)
		}
	case key.Matches(msg, k.Down):
		if !m.moveInList(1) {
			return m.moveFocus(1)
		}
	case key.Matches(msg, k.Choose):
		m.chooseInList()
	case key.Matches(msg, k.Enter):
		if m.f.focus == fieldSend {
			return m.submit()
		}
		if m.focusList() {
			m.chooseInList()
			return m.moveFocus(1)
		}
	case key.Matches(msg, k.Retry):
		return m.doRetry()
	}
	return nil
}

// updateField passes a message to the focused text field.
func (m *Model) updateField(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch m.f.focus {
	case fieldComments:
		m.f.comments, cmd = m.f.comments.Update(msg)
	}
	return cmd
}

// moveFocus moves to the next (d=1) or previous (d=-1) field, stopping
// at the ends.
func (m *Model) moveFocus(d int) tea.Cmd {
	fs := m.f.fields()
	i := indexOf(fs, m.f.focus)
	to := min(max(i+d, 0), len(fs)-1)
	return m.setFocus(fs[to])
}

func indexOf(fs []fieldID, id fieldID) int {
	for i, x := range fs {
		if x == id {
			return i
		}
	}
	return 0
}

// setFocus moves the focus, focusing or blurring the text fields.
func (m *Model) setFocus(id fieldID) tea.Cmd {
	if !m.f.has(id) {
		id = m.f.fields()[0]
	}
	m.f.focus = id
	return m.focusCmd()
}

func (m *Model) focusCmd() tea.Cmd {
	m.f.comments.Blur()
	m.f.att.Blur()
	switch m.f.focus {
	case fieldComments:
		return m.f.comments.Focus()
	case fieldAttach:
		m.f.att.Focus()
	}
	return nil
}

// moveInList moves the cursor of the focused list; false at its ends.
func (m *Model) moveInList(d int) bool {
	switch m.f.focus {
	case fieldReason:
		return m.f.reason.move(d)
	case fieldOutcome:
		return m.f.outcome.move(d)
	case fieldPriority:
		return m.f.priority.move(d)
	case fieldPAS:
		return m.f.pas.move(d)
	}
	return false
}

// chooseInList picks the highlighted option of the focused list.
func (m *Model) chooseInList() {
	switch m.f.focus {
	case fieldReason:
		m.f.reason.choose()
		delete(m.f.errs, fieldReason)
	case fieldOutcome:
		m.f.outcome.choose()
		delete(m.f.errs, fieldOutcome)
	case fieldPriority:
		m.f.priority.choose()
	case fieldPAS:
		m.f.pas.choose()
		delete(m.f.errs, fieldPAS)
	}
}

// submit validates the form and asks for confirmation; the confirmation's
// yes sends exactly the snapshot taken now.
func (m *Model) submit() tea.Cmd {
	if m.reasonType() != "" && m.refData == nil {
		m.f.errs[fieldReason] = "The reasons have not loaded yet."
		return m.setFocus(fieldReason)
	}
	if !m.f.validate() {
		return m.focusCmd()
	}
	m.seq++
	s := m.ref.Summary()
	w := m.f.snapshot(m.seq, s.UBRN, m.ref.Version)
	if w.ubrn == "" {
		w.ubrn = m.ref.UBRN()
	}
	m.pending = &w
	reasonText := ""
	if r, ok := m.f.chosenReason(); ok {
		reasonText = r.Display
	}
	id := w.id
	c := screen.Confirm{
		Title: Label(w.action) + "?",
		Body:  confirmBody(w, s, reasonText),
		Yes:   Label(w.action),
		OnYes: func() tea.Msg { return confirmedMsg{id: id} },
	}
	return func() tea.Msg { return c }
}

// send starts the confirmed write.
func (m *Model) send(id int) tea.Cmd {
	if m.pending == nil || m.pending.id != id || m.phase != "" {
		return nil
	}
	w, ers, timeout := *m.pending, m.c.ERS, m.timeoutFunc()
	m.phase = "Sending"
	m.clearFailure()
	m.notice = nil
	return tea.Batch(busy(Label(w.action), true), func() tea.Msg { return w.run(ers, timeout) })
}

// timeoutFunc captures the timeout for a command's goroutine.
func (m *Model) timeoutFunc() func() (context.Context, context.CancelFunc) {
	t := m.c.Timeout
	return func() (context.Context, context.CancelFunc) { return context.WithTimeout(context.Background(), t) }
}

// written handles the write's reply: success, a conflict (reload), an
// unknown outcome (read back), or a failure shown with the form kept.
func (m *Model) written(msg writtenMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != "Sending" {
		return nil
	}
	w := *m.pending
	off := busy(Label(w.action), false)
	// Keep the upload ids, so a second attempt links the same files.
	m.f.att.SetFiles(keepIDs(m.f.att.Files(), msg.files))
	m.pending.files = msg.files
	err := msg.err
	switch {
	case err == nil:
		m.phase, m.done = "", true
		ref := msg.ref
		if ref == nil {
			ref = m.ref
		}
		return tea.Batch(off, succeeded(w.action, w.ubrn, ref))
	case msg.uploadFailed != "":
		m.phase = ""
		m.fail(err, "Uploading "+msg.uploadFailed+" failed, so nothing was sent.", retrySend)
		return off
	case ersclient.IsVersionConflict(err) || ersclient.IsLocked(err):
		m.phase = "Reloading"
		return tea.Batch(off, m.reload(ersclient.IsLocked(err)))
	case ersclient.IsOutcomeUnknown(err):
		m.phase = "Checking"
		return tea.Batch(off, m.reconcile())
	case pasRequired(err) && (w.action == Reject || w.action == CancelAppointmentActionLater):
		m.phase = ""
		m.f.pasNeeded = true
		m.f.errs[fieldPAS] = "e-RS needs this answer for this service."
		m.fail(err, "e-RS refused the action: one more answer is needed.", retrySend)
		return tea.Batch(off, m.setFocus(fieldPAS))
	}
	m.phase = ""
	m.fail(err, "e-RS did not make the change. Your entries are kept.", retrySend)
	return off
}

func (m *Model) fail(err error, lead string, retry retryKind) {
	m.failure, m.failureLead, m.retry = err, lead, retry
}

// reload reads the referral again after a conflict.
func (m *Model) reload(locked bool) tea.Cmd {
	m.seq++
	m.pending.id = m.seq
	id, ers, ubrn, timeout := m.seq, m.c.ERS, m.pending.ubrn, m.timeoutFunc()
	return tea.Batch(busy("Reloading referral", true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		ref, err := ers.RetrieveReferral(ctx, ubrn)
		return reloadedMsg{id: id, ref: ref, locked: locked, err: err}
	})
}

// reloaded shows what changed and lets the user send again against the
// new version, with everything typed kept.
func (m *Model) reloaded(msg reloadedMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != "Reloading" {
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
	m.showChange(msg.ref, lead)
	return off
}

// showChange moves the form onto a newer copy of the referral and says
// what differs; what the user typed stays.
func (m *Model) showChange(ref *ersclient.Referral, lead string) {
	diff := changes(m.ref, ref)
	m.ref = ref
	m.applyReasons()
	m.notice = append([]string{lead}, diff...)
	if len(diff) == 0 {
		m.notice = append(m.notice, "Nothing has changed yet (version "+orNone(ref.Version)+").")
	}
	m.notice = append(m.notice, "Your entries are kept. Check them against the referral as it is now, then send again.")
}

// reconcile reads the referral back after a write with no answer: it is
// never sent again without the user.
func (m *Model) reconcile() tea.Cmd {
	m.seq++
	m.pending.id = m.seq
	id, ers, w, timeout := m.seq, m.c.ERS, *m.pending, m.timeoutFunc()
	return tea.Batch(busy("Checking the referral", true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		rec, err := ers.ReconcileReferral(ctx, w.ubrn, w.version)
		return reconciledMsg{id: id, rec: rec, err: err}
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
		m.fail(msg.err, "e-RS did not answer, and reading the referral back failed: the change may or may not have been made. "+
			"Press r to check again before sending anything.", retryReconcile)
		return off
	}
	rec := msg.rec
	switch {
	case rec.Applied && rec.Referral != nil && w.applied(rec.Referral):
		m.done = true
		return tea.Batch(off, succeeded(w.action, w.ubrn, rec.Referral))
	case rec.Applied && rec.Referral != nil:
		m.showChange(rec.Referral, "e-RS did not answer, and the referral has since changed, but not as you asked: someone else may have changed it.")
	case rec.NotApplied:
		if rec.Referral != nil {
			m.ref = rec.Referral
		}
		m.notice = []string{"e-RS did not answer in time, and reading the referral back shows the change was NOT made " +
			"(still version " + orNone(rec.CurrentVersion) + ").",
			"Your entries are kept. Send again when you are ready."}
	default:
		if rec.Referral != nil {
			m.ref = rec.Referral
		}
		m.notice = []string{"e-RS did not answer, and the referral read back does not show whether the change was made " +
			"(version " + orNone(rec.SentVersion) + " sent, " + orNone(rec.CurrentVersion) + " now).",
			"Check the referral before sending again."}
	}
	return off
}

// doRetry repeats what failed.
func (m *Model) doRetry() tea.Cmd {
	switch m.retry {
	case retryReasons:
		return m.loadReasons()
	case retryReload:
		m.clearFailure()
		m.phase = "Reloading"
		return m.reload(false)
	case retryReconcile:
		m.clearFailure()
		m.phase = "Checking"
		return m.reconcile()
	case retrySend:
		return m.submit()
	}
	return nil
}
