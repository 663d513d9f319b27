package ui

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// toastExpired clears the toast it names, unless a newer one replaced it.
type toastExpired struct{ id int }

// clockTick redraws the session time left; gen drops ticks of a clock that
// was stopped or restarted, so at most one ticker runs.
type clockTick struct{ gen int }

func (m *Model) showToast(text string, level screen.Level) tea.Cmd {
	m.toastSeq++
	id := m.toastSeq
	m.toast = &toastState{text: text, level: level, id: id}
	return tea.Tick(toastLife, func(time.Time) tea.Msg { return toastExpired{id: id} })
}

// setBusy tracks background tasks; the spinner ticks only while one runs.
func (m *Model) setBusy(task string, on bool) tea.Cmd {
	if !on {
		delete(m.busy, task)
		return nil
	}
	idle := len(m.busy) == 0
	m.busy[task] = true
	if idle && !m.plain {
		return m.spinner.Tick
	}
	return nil
}

// Busy reports whether any task is running.
func (m *Model) Busy() bool { return len(m.busy) > 0 }

// startClock (re)starts the session clock; any previous one stops.
func (m *Model) startClock() tea.Cmd {
	m.clockGen++
	return m.clockAfter(m.clockGen)
}

func (m *Model) stopClock() { m.clockGen++ }

func (m *Model) clockAfter(gen int) tea.Cmd {
	return tea.Tick(clockEvery, func(time.Time) tea.Msg { return clockTick{gen: gen} })
}

func (m *Model) clockTicked(t clockTick) tea.Cmd {
	if t.gen != m.clockGen || m.identity == nil {
		return nil
	}
	return m.clockAfter(t.gen)
}

// timeLeft is the session time left at minute resolution, "" when unknown.
func (m *Model) timeLeft() string {
	if m.identity == nil || m.common.Auth == nil {
		return ""
	}
	dl := m.common.Auth.Deadline()
	if dl.IsZero() {
		return ""
	}
	left := dl.Sub(m.common.Now())
	switch {
	case left <= 0:
		return "session ending"
	case left < time.Minute:
		return "session: under 1 min left"
	case left < time.Hour:
		return fmt.Sprintf("session: %d min left", int(left/time.Minute))
	}
	return fmt.Sprintf("session: %d h %02d min left", int(left/time.Hour), int(left%time.Hour/time.Minute))
}

// memoryOnly reports that the session will not survive a restart.
func (m *Model) memoryOnly() bool {
	return m.identity != nil && m.common.Auth != nil && m.common.Auth.Storage() == session.StorageMemory
}
