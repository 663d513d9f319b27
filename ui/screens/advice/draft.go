package advice

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/components/drafts"
)

// slot is a text kept as a draft: the guidance to the referrer (shared by
// the response and the conversion) and the conversion's review comments.
type slot int

const (
	slotGuidance slot = iota
	slotComments
	slotCount
)

// name keeps the guidance's name from before conversions had a form, so
// drafts written then are still found.
func (s slot) name() string {
	if s == slotComments {
		return "advice-review-comments"
	}
	return "advice-response"
}

// draftState is how one text's draft stands.
type draftState struct {
	seq       int // keys typed; a tick for an older one is dropped
	lastSaved string
	err       error
	restored  bool
}

type (
	draftLoadedMsg struct {
		slot slot
		text string
		ok   bool
		err  error
	}
	draftTickMsg struct {
		slot slot
		seq  int
	}
	draftSavedMsg struct {
		slot slot
		err  error
	}
)

// draftKey: a draft belongs to the user, the request and the text.
func (m *Model) draftKey(s slot) string { return drafts.Key(s.name(), m.user.UserID, m.ubrn) }

func (m *Model) loadDrafts() tea.Cmd {
	var cmds []tea.Cmd
	for s := range slotCount {
		d, k := m.drafts, m.draftKey(s)
		cmds = append(cmds, func() tea.Msg {
			text, ok, err := d.Load(k)
			return draftLoadedMsg{slot: s, text: text, ok: ok, err: quiet(err)}
		})
	}
	return tea.Batch(cmds...)
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
	ta, d := m.form.area(msg.slot), &m.form.drafts[msg.slot]
	d.err = msg.err
	if !msg.ok || ta.Value() != "" {
		return
	}
	ta.SetValue(msg.text)
	d.lastSaved, d.restored = msg.text, true
}

// saveDraftIf writes a draft when no key came since the tick was set.
func (m *Model) saveDraftIf(msg draftTickMsg) tea.Cmd {
	if msg.seq != m.form.drafts[msg.slot].seq {
		return nil
	}
	return m.saveDraft(msg.slot)
}

// saveDraftNow writes every text changed since its last write.
func (m *Model) saveDraftNow() tea.Cmd {
	return tea.Batch(m.saveDraft(slotGuidance), m.saveDraft(slotComments))
}

// saveDraft writes a text in a command (the disk may be slow).
func (m *Model) saveDraft(s slot) tea.Cmd {
	text, d := m.form.area(s).Value(), &m.form.drafts[s]
	if text == d.lastSaved || m.user.UserID == "" {
		return nil
	}
	d.lastSaved = text
	store, k := m.drafts, m.draftKey(s)
	return func() tea.Msg { return draftSavedMsg{slot: s, err: quiet(store.Save(k, text))} }
}

// dropDraft removes a text's draft once what it was for is sent.
func (m *Model) dropDraft(s slot) tea.Cmd {
	m.form.drafts[s].lastSaved = ""
	store, k := m.drafts, m.draftKey(s)
	return func() tea.Msg { return draftSavedMsg{slot: s, err: quiet(store.Remove(k))} }
}

// unsaved reports text that leaving would lose: no drafts directory, a
// failed write, or keys typed since the last write.
func (m *Model) unsaved(s slot) bool {
	text, d := m.form.area(s).Value(), m.form.drafts[s]
	if text == "" {
		return false
	}
	return m.c.Drafts == "" || d.err != nil || text != d.lastSaved
}

// draftProblem is the first draft that could not be written, if any.
func (m *Model) draftProblem() error {
	for _, d := range m.form.drafts {
		if d.err != nil {
			return d.err
		}
	}
	return nil
}
