package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The A029 action codes (eRS-AvailableActionsForUser-1) and the operation
// each one leads to.
const (
	actionRecordReviewOutcome      = "RECORD_REVIEW_OUTCOME"                // A028
	actionCreateAppointment        = "CREATE_APPOINTMENT"                   // A016
	actionChangeShortlist          = "CHANGE_SHORTLIST"                     // A031
	actionChangeShortlistAndTriage = "CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE" // A032
	actionCancelReferral           = "CANCEL_REFERRAL"                      // A036
	actionCancelBookedAppointment  = "CANCEL_DIRECTLY_BOOKED_APPOINTMENT"   // A034
)

// referralActions is the A029 rule: the actions a caller in a role may take
// now on a referral in a state, at the service it is booked, deferred or
// sent for triage to (svc, nil while NOT_BOOKED). It is pure, so the write
// handlers can ask it whether their action is allowed (actionAllowed).
//
// The live rules are not published; this table follows the lifecycle in the
// digest (section 8) and the A029 text (referrers can be offered the
// first five codes, providers the last two):
//
//	state                          referrer (RC, RCA)                        provider (SPC, SPCA, provider app)
//	NOT_BOOKED                     CREATE_APPOINTMENT, CHANGE_SHORTLIST,      -
//	                               CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE,
//	                               CANCEL_REFERRAL
//	BOOKED                         CANCEL_DIRECTLY_BOOKED_APPOINTMENT         CANCEL_REFERRAL
//	                               (directly bookable service only),
//	                               CANCEL_REFERRAL
//	DEFERRED_TO_PROVIDER           CANCEL_REFERRAL                            RECORD_REVIEW_OUTCOME, CANCEL_REFERRAL
//	AWAITING_TRIAGE                CANCEL_REFERRAL                            RECORD_REVIEW_OUTCOME, CANCEL_REFERRAL
//	TRIAGED_PROVIDER_TO_ACTION     CANCEL_REFERRAL                            CANCEL_REFERRAL
//	TRIAGE_RESPONSE, REJECTED,     CHANGE_SHORTLIST,                          -
//	APPT_CANCELLED_BY_PATIENT,     CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE,
//	APPT_CANCELLED_BY_PROVIDER,    CANCEL_REFERRAL
//	DID_NOT_ATTEND
//	ASSESSMENT_RESULT              CANCEL_REFERRAL                            -
//	CANCELLED_REFERRAL             -                                          -
//
// Booking (CREATE_APPOINTMENT) needs NOT_BOOKED: after a rejection, a
// triage response or a cancelled appointment the referrer changes the
// shortlist first (A031 puts the referral back to NOT_BOOKED), as the
// digest's "A031 then A016 to rebook" says. A provider acts only while the
// referral is with its service. Other roles (RA, SPA, commissioners) get
// nothing: A029 does not serve them. An application acting for a provider
// gets the provider column, which holds only the two codes APIM allows it.
func referralActions(state string, role ersclient.BusinessFunction, svc *store.Service) []string {
	switch {
	case role == ersclient.ReferringClinician || role == ersclient.ReferringClinicianAdmin:
		return referrerActions(state, svc)
	case role == ersclient.ServiceProviderClinician || role == ersclient.ServiceProviderClinicianAdmin ||
		role == store.ProviderAuthorisedApplication:
		return providerActions(state)
	}
	return nil
}

func referrerActions(state string, svc *store.Service) []string {
	switch state {
	case store.StateNotBooked:
		return []string{actionCreateAppointment, actionChangeShortlist, actionChangeShortlistAndTriage, actionCancelReferral}
	case store.StateBooked:
		if svc != nil && svc.Flow == store.FlowBookable && svc.Bookable == store.DirectlyBookable {
			return []string{actionCancelBookedAppointment, actionCancelReferral}
		}
		return []string{actionCancelReferral}
	case store.StateDeferredToProvider, store.StateAwaitingTriage, store.StateTriagedToAction, store.StateAssessmentResult:
		return []string{actionCancelReferral}
	case store.StateTriageResponse, store.StateRejected, store.StateCancelledByPatient, store.StateCancelledByProvider,
		store.StateDidNotAttend:
		return []string{actionChangeShortlist, actionChangeShortlistAndTriage, actionCancelReferral}
	}
	return nil
}

func providerActions(state string) []string {
	switch state {
	case store.StateDeferredToProvider, store.StateAwaitingTriage:
		return []string{actionRecordReviewOutcome, actionCancelReferral}
	case store.StateBooked, store.StateTriagedToAction:
		return []string{actionCancelReferral}
	}
	return nil
}

// actionAllowed reports whether referralActions offers the action.
func actionAllowed(state string, role ersclient.BusinessFunction, svc *store.Service, action string) bool {
	for _, a := range referralActions(state, role, svc) {
		if a == action {
			return true
		}
	}
	return false
}
