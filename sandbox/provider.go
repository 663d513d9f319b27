package sandbox

import (
	"net/http"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The provider actions on a referral: accept (A013), reject (A014), cancel
// the appointment and act later (A022) and record a review outcome (A028).
// Each runs under the referral's record lock (a concurrent update gets 423),
// checks the legitimate relationship and If-Match (412, 409), validates
// everything, and only then changes the referral and its appointment, so a
// refused action leaves both as they were.

// The eRS-ReviewOutcome-1 codes the provider actions record as the state's
// reason.
const (
	reviewReturnToReferrer  = "RETURN_TO_REFERRER_WITH_ADVICE"
	reviewAcceptBookLater   = "ACCEPT_REFER_BOOK_LATER"
	reviewCancelActionLater = "CANCEL_APPOINTMENT_ACTION_LATER"
)

// acceptReferral is A013: the provider accepts a booked referral after its
// review. There is no body; the state stays BOOKED and the referral leaves
// REFERRALS_FOR_REVIEW (its context status is cleared) until the referrer
// changes it again.
func (s *Server) acceptReferral(c *call) {
	if !c.requireNoBody() {
		return
	}
	c.reviewAction("accepted", func(st *store.State, r *store.Referral) *problem {
		r.ContextStatus = ""
		c.touch(r)
		return nil
	})
}

// rejectReferral is A014: the provider rejects a booked referral with a
// PROVIDER_REJECT reason. The appointment is cancelled, its slot freed, and
// the referral goes REJECTED onto the referrer's REJECTED_TRIAGE_RESPONSE.
func (s *Server) rejectReferral(c *call) {
	prm, ok := c.readParameters("rejectionReason", "rejectionComments", "appointmentCancelledInPAS")
	if !ok {
		return
	}
	in := actionParams{prm}
	code, p := in.localCode("rejectionReason", refdata.AppointmentCancellationReason)
	if p != nil {
		c.fail(p)
		return
	}
	comments, p := in.text("rejectionComments", false, maxActionComment)
	if p != nil {
		c.fail(p)
		return
	}
	inPAS, p := in.flag("appointmentCancelledInPAS")
	if p != nil {
		c.fail(p)
		return
	}
	c.reviewAction("rejected", func(st *store.State, r *store.Referral) *problem {
		reason, ok := s.ref.AppointmentCancellationReason(code, refdata.UsageReject, c.Role, c.Now())
		if !ok {
			return inappropriateReason("rejectionReason")
		}
		if reason.Bool(refdata.PropCommentIsMandatory) && comments == "" {
			return missingValue("rejectionComments")
		}
		if p := checkCancelledInPAS(st, r, inPAS); p != nil {
			return p
		}
		cause := store.Coding{System: refdata.AppointmentCancellationReason, Code: reason.Code, Display: reason.Display}
		c.concludeReview(st, r, store.StateRejected, cause, comments, "cancelled")
		return nil
	})
}

// cancelApptActionLater is A022: the provider cancels the appointment of a
// booked referral and tasks its admin team to rebook or redirect it. The
// referral becomes TRIAGED_PROVIDER_TO_ACTION (reason
// CANCEL_APPOINTMENT_ACTION_LATER); the appointment is proposed again, its
// slot freed; the priority may change; provider files are attached.
func (s *Server) cancelApptActionLater(c *call) {
	prm, ok := c.readParameters("comments", "priority", "appointmentCancelledInPAS", "providerAttachmentFile")
	if !ok {
		return
	}
	in := actionParams{prm}
	comments, p := in.text("comments", true, maxActionComment)
	if p != nil {
		c.fail(p)
		return
	}
	priority, p := in.priority("priority")
	if p != nil {
		c.fail(p)
		return
	}
	inPAS, p := in.flag("appointmentCancelledInPAS")
	if p != nil {
		c.fail(p)
		return
	}
	c.reviewAction("cancelled for action later", func(st *store.State, r *store.Referral) *problem {
		if p := checkCancelledInPAS(st, r, inPAS); p != nil {
			return p
		}
		if p := c.applyProviderUpdate(st, r, in.files("providerAttachmentFile"), priority); p != nil {
			return p
		}
		c.concludeReview(st, r, store.StateTriagedToAction, reviewOutcomeCoding(reviewCancelActionLater), comments, "proposed")
		return nil
	})
}

// recordReviewOutcome is A028: the triage decision on a referral awaiting
// triage or deferred to the provider. ACCEPT_REFER_BOOK_LATER makes it
// TRIAGED_PROVIDER_TO_ACTION for the provider's admin team;
// RETURN_TO_REFERRER_WITH_ADVICE makes it TRIAGE_RESPONSE, on the
// referrer's REJECTED_TRIAGE_RESPONSE worklist.
//
// The official example answers TRIAGED_PROVIDER_TO_ACTION with the outcome
// as its reason for both outcomes, while e-RS's state table and the
// referrer's worklist example (a TRIAGE_RESPONSE item) say the returned
// referral is TRIAGE_RESPONSE. The simulator follows the state table: the
// referral really goes back to the referrer, and a client that reads the
// reason copes with both (ersclient does).
func (s *Server) recordReviewOutcome(c *call) {
	prm, ok := c.readParameters("reviewOutcome", "reviewComments", "reviewPriority", "reviewAttachmentFile")
	if !ok {
		return
	}
	in := actionParams{prm}
	outcome, _, p := in.coding("reviewOutcome", true)
	if p != nil {
		c.fail(p)
		return
	}
	if p := checkReviewOutcome(outcome); p != nil {
		c.fail(p)
		return
	}
	comments, p := in.text("reviewComments", true, maxActionComment)
	if p != nil {
		c.fail(p)
		return
	}
	priority, p := in.priority("reviewPriority")
	if p != nil {
		c.fail(p)
		return
	}
	if priority != "" && outcome.Code == reviewReturnToReferrer {
		c.fail(businessRule("PRIORITY_NOT_CURRENT", "'reviewPriority' cannot be amended when the review outcome is %s.", reviewReturnToReferrer))
		return
	}
	c.referralAction(func(st *store.State, r *store.Referral) *problem {
		if p := c.checkAwaitingTriage(st, r); p != nil {
			return p
		}
		if p := c.applyProviderUpdate(st, r, in.files("reviewAttachmentFile"), priority); p != nil {
			return p
		}
		next := store.StateTriagedToAction
		if outcome.Code == reviewReturnToReferrer {
			next = store.StateTriageResponse
		}
		c.concludeReview(st, r, next, reviewOutcomeCoding(outcome.Code), comments, "proposed")
		return nil
	})
}

// checkReviewOutcome accepts the two outcomes A028 supports. The other
// eRS-ReviewOutcome-1 codes exist but are recorded by other actions.
func checkReviewOutcome(cd fhir.Coding) *problem {
	if cd.System != "" && cd.System != fhir.CSReviewOutcome {
		return actionInvalidCode("'reviewOutcome' must be a code of %s.", fhir.CSReviewOutcome)
	}
	switch cd.Code {
	case reviewReturnToReferrer, reviewAcceptBookLater:
		return nil
	case reviewCancelActionLater, "PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER":
		return businessRule("INAPPROPRIATE_VALUE", "'reviewOutcome' %s cannot be recorded here: only %s and %s are supported.", cd.Code, reviewReturnToReferrer, reviewAcceptBookLater)
	}
	return actionInvalidCode("'reviewOutcome' %q is not an eRS-ReviewOutcome-1 code.", cd.Code)
}

// referralAction runs one action on the referral named in the path, under
// its record lock. act validates and then changes the referral; the answer
// is the updated referral with its new version as the ETag.
func (c *call) referralAction(act func(st *store.State, r *store.Referral) *problem) {
	ubrn := c.r.PathValue("ubrn")
	c.answerReferralChange(store.ReferralKey(ubrn), http.StatusOK, func(st *store.State) (*store.Referral, error) {
		r, p := c.referralForUpdate(st, ubrn)
		if p != nil {
			return nil, p
		}
		if p := act(st, r); p != nil {
			return nil, p
		}
		return r, nil
	})
}

// reviewAction is referralAction for A013, A014 and A022, which act only on
// a booked referral awaiting review; done says what the action would do
// ("accepted").
func (c *call) reviewAction(done string, act func(st *store.State, r *store.Referral) *problem) {
	c.referralAction(func(st *store.State, r *store.Referral) *problem {
		if p := checkAwaitingReview(r, done); p != nil {
			return p
		}
		return act(st, r)
	})
}

// checkCancelledInPAS enforces appointmentCancelledInPAS for an
// indirectly bookable service, whose appointment lives in the provider's
// own system. For a directly bookable service the flag is accepted and
// ignored: the official examples send it to the same referral either way.
func checkCancelledInPAS(st *store.State, r *store.Referral, inPAS *bool) *problem {
	if svc := st.Services[r.ServiceID]; svc != nil && svc.Bookable == store.IndirectlyBookable && inPAS == nil {
		return businessRule("VALUE_IS_REQUIRED", "'appointmentCancelledInPAS' is required: the appointment is at an indirectly bookable service.")
	}
	return nil
}

// inappropriateReason is the 422 for a reason that exists but may not be
// used here: wrong usage, role, state or dates.
func inappropriateReason(field string) *problem {
	return businessRule("INAPPROPRIATE_VALUE", "'%s' The reason provided is not valid in this case", field)
}

// applyProviderUpdate links the provider's files to the referral and sets
// the priority when one is given: what A022 and A028 may carry besides
// their outcome.
func (c *call) applyProviderUpdate(st *store.State, r *store.Referral, files []*fhir.Parameter, priority string) *problem {
	docs, p := c.linkFiles(st, r.UBRN, files, "PROVIDER")
	if p != nil {
		return p
	}
	r.Documents = append(r.Documents, docs...)
	if priority != "" {
		r.Priority = priority
	}
	return nil
}

// reviewOutcomeCoding is an eRS-ReviewOutcome-1 code as a state's reason.
func reviewOutcomeCoding(code string) store.Coding {
	return store.Coding{System: fhir.CSReviewOutcome, Code: code, Display: ersDisplays[fhir.CSReviewOutcome][code]}
}

// concludeReview moves a referral the provider has acted on (A014, A022,
// A028) to its next state, takes it off REFERRALS_FOR_REVIEW, and ends its
// appointment, if any, with apptStatus for the same cause.
func (c *call) concludeReview(st *store.State, r *store.Referral, next string, cause store.Coding, comments, apptStatus string) {
	c.changeState(r, next, cause, comments)
	r.ContextStatus = ""
	if a := st.Appointments[r.AppointmentID]; a != nil {
		endAppointment(st, a, r, apptStatus, cause, comments)
	}
}

// endAppointment records what an action did to the referral's appointment:
// cancelled (A014, A036) or proposed again for the provider to act on
// (A022, A028). A booked slot is freed; the appointment becomes a new
// version, made at the referral's new version.
func endAppointment(st *store.State, a *store.Appointment, r *store.Referral, status string, reason store.Coding, comment string) {
	if a.Status == "booked" {
		if slot := st.Slots[a.SlotID]; slot != nil {
			slot.Free = true
		}
		// As in the official examples, the appointment no longer shows the
		// slot or its times once the booking is gone.
		a.SlotID, a.Start, a.End = "", time.Time{}, time.Time{}
	}
	a.Status, a.Reason, a.Comment = status, reason, comment
	a.ReferralVersion = r.Version
	touchAppointment(a)
}
