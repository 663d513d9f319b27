package actions

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// retryKind is what "r" does after a failure.
type retryKind int

const (
	retryNone      retryKind = iota
	retryReasons             // load the reasons (A004) again
	retryReload              // read the referral (A005) again after a conflict
	retryReconcile           // read it back again after an unknown outcome
	retrySend                // confirm and send again
)

// Model is the form of one action on one referral.
type Model struct {
	c             screen.Common
	req           Request
	ref           *ersclient.Referral // the referral as last read; its Version is sent
	width, height int
	keys          keyMap
	f             form

	seq            int // request ids
	reasonsID      int
	reasonsLoading bool
	reasonsErr     error
	refData        *ersclient.ReferenceData

	pending *write // confirmed or awaiting confirmation
	phase   string // "Sending", "Reloading", "Checking": a write is in flight
	done    bool

	notice      []string // what changed, or what an unknown outcome turned out to be
	failure     error
	failureLead string
	retry       retryKind
	top         int
}

// New builds the form for the Request in arg (a Request or *Request); it
// does no I/O. Without a referral it shows what is missing.
func New(c screen.Common, arg any) screen.Screen {
	m := &Model{c: c.WithDefaults(DefaultTimeout), keys: newKeyMap()}
	switch a := arg.(type) {
	case Request:
		m.req = a
	case *Request:
		if a != nil {
			m.req = *a
		}
	}
	m.ref = m.req.Referral
	m.f = newForm(m.req.Action, m.c.Styles, m.ref.Summary().Priority, bookedWithoutSlot(m.ref), homeDir)
	return m
}

// usable reports a referral and an action this package has a form for.
func (m *Model) usable() bool {
	return m.ref != nil && m.ref.Resource != nil && Supported(m.req.Action)
}

// Init loads the reasons the action needs (A004).
func (m *Model) Init() tea.Cmd {
	if !m.usable() {
		return nil
	}
	return tea.Batch(m.loadReasons(), m.focusCmd())
}

// reasonType is the A004 code system of the action's reasons, or "".
func (m *Model) reasonType() string {
	switch m.req.Action {
	case Reject:
		return "APPOINTMENT-CANCELLATION-REASON"
	case CancelReferral:
		return "REFERRAL-CANCELLATION-REASON"
	}
	return ""
}

func (m *Model) loadReasons() tea.Cmd {
	t := m.reasonType()
	if t == "" {
		return nil
	}
	m.seq++
	id, ers, timeout := m.seq, m.c.ERS, m.c.Timeout
	m.reasonsID, m.reasonsLoading, m.reasonsErr = id, true, nil
	m.clearFailure()
	return tea.Batch(busy("Loading reasons", true), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		d, err := ers.RetrieveReferenceData(ctx, t)
		return reasonsMsg{id: id, data: d, err: err}
	})
}

// applyReasons filters the reasons for the role and the referral as it is
// now, keeping the chosen one when it is still offered.
func (m *Model) applyReasons() {
	if m.refData == nil {
		return
	}
	prev, hadPrev := m.f.chosenReason()
	now := m.c.Now()
	var rs []reason
	switch m.req.Action {
	case Reject:
		rs = rejectReasons(m.refData, m.req.Role, now)
	case CancelReferral:
		s := m.ref.Summary()
		hasAppt := s.Appointment != nil && s.Appointment.Status != "cancelled"
		rs = cancelReasons(m.refData, m.req.Role, s.State.Code, hasAppt, now)
	}
	m.f.setReasons(rs)
	if hadPrev {
		for i, r := range rs {
			if r.Coding.Code == prev.Coding.Code {
				m.f.reason = newChoice(m.f.reason.options, i)
			}
		}
	}
}

func busy(task string, on bool) tea.Cmd {
	return func() tea.Msg { return screen.Busy{Task: task, On: on} }
}

func (m *Model) timeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), m.c.Timeout)
}

