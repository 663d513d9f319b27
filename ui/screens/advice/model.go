package advice

import (
	"context"
	"os"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
	"github.com/ers-workstation/ers-workstation/ui/components/drafts"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

type mode int

const (
	modeThread mode = iota
	modeDocs
	modeForm // the response or conversion form
)

// Model is the A&G screen.
type Model struct {
	c    screen.Common
	ubrn string
	keys keyMap
	mode mode

	width, height int

	// The user, from the session (Auth.Identity): the draft's owner, and
	// whether the provider's keys apply.
	user    session.Identity
	userErr error

	gen       int // load generation; older replies are dropped
	loading   bool
	loadErr   error
	req       *ersclient.AdviceRequest
	sum       ersclient.AdviceSummary
	thread    *ersclient.AdviceThread
	threadErr error
	conv      conversation

	docs   *document.Set
	items  []docItem
	docCur int

	form   *form
	drafts *drafts.Store
	write  writeState
	note   string // the last outcome, for the status line
}

// New builds the screen for the UBRN in arg; it does no I/O.
func New(c screen.Common, arg any) *Model { return NewWithHome(c, arg, os.UserHomeDir) }

// NewWithHome is New with the folder the file picker starts in.
func NewWithHome(c screen.Common, arg any, home func() (string, error)) *Model {
	c = c.WithDefaults(DefaultTimeout)
	ubrn, _ := arg.(string)
	m := &Model{c: c, ubrn: ubrn, keys: newKeyMap(), drafts: drafts.New(c.Drafts)}
	m.docs = document.New(c.Styles, document.Options{Dir: c.Files, Timeout: c.Timeout, Viewer: document.SystemViewer()})
	m.form = newForm(c.Styles, home)
	return m
}

// Init learns the user and loads the request and its conversation.
func (m *Model) Init() tea.Cmd {
	if m.ubrn == "" {
		return nil
	}
	return tea.Batch(m.identify(), m.load())
}

// Update handles replies, document results and keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	if cmd, ok := m.docs.Update(msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case identityMsg:
		return m, m.identified(msg)
	case draftLoadedMsg:
		m.restore(msg)
		return m, nil
	case draftTickMsg:
		return m, m.saveDraftIf(msg)
	case draftSavedMsg:
		m.form.drafts[msg.slot].err = msg.err
		return m, nil
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		return m, m.loaded(msg)
	case confirmedMsg, writtenMsg, reconciledMsg:
		return m, m.writeReply(msg)
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	// The files' folder reads and checks answer whichever has focus; the
	// focused text and typed path take the cursor's blink.
	cmds := []tea.Cmd{m.updateAttach(m.form.files, msg), m.updateAttach(m.form.review, msg)}
	if s, ok := m.form.focusedArea(); ok && m.mode == modeForm {
		cmds = append(cmds, m.form.updateText(s, msg))
	}
	return m, tea.Batch(cmds...)
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.mode == modeForm {
		return m.formKey(msg)
	}
	k := m.KeyMap().(keyMap)
	switch {
	case key.Matches(msg, k.Reload):
		return m.load()
	case key.Matches(msg, k.Documents):
		if m.mode == modeDocs {
			m.mode = modeThread
		} else {
			m.mode = modeDocs
			m.focusDoc()
		}
	case key.Matches(msg, k.Respond):
		return m.openForm(kindRespond)
	case key.Matches(msg, k.Convert):
		return m.openForm(kindConvert)
	case key.Matches(msg, k.Download):
		if it, ok := m.focusedDoc(); ok && it.why == "" {
			return m.docs.Download(it.src)
		}
	case key.Matches(msg, k.Open):
		return m.docs.Open(m.docs.Focused())
	case key.Matches(msg, k.Keep):
		return m.docs.Keep(m.docs.Focused())
	default:
		m.move(msg, k)
	}
	return nil
}

// move scrolls the conversation, or moves the document list and pages
// its preview.
func (m *Model) move(msg tea.KeyPressMsg, k keyMap) {
	page := max(m.bodyHeight(), 1)
	if m.mode == modeDocs {
		switch {
		case key.Matches(msg, k.Up):
			m.docCur--
		case key.Matches(msg, k.Down):
			m.docCur++
		case key.Matches(msg, k.Top):
			m.docCur = 0
		case key.Matches(msg, k.Bottom):
			m.docCur = len(m.items) - 1
		case key.Matches(msg, k.PageUp):
			m.docs.Scroll(-page / 2)
		case key.Matches(msg, k.PageDown):
			m.docs.Scroll(page / 2)
		}
		m.docCur = min(max(m.docCur, 0), max(len(m.items)-1, 0))
		m.focusDoc()
		return
	}
	c := &m.conv
	switch {
	case key.Matches(msg, k.Up):
		c.top--
	case key.Matches(msg, k.Down):
		c.top++
	case key.Matches(msg, k.PageUp):
		c.top -= page
	case key.Matches(msg, k.PageDown):
		c.top += page
	case key.Matches(msg, k.Top):
		c.top = 0
	case key.Matches(msg, k.Bottom):
		c.top = len(c.layout(m.c.Styles, m.textWidth()))
	}
	c.top = min(max(c.top, 0), max(len(c.layout(m.c.Styles, m.textWidth()))-page, 0))
}

