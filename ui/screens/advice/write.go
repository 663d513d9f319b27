package advice

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// writeState is the write in flight or just ended.
type writeState struct {
	id      int
	busy    bool
	pending *write // the last write sent, for the offered retry
	err     error
	// unknown: the outcome could not be told even after reading back; the
	// retry is offered, never made silently.
	unknown bool
	problem string // what happened, in words
}

type writeKind int

const (
	writeRespond writeKind = iota
	writeConvert
)

// write is a snapshot taken when the confirmation opens: what is sent is
// what the user confirmed, against that version.
type write struct {
	id      int
	kind    writeKind
	respond ersclient.AdviceResponseRequest
	convert ersclient.ConvertAdviceRequest
}

type (
	confirmedMsg struct{ w write }
	sentMsg      struct {
		w    write
		sent *ersclient.AdviceSent
		err  error
	}
	convertedMsg struct {
		w   write
		ref *ersclient.Referral
		err error
	}
	reconciledMsg struct {
		w   write
		rec *ersclient.Reconciliation
		err error
	}
)

// confirmRespond checks the form and asks, naming patient, UBRN and what
// is sent.
func (m *Model) confirmRespond() tea.Cmd {
	if ok, why := m.canRespond(); !ok {
		return toast(why, screen.Warning)
	}
	if !m.form.validate() {
		return m.saveDraftNow()
	}
	f := m.form
	m.write.id++
	w := write{id: m.write.id, kind: writeRespond, respond: ersclient.AdviceResponseRequest{
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
	n, _ := f.count()
	fmt.Fprintf(&b, "\nThe referrer sees your %d characters of text at once; it cannot be taken back.", n)
	return tea.Batch(m.saveDraftNow(), func() tea.Msg {
		return screen.Confirm{Title: "Send A&G response", Body: b.String(), Yes: "Send response",
			OnYes: msgCmd(confirmedMsg{w: w})}
	})
}

// confirmConvert asks before A027, naming patient and UBRN; the provider's
// text (if any) goes as the guidance.
func (m *Model) confirmConvert() tea.Cmd {
	if ok, why := m.canConvert(); !ok {
		return toast(why, screen.Warning)
	}
	m.write.id++
	p := m.form.chosenPriority()
	if p == "" {
		p = m.sum.Priority
	}
	w := write{id: m.write.id, kind: writeConvert, convert: ersclient.ConvertAdviceRequest{
		UBRN: m.ubrn, Version: m.sum.Version, Guidance: m.form.text.Value(), NewReferralPriority: p,
	}}
	body := fmt.Sprintf("Convert the A&G request for patient NHS number %s, UBRN %s, into a referral (priority %s)."+
		"\nThe referrer allowed this; the conversation ends and the referral appears on your worklist.",
		nhs(m.sum.NHSNumber), m.ubrn, p.Label())
	return func() tea.Msg {
		return screen.Confirm{Title: "Convert to a referral", Body: body, Yes: "Convert", OnYes: msgCmd(confirmedMsg{w: w})}
	}
}

// send makes the write once. A failure is shown; an unknown outcome is
// read back before anything else is offered.
func (m *Model) send(w write) tea.Cmd {
	m.write = writeState{id: w.id, busy: true, pending: &w}
	c := m.c
	task := "Sending A&G response"
	if w.kind == writeConvert {
		task = "Converting A&G request"
	}
	return tea.Batch(busy(task, true), func() tea.Msg {
		var out tea.Msg
		if w.kind == writeConvert {
			ref, err := call(c, func(ctx context.Context) (*ersclient.Referral, error) {
				return c.ERS.ConvertAdviceToReferral(ctx, w.convert)
			})
			out = convertedMsg{w: w, ref: ref, err: err}
		} else {
			sent, err := call(c, func(ctx context.Context) (*ersclient.AdviceSent, error) {
				return c.ERS.SendAdviceResponse(ctx, w.respond)
			})
			out = sentMsg{w: w, sent: sent, err: err}
		}
		return tea.BatchMsg{busy(task, false), msgCmd(out)}
	})
}

func (w write) version() string {
	if w.kind == writeConvert {
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
	case sentMsg:
		if msg.w.id != m.write.id {
			return nil
		}
		if msg.err != nil {
			return m.failed(msg.w, msg.err)
		}
		return m.responded(msg.sent)
	case convertedMsg:
		if msg.w.id != m.write.id {
			return nil
		}
		if msg.err != nil {
			return m.failed(msg.w, msg.err)
		}
		return m.converted(msg.ref)
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

// reconciled tells the user what the read-back showed, and offers the
// retry only when the write was not applied or it cannot be told.
func (m *Model) reconciled(msg reconciledMsg) tea.Cmd {
	// The read-back supersedes the timeout's error.
	m.write.busy, m.write.err = false, nil
	switch {
	case msg.err != nil:
		m.write.unknown = true
		m.write.problem = "e-RS did not say whether it was done, and the request could not be read back. " +
			"Press r to reload and check before sending again."
		return nil
	case msg.rec.Applied:
		m.write.err = nil
		m.write.problem = ""
		if msg.w.kind == writeConvert {
			m.note = "Converted (confirmed by reading the request back)"
			return tea.Batch(m.load(), toast("The conversion went through.", screen.Success))
		}
		m.note = "Response sent (confirmed by reading the request back)"
		m.form.text.Reset()
		m.mode = modeThread
		return tea.Batch(m.dropDraft(), m.load(), toast("The response was sent.", screen.Success))
	case msg.rec.NotApplied:
		m.write.problem = "It was NOT done: the request is unchanged. Your text is kept; send again when ready."
		if msg.rec.AdviceRequest != nil {
			m.setRequest(msg.rec.AdviceRequest, m.thread, m.threadErr)
		}
		return nil
	}
	m.write.unknown = true
	m.write.problem = "Whether it was done cannot be told from the request's version. Press r to reload and check before sending again."
	return nil
}

// responded: the draft goes, the conversation reloads.
func (m *Model) responded(sent *ersclient.AdviceSent) tea.Cmd {
	m.write = writeState{id: m.write.id}
	m.note = "Response sent"
	m.form.text.Reset()
	m.form.outcome, m.form.rec = -1, -1
	m.mode = modeThread
	changed := screen.AdviceChanged{UBRN: m.ubrn, Action: "Responded"}
	if sent != nil {
		changed.Request = sent.Request
	}
	return tea.Batch(m.dropDraft(), m.load(), msgCmd(changed), toast("Response sent for A&G "+m.ubrn, screen.Success))
}

// converted: ReferralChanged, a toast and the new referral.
func (m *Model) converted(ref *ersclient.Referral) tea.Cmd {
	m.write = writeState{id: m.write.id}
	m.note = "Converted to a referral"
	ubrn := m.ubrn
	if ref != nil && ref.Summary().UBRN != "" {
		ubrn = ref.Summary().UBRN
	}
	return tea.Batch(m.dropDraft(), m.load(),
		msgCmd(screen.ReferralChanged{UBRN: ubrn, Referral: ref, Action: "Converted from A&G"}),
		toast("Converted to referral "+ubrn, screen.Success),
		msgCmd(screen.Open{Route: screen.RouteReferral, Arg: ubrn}))
}

func nhs(n string) string {
	if n == "" {
		return "(not given)"
	}
	return ersclient.FormatNHSNumber(n)
}
