package booking

import (
	"context"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// mode is what the screen's body shows.
type mode int

const (
	modeSlots  mode = iota // the services and their slots
	modeDefer              // the defer-to-provider form
	modeCancel             // the cancel-appointment form
)

// retryKind is what "r" does after a failure.
type retryKind int

const (
	retryNone      retryKind = iota
	retryServices            // A035 again
	retrySlots               // A015 again (the page that failed)
	retryCancel              // A038 and A004 for the cancel form again
	retryReload              // A005 again after a conflict
	retryReconcile           // read back again after an unknown outcome
)

// Model is the booking screen of one referral.
type Model struct {
	c             screen.Common
	req           Request
	ref           *ersclient.Referral // as last read; its Version is sent
	width, height int
	keys          keyMap
	seq           int

	services        []service
	svc             int // the service shown
	servicesID      int
	servicesLoading bool
	servicesLoaded  bool

	list         slotList
	slotsID      int
	slotsLoading bool
	slotsMore    bool // the request in flight is a further page

	mode mode
	form form

	appt        *ersclient.AppointmentView // the booked appointment (A038), for A034
	apptID      int
	reasons     *ersclient.ReferenceData
	reasonsID   int
	cancelReady int // how many of appt and reasons are in

	pending *write // confirmed or awaiting confirmation
	phase   string // "Sending", "Reloading", "Checking": a write is in flight
	done    bool
	// lostSlot and unanswered remember the last booking attempt's fate,
	// to offer the right deferral reason.
	lostSlot   string
	unanswered bool

	notice      []string // what happened; the first line is the headline
	failure     error
	failureLead string
	retry       retryKind
}

// New builds the screen for the Request in arg (a Request or *Request); it
// does no I/O. Without a referral it says what is missing.
func New(c screen.Common, arg any) screen.Screen {
	m := &Model{c: c.WithDefaults(DefaultTimeout), keys: newKeyMap()}
	switch a := arg.(type) {
	case Request:
		m.req = a
	case *Request:
		if a != nil {
			m.req = *a
		}
	}
	m.ref = m.req.Referral
	m.list = newSlotList(m.c.Now().Location())
	m.form = newForm(nil, -1)
	if m.usable() {
		m.services = shortlistServices(m.ref)
		if m.req.CancelFirst {
			m.mode = modeCancel
		}
	}
	return m
}

func (m *Model) usable() bool { return m.ref != nil && m.ref.Resource != nil }

func (m *Model) summary() ersclient.ReferralSummary { return m.ref.Summary() }

// Init loads the shortlist's details (A035) and, on the rebook path, the
// appointment (A038) and the cancellation reasons (A004).
func (m *Model) Init() tea.Cmd {
	if !m.usable() || len(m.services) == 0 {
		return nil
	}
	cmds := []tea.Cmd{m.loadServices()}
	if m.mode == modeCancel {
		cmds = append(cmds, m.loadCancel())
	}
	return tea.Batch(cmds...)
}

func (m *Model) timeout() timeoutFunc {
	t := m.c.Timeout
	return func() (context.Context, context.CancelFunc) { return context.WithTimeout(context.Background(), t) }
}

func busy(task string, on bool) tea.Cmd {
	return func() tea.Msg { return screen.Busy{Task: task, On: on} }
}

func (m *Model) loadServices() tea.Cmd {
	m.seq++
	id, ers, timeout := m.seq, m.c.ERS, m.timeout()
	ids := make([]string, 0, len(m.services))
	for _, s := range m.services {
		ids = append(ids, s.ID)
	}
	if len(ids) > ersclient.MaxServiceSearchIDs {
		ids = ids[:ersclient.MaxServiceSearchIDs]
	}
	m.servicesID, m.servicesLoading = id, true
	return tea.Batch(busy("Loading services", true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		list, err := ers.SearchServices(ctx, ids)
		return servicesMsg{id: id, list: list, err: err}
	})
}

// loadSlots fetches the first page (a refresh) or the next one of the
// service shown.
func (m *Model) loadSlots(more bool) tea.Cmd {
	s, ok := m.current()
	if !ok || s.kind() != kindDirect {
		return nil
	}
	page := 1
	if more {
		page = m.list.page + 1
	}
	m.seq++
	sum := m.summary()
	q := ersclient.SlotQuery{ServiceID: s.ID, Priority: sum.Priority, CommRuleOrg: sum.CommissioningRuleOrg,
		Count: ersclient.MaxSlotPageSize, Page: page}
	id, ers, timeout := m.seq, m.c.ERS, m.timeout()
	m.slotsID, m.slotsLoading, m.slotsMore = id, true, more
	return tea.Batch(busy("Loading slots", true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		p, err := ers.RetrieveSlots(ctx, q)
		return slotsMsg{id: id, service: q.ServiceID, more: more, page: p, err: err}
	})
}

// loadCancel reads the appointment (A038: its current version for
// If-Match) and the cancellation reasons (A004).
func (m *Model) loadCancel() tea.Cmd {
	apptID := m.summary().AppointmentID
	if apptID == "" && m.summary().Appointment != nil {
		apptID = m.summary().Appointment.ID
	}
	ers, timeout := m.c.ERS, m.timeout()
	m.seq++
	a := m.seq
	m.seq++
	r := m.seq
	m.apptID, m.reasonsID, m.cancelReady = a, r, 0
	return tea.Batch(busy("Loading the appointment", true),
		func() tea.Msg {
			if apptID == "" {
				return apptMsg{id: a, err: errNoAppointment}
			}
			ctx, cancel := timeout()
			defer cancel()
			v, err := ers.RetrieveAppointment(ctx, apptID)
			return apptMsg{id: a, appt: v, err: err}
		},
		func() tea.Msg {
			ctx, cancel := timeout()
			defer cancel()
			d, err := ers.RetrieveReferenceData(ctx, "APPOINTMENT-CANCELLATION-REASON")
			return reasonsMsg{id: r, data: d, err: err}
		})
}

// current is the service shown.
func (m *Model) current() (service, bool) {
	if m.svc < 0 || m.svc >= len(m.services) {
		return service{}, false
	}
	return m.services[m.svc], true
}

// hasBooking reports a booked appointment that A034 may cancel.
func (m *Model) hasBooking() bool {
	s := m.summary()
	return s.State.Code == ersclient.ReferralStateBooked && (s.AppointmentID != "" || s.Appointment != nil)
}

// needsReopen reports a referral whose appointment was cancelled: e-RS
// books it again only after the shortlist is confirmed (A031).
func (m *Model) needsReopen() bool {
	switch m.summary().State.Code {
	case ersclient.ReferralStateApptCancelledByPatient, ersclient.ReferralStateApptCancelledByProvider:
		return true
	}
	return false
}

// SetSize records the size View fills.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.form.comment.SetWidth(max(width-12, 10))
}

