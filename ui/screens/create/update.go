package create

import (
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// maxDays keeps the reminder field to a sensible number of digits.
const maxDays = 3

// Update handles the replies and the keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case confirmedMsg:
		return m, m.send(msg.id)
	case writtenMsg:
		return m, m.written(msg)
	case reloadedMsg:
		return m, m.reloaded(msg)
	case reconciledMsg:
		return m, m.reconciled(msg)
	case lookedUpMsg:
		return m, m.lookedUp(msg)
	case screen.ReferralChanged:
		// Another screen's write to the referral being changed: work from
		// the new version, and say so.
		if m.ref != nil && msg.UBRN == m.ref.UBRN() && msg.Referral != nil && m.phase == "" && m.done == nil {
			m.ref = msg.Referral
			m.notice = []string{"This referral was just changed (" + msg.Action + "); the form now sends version " +
				orNone(m.ref.Version) + ". Your choices are kept."}
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.KeyMap().(keyMap)
	switch {
	case key.Matches(msg, k.Open):
		ubrn := m.openable()
		return func() tea.Msg { return screen.Open{Route: screen.RouteReferral, Arg: ubrn} }
	case key.Matches(msg, k.Retry):
		return m.doRetry()
	case key.Matches(msg, k.Next, k.Down):
		m.move(1)
	case key.Matches(msg, k.Prev, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Toggle):
		m.toggle()
	case key.Matches(msg, k.Digits):
		if len(m.days) < maxDays {
			if m.days == "0" {
				m.days = ""
			}
			m.days += msg.String()
			m.touched = true
			delete(m.errs, fieldDays)
		}
	case key.Matches(msg, k.Erase):
		if m.days != "" {
			m.days = m.days[:len(m.days)-1]
			m.touched = true
		}
	case key.Matches(msg, k.Send):
		return m.submit()
	}
	return nil
}

// move shifts the focus by d fields, wrapping.
func (m *Model) move(d int) {
	fs := m.fields()
	i := max(slices.Index(fs, m.focus), 0)
	m.focus = fs[(i+d+len(fs))%len(fs)]
}

func (m *Model) toggle() {
	m.touched = true
	switch m.focus {
	case fieldIntention:
		m.noLetter = !m.noLetter
	case fieldTriage:
		m.triage = !m.triage
		if m.triage {
			// A021/A032 take a letter to follow and no reminder.
			m.noLetter, m.days = false, "0"
			delete(m.errs, fieldDays)
		}
	}
}

// validate checks the form as e-RS would, putting each problem next to
// its field.
func (m *Model) validate() bool {
	m.errs = map[field]string{}
	if m.days == "" {
		m.errs[fieldDays] = "Enter the number of days (0 or more)."
	} else if _, err := strconv.Atoi(m.days); err != nil {
		m.errs[fieldDays] = "Enter a whole number of days."
	}
	if m.triage && !m.triageOffered() {
		m.errs[fieldTriage] = "Only one triage service can be sent for triage."
	}
	for _, f := range m.fields() {
		if _, bad := m.errs[f]; bad {
			m.focus = f
			return false
		}
	}
	return true
}

// submit validates, snapshots the form and asks for confirmation.
func (m *Model) submit() tea.Cmd {
	if !m.usable() || m.phase != "" || m.done != nil || !m.validate() {
		return nil
	}
	m.seq++
	w := m.snapshot(m.seq)
	m.pending = &w
	id := w.id
	body := confirmBody(w, m.unsentOld)
	return func() tea.Msg {
		return screen.Confirm{Title: w.verb(), Body: body, Yes: w.verb(),
			OnYes: func() tea.Msg { return confirmedMsg{id: id} }}
	}
}

// doRetry repeats what failed.
func (m *Model) doRetry() tea.Cmd {
	if m.pending == nil {
		return nil
	}
	switch m.retry {
	case retryReload:
		m.clearFailure()
		m.phase = phaseReloading
		return m.reload(false)
	case retryCheck:
		m.clearFailure()
		m.phase = phaseChecking
		if m.pending.ubrn == "" {
			return m.lookUp()
		}
		return m.reconcile()
	case retrySend:
		return m.submit()
	}
	return nil
}

func (m *Model) clearFailure() { m.failure, m.failLead, m.retry = nil, "", retryNone }

func (m *Model) fail(err error, lead string, retry retryKind) {
	m.failure, m.failLead, m.retry = err, lead, retry
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