// openForm shows the response or conversion form, sized for its fields.
func (m *Model) openForm(kind formKind) tea.Cmd {
	m.mode = modeForm
	cmd := m.form.open(kind)
	m.form.setSize(m.textWidth(), m.bodyHeight())
	return cmd
}

// SetSize records the size; the conversation re-lays out on the next View.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.form.setSize(m.textWidth(), m.bodyHeight())
}

// Title names the screen.
func (m *Model) Title() string { return "A&G " + m.ubrn }

// Status is the version and the last outcome.
func (m *Model) Status() string {
	switch {
	case m.loading:
		return "Loading A&G request"
	case m.req == nil:
		return ""
	case m.note != "":
		return "v" + m.sum.Version + " · " + m.note
	}
	return "v" + m.sum.Version
}

// Capturing is true while the form is open: its keys are its own, and
// esc closes it keeping the draft (or, in the picker, closes the picker).
func (m *Model) Capturing() bool { return m.mode == modeForm }

// Dirty is true while the form holds text that is not safely in a draft
// (no drafts directory, a failed write, or keys typed since the last
// write) or files chosen, which are not kept: the root asks before leaving
// only when leaving would lose something.
func (m *Model) Dirty() bool {
	return m.unsaved(slotGuidance) || m.unsaved(slotComments) || m.form.filesChosen()
}

// FocusedID is the UBRN, for "y".
func (m *Model) FocusedID() (label, value string, ok bool) { return "UBRN", m.ubrn, m.ubrn != "" }

// provider reports the provider's side: the respond and convert keys.
func (m *Model) provider() bool {
	return m.user.Role != nil && isProvider(m.user.Role.BusinessFunction)
}

// canRespond is the provider with the request waiting for them.
func (m *Model) canRespond() (bool, string) {
	switch {
	case m.req == nil:
		return false, "The request is not loaded."
	case !m.provider():
		return false, "Only the provider's clinicians respond to a request."
	case !m.sum.Category.WithProvider():
		return false, "The request is not waiting for the provider (" + m.sum.Category.Label() + ")."
	case m.write.busy:
		return false, "A write is in progress."
	}
	return true, ""
}

func (m *Model) canConvert() (bool, string) {
	switch {
	case m.req == nil:
		return false, "The request is not loaded."
	case !m.provider():
		return false, "Only the provider's clinicians convert a request."
	case m.write.busy:
		return false, "A write is in progress."
	}
	return m.sum.CanConvert()
}

// KeyMap enables the keys that do something now.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	ready := m.req != nil && m.loadErr == nil
	inForm := m.mode == modeForm
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Documents} {
		b.SetEnabled(ready && !inForm)
	}
	k.Reload.SetEnabled(!m.loading && m.ubrn != "" && !inForm)
	it, hasDoc := m.focusedDoc()
	docs := ready && m.mode == modeDocs && hasDoc
	k.Download.SetEnabled(docs && it.why == "" && m.docs.CanDownload(it.src.Key))
	k.Open.SetEnabled(docs && m.docs.Path(it.src.Key) != "")
	k.Keep.SetEnabled(docs && m.docs.CanKeep(it.src.Key))
	resp, _ := m.canRespond()
	k.Respond.SetEnabled(resp && !inForm)
	conv, why := m.canConvert()
	k.Convert.SetEnabled(conv && !inForm)
	if !conv && m.provider() && why != "" {
		k.Convert.SetHelp("c", "convert (not now: see the screen)")
	}
	f := m.form
	picking := inForm && f.picking()
	for _, b := range []*key.Binding{&k.NextField, &k.PrevField, &k.Leave} {
		b.SetEnabled(inForm && !picking)
	}
	_, typing := f.focusedArea()
	k.Choose.SetEnabled(inForm && !typing && f.focusedFiles() == nil)
	k.Send.SetEnabled(inForm && !picking && !m.write.busy)
	if f.kind == kindConvert {
		k.Send.SetHelp("ctrl+s", "convert")
	}
	k.files = nil
	if a := f.focusedFiles(); inForm && a != nil {
		k.files = a.KeyMap()
	}
	return k
}

// call runs fn with the screen's timeout.
func call[T any](c screen.Common, fn func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	return fn(ctx)
}

func toast(text string, level screen.Level) tea.Cmd {
	return func() tea.Msg { return screen.Toast{Text: text, Level: level} }
}

func msgCmd(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

var _ screen.Screen = (*Model)(nil)
var _ screen.Identifier = (*Model)(nil)