// Title names the screen.
func (m *Model) Title() string {
	if m.mode == modeCancel {
		return "Cancel appointment and rebook"
	}
	return "Book appointment"
}

// Status says what is in flight, or how many slots are shown.
func (m *Model) Status() string {
	switch {
	case m.phase != "":
		return m.phase + "…"
	case m.servicesLoading:
		return "Loading services…"
	case m.slotsLoading:
		return "Loading slots…"
	case len(m.list.slots) > 0:
		return plural(len(m.list.slots), "slot") + " shown of " + itoa(m.list.total)
	}
	return ""
}

// Capturing is true while the comment field has focus.
func (m *Model) Capturing() bool {
	return m.usable() && m.mode != modeSlots && m.form.focus == focusComment && !m.done
}

// Dirty is true while a typed comment is unsent.
func (m *Model) Dirty() bool { return m.usable() && !m.done && m.mode != modeSlots && m.form.dirty() }

// FocusedID is the referral's UBRN.
func (m *Model) FocusedID() (label, value string, ok bool) {
	if u := m.ref.UBRN(); u != "" {
		return "UBRN", u, true
	}
	return "", "", false
}

// KeyMap lists the keys that do something now.
func (m *Model) KeyMap() help.KeyMap {
	k := m.keys
	ready := m.usable() && m.phase == "" && !m.done
	slots := ready && m.mode == modeSlots
	formOn := ready && m.mode != modeSlots
	text := formOn && m.form.focus == focusComment
	s, _ := m.current()
	direct := slots && s.kind() == kindDirect
	for _, b := range []*key.Binding{&k.NextService, &k.PrevService} {
		b.SetEnabled(slots && len(m.services) > 1)
	}
	for _, b := range []*key.Binding{&k.Up, &k.Down} {
		b.SetEnabled(direct || (formOn && !text))
	}
	for _, b := range []*key.Binding{&k.Top, &k.Bottom, &k.PageUp, &k.PageDown} {
		b.SetEnabled(direct)
	}
	canBook := !m.hasBooking() && m.canAct()
	k.Book.SetEnabled(direct && canBook && len(m.list.slots) > 0)
	k.Defer.SetEnabled(direct && canBook)
	k.Triage.SetEnabled(slots && canBook && s.kind() == kindTriage)
	k.CancelAppt.SetEnabled(slots && m.hasBooking())
	k.More.SetEnabled(direct && m.list.hasNext && !m.slotsLoading)
	k.Retry.SetEnabled(ready && !text && m.retry != retryNone)
	k.Refresh.SetEnabled(direct && m.retry == retryNone)
	k.Field.SetEnabled(formOn)
	k.PrevField.SetEnabled(formOn)
	k.Choose.SetEnabled(formOn && m.form.focus == focusReason)
	k.Send.SetEnabled(formOn && !text)
	k.Slots.SetEnabled(formOn && !text)
	k.Leave.SetEnabled(text)
	return k
}

// canAct reports a referral e-RS may book, defer or send for triage: not
// booked, or with its appointment cancelled (after A031).
func (m *Model) canAct() bool {
	s := m.summary()
	if s.IsCancelled() {
		return false
	}
	switch s.State.Code {
	case ersclient.ReferralStateNotBooked, "":
		return true
	}
	return m.needsReopen()
}

var (
	_ screen.Screen     = (*Model)(nil)
	_ screen.Identifier = (*Model)(nil)
)
