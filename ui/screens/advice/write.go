package advice

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// writeState is the write in flight or just ended.
type writeState struct {
	id      int
	busy    bool
	err     error
	problem string // what happened, in words, and what to do
}

// write is a snapshot taken when the confirmation opens: what is sent is
// what the user confirmed, against that version. The files are uploaded
// (A020) when it is sent, each once: a file keeps its id after a failure.
type write struct {
	id      int
	kind    formKind
	respond ersclient.AdviceResponseRequest
	convert ersclient.ConvertAdviceRequest
	files   []attach.File // for the referrer
	review  []attach.File // convert: kept with the referral
}

// writtenMsg is the end of a write: its answer, or the upload that failed
// before it (then nothing was sent). The files come back with their ids.
type (
	confirmedMsg struct{ w write }
	writtenMsg   struct {
		w            write
		sent         *ersclient.AdviceSent // respond
		ref          *ersclient.Referral   // convert
		files        []attach.File
		review       []attach.File
		uploadFailed string
		err          error
	}
	reconciledMsg struct {
		w   write
		rec *ersclient.Reconciliation
		err error
	}
)

// confirmForm checks the form and asks before sending it.
func (m *Model) confirmForm() tea.Cmd {
	if m.form.kind == kindConvert {
		return m.confirmConvert()
	}
	return m.confirmRespond()
}

// confirmRespond checks the form and asks, naming patient, UBRN and what
// is sent.
func (m *Model) confirmRespond() tea.Cmd {
	if ok, why := m.canRespond(); !ok {
		return toast(why, screen.Warning)
	}
	if bad, ok := m.form.validate(); !ok {
		return tea.Batch(m.saveDraftNow(), m.form.setFocus(bad))
	}
	f := m.form
	m.write.id++
	w := write{id: m.write.id, kind: kindRespond, files: f.files.Files(), respond: ersclient.AdviceResponseRequest{
		UBRN: m.ubrn, Version: m.sum.Version, Outcome: f.chosenOutcome(), Recommendation: f.chosenRec(),
		Guidance: f.text.Value(), UpdatedPriority: f.chosenPriority(),
	}}
	var b strings.Builder
	fmt.Fprintf(&b, "Send the response for patient NHS number %s, A&G UBRN %s.", nhs(m.sum.NHSNumber), m.ubrn)
	fmt.Fprintf(&b, "\nOutcome: %s.", w.respond.Outcome.Label())
	if w.respond.Recommendation != "" {
		fmt.Fprintf(&b, "\nRecommendation: %s.", w.respond.Recommendation.Label())
	}
	fmt.Fprintf(&b, "\nPriority: %s.", w.respond.UpdatedPriority.Label())
	if n := len(w.files); n > 0 {
		fmt.Fprintf(&b, "\n%s for the referrer will be uploaded and attached.", plural(n, "file"))
	}
	n, _ := count(&f.text)
	fmt.Fprintf(&b, "\nThe referrer sees your %d characters of text at once; it cannot be taken back.", n)
	return tea.Batch(m.saveDraftNow(), func() tea.Msg {
		return screen.Confirm{Title: "Send A&G response", Body: b.String(), Yes: "Send response",
			OnYes: msgCmd(confirmedMsg{w: w})}
	})
}

// confirmConvert checks the conversion form and asks before A027, naming
// patient, UBRN, priority and what goes to whom.
func (m *Model) confirmConvert() tea.Cmd {
	if ok, why := m.canConvert(); !ok {
		return toast(why, screen.Warning)
	}
	if bad, ok := m.form.validate(); !ok {
		return tea.Batch(m.saveDraftNow(), m.form.setFocus(bad))
	}
	f := m.form
	m.write.id++
	w := write{id: m.write.id, kind: kindConvert, files: f.files.Files(), review: f.review.Files(),
		convert: ersclient.ConvertAdviceRequest{
			UBRN: m.ubrn, Version: m.sum.Version, Guidance: f.text.Value(),
			NewReferralPriority: f.chosenPriority(), ReviewComments: f.comments.Value(),
		}}
	var b strings.Builder
	fmt.Fprintf(&b, "Convert the A&G request for patient NHS number %s, UBRN %s, into a referral (priority %s).",
		nhs(m.sum.NHSNumber), m.ubrn, w.convert.NewReferralPriority.Label())
	b.WriteString("\nThe referrer allowed this. The conversation ends, the referrer reads your final guidance, " +
		"and the referral appears on your worklist for the admin team, with your review comments.")
	if n := len(w.files); n > 0 {
		fmt.Fprintf(&b, "\n%s for the referrer will be uploaded and attached.", plural(n, "file"))
	}
	if n := len(w.review); n > 0 {
		fmt.Fprintf(&b, "\n%s will be uploaded and kept with the referral.", plural(n, "file"))
	}
	b.WriteString("\nA conversion cannot be undone.")
	return tea.Batch(m.saveDraftNow(), func() tea.Msg {
		return screen.Confirm{Title: "Convert to a referral", Body: b.String(), Yes: "Convert", OnYes: msgCmd(confirmedMsg{w: w})}
	})
}

