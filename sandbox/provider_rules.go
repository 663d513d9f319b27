package sandbox

import "github.com/ers-workstation/ers-workstation/sandbox/store"

// The states each provider action needs, from the A013/A014/A022/A028/A036
// specifications:
//
//	action                       referral state
//	A013 accept                  BOOKED and awaiting review
//	A014 reject                  BOOKED and awaiting review
//	A022 cancel, action later    BOOKED and awaiting review
//	A028 record review outcome   as A029 offers RECORD_REVIEW_OUTCOME:
//	                             AWAITING_TRIAGE or DEFERRED_TO_PROVIDER
//	A036 cancel referral         as A029 offers CANCEL_REFERRAL to the
//	                             caller's role (referralActions)
//
// "Awaiting review" is what puts a booked referral on REFERRALS_FOR_REVIEW:
// its context status (NEVER_REVIEWED, LETTER_CHANGED...) is set until a
// provider acts on it. Every refusal is 422 INVALID_REQUEST_STATE.

// referralOpen reports whether a referral is still open: neither cancelled
// nor completed.
func referralOpen(r *store.Referral) bool { return r.Status != "cancelled" && r.Status != "completed" }

// awaitingReview reports whether a booked referral is waiting for the
// provider's review (A013, A014 or A022).
func awaitingReview(r *store.Referral) bool {
	return referralOpen(r) && r.State == store.StateBooked && r.ContextStatus != ""
}

// checkAwaitingReview refuses A013, A014 and A022 on a referral that is not
// booked and awaiting review; done says what the action would do
// ("accepted").
func checkAwaitingReview(r *store.Referral, done string) *problem {
	switch {
	case awaitingReview(r):
		return nil
	case r.State == store.StateAwaitingTriage:
		return invalidState("Referral %s was sent to a triage service and cannot be %s: record the review outcome instead.", r.UBRN, done)
	case r.State == store.StateBooked:
		return invalidState("Referral %s has already been reviewed and cannot be %s.", r.UBRN, done)
	}
	return invalidState("Referral %s is %s; only a booked referral awaiting review can be %s.", r.UBRN, r.State, done)
}

// checkAwaitingTriage refuses A028 where the A029 table (referralActions)
// offers no RECORD_REVIEW_OUTCOME: outside AWAITING_TRIAGE and
// DEFERRED_TO_PROVIDER.
func (c *call) checkAwaitingTriage(st *store.State, r *store.Referral) *problem {
	if referralOpen(r) && actionAllowed(r.State, c.Role, st.Services[r.ServiceID], actionRecordReviewOutcome) {
		return nil
	}
	return invalidState("Referral %s is %s; a review outcome can only be recorded for a referral awaiting triage or deferred to the provider.", r.UBRN, r.State)
}

// checkCancellable refuses A036 where the A029 table offers no
// CANCEL_REFERRAL: a cancelled referral, and for a provider a referral no
// longer with its service (returned, rejected...).
func (c *call) checkCancellable(st *store.State, r *store.Referral) *problem {
	switch {
	case !referralOpen(r) || r.State == store.StateCancelledReferral:
		return invalidState("Referral %s is already cancelled.", r.UBRN)
	case !actionAllowed(r.State, c.Role, st.Services[r.ServiceID], actionCancelReferral):
		return invalidState("Referral %s is %s; it cannot be cancelled by a %s now.", r.UBRN, r.State, c.Role)
	}
	return nil
}
