package letters

import (
	"context"
	"io"
	"os"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// retryKind is what "r" does after a failure.
type retryKind int

const (
	retryNone  retryKind = iota
	retryLoad            // read the referral again
	retryCheck           // read it back after an unknown outcome
	retrySend            // confirm and send again
)

const (
	phaseSending   = "Sending"
	phaseReloading = "Reloading"
	phaseChecking  = "Checking"
)

// patientLetterKey names the patient letter in the document set.
const patientLetterKey = "patient-letter"

// Model is the letters screen of one referral.
type Model struct {
	c             screen.Common
	req           Request
	ref           *ersclient.Referral // as last read; its Version is sent as If-Match
	width, height int
	keys          keyMap
	files         *attach.Model
	docs          *document.Set

	seq      int
	pending  *write
	phase    string
	notice   []string
	failure  error
	failLead string
	retry    retryKind
}

// New builds the screen for the Request in arg (a Request or *Request);
// it does no I/O.
func New(c screen.Common, arg any) *Model { return NewWithHome(c, arg, os.UserHomeDir) }

// NewWithHome is New with the folder the file picker starts in.
func NewWithHome(c screen.Common, arg any, home func() (string, error)) *Model {
	c = c.WithDefaults(DefaultTimeout)
	m := &Model{c: c, keys: newKeyMap()}
	switch a := arg.(type) {
	case Request:
		m.req = a
	case *Request:
		if a != nil {
			m.req = *a
		}
	}
	m.ref = m.req.Referral
	m.files = attach.New(c.Styles, home)
	m.files.Focus()
	m.docs = document.New(c.Styles, document.Options{Dir: c.Files, Timeout: c.Timeout, Viewer: document.SystemViewer()})
	m.docs.Focus(patientLetterKey)
	return m
}

// usable reports a referral to work on.
func (m *Model) usable() bool { return m.ref != nil && m.ref.Resource != nil && m.ref.UBRN() != "" }

// Init starts the patient letter when the screen was opened for it.
func (m *Model) Init() tea.Cmd {
	if m.usable() && m.req.PatientLetter {
		return m.patientLetter()
	}
	return nil
}

// patientLetter generates the patient letter (A019) and saves it like any
// other document.
func (m *Model) patientLetter() tea.Cmd {
	ers, ubrn := m.c.ERS, m.ref.UBRN()
	return m.docs.Download(document.Source{Key: patientLetterKey, Title: "patient letter",
		FileName: ubrn + "_Patient_Letter.pdf",
		Fetch: func(ctx context.Context, w io.Writer) (*ersclient.Download, error) {
			return ers.GeneratePatientLetter(ctx, ubrn, w)
		}})
}

// SetSize records the size and sizes the attachments list.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.files.SetSize(max(width-2*margin, 10), attachRows(height))
}

// attachRows gives the picker more room on taller terminals.
func attachRows(height int) int {
	switch {
	case height >= 40:
		return 12
	case height >= 30:
		return 8
	}
	return 6
}

// Title names the screen.
func (m *Model) Title() string {
	if u := m.ref.UBRN(); u != "" {
		return "Letters " + u
	}
	return "Referral letters"
}

// Status says what is in flight.
func (m *Model) Status() string {
	if m.phase != "" {
		return m.phase + "…"
	}
	return ""
}

// Capturing is true while the picker or the typed path has the keys.
func (m *Model) Capturing() bool { return m.files.Capturing() }

// Dirty is true while chosen files are not yet on the referral.
func (m *Model) Dirty() bool { return m.usable() && m.files.Dirty() }

// FocusedID is the referral's UBRN.
func (m *Model) FocusedID() (label, value string, ok bool) {
	if u := m.ref.UBRN(); u != "" {
		return "UBRN", u, true
	}
	return "", "", false
}

// KeyMap enables the keys that do something now, with the component's.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	idle := m.usable() && m.phase == "" && !m.files.Capturing()
	k.Send.SetEnabled(idle && m.files.Dirty())
	k.Retry.SetEnabled(idle && m.retry != retryNone)
	k.PatientLetter.SetEnabled(idle && m.docs.CanDownload(patientLetterKey))
	k.Open.SetEnabled(idle && m.docs.Path(patientLetterKey) != "")
	k.Keep.SetEnabled(idle && m.docs.CanKeep(patientLetterKey))
	k.Up.SetEnabled(idle && m.docs.Doc(patientLetterKey) != nil)
	k.Down.SetEnabled(k.Up.Enabled())
	var comp []key.Binding
	if m.usable() {
		comp = m.files.KeyMap()
	}
	return helpKeys{own: k, attach: comp}
}

// PatientLetterPath is where the patient letter was saved; "" before.
func (m *Model) PatientLetterPath() string { return m.docs.Path(patientLetterKey) }

// NoAccessCode reports e-RS refusing the patient letter because the
// patient has no access code yet.
func (m *Model) NoAccessCode() bool {
	d := m.docs.Doc(patientLetterKey)
	return d != nil && ersclient.IsBusinessRule(d.Err, "NO_ACCESS_CODE")
}

var (
	_ screen.Screen     = (*Model)(nil)
	_ screen.Identifier = (*Model)(nil)
)
