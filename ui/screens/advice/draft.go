package advice

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/components/drafts"
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

// draftKey: a response draft belongs to the user and the request.
func (m *Model) draftKey() string { return drafts.Key("advice-response", m.user.UserID, m.ubrn) }

func (m *Model) loadDraft() tea.Cmd {
	d, k := m.drafts, m.draftKey()
	return func() tea.Msg {
		text, ok, err := d.Load(k)
		return draftLoadedMsg{text: text, ok: ok, err: quiet(err)}
	}
}

// quiet drops the error of a workstation configured to keep no drafts:
// there is nothing to tell the user on every key.
func quiet(err error) error {
	if errors.Is(err, drafts.ErrNoDir) {
		return nil
	}
	return err
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
	d, k := m.drafts, m.draftKey()
	return func() tea.Msg { return draftSavedMsg{err: quiet(d.Save(k, text))} }
}

// dropDraft removes the draft once the response is sent.
func (m *Model) dropDraft() tea.Cmd {
	m.form.lastSaved = ""
	d, k := m.drafts, m.draftKey()
	return func() tea.Msg { return draftSavedMsg{err: quiet(d.Remove(k))} }
}
