package letters

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// write is the set of letters as confirmed, against that version.
type write struct {
	id      int
	ubrn    string
	nhs     string
	version string
	keep    []ersclient.FileLink // the letters on the referral now: A012 replaces the set
	files   []attach.File        // the new files; IDs once uploaded
}

type (
	confirmedMsg struct{ id int }
	writtenMsg   struct {
		id           int
		ref          *ersclient.Referral
		files        []attach.File
		uploadFailed string // the file whose upload failed; nothing was set
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

// current is the referral's letters now, as A012 takes them back.
func (m *Model) current() []ersclient.FileLink {
	if m.ref == nil {
		return nil
	}
	return ersclient.LettersOnReferral(m.ref.Resource)
}

// submit snapshots the letters and asks, saying that the set is replaced.
func (m *Model) submit() tea.Cmd {
	if !m.usable() || m.phase != "" || !m.files.Dirty() {
		return nil
	}
	m.seq++
	w := write{id: m.seq, ubrn: m.ref.UBRN(), nhs: m.ref.Summary().NHSNumber, version: m.ref.Version,
		keep: m.current(), files: m.files.Files()}
	m.pending = &w
	id := w.id
	return func() tea.Msg {
		return screen.Confirm{Title: "Set referral letters", Body: confirmBody(w), Yes: "Set letters",
			OnYes: func() tea.Msg { return confirmedMsg{id: id} }}
	}
}

func confirmBody(w write) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Set the referral letters for patient NHS number %s, UBRN %s.\n", nhs(w.nhs), w.ubrn)
	b.WriteString("This REPLACES the referral's whole set of letters with the list below; a letter not listed would be removed.\n")
	if len(w.keep) == 0 {
		b.WriteString("The referral has no letters now.")
	} else {
		fmt.Fprintf(&b, "Kept (%d):", len(w.keep))
		for _, l := range w.keep {
			b.WriteString("\n  " + letterName(l))
		}
	}
	fmt.Fprintf(&b, "\nAdded (%d, uploaded first):", len(w.files))
	for _, f := range w.files {
		b.WriteString("\n  " + f.Name)
	}
	return b.String()
}

func letterName(l ersclient.FileLink) string {
	if l.Description != "" {
		return l.Description
	}
	return l.BinaryID
}

func nhs(n string) string {
	if n == "" {
		return "unknown"
	}
	return ersclient.FormatNHSNumber(n)
}

func (m *Model) timeout() func() (context.Context, context.CancelFunc) {
	t := m.c.Timeout
	return func() (context.Context, context.CancelFunc) { return context.WithTimeout(context.Background(), t) }
}

func busy(task string, on bool) tea.Cmd {
	return func() tea.Msg { return screen.Busy{Task: task, On: on} }
}

// send uploads the new files (once each) and sets the whole set.
func (m *Model) send(id int) tea.Cmd {
	if m.pending == nil || m.pending.id != id || m.phase != "" {
		return nil
	}
	m.phase = phaseSending
	m.clearFailure()
	m.notice = nil
	w, ers, timeout := *m.pending, m.c.ERS, m.timeout()
	return tea.Batch(busy("Setting letters", true), func() tea.Msg {
		out := writtenMsg{id: w.id}
		ctx, cancel := timeout()
		files, failed, err := attach.UploadAll(ctx, ers, w.ubrn, w.files)
		cancel()
		out.files = files
		if err != nil {
			out.uploadFailed, out.err = failed, err
			return out
		}
		ctx, cancel = timeout()
		defer cancel()
		letters := append(append([]ersclient.FileLink{}, w.keep...), attach.Links(files)...)
		out.ref, out.err = ers.MaintainReferralLetters(ctx, ersclient.MaintainLettersRequest{UBRN: w.ubrn,
			Version: w.version, Letters: letters})
		return out
	})
}

func (m *Model) written(msg writtenMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != phaseSending {
		return nil
	}
	off := busy("Setting letters", false)
	// Keep the upload ids, so a second attempt links the same files.
	m.files.SetFiles(msg.files)
	m.pending.files = msg.files
	err := msg.err
	switch {
	case err == nil:
		m.phase = ""
		return tea.Batch(off, m.succeeded(msg.ref))
	case msg.uploadFailed != "":
		m.phase = ""
		m.fail(err, "Uploading "+msg.uploadFailed+" failed, so the letters were not changed.", retrySend)
		return off
	case ersclient.IsVersionConflict(err) || ersclient.IsLocked(err):
		m.phase = phaseReloading
		return tea.Batch(off, m.reload(ersclient.IsLocked(err)))
	case ersclient.IsOutcomeUnknown(err):
		m.phase = phaseChecking
		return tea.Batch(off, m.reconcile())
	}
	m.phase = ""
	m.fail(err, "e-RS did not set the letters. The files you chose are kept.", retrySend)
	return off
}

// succeeded shows the referral's new letters and tells the other screens.
func (m *Model) succeeded(ref *ersclient.Referral) tea.Cmd {
	if ref == nil {
		ref = m.ref
	}
	m.ref = ref
	m.files.SetFiles(nil)
	m.pending = nil
	ubrn := ref.UBRN()
	m.notice = []string{"The referral's letters are set (version " + orNone(ref.Version) + ")."}
	return tea.Batch(
		func() tea.Msg { return screen.ReferralChanged{UBRN: ubrn, Referral: ref, Action: "Letters updated"} },
		func() tea.Msg { return screen.Toast{Text: "Letters updated: referral " + ubrn, Level: screen.Success} },
	)
}

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

// reloaded shows the referral's letters as they are now; the files chosen
// (and their uploads) are kept for the next send.
func (m *Model) reloaded(msg reloadedMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != phaseReloading {
		return nil
	}
	m.phase = ""
	off := busy("Reloading referral", false)
	if msg.err != nil {
		m.fail(msg.err, "The referral changed or is busy, and reading it again failed. The letters were not changed.", retryLoad)
		return off
	}
	lead := "Someone else changed this referral while you were working, so the letters were not changed."
	if msg.locked {
		lead = "Someone else is updating this referral right now, so the letters were not changed."
	}
	m.ref = msg.ref
	m.notice = []string{lead, "Its letters are shown as they are now (version " + orNone(msg.ref.Version) + "). " +
		"Your files are kept: check the list, then press s to send again."}
	return off
}

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
	off := busy("Checking the referral", false)
	if msg.err != nil {
		m.fail(msg.err, "e-RS did not answer, and reading the referral back failed: the letters may or may not have been set. "+
			"Press r to check again before sending anything.", retryCheck)
		return off
	}
	rec := msg.rec
	if rec.Referral != nil {
		m.ref = rec.Referral
	}
	switch {
	case rec.Applied && rec.Referral != nil && hasAll(m.current(), m.pending.files):
		return tea.Batch(off, m.succeeded(rec.Referral))
	case rec.Applied:
		m.notice = []string{"e-RS did not answer, and the referral has since changed, but its letters are not the ones you sent: " +
			"someone else may have changed it.", "Your files are kept. Check the letters below, then press s to send again."}
	case rec.NotApplied:
		m.notice = []string{"e-RS did not answer in time, and reading the referral back shows the letters were NOT changed " +
			"(still version " + orNone(rec.CurrentVersion) + ").", "Your files are kept (already uploaded). Press s to send again."}
	default:
		m.notice = []string{"e-RS did not answer, and the referral read back does not show whether the letters were set " +
			"(version " + orNone(rec.SentVersion) + " sent, " + orNone(rec.CurrentVersion) + " now).",
			"Check the letters below before sending again."}
	}
	return off
}

// hasAll reports every uploaded file among the referral's letters.
func hasAll(letters []ersclient.FileLink, files []attach.File) bool {
	on := map[string]bool{}
	for _, l := range letters {
		on[strings.TrimPrefix(l.BinaryID, "Binary/")] = true
	}
	for _, f := range files {
		if f.ID == "" || !on[strings.TrimPrefix(f.ID, "Binary/")] {
			return false
		}
	}
	return true
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
