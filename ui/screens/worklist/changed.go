package worklist

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// changed reflects a write made on another screen at once, changing only
// that row in the grid (a fraction of a millisecond at 100,000 rows, where
// setting every row again takes about 60): the row leaves
// a list it no longer belongs on (an accepted referral leaves
// REFERRALS_FOR_REVIEW) or shows its new state, marked done. Lists that do
// not hold the row may now: they reload when next shown.
func (m *Model) changed(msg screen.ReferralChanged) tea.Cmd {
	var sum *ersclient.ReferralSummary
	if msg.Referral != nil {
		s := msg.Referral.Summary()
		sum = &s
	}
	action := first(msg.Action, "Changed")
	m.note = ""
	for _, t := range m.tabs {
		i := t.index(msg.UBRN)
		if i < 0 {
			t.stale = t.stale || t.loaded
			continue
		}
		if !stays(t.list, sum, msg.Action) {
			t.rows = slices.Delete(slices.Clone(t.rows), i, i+1)
			if t == m.current() {
				m.note = action + " " + msg.UBRN + ": off " + t.list.Label()
			}
			t.grid.RemoveRow(msg.UBRN)
			continue
		}
		r := t.rows[i]
		if sum != nil {
			r.Priority = first2(sum.Priority, r.Priority)
			if sum.State.Code != "" && !t.list.ForProvider() {
				r.StatusCode, r.StatusDisplay = sum.State.Code, sum.State.Display
			}
		}
		t.rows = slices.Clone(t.rows)
		t.rows[i] = r
		if t.notes == nil {
			t.notes = map[string]string{}
		}
		t.notes[msg.UBRN] = action
		if t == m.current() {
			m.note = action + " " + msg.UBRN
		}
		t.grid.UpdateRow(r.UBRN, cells(&r, m.c.Now(), action), mark(&r, action))
	}
	if t := m.current(); t != nil && t.stale && !t.loading {
		return m.load(t)
	}
	return nil
}

// stays reports whether a referral still belongs on a list after a change,
// as far as the new state tells (the next load is the final word).
// Cancelled referrals leave every list but the one reporting
// cancellations; any provider action is the review REFERRALS_FOR_REVIEW
// asks for; APPOINTMENT_SLOT_ISSUES holds deferred referrals only.
func stays(l ersclient.WorklistType, sum *ersclient.ReferralSummary, action string) bool {
	if sum != nil && sum.IsCancelled() {
		return l == ersclient.WorklistAssessmentReturnedCancelledDNA
	}
	switch l {
	case ersclient.WorklistReferralsForReview:
		if action != "" {
			return false
		}
		return sum == nil || sum.State.Code == ersclient.ReferralStateBooked || sum.State.Code == ersclient.ReferralStateAwaitingTriage
	case ersclient.WorklistAppointmentSlotIssues:
		return sum == nil || sum.State.Code == ersclient.ReferralStateDeferredToProvider
	}
	return true
}

func first2(p, q ersclient.Priority) ersclient.Priority {
	if p != "" {
		return p
	}
	return q
}

// adviceChanged shows an A&G write (a response sent) on the A&G tab's row
// at once, marked with what happened, and reloads the tab: e-RS decides
// whether the request stays on the list.
func (m *Model) adviceChanged(msg screen.AdviceChanged) tea.Cmd {
	t := m.tabOf(ersclient.WorklistAdviceAndGuidanceRequests)
	if t == nil {
		return nil
	}
	action := first(msg.Action, "Changed")
	if i := t.index(msg.UBRN); i >= 0 {
		r := t.rows[i]
		if sum := msg.Request.Summary(); sum.Category != "" {
			r.AdviceCategory = string(sum.Category)
			r.StatusCode, r.StatusDisplay = string(sum.Category), sum.Category.Label()
		}
		t.rows = slices.Clone(t.rows)
		t.rows[i] = r
		if t.notes == nil {
			t.notes = map[string]string{}
		}
		t.notes[msg.UBRN] = action
		t.grid.UpdateRow(r.UBRN, cells(&r, m.c.Now(), action), mark(&r, action))
		if t == m.current() {
			m.note = action + " " + msg.UBRN
		}
	}
	if !t.loaded {
		return nil
	}
	if t != m.current() || t.loading {
		t.stale = true
		return nil
	}
	return m.load(t)
}
