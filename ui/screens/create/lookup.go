package create

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// A create cannot be read back by version: the UBRN e-RS gave it was in
// the reply that was lost. The referrer's worklists are where a new
// referral shows up, so they are searched for the patient instead; a row
// found is shown, never taken as proof, and nothing is sent again without
// the user.

// lookedUpLists are the referrer lists a referral just made appears on: a
// referral not booked yet, and one whose letter is still to come.
func lookedUpLists() []ersclient.WorklistType {
	return []ersclient.WorklistType{ersclient.WorklistAwaitingBooking, ersclient.WorklistLettersOutstanding}
}

// recentWindow is how long before sending a row may have been created and
// still count as possibly this create (clocks differ a little).
const recentWindow = 10 * time.Minute

func (m *Model) lookUp() tea.Cmd {
	m.seq++
	m.pending.id = m.seq
	id, ers, w, timeout := m.seq, m.c.ERS, *m.pending, m.timeout()
	return tea.Batch(busy("Looking for the referral", true), func() tea.Msg {
		ctx, cancel := timeout()
		defer cancel()
		var rows []ersclient.WorklistRow
		seen := map[string]bool{}
		for _, list := range lookedUpLists() {
			wl, err := ers.RetrieveWorklist(ctx, ersclient.WorklistQuery{ListType: list})
			if err != nil {
				return lookedUpMsg{id: id, err: err}
			}
			for _, r := range wl.Rows {
				if r.NHSNumber == w.nhs && !seen[r.UBRN] && recent(r, w.sentAt) {
					seen[r.UBRN] = true
					rows = append(rows, r)
				}
			}
		}
		return lookedUpMsg{id: id, rows: rows}
	})
}

// recent: created since shortly before the send, or of unknown age.
func recent(r ersclient.WorklistRow, sentAt time.Time) bool {
	return r.ReferralCreated.IsZero() || !r.ReferralCreated.Before(sentAt.Add(-recentWindow))
}

func (m *Model) lookedUp(msg lookedUpMsg) tea.Cmd {
	if m.pending == nil || msg.id != m.pending.id || m.phase != phaseChecking {
		return nil
	}
	m.phase = ""
	off := busy("Looking for the referral", false)
	if msg.err != nil {
		m.fail(msg.err, "e-RS did not answer the create, and your worklists could not be read to see whether the referral "+
			"was made. Press r to look again; do not create it again until you have checked.", retryCheck)
		m.unsentOld = true
		return off
	}
	m.clearFailure()
	m.found = msg.rows
	switch len(msg.rows) {
	case 0:
		m.unsentOld = true
		m.retry = retryCheck
		m.notice = []string{"e-RS did not answer the create, and no recent referral for this patient is on your worklists yet.",
			"It may still have been made. Press r to look again, or check e-RS; enter creates it again (you will be asked, " +
				"and warned it may make a duplicate)."}
	case 1:
		m.unsentOld = true
		m.retry = retryCheck
		m.notice = []string{"e-RS did not answer the create, but your worklists show a recent referral for this patient: UBRN " +
			msg.rows[0].UBRN + ". It is probably the one you just made.", "Press o to open it. Do not create it again."}
	default:
		m.unsentOld = true
		m.retry = retryCheck
		m.notice = []string{"e-RS did not answer the create, and your worklists show several recent referrals for this patient. " +
			"One of them may be the one you just made: check them on the worklists before creating again."}
	}
	return off
}
