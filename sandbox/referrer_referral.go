package sandbox

import (
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// referrerReferral finds the referral a referrer's write names by path UBRN:
// 404 when no request has the UBRN, INVALID_REQUEST_TYPE when it is an advice
// and guidance request, NO_RELATIONSHIP when it belongs to another
// organisation.
func (c *call) referrerReferral(st *store.State, ubrn string) (*store.Referral, *problem) {
	r := st.Referrals[ubrn]
	switch {
	case r == nil && st.Advice[ubrn] != nil:
		return nil, businessRule("INVALID_REQUEST_TYPE", "UBRN %s is an advice and guidance request, not a referral.", ubrn)
	case r == nil:
		return nil, notFound("No referral with UBRN %s.", ubrn)
	case !c.canSeeReferral(st, r):
		return nil, noRelationship("referral " + ubrn)
	}
	return r, nil
}

// letterChangeBlocked reports whether the referral can no longer take
// letters: a cancelled (closed) referral.
func letterChangeBlocked(r *store.Referral) bool {
	return r.Status != "active" || r.State == store.StateCancelledReferral
}
