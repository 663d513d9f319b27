package advicenew

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// write is a snapshot of the form taken when the confirmation opens: what
// is sent is exactly what the user confirmed.
type write struct {
	id         int
	nhs        string
	service    ersclient.ServiceResult
	criteria   ersclient.SearchCriteria
	text       string
	authorised bool
	clinician  string // the clinician a referring clinician admin asks for
	files      []attach.File
}

// Results of the commands, each carrying the id of its request: a reply for
// an older request is dropped.
type (
	confirmedMsg struct{ id int }
	writtenMsg   struct {
		id           int
		sent         *ersclient.AdviceSent
		files        []attach.File
		uploadFailed string // the file whose upload failed; nothing was created
		err          error
	}
)

// requestProblem is what stops any request being sent from this form,
// whatever is typed: "" when nothing does.
func (m *Model) requestProblem() string {
	switch {
	case !ersclient.ValidNHSNumber(m.req.NHSNumber):
		return "The patient's NHS number " + nhs(m.req.NHSNumber) + " is not valid. Go back to the search and check it."
	case m.req.Criteria.Priority.Code == "":
		return "The search that found this service has no priority, which e-RS needs. Go back to the search and choose one."
	case m.isRCA() && m.role().OnBehalfOf == "":
		return "As a referring clinician admin you ask on behalf of a clinician: choose the clinician in the role picker first."
	}
	return ""
}

// submit validates the form and asks for confirmation; the confirmation's
// yes sends exactly the snapshot taken now.
func (m *Model) submit() tea.Cmd {
	if p := m.requestProblem(); p != "" {
		m.fail(nil, retryNone, p)
		return nil
	}
	if !m.f.validate() {
		return m.setFocus(m.f.focus)
	}
	w := m.snapshot()
	c := screen.Confirm{
		Title: "Send this A&G request?",
		Body:  confirmBody(w),
		Yes:   "Send request",
		OnYes: func() tea.Msg { return confirmedMsg{id: w.id} },
	}
	return func() tea.Msg { return c }
}

// submitAfterUnknown asks again after an unknown outcome, saying plainly
// that a second request may be the result.
func (m *Model) submitAfterUnknown() tea.Cmd {
	if !m.f.validate() {
		return m.setFocus(m.f.focus)
	}
	w := m.snapshot()
	c := screen.Confirm{
		Title: "Send the A&G request again?",
		Body: "e-RS did not answer last time, so the first request may already exist. " +
			"Send again ONLY if you have checked in e-RS that it does not: otherwise the provider gets the same question twice.\n\n" +
			confirmBody(w),
		Yes:   "Send again",
		OnYes: func() tea.Msg { return confirmedMsg{id: w.id} },
	}
	return func() tea.Msg { return c }
}

func (m *Model) snapshot() write {
	m.seq++
	w := write{id: m.seq, nhs: m.req.NHSNumber, service: m.req.Service, criteria: m.req.Criteria,
		text: m.f.text.Value(), authorised: m.f.authorised(), files: m.f.attach.Files()}
	if m.isRCA() {
		w.clinician = m.role().OnBehalfOf
	}
	m.pending = &w
	return w
}

// confirmBody names the patient, the service and what will happen.
func confirmBody(w write) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Ask %s for Advice & Guidance about patient NHS number %s.", serviceText(w.service), nhs(w.nhs))
	fmt.Fprintf(&b, "\nPriority: %s. Request: %d characters.", ersclient.Priority(w.criteria.Priority.Code).Label(), len([]rune(w.text)))
	if w.authorised {
		b.WriteString("\nThe provider MAY turn this into a referral without asking you again.")
	} else {
		b.WriteString("\nThe provider may NOT turn this into a referral.")
	}
	if n := len(w.files); n > 0 {
		fmt.Fprintf(&b, "\n%d file(s) will be uploaded and attached.", n)
	}
	if w.clinician != "" {
		fmt.Fprintf(&b, "\nAsked on behalf of clinician %s.", w.clinician)
	}
	b.WriteString("\ne-RS gives the request a new UBRN. It cannot be withdrawn from this workstation once sent.")
	return b.String()
}

// send starts the confirmed write.
func (m *Model) send(id int) tea.Cmd {
	if m.pending == nil || m.pending.id != id || m.phase != "" || m.sent != "" {
		return nil
	}
	w, ers, timeout := *m.pending, m.c.ERS, m.c.Timeout
	m.phase = "Sending"
	m.clearFailure()
	return tea.Batch(busy("Sending A&G request", true), func() tea.Msg { return w.run(ers, timeout) })
}

