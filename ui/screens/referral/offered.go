package referral

import (
	"github.com/ers-workstation/ers-workstation/ersclient"
)

// offered is the actions the user may start now, in key order, and keeps
// the referrer's keys enabled to match. Nothing is offered before A029
// answers, or after it fails.
func (m *Model) offered() []string {
	out := m.offeredNow()
	m.keys.referrer.sync(out)
	return out
}

func (m *Model) offeredNow() []string {
	if m.ref == nil || m.actions == nil || m.actionsErr != nil || m.sum.IsCancelled() {
		return nil
	}
	if m.referrerSide() {
		return m.referrerOffered()
	}
	return m.providerOffered()
}

// providerOffered is the A029 codes the action forms support and, for a
// booked referral opened from the review list, the three review actions
// A029 has no code for. Those are offered only while A029 lets the
// provider act on the referral at all (it offers CANCEL_REFERRAL), so a
// referral no longer with the service offers nothing.
func (m *Model) providerOffered() []string {
	var out []string
	if m.review && m.sum.State.Code == ersclient.ReferralStateBooked && m.actions.Has(ersclient.ActionCancelReferral) {
		out = append(out, actAccept, actReject, actLater)
	}
	for _, a := range m.actions.Actions {
		if actionSupported(string(a.Code)) {
			out = append(out, string(a.Code))
		}
	}
	return out
}

// elsewhere is the A029 actions this workstation has no screen for:
// named, without a key.
func (m *Model) elsewhere() []string {
	if m.actions == nil || m.actionsErr != nil {
		return nil
	}
	var out []string
	for _, a := range m.actions.Actions {
		if !actionSupported(string(a.Code)) && !referrerCode(a.Code) {
			out = append(out, a.Label)
		}
	}
	return out
}
