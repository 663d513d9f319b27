package booking

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// Update handles the replies and the keys.
func (m *Model) Update(msg tea.Msg) (screen.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case servicesMsg:
		return m, m.gotServices(msg)
	case slotsMsg:
		return m, m.slotsLoaded(msg)
	case apptMsg:
		if msg.id != m.apptID {
			return m, nil
		}
		if msg.err != nil {
			m.fail(msg.err, "The appointment could not be read, so it cannot be cancelled yet.", retryCancel)
		} else {
			m.appt = msg.appt
		}
		return m, m.cancelLoaded()
	case reasonsMsg:
		if msg.id != m.reasonsID {
			return m, nil
		}
		if msg.err != nil {
			m.fail(msg.err, "The cancellation reasons could not be loaded.", retryCancel)
		} else {
			m.reasons = msg.data
		}
		return m, m.cancelLoaded()
	case confirmedMsg:
		return m, m.send(msg.id)
	case writtenMsg:
		return m, m.written(msg)
	case referralMsg:
		return m, m.reloaded(msg)
	case reconciledMsg:
		return m, m.reconciled(msg)
	case screen.ReferralChanged:
		// Our own write's broadcast carries the referral we already hold.
		if msg.UBRN == m.ref.UBRN() && msg.Referral != nil && msg.Referral != m.ref && m.phase == "" && !m.done {
			m.ref = msg.Referral
			m.notice = []string{"This referral was just changed (" + msg.Action + "); the screen shows it as it is now."}
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	if m.Capturing() {
		var cmd tea.Cmd
		m.form.comment, cmd = m.form.comment.Update(msg)
		return m, cmd
	}
	return m, nil
}

// gotServices takes the shortlist's details and loads the slots of the
// first service that has any.
func (m *Model) gotServices(msg servicesMsg) tea.Cmd {
	if msg.id != m.servicesID {
		return nil
	}
	m.servicesLoading = false
	off := busy("Loading services", false)
	if msg.err != nil {
		m.fail(msg.err, "The shortlisted services could not be read, so it is not known how they are booked.", retryServices)
		return off
	}
	m.servicesLoaded = true
	applyDetails(m.services, msg.list)
	if m.retry == retryServices {
		m.clearFailure()
	}
	// Start on the service already chosen for the booking, else the first
	// that can be booked, else the first.
	m.svc = 0
	for i, s := range m.services {
		if s.kind() == kindDirect || s.kind() == kindTriage {
			m.svc = i
			break
		}
	}
	return tea.Batch(off, m.loadSlots(false))
}

func (m *Model) slotsLoaded(msg slotsMsg) tea.Cmd {
	if msg.id != m.slotsID {
		return nil
	}
	m.slotsLoading = false
	off := busy("Loading slots", false)
	if s, ok := m.current(); !ok || s.ID != msg.service {
		return off
	}
	if msg.err != nil {
		lead := "The free slots could not be loaded."
		if msg.more {
			lead = "The next page of slots could not be loaded; the slots already shown stay."
		}
		m.fail(msg.err, lead, retrySlots)
		return off
	}
	if m.retry == retrySlots {
		m.clearFailure()
	}
	if msg.more {
		m.list.add(msg.page)
	} else {
		m.list.replace(msg.page)
	}
	return off
}

// cancelLoaded opens the cancel form once the appointment and the reasons
// are both in.
func (m *Model) cancelLoaded() tea.Cmd {
	off := busy("Loading the appointment", false)
	m.cancelReady++
	if m.cancelReady < 2 || m.appt == nil || m.reasons == nil {
		return off
	}
	if m.retry == retryCancel {
		m.clearFailure()
	}
	m.form = newForm(cancelOptions(m.reasons, m.req.Role, m.c.Now()), -1)
	m.form.comment.Placeholder = "comment (required with some reasons)"
	m.SetSize(m.width, m.height)
	return off
}

// key handles a key press.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if !m.usable() || m.phase != "" || m.done {
		return nil
	}
	if m.mode != modeSlots {
		return m.formKey(msg)
	}
	k := m.keys
	s, _ := m.current()
	direct := s.kind() == kindDirect
	canBook := !m.hasBooking() && m.canAct()
	switch {
	case key.Matches(msg, k.NextService):
		return m.switchService(1)
	case key.Matches(msg, k.PrevService):
		return m.switchService(-1)
	case key.Matches(msg, k.Retry) && m.retry != retryNone:
		return m.doRetry()
	case !direct:
		switch {
		case key.Matches(msg, k.Triage) && s.kind() == kindTriage && canBook:
			return m.confirm(actTriage)
		case key.Matches(msg, k.CancelAppt) && m.hasBooking():
			return m.openCancel()
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Up):
		m.list.move(-1)
	case key.Matches(msg, k.Down):
		m.list.move(1)
		if m.list.atEnd() && m.list.hasNext && !m.slotsLoading {
			return m.loadSlots(true)
		}
	case key.Matches(msg, k.Top):
		m.list.move(-len(m.list.slots))
	case key.Matches(msg, k.Bottom):
		m.list.move(len(m.list.slots))
		if m.list.hasNext && !m.slotsLoading {
			return m.loadSlots(true)
		}
	case key.Matches(msg, k.PageUp):
		m.list.move(-m.pageRows())
	case key.Matches(msg, k.PageDown):
		m.list.move(m.pageRows())
		if m.list.atEnd() && m.list.hasNext && !m.slotsLoading {
			return m.loadSlots(true)
		}
	case key.Matches(msg, k.More) && m.list.hasNext && !m.slotsLoading:
		return m.loadSlots(true)
	case key.Matches(msg, k.Refresh):
		m.notice = nil
		return m.loadSlots(false)
	case key.Matches(msg, k.Book) && canBook && len(m.list.slots) > 0:
		return m.confirm(actBook)
	case key.Matches(msg, k.Defer) && canBook:
		opts, chosen := deferOptions(m.lostSlot, m.unanswered)
		m.form = newForm(opts, chosen)
		m.SetSize(m.width, m.height)
		m.mode = modeDefer
	case key.Matches(msg, k.CancelAppt) && m.hasBooking():
		return m.openCancel()
	}
	return nil
}