// run uploads the files not uploaded yet (with no UBRN: the request has
// none until A044 answers), then creates the request. A044 is never
// repeated here: its outcome decides what the user is offered.
func (w write) run(ers screen.ERS, timeout time.Duration) writtenMsg {
	out := writtenMsg{id: w.id, files: w.files}
	if len(w.files) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		files, failed, err := attach.UploadAll(ctx, ers, "", w.files)
		cancel()
		out.files = files
		if err != nil {
			out.uploadFailed, out.err = failed, err
			return out
		}
	}
	crit, err := w.criteria.Parameters(ersclient.OpCreateAdviceRequest)
	if err != nil {
		out.err = err
		return out
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out.sent, out.err = ers.CreateAdviceRequest(ctx, ersclient.CreateAdviceRequest{
		NHSNumber: w.nhs, ConversionAuthorised: w.authorised, ServiceID: w.service.ID, Request: w.text,
		ReferringClinician: w.clinician, Attachments: attach.Links(out.files), SearchCriteria: crit,
	})
	return out
}

// written handles A044's answer: the new request opens; an upload failure
// or a refusal keeps the form; an unknown outcome is never sent again
// without the user checking first.
func (m *Model) written(msg writtenMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != "Sending" {
		return nil
	}
	m.phase = ""
	off := busy("Sending A&G request", false)
	// Keep the upload ids, so a second attempt links the same files.
	m.f.attach.SetFiles(msg.files)
	err := msg.err
	switch {
	case err == nil:
		return tea.Batch(off, m.succeeded(msg.sent))
	case msg.uploadFailed != "":
		m.fail(err, retrySend, "Uploading "+msg.uploadFailed+" failed, so the request was not sent. Your text and files are kept.")
	case ersclient.IsOutcomeUnknown(err):
		m.fail(err, retryChecked,
			"e-RS did not answer, so this request may or may not have been created. It has NOT been sent again.",
			"A new A&G request cannot be read back from here before it has a UBRN. Check in the e-RS web application "+
				"(the patient's Advice & Guidance requests, or ask "+providerName(m.req.Service.Name)+") whether it arrived.",
			"Only if it did not: press r to send again. Your text is kept as a draft until then.")
	default:
		m.fail(err, retrySend, "e-RS did not create the request. Your text and choices are kept.")
	}
	return tea.Batch(off, m.d.flush(m.f.text.Value()))
}

// succeeded removes the draft, says so with the UBRN, and opens the new
// request's conversation.
func (m *Model) succeeded(sent *ersclient.AdviceSent) tea.Cmd {
	ubrn := ""
	if sent != nil {
		ubrn = sent.UBRN
	}
	m.sent = ubrn
	if ubrn == "" {
		// Created, but e-RS named no UBRN: never offer to send again.
		m.sent = "unknown"
		return tea.Batch(m.d.remove(), toast("A&G request sent; e-RS gave no UBRN back. Find it in the e-RS web application.", screen.Warning))
	}
	return tea.Batch(m.d.remove(),
		toast("A&G request sent: UBRN "+ubrn, screen.Success),
		func() tea.Msg { return screen.Open{Route: screen.RouteAdvice, Arg: ubrn} })
}

func (m *Model) fail(err error, retry retryKind, lead ...string) {
	m.failure, m.failureLead, m.retry = err, lead, retry
	m.showTop = true
}

func (m *Model) clearFailure() { m.failure, m.failureLead, m.retry = nil, nil, retryNone }

func busy(task string, on bool) tea.Cmd {
	return func() tea.Msg { return screen.Busy{Task: task, On: on} }
}

func toast(text string, level screen.Level) tea.Cmd {
	return func() tea.Msg { return screen.Toast{Text: text, Level: level} }
}

func nhs(n string) string {
	if n == "" {
		return "unknown"
	}
	return ersclient.FormatNHSNumber(n)
}

func providerName(s string) string {
	if s == "" {
		return "the provider"
	}
	return s
}

// serviceText is "Name (Location, ODS)".
func serviceText(s ersclient.ServiceResult) string {
	name := s.Name
	if name == "" {
		name = "service " + s.ID
	}
	where := strings.TrimSpace(s.LocationName)
	if s.LocationCode != "" {
		where = strings.TrimSpace(where + ", " + s.LocationCode)
		where = strings.TrimPrefix(where, ", ")
	}
	if where != "" {
		name += " (" + where + ")"
	}
	return name
}