// send makes the write once, after uploading the files not uploaded yet.
// A failure is shown; an unknown outcome is read back before anything else
// is offered.
func (m *Model) send(w write) tea.Cmd {
	m.write = writeState{id: w.id, busy: true}
	c := m.c
	return screen.Task(w.task(), func() tea.Msg { return w.run(c) })
}

func (w write) task() string {
	if w.kind == kindConvert {
		return "Converting A&G request"
	}
	return "Sending A&G response"
}

// run uploads, naming the A&G request so e-RS lets the files be linked to
// it, then makes the write. It is never repeated here.
func (w write) run(c screen.Common) writtenMsg {
	out := writtenMsg{w: w, files: w.files, review: w.review}
	for _, set := range []*[]attach.File{&out.files, &out.review} {
		if len(*set) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
		files, failed, err := attach.UploadAll(ctx, c.ERS, w.ubrn(), *set)
		cancel()
		*set = files
		if err != nil {
			out.uploadFailed, out.err = failed, err
			return out
		}
	}
	if w.kind == kindConvert {
		req := w.convert
		req.GuidanceAttachments, req.ReviewAttachments = attach.Links(out.files), attach.Links(out.review)
		out.ref, out.err = call(c, func(ctx context.Context) (*ersclient.Referral, error) {
			return c.ERS.ConvertAdviceToReferral(ctx, req)
		})
		return out
	}
	req := w.respond
	req.Attachments = attach.Links(out.files)
	out.sent, out.err = call(c, func(ctx context.Context) (*ersclient.AdviceSent, error) {
		return c.ERS.SendAdviceResponse(ctx, req)
	})
	return out
}

func (w write) ubrn() string {
	if w.kind == kindConvert {
		return w.convert.UBRN
	}
	return w.respond.UBRN
}

func (w write) version() string {
	if w.kind == kindConvert {
		return w.convert.Version
	}
	return w.respond.Version
}

func (m *Model) writeReply(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case confirmedMsg:
		if msg.w.id != m.write.id || m.write.busy {
			return nil
		}
		return m.send(msg.w)
	case writtenMsg:
		if msg.w.id != m.write.id {
			return nil
		}
		// Keep the upload ids, so sending again links the same files.
		m.form.files.SetFiles(msg.files)
		m.form.review.SetFiles(msg.review)
		switch {
		case msg.uploadFailed != "":
			m.write = writeState{id: msg.w.id, err: msg.err,
				problem: "Uploading " + msg.uploadFailed + " failed, so nothing was sent. Your text and files are kept; send again when ready."}
			return m.saveDraftNow()
		case msg.err != nil:
			return m.failed(msg.w, msg.err)
		case msg.w.kind == kindConvert:
			return m.converted(msg.ref)
		}
		return m.responded(msg.sent)
	case reconciledMsg:
		if msg.w.id != m.write.id {
			return nil
		}
		return m.reconciled(msg)
	}
	return nil
}

// failed: a conflict reloads (the text stays); an unknown outcome is read
// back; anything else is shown with its code.
func (m *Model) failed(w write, err error) tea.Cmd {
	m.write.busy, m.write.err = false, err
	switch {
	case ersclient.IsOutcomeUnknown(err):
		m.write.busy = true
		m.write.problem = "e-RS did not say whether it was done. Checking the request before anything else…"
		c, ubrn, sent := m.c, m.ubrn, w.version()
		return func() tea.Msg {
			rec, rerr := call(c, func(ctx context.Context) (*ersclient.Reconciliation, error) {
				return c.ERS.ReconcileAdviceRequest(ctx, ubrn, sent)
			})
			return reconciledMsg{w: w, rec: rec, err: rerr}
		}
	case ersclient.IsVersionConflict(err):
		m.write.problem = "Someone changed this request while you wrote. It has been reloaded: check it; your text is kept."
		return tea.Batch(m.load(), m.saveDraftNow())
	}
	m.write.problem = "Nothing was changed."
	return m.saveDraftNow()
}

