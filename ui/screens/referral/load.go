package referral

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// The replies of the loads. Each carries the generation it was asked in;
// a reply from an older generation (a reload or a change overtook it) is
// dropped.
type (
	referralMsg struct {
		gen int
		ref *ersclient.Referral
		err error
	}
	actionsMsg struct {
		gen  int
		acts *ersclient.AvailableActions
		err  error
	}
	appointmentMsg struct {
		gen  int
		appt *ersclient.AppointmentView
		err  error
	}
)

const (
	taskReferral = "Loading referral"
	taskActions  = "Loading actions"
)

// call runs fn with the screen's timeout.
func call[T any](c screen.Common, fn func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	return fn(ctx)
}

// loadReferral starts a new generation: A005, then (on its reply) A029 and
// A038.
func (m *Model) loadReferral() tea.Cmd {
	m.gen++
	m.loading, m.loadErr = true, nil
	gen, c, ubrn := m.gen, m.c, m.ubrn
	return screen.Task(taskReferral, func() tea.Msg {
		ref, err := call(c, func(ctx context.Context) (*ersclient.Referral, error) { return c.ERS.RetrieveReferral(ctx, ubrn) })
		return referralMsg{gen: gen, ref: ref, err: err}
	})
}

// loadDependents asks A029 with the referral's version (never cached: it
// belongs to this version) and A038 when the referral has an appointment.
func (m *Model) loadDependents() tea.Cmd {
	m.actions, m.actionsErr, m.actionsLoading = nil, nil, true
	gen, c, ubrn, version := m.gen, m.c, m.ubrn, m.ref.Version
	cmds := []tea.Cmd{screen.Task(taskActions, func() tea.Msg {
		acts, err := call(c, func(ctx context.Context) (*ersclient.AvailableActions, error) {
			return c.ERS.AvailableActions(ctx, ubrn, version)
		})
		return actionsMsg{gen: gen, acts: acts, err: err}
	})}
	m.appt, m.apptErr = nil, nil
	if id := m.sum.AppointmentID; id != "" {
		cmds = append(cmds, func() tea.Msg {
			appt, err := call(c, func(ctx context.Context) (*ersclient.AppointmentView, error) {
				return c.ERS.RetrieveAppointment(ctx, id)
			})
			return appointmentMsg{gen: gen, appt: appt, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// setReferral shows a referral (loaded, or sent by a change) and starts
// loading what depends on its version.
func (m *Model) setReferral(ref *ersclient.Referral) tea.Cmd {
	m.ref, m.sum = ref, ref.Summary()
	if m.sum.UBRN == "" {
		m.sum.UBRN = m.ubrn
	}
	m.loading, m.loadErr = false, nil
	m.layoutSummary()
	m.buildDocs()
	return m.loadDependents()
}

// changed applies a write another screen made to this referral: the new
// state shows at once, and A029 is asked again for the new version.
func (m *Model) changed(msg screen.ReferralChanged) tea.Cmd {
	if msg.UBRN != m.ubrn {
		return nil
	}
	// Any provider action ends the review the screen was opened for.
	m.review = false
	when := m.c.Now()
	m.history = append(m.history, event{at: when, text: changeText(msg.Action)})
	m.note = changeText(msg.Action) + " at " + when.Format("15:04:05")
	if msg.Referral == nil {
		return m.loadReferral()
	}
	m.gen++
	return m.setReferral(msg.Referral)
}

func changeText(action string) string {
	if action == "" {
		return "Changed"
	}
	return action
}

// event is a line of the timeline.
type event struct {
	at   time.Time
	text string
}
