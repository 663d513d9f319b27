// Package referral is the referral screen: one referral (A005) in sections
// (summary, clinical information, attachments), its appointment (A038), the
// documents downloaded from it (A007, A042) with a text preview, and the
// actions e-RS offers the user on it now (A029), each opening the action
// forms of package actions.
//
// It does not write to e-RS itself: the forms do, and their
// screen.ReferralChanged broadcast updates this screen.
package referral

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// RouteName is the route that opens a referral.
const RouteName = screen.RouteReferral

// DefaultTimeout bounds each call when Common.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Route registers the screen. Open's Arg is the UBRN (a string), or the
// worklist row it was opened from (ersclient.WorklistRow or a pointer to
// one), which also says whether the referral awaits the provider's review.
func Route() screen.Route {
	return screen.Route{
		Name:    RouteName,
		Title:   "Referral",
		Summary: "One referral: summary, documents and actions",
		New:     func(c screen.Common, arg any) screen.Screen { return New(c, arg) },
	}
}

// The sections, in tab order.
const (
	tabSummary = iota
	tabClinical
	tabAttachments
	tabCount
)

// Model is the referral screen.
type Model struct {
	c    screen.Common
	ubrn string
	// review: opened from REFERRALS_FOR_REVIEW for a booked (APPOINTMENT)
	// referral, so accept, reject and cancel-action-later apply. A029 has
	// no codes for those three, and A005 does not say whether a booked
	// referral still awaits review; only the worklist knows.
	review bool

	width, height int
	keys          keyMap
	tab           int
	focusNHS      bool // "y" copies the NHS number instead of the UBRN

	gen     int // the load generation; older replies are dropped
	loading bool
	loadErr error
	ref     *ersclient.Referral
	sum     ersclient.ReferralSummary

	appt    *ersclient.AppointmentView
	apptErr error

	actions        *ersclient.AvailableActions
	actionsErr     error
	actionsLoading bool

	history []event // changes seen while the screen was open
	note    string  // the last change, for the status line

	// The summary, wrapped once per width.
	lines      []string
	linesWidth int
	top        int

	// The documents: the two lists and their cursors here, what was
	// downloaded and the preview pane in the Set.
	lists  [tabCount][]docItem
	cursor [tabCount]int
	docs   *document.Set
}

// New builds the screen for the UBRN or worklist row in arg; it does no I/O.
func New(c screen.Common, arg any) *Model { return newModel(c, arg, document.SystemViewer()) }

// newModel is New with the viewer that opens saved files, which tests
// replace.
func newModel(c screen.Common, arg any, viewer document.Viewer) *Model {
	c = c.WithDefaults(DefaultTimeout)
	m := &Model{c: c, keys: newKeyMap(),
		docs: document.New(c.Styles, document.Options{Dir: c.Files, Timeout: c.Timeout, Viewer: viewer})}
	switch a := arg.(type) {
	case string:
		m.ubrn = a
	case ersclient.WorklistRow:
		m.ubrn, m.review = a.UBRN, awaitsReview(a)
	case *ersclient.WorklistRow:
		if a != nil {
			m.ubrn, m.review = a.UBRN, awaitsReview(*a)
		}
	}
	return m
}

func awaitsReview(r ersclient.WorklistRow) bool {
	return r.ListType == ersclient.WorklistReferralsForReview && r.ReferralType == ersclient.ReferralTypeAppointment
}

// Init loads the referral.
func (m *Model) Init() tea.Cmd {
	if m.ubrn == "" {
		return nil
	}
	return m.loadReferral()
}

// Update handles the load replies, document results, changes and keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	if cmd, ok := m.docs.Update(msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case referralMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			m.loading, m.loadErr = false, msg.err
			return m, nil
		}
		return m, m.setReferral(msg.ref)
	case actionsMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.actionsLoading = false
		m.actions, m.actionsErr = msg.acts, msg.err
		return m, nil
	case appointmentMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.appt, m.apptErr = msg.appt, msg.err
		m.layoutSummary()
		return m, nil
	case screen.ReferralChanged:
		return m, m.changed(msg)
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.KeyMap().(keyMap)
	switch {
	case key.Matches(msg, k.NextTab):
		m.tab = (m.tab + 1) % tabCount
	case key.Matches(msg, k.PrevTab):
		m.tab = (m.tab + tabCount - 1) % tabCount
	case key.Matches(msg, k.Summary):
		m.tab = tabSummary
	case key.Matches(msg, k.Clinical):
		m.tab = tabClinical
	case key.Matches(msg, k.Attachments):
		m.tab = tabAttachments
	case key.Matches(msg, k.Reload):
		return m.loadReferral()
	case key.Matches(msg, k.Focus):
		m.focusNHS = !m.focusNHS
	default:
		if cmd, ok := m.docKey(msg, k); ok {
			return cmd
		}
		if cmd, ok := m.actionKey(msg, k); ok {
			return cmd
		}
		m.move(msg, k)
	}
	m.focusDoc() // the section or its cursor may have changed
	return nil
}

