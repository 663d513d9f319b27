package advice

import (
	tea "charm.land/bubbletea/v2"
)

type (
	draftLoadedMsg struct {
		text string
		ok   bool
		err  error
	}
	draftTickMsg  struct{ seq int }
	draftSavedMsg struct{ err error }
)

// draftKey: a response draft belongs to the request.
func (m *Model) draftKey() string { return "advice-response:" + m.ubrn }

func (m *Model) loadDraft() tea.Cmd {
	d, user, k := m.drafts, m.user.UserID, m.draftKey()
	return func() tea.Msg {
		text, ok, err := d.Load(user, k)
		return draftLoadedMsg{text: text, ok: ok, err: err}
	}
}

// restore puts a kept draft back, unless the user has typed already.
func (m *Model) restore(msg draftLoadedMsg) {
	f := m.form
	f.draftErr = msg.err
	if !msg.ok || f.text.Value() != "" {
		return
	}
	f.text.SetValue(msg.text)
	f.lastSaved, f.restored = msg.text, true
}

// saveDraftIf writes the draft when no key came since the tick was set.
func (m *Model) saveDraftIf(seq int) tea.Cmd {
	if seq != m.form.draftSeq {
		return nil
	}
	return m.saveDraftNow()
}

// saveDraftNow writes the text in a command (the disk may be slow).
func (m *Model) saveDraftNow() tea.Cmd {
	text := m.form.text.Value()
	if text == m.form.lastSaved || m.user.UserID == "" {
		return nil
	}
	m.form.lastSaved = text
	d, user, k := m.drafts, m.user.UserID, m.draftKey()
	return func() tea.Msg { return draftSavedMsg{err: d.Save(user, k, text)} }
}

// dropDraft removes the draft once the response is sent.
func (m *Model) dropDraft() tea.Cmd {
	m.form.lastSaved = ""
	d, user, k := m.drafts, m.user.UserID, m.draftKey()
	return func() tea.Msg { return draftSavedMsg{err: d.Remove(user, k)} }
}
