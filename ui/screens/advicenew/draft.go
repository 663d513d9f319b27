package advicenew

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/components/drafts"
)

// draftDelay is how often, at most, the draft is written while the user
// types: one write per interval, not one per key, and never more than this
// much typing at risk.
const draftDelay = 400 * time.Millisecond

// draft keeps the request text on disk while it is unsent (package
// drafts). Writes go one at a time, so an older text can never land after
// a newer one; a removal waits for a write in flight.
type draft struct {
	store *drafts.Store // nil: no drafts directory
	key   string
	delay time.Duration

	ticking    bool   // a write is scheduled
	saving     bool   // a write is in flight
	again      bool   // the text changed while it was
	removing   bool   // sent: remove once no write is in flight
	written    string // the text last written
	savedAt    time.Time
	restored   bool
	err        error // the last failure to read or write
	everLoaded bool  // the restore has answered (or there is nothing to restore)
}

// Messages of the draft's commands.
type (
	draftLoadedMsg struct {
		text string
		ok   bool
		err  error
	}
	draftDueMsg   struct{}
	draftSavedMsg struct {
		text string
		err  error
	}
	draftRemovedMsg struct{ err error }
)

func newDraft(dir string, parts ...string) draft {
	d := draft{delay: draftDelay, key: drafts.Key(parts...)}
	if dir != "" {
		d.store = drafts.New(dir)
	}
	return d
}

// load reads a kept draft.
func (d *draft) load() tea.Cmd {
	if d.store == nil {
		d.everLoaded = true
		return nil
	}
	store, key := d.store, d.key
	return func() tea.Msg {
		text, ok, err := store.Load(key)
		return draftLoadedMsg{text: text, ok: ok, err: err}
	}
}

// changed notes new text and schedules a write, unless one is already
// scheduled: that one writes the text as it is by then.
func (d *draft) changed() tea.Cmd {
	if d.store == nil || d.removing {
		return nil
	}
	if d.delay <= 0 {
		return func() tea.Msg { return draftDueMsg{} }
	}
	if d.ticking {
		return nil
	}
	d.ticking = true
	return tea.Tick(d.delay, func(time.Time) tea.Msg { return draftDueMsg{} })
}

// due writes the text as it is now.
func (d *draft) due(text string) tea.Cmd {
	d.ticking = false
	return d.flush(text)
}

// flush writes text now (or as soon as the write in flight ends).
func (d *draft) flush(text string) tea.Cmd {
	if d.store == nil || d.removing || text == d.written {
		return nil
	}
	if d.saving {
		d.again = true
		return nil
	}
	d.saving = true
	store, key := d.store, d.key
	return func() tea.Msg { return draftSavedMsg{text: text, err: store.Save(key, text)} }
}

// saved records a write; text is the form's text now, written again if it
// changed meanwhile.
func (d *draft) saved(msg draftSavedMsg, text string, now time.Time) tea.Cmd {
	d.saving = false
	if msg.err != nil {
		d.err = msg.err
	} else {
		d.err, d.written, d.savedAt = nil, msg.text, now
	}
	if d.removing {
		return d.remove()
	}
	if d.again {
		d.again = false
		return d.flush(text)
	}
	return nil
}

// remove deletes the draft once the request is sent.
func (d *draft) remove() tea.Cmd {
	if d.store == nil {
		return nil
	}
	d.removing = true
	if d.saving {
		return nil
	}
	store, key := d.store, d.key
	return func() tea.Msg { return draftRemovedMsg{err: store.Remove(key)} }
}

// note is the draft's state in words for the form, "" when nothing to say.
func (d *draft) note() string {
	switch {
	case d.store == nil:
		return "Drafts are not kept on this computer (no drafts folder is set): send before you leave."
	case d.removing:
		return ""
	case d.err != nil:
		return "The draft could not be kept on this computer: " + d.err.Error()
	case !d.savedAt.IsZero():
		return "Draft kept on this computer (saved " + d.savedAt.Format("15:04:05") + "); it is removed when sent."
	case d.restored:
		return "Your unsent draft was restored; it is removed when sent."
	}
	return ""
}