// checkFirst is what to do when a write's outcome cannot be told: sending
// again is the user's choice, after looking.
const checkFirst = "Close the form (esc; your text is kept), press r to reload, and read the conversation before sending again."

// reconciled tells the user what the read-back showed, and offers the
// retry only when the write was not applied or it cannot be told.
func (m *Model) reconciled(msg reconciledMsg) tea.Cmd {
	// The read-back supersedes the timeout's error.
	m.write.busy, m.write.err = false, nil
	switch {
	case msg.err != nil:
		m.write.problem = "e-RS did not say whether it was done, and the request could not be read back. " +
			checkFirst
		return nil
	case msg.rec.Applied:
		m.write.problem = ""
		m.mode = modeThread
		if msg.w.kind == kindConvert {
			m.note = "Converted (confirmed by reading the request back)"
			return tea.Batch(m.clearForm(kindConvert), m.load(), msgCmd(screen.AdviceChanged{UBRN: m.ubrn, Action: "Converted"}),
				toast("The conversion went through.", screen.Success))
		}
		m.note = "Response sent (confirmed by reading the request back)"
		return tea.Batch(m.clearForm(kindRespond), m.load(), msgCmd(screen.AdviceChanged{UBRN: m.ubrn, Action: "Responded"}),
			toast("The response was sent.", screen.Success))
	case msg.rec.NotApplied:
		m.write.problem = "It was NOT done: the request is unchanged. Your text is kept; send again when ready."
		if msg.rec.AdviceRequest != nil {
			m.setRequest(msg.rec.AdviceRequest, m.thread, m.threadErr)
		}
		return nil
	}
	m.write.problem = "Whether it was done cannot be told from the request's version. " + checkFirst
	return nil
}

// clearForm empties what was sent and removes its drafts: the guidance and
// the files for the referrer; with a conversion, the review comments and
// files too.
func (m *Model) clearForm(kind formKind) tea.Cmd {
	f := m.form
	f.text.Reset()
	f.files.SetFiles(nil)
	f.outcome, f.rec = -1, -1
	cmds := []tea.Cmd{m.dropDraft(slotGuidance)}
	if kind == kindConvert {
		f.comments.Reset()
		f.review.SetFiles(nil)
		cmds = append(cmds, m.dropDraft(slotComments))
	}
	return tea.Batch(cmds...)
}

// responded: the form empties, the conversation reloads, the worklist
// hears of it.
func (m *Model) responded(sent *ersclient.AdviceSent) tea.Cmd {
	m.write = writeState{id: m.write.id}
	m.note = "Response sent"
	m.mode = modeThread
	changed := screen.AdviceChanged{UBRN: m.ubrn, Action: "Responded"}
	if sent != nil {
		changed.Request = sent.Request
	}
	return tea.Batch(m.clearForm(kindRespond), m.load(), msgCmd(changed), toast("Response sent for A&G "+m.ubrn, screen.Success))
}

// converted: ReferralChanged, a toast and the new referral.
func (m *Model) converted(ref *ersclient.Referral) tea.Cmd {
	m.write = writeState{id: m.write.id}
	m.note = "Converted to a referral"
	m.mode = modeThread
	ubrn := m.ubrn
	if ref != nil && ref.Summary().UBRN != "" {
		ubrn = ref.Summary().UBRN
	}
	return tea.Batch(m.clearForm(kindConvert), m.load(),
		msgCmd(screen.ReferralChanged{UBRN: ubrn, Referral: ref, Action: "Converted from A&G"}),
		msgCmd(screen.AdviceChanged{UBRN: m.ubrn, Action: "Converted"}),
		toast("Converted to referral "+ubrn, screen.Success),
		msgCmd(screen.Open{Route: screen.RouteReferral, Arg: ubrn}))
}

func nhs(n string) string {
	if n == "" {
		return "(not given)"
	}
	return ersclient.FormatNHSNumber(n)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