// Update handles the replies and the keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reasonsMsg:
		if msg.id != m.reasonsID {
			return m, nil
		}
		m.reasonsLoading = false
		if msg.err != nil {
			m.reasonsErr, m.retry = msg.err, retryReasons
		} else {
			m.refData = msg.data
			m.applyReasons()
		}
		return m, busy("Loading reasons", false)
	case confirmedMsg:
		return m, m.send(msg.id)
	case writtenMsg:
		return m, m.written(msg)
	case reloadedMsg:
		return m, m.reloaded(msg)
	case reconciledMsg:
		return m, m.reconciled(msg)
	case screen.ReferralChanged:
		// Another screen's write: work from the new version, and say so.
		if msg.UBRN == m.ref.UBRN() && msg.Referral != nil && m.phase == "" && !m.done {
			m.showChange(msg.Referral, "This referral was just changed ("+msg.Action+").")
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	if m.f.focus == fieldComments {
		return m, m.updateField(msg)
	}
	return m, m.f.att.Update(msg) // the picker's folder reads and file checks
}

// clearFailure forgets the last failure and its retry.
func (m *Model) clearFailure() { m.failure, m.failureLead, m.retry = nil, "", retryNone }

// SetSize records the size View fills and sizes the text fields.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	w := max(width-2*margin-indentField, 10)
	m.f.comments.SetWidth(w)
	m.f.comments.SetHeight(commentRows(height))
	m.f.att.SetSize(w, m.attachRows())
}

// commentRows gives the comments box more room on taller terminals.
func commentRows(height int) int {
	switch {
	case height >= 40:
		return 8
	case height >= 30:
		return 5
	}
	return 3
}

// Title names the action.
func (m *Model) Title() string {
	if l := Label(m.req.Action); l != "" {
		return l
	}
	return "Referral action"
}

// Status says what is in flight.
func (m *Model) Status() string {
	switch {
	case m.phase != "":
		return m.phase + "…"
	case m.reasonsLoading:
		return "Loading reasons…"
	}
	return ""
}

// Capturing is true while a text field has focus.
func (m *Model) Capturing() bool { return m.usable() && m.focusText() && !m.done }

// Dirty is true while anything typed or attached is unsent.
func (m *Model) Dirty() bool { return m.usable() && !m.done && m.f.dirty() }

// FocusedID is the referral's UBRN.
func (m *Model) FocusedID() (label, value string, ok bool) {
	if u := m.ref.UBRN(); u != "" {
		return "UBRN", u, true
	}
	return "", "", false
}

// KeyMap lists the keys that do something now.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	ready := m.usable() && m.phase == "" && !m.done
	text := ready && m.focusText()
	list := ready && !text && m.focusList()
	for _, b := range []*key.Binding{&k.Next, &k.Prev} {
		b.SetEnabled(ready)
	}
	k.Up.SetEnabled(ready && !text)
	k.Down.SetEnabled(ready && !text)
	k.Choose.SetEnabled(list)
	k.Enter.SetEnabled(ready && (list || m.f.focus == fieldSend))
	k.Retry.SetEnabled(ready && !text && m.retry != retryNone)
	k.Leave.SetEnabled(text && m.f.focus == fieldComments)
	if !ready || m.f.focus != fieldAttach {
		return k
	}
	// The attachments' own keys; up and down are theirs while they move
	// in the list, and every key is theirs while the picker is open.
	att := m.f.att.KeyMap()
	if m.f.att.Capturing() {
		k.Next.SetEnabled(false)
		k.Prev.SetEnabled(false)
	}
	for _, b := range att {
		if b.Enabled() && (b.Help().Key == "↑/k" || b.Help().Key == "↓/j") {
			k.Up.SetEnabled(false)
			k.Down.SetEnabled(false)
		}
	}
	k.extra = att
	return k
}

// focusText reports focus on a field that takes typing.
func (m *Model) focusText() bool {
	return m.f.focus == fieldComments || m.f.focus == fieldAttach && m.f.att.Capturing()
}

// focusList reports focus on a list of choices (or the attached files).
func (m *Model) focusList() bool {
	switch m.f.focus {
	case fieldReason, fieldOutcome, fieldPriority, fieldPAS:
		return true
	}
	return false
}

var (
	_ screen.Screen     = (*Model)(nil)
	_ screen.Identifier = (*Model)(nil)
)
