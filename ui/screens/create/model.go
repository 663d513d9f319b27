package create

import (
	"slices"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// field is a line of the form that can have the focus.
type field int

const (
	fieldIntention field = iota // letter to follow / no letter intended
	fieldDays                   // first reminder letter follow-up days
	fieldTriage                 // create and send for triage (one triage service only)
	fieldSend
)

// retryKind is what "r" does after a failure.
type retryKind int

const (
	retryNone   retryKind = iota
	retryReload           // read the referral again after a conflict
	retryCheck            // read back after an unknown outcome (the referral, or the worklists for a create)
	retrySend             // confirm and send again
)

// flowTriage is the request flow of a service that triages referrals.
const flowTriage = "TRIAGE_REQUEST"

// Model is the create (or change shortlist) form.
type Model struct {
	c             screen.Common
	req           Request
	ref           *ersclient.Referral // change shortlist: the referral as last read; its Version is sent
	width, height int
	keys          keyMap

	focus     field
	noLetter  bool   // NOT_INTENDING_TO_ADD instead of NEED_TO_ADD_LATER
	days      string // digits only
	triage    bool
	errs      map[field]string
	touched   bool
	seq       int
	pending   *write
	phase     string // "Sending", "Reloading", "Checking": a write or its check is in flight
	done      *ersclient.Referral
	notice    []string
	failure   error
	failLead  string
	retry     retryKind
	found     []ersclient.WorklistRow // referrals for the patient found after a create with no answer
	top       int
	unsentOld bool // a create with no answer was not found: a new send may duplicate it
}

// New builds the form for the Request in arg (a Request or *Request); it
// does no I/O.
func New(c screen.Common, arg any) *Model {
	m := &Model{c: c.WithDefaults(DefaultTimeout), keys: newKeyMap(), days: "0", errs: map[field]string{}}
	switch a := arg.(type) {
	case Request:
		m.req = a
	case *Request:
		if a != nil {
			m.req = *a
		}
	}
	m.ref = m.req.Referral
	return m
}

// usable reports a shortlist to send: 1 to 20 services and, for a change,
// a referral.
func (m *Model) usable() bool {
	n := len(m.req.Services)
	if n == 0 || n > ersclient.MaxShortlist {
		return false
	}
	return m.req.Referral == nil || (m.ref != nil && m.ref.Resource != nil)
}

// changing reports a change of an existing referral's shortlist.
func (m *Model) changing() bool { return m.req.Referral != nil }

// triageOffered: one service on the shortlist, and it triages referrals.
func (m *Model) triageOffered() bool {
	return len(m.req.Services) == 1 && slices.Contains(m.req.Services[0].RequestFlowTypes, flowTriage)
}

// fields are the form's lines, in tab order.
func (m *Model) fields() []field {
	out := []field{fieldIntention, fieldDays}
	if m.triageOffered() {
		out = append(out, fieldTriage)
	}
	return append(out, fieldSend)
}

// Init does nothing: everything the form needs came with the Request.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize records the size View fills.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

// Title names what the form does.
func (m *Model) Title() string {
	if m.changing() {
		return "Change shortlist"
	}
	return "Create referral"
}

// Status says what is in flight.
func (m *Model) Status() string {
	if m.phase != "" {
		return m.phase + "…"
	}
	return ""
}

// Capturing is false: the form has no free-text field.
func (m *Model) Capturing() bool { return false }

// Dirty is true while changed choices are unsent; the shortlist itself
// stays with the search screen underneath.
func (m *Model) Dirty() bool { return m.usable() && m.done == nil && m.touched }

// FocusedID is the referral's UBRN once there is one, else the NHS number.
func (m *Model) FocusedID() (label, value string, ok bool) {
	switch {
	case m.done != nil && m.done.UBRN() != "":
		return "UBRN", m.done.UBRN(), true
	case m.ref != nil && m.ref.UBRN() != "":
		return "UBRN", m.ref.UBRN(), true
	case m.req.NHSNumber != "":
		return "NHS number", m.req.NHSNumber, true
	}
	return "", "", false
}

// KeyMap enables the keys that do something now.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	ready := m.usable() && m.phase == "" && m.done == nil
	for _, b := range []*key.Binding{&k.Next, &k.Prev, &k.Up, &k.Down, &k.Send} {
		b.SetEnabled(ready)
	}
	k.Toggle.SetEnabled(ready && (m.focus == fieldIntention || m.focus == fieldTriage) && !m.locked(m.focus))
	k.Digits.SetEnabled(ready && m.focus == fieldDays && !m.locked(fieldDays))
	k.Erase.SetEnabled(k.Digits.Enabled())
	k.Retry.SetEnabled(m.usable() && m.phase == "" && m.done == nil && m.retry != retryNone)
	k.Open.SetEnabled(m.openable() != "")
	return k
}

// locked reports a field fixed by sending for triage: e-RS requires a
// letter to follow and no reminder then.
func (m *Model) locked(f field) bool {
	return m.triage && (f == fieldIntention || f == fieldDays)
}

// openable is the UBRN "o" opens: the referral made, or the only referral
// found for the patient after a create with no answer.
func (m *Model) openable() string {
	if m.done != nil {
		return m.done.UBRN()
	}
	if len(m.found) == 1 {
		return m.found[0].UBRN
	}
	return ""
}

var (
	_ screen.Screen     = (*Model)(nil)
	_ screen.Identifier = (*Model)(nil)
)
