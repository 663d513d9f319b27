package letters

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// Update handles replies, the components' messages and the keys.
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
	case screen.ReferralChanged:
		// Its own write comes back too: the version it already shows.
		if m.usable() && msg.UBRN == m.ref.UBRN() && msg.Referral != nil && m.phase == "" &&
			msg.Referral.Version != m.ref.Version {
			m.ref = msg.Referral
			m.notice = []string{"This referral was just changed (" + msg.Action + "); its letters are shown as they are now."}
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	if cmd, ok := m.docs.Update(msg); ok {
		return m, cmd
	}
	return m, m.files.Update(msg)
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if !m.usable() {
		return nil
	}
	if m.phase == "" && m.files.Handles(msg) {
		return m.files.Update(msg)
	}
	k := m.KeyMap().(helpKeys).own
	switch {
	case key.Matches(msg, k.Send):
		return m.submit()
	case key.Matches(msg, k.Retry):
		return m.doRetry()
	case key.Matches(msg, k.PatientLetter):
		return m.patientLetter()
	case key.Matches(msg, k.Open):
		return m.docs.Open(patientLetterKey)
	case key.Matches(msg, k.Keep):
		return m.docs.Keep(patientLetterKey)
	case key.Matches(msg, k.Up):
		m.docs.Scroll(-max(m.height/3, 1))
	case key.Matches(msg, k.Down):
		m.docs.Scroll(max(m.height/3, 1))
	}
	return nil
}

func (m *Model) doRetry() tea.Cmd {
	switch m.retry {
	case retryLoad:
		m.clearFailure()
		m.phase = phaseReloading
		return m.reload(false)
	case retryCheck:
		m.clearFailure()
		m.phase = phaseChecking
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