func (m *Model) openCancel() tea.Cmd {
	m.mode = modeCancel
	m.appt, m.reasons = nil, nil
	return m.loadCancel()
}

// pageRows is how far pgup/pgdown move: about a screen of slots.
func (m *Model) pageRows() int { return max(m.height-12, 5) }

// switchService shows the next (d=1) or previous service and its slots.
func (m *Model) switchService(d int) tea.Cmd {
	n := len(m.services)
	if n < 2 {
		return nil
	}
	m.svc = (m.svc + d + n) % n
	m.list = newSlotList(m.c.Now().Location())
	m.slotsLoading = false
	m.slotsID = -1 // a page still coming for the other service is dropped
	m.notice = nil
	if m.retry == retrySlots {
		m.clearFailure()
	}
	m.lostSlot, m.unanswered = "", false
	return m.loadSlots(false)
}

// formKey handles the keys of the defer and cancel forms.
func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	f := &m.form
	if f.focus == focusComment {
		switch {
		case key.Matches(msg, k.Leave):
			f.focus = focusSend
			f.comment.Blur()
			return nil
		case key.Matches(msg, k.Field):
			return m.setFormFocus(focusSend)
		case key.Matches(msg, k.PrevField):
			return m.setFormFocus(focusReason)
		}
		var cmd tea.Cmd
		f.comment, cmd = f.comment.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Retry) && m.retry != retryNone:
		return m.doRetry()
	case key.Matches(msg, k.Slots):
		m.mode = modeSlots
		m.notice = nil
		if m.retry == retryCancel {
			m.clearFailure()
		}
		return nil
	case key.Matches(msg, k.Field):
		return m.setFormFocus(min(f.focus+1, focusSend))
	case key.Matches(msg, k.PrevField):
		return m.setFormFocus(max(f.focus-1, focusReason))
	case key.Matches(msg, k.Up) && f.focus == focusReason:
		f.cursor = max(f.cursor-1, 0)
	case key.Matches(msg, k.Down) && f.focus == focusReason:
		if f.cursor < len(f.options)-1 {
			f.cursor++
		} else {
			return m.setFormFocus(focusComment)
		}
	case key.Matches(msg, k.Down) && f.focus == focusSend:
		return nil
	case key.Matches(msg, k.Up) && f.focus == focusSend:
		return m.setFormFocus(focusComment)
	case key.Matches(msg, k.Choose) && f.focus == focusReason:
		f.chosen = f.cursor
		delete(f.err, focusReason)
	case key.Matches(msg, k.Send):
		if f.focus == focusReason {
			if len(f.options) > 0 {
				f.chosen = f.cursor
				delete(f.err, focusReason)
			}
			return m.setFormFocus(focusComment)
		}
		if m.mode == modeDefer {
			return m.confirm(actDefer)
		}
		return m.confirm(actCancel)
	}
	return nil
}

func (m *Model) setFormFocus(f focus) tea.Cmd {
	m.form.focus = f
	if f == focusComment {
		return m.form.comment.Focus()
	}
	m.form.comment.Blur()
	return nil
}