// actionKey opens the action form for an offered action's key.
func (m *Model) actionKey(msg tea.KeyPressMsg, k keyMap) (tea.Cmd, bool) {
	for _, a := range m.offered() {
		if b := k.actionKey(a); b != nil && key.Matches(msg, *b) {
			role, _ := m.role()
			return openAction(m.ref, a, role), true
		}
	}
	return nil, false
}

// move scrolls the summary, or in a document section moves the list
// (arrows, j/k, g/G) and scrolls the preview (pages).
func (m *Model) move(msg tea.KeyPressMsg, k keyMap) {
	if m.tab != tabSummary {
		m.moveDoc(msg, k)
		return
	}
	page := max(m.bodyHeight(), 1)
	switch {
	case key.Matches(msg, k.Up):
		m.top--
	case key.Matches(msg, k.Down):
		m.top++
	case key.Matches(msg, k.PageUp):
		m.top -= page
	case key.Matches(msg, k.PageDown):
		m.top += page
	case key.Matches(msg, k.HalfUp):
		m.top -= page / 2
	case key.Matches(msg, k.HalfDown):
		m.top += page / 2
	case key.Matches(msg, k.Top):
		m.top = 0
	case key.Matches(msg, k.Bottom):
		m.top = len(m.lines)
	}
	m.clampTop()
}

func (m *Model) clampTop() {
	m.top = min(max(m.top, 0), max(len(m.lines)-m.bodyHeight(), 0))
}

// SetSize records the size and re-wraps the summary for a new width.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layoutSummary()
}

// Title names the screen.
func (m *Model) Title() string { return "Referral " + m.ubrn }

// Status is the version shown and the last change.
func (m *Model) Status() string {
	switch {
	case m.loading:
		return "Loading referral"
	case m.ref == nil:
		return ""
	case m.note != "":
		return "v" + m.ref.Version + " · " + m.note
	}
	return "v" + m.ref.Version
}

// Capturing is false: the screen has no text input.
func (m *Model) Capturing() bool { return false }

// Dirty is false: nothing typed here can be lost.
func (m *Model) Dirty() bool { return false }

// FocusedID is the UBRN, or the NHS number once "f" moved the focus to it.
func (m *Model) FocusedID() (label, value string, ok bool) {
	if m.focusNHS && m.sum.NHSNumber != "" {
		return "NHS number", m.sum.NHSNumber, true
	}
	return "UBRN", m.ubrn, m.ubrn != ""
}

// KeyMap enables the keys that do something now.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	ready := m.ref != nil && m.loadErr == nil
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.HalfUp, &k.HalfDown, &k.Top, &k.Bottom,
		&k.NextTab, &k.PrevTab, &k.Summary, &k.Clinical, &k.Attachments} {
		b.SetEnabled(ready)
	}
	k.Focus.SetEnabled(ready && m.sum.NHSNumber != "")
	k.Reload.SetEnabled(!m.loading && m.ubrn != "")
	it, hasDoc := m.focused()
	docs := ready && hasDoc
	k.Download.SetEnabled(docs && it.why == "" && m.docs.CanDownload(it.src.Key))
	k.Open.SetEnabled(docs && m.docs.Path(it.src.Key) != "")
	k.Keep.SetEnabled(docs && m.docs.CanKeep(it.src.Key))
	offered := map[string]bool{}
	for _, a := range m.offered() {
		offered[a] = true
	}
	for _, a := range []string{actAccept, actReject, actLater, actReview, actCancel} {
		k.actionKey(a).SetEnabled(offered[a])
	}
	return k
}

var _ screen.Screen = (*Model)(nil)
var _ screen.Identifier = (*Model)(nil)
