package advicenew

import (
	"os"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// retryKind is what "r" does after a failure.
type retryKind int

const (
	retryNone    retryKind = iota
	retrySend              // confirm and send again: nothing was created
	retryChecked           // the outcome is unknown: send again only after checking
)

// Model is the new A&G request form.
type Model struct {
	c   screen.Common
	req Request
	// user is the signed-in user in their role (Auth.Identity): the draft
	// is theirs alone, and a clinician admin asks for OnBehalfOf.
	user          session.Identity
	keys          keyMap
	width, height int
	f             form
	d             draft

	seq     int    // request ids
	pending *write // confirmed or awaiting confirmation
	phase   string // "Sending": the write is in flight
	sent    string // the new request's UBRN once created

	failure     error
	failureLead []string
	retry       retryKind
	top         int
	showTop     bool   // a failure just came: draw the form from its top until a key
	lastText    string // the text as last seen, to notice changes
}

// New builds the form for the Request in arg (a Request or *Request); it
// does no I/O. Without a service it says where to start from.
func New(c screen.Common, arg any) screen.Screen {
	return newModel(c, arg, os.UserHomeDir)
}

func newModel(c screen.Common, arg any, home func() (string, error)) *Model {
	m := &Model{c: c.WithDefaults(DefaultTimeout), keys: newKeyMap()}
	switch a := arg.(type) {
	case Request:
		m.req = a
	case *Request:
		if a != nil {
			m.req = *a
		}
	}
	if m.c.Auth != nil {
		m.user, _ = m.c.Auth.Identity() // from memory: no I/O
	}
	m.f = newForm(m.c.Styles, home)
	m.d = newDraft(m.c.Drafts, RouteName, m.user.UserID, m.req.Service.ID, m.req.NHSNumber)
	return m
}

// usable reports a service and patient to ask about.
func (m *Model) usable() bool { return m.req.Service.ID != "" && m.req.NHSNumber != "" }

// ready reports the form taking input: usable, nothing in flight, not sent.
func (m *Model) ready() bool { return m.usable() && m.phase == "" && m.sent == "" }

// Init restores a kept draft and puts the cursor in the text.
func (m *Model) Init() tea.Cmd {
	if !m.usable() {
		return nil
	}
	return tea.Batch(m.d.load(), m.setFocus(fieldText))
}

// Update handles the replies and the keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case draftLoadedMsg:
		return m, m.draftLoaded(msg)
	case draftDueMsg:
		return m, m.d.due(m.f.text.Value())
	case draftSavedMsg:
		return m, m.d.saved(msg, m.f.text.Value(), m.c.Now())
	case draftRemovedMsg:
		m.d.err = msg.err
		return m, nil
	case confirmedMsg:
		return m, m.send(msg.id)
	case writtenMsg:
		return m, m.written(msg)
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	// Anything else is a field's own: the text's blink and pastes, the
	// attachments' directory reads and checks (whatever has focus).
	var cmds []tea.Cmd
	cmds = append(cmds, m.f.attach.Update(msg))
	if m.f.focus == fieldText && m.ready() {
		cmds = append(cmds, m.updateText(msg))
	}
	return m, tea.Batch(cmds...)
}

// draftLoaded restores a kept draft unless the user has typed already.
func (m *Model) draftLoaded(msg draftLoadedMsg) tea.Cmd {
	m.d.everLoaded = true
	if msg.err != nil {
		m.d.err = msg.err
		return nil
	}
	if !msg.ok || m.f.text.Value() != "" || m.sent != "" {
		return nil
	}
	m.f.text.SetValue(msg.text)
	m.lastText, m.d.written, m.d.restored = msg.text, msg.text, true
	return nil
}

// updateText passes a message to the text and keeps the draft in step.
func (m *Model) updateText(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.f.text, cmd = m.f.text.Update(msg)
	if v := m.f.text.Value(); v != m.lastText {
		m.lastText = v
		if m.f.errs[fieldText] != "" && v != "" {
			delete(m.f.errs, fieldText)
		}
		return tea.Batch(cmd, m.d.changed())
	}
	return cmd
}

// SetSize records the size View fills and sizes the fields.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	w := max(width-2*margin-indentField, 10)
	m.f.text.SetWidth(w)
	m.f.text.SetHeight(textRows(height))
	m.f.attach.SetSize(w, attachRows(height))
}

// textRows gives the text more room on taller terminals.
func textRows(height int) int {
	switch {
	case height >= 40:
		return 12
	case height >= 30:
		return 8
	}
	return 5
}

// attachRows is the attachments' height: room for the picker.
func attachRows(height int) int {
	if height >= 40 {
		return 8
	}
	return 5
}

// Title names the screen.
func (m *Model) Title() string { return "New A&G request" }

// Status says what is in flight, or how the draft stands.
func (m *Model) Status() string {
	if m.phase != "" {
		return m.phase + "…"
	}
	return ""
}

// Capturing is true while the text, or the attachments' picker or typed
// path, has the keys.
func (m *Model) Capturing() bool {
	if !m.ready() {
		return false
	}
	return m.f.focus == fieldText || (m.f.focus == fieldAttach && m.f.attach.Capturing())
}

// Dirty is true while anything typed or attached is unsent. The text is
// also kept as a draft, but the files are not.
func (m *Model) Dirty() bool { return m.usable() && m.sent == "" && m.f.dirty() }

// FocusedID is the new request's UBRN once sent, else the patient's NHS
// number.
func (m *Model) FocusedID() (label, value string, ok bool) {
	switch {
	case m.sent != "":
		return "UBRN", m.sent, true
	case m.req.NHSNumber != "":
		return "NHS number", m.req.NHSNumber, true
	}
	return "", "", false
}

// KeyMap lists the keys that do something now.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	ready := m.ready()
	text := ready && m.f.focus == fieldText
	attachFocus := ready && m.f.focus == fieldAttach
	picking := attachFocus && m.f.attach.Capturing()
	for _, b := range []*key.Binding{&k.Next, &k.Prev} {
		b.SetEnabled(ready && !picking)
	}
	k.Up.SetEnabled(ready && !text && !attachFocus)
	k.Down.SetEnabled(ready && !text && !attachFocus)
	k.Choose.SetEnabled(ready && m.f.focus == fieldConversion)
	k.Enter.SetEnabled(ready && (m.f.focus == fieldConversion || m.f.focus == fieldSend))
	k.Retry.SetEnabled(ready && !text && !picking && m.retry != retryNone)
	k.Leave.SetEnabled(text)
	k.attach = nil
	if attachFocus {
		k.attach = m.f.attach.KeyMap()
	}
	return k
}

// isRCA reports a referring clinician admin, who asks for a clinician.
func (m *Model) isRCA() bool {
	r := m.user.Role
	return r != nil && ersclient.BusinessFunction(r.BusinessFunction) == ersclient.ReferringClinicianAdmin
}

// role is the user's role, or nil when no one is signed in.
func (m *Model) role() *session.Role { return m.user.Role }

var (
	_ screen.Screen     = (*Model)(nil)
	_ screen.Identifier = (*Model)(nil)
)
