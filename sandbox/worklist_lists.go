package sandbox

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Which referrals fall on which worklist, from the A008 specification
// (digest section 7). Provider lists hold the referrals at the caller's
// organisation's services, referrer lists its own referrals:
//
//	REFERRALS_FOR_REVIEW      BOOKED and awaiting review (context status
//	                          set), or AWAITING_TRIAGE
//	APPOINTMENT_SLOT_ISSUES   DEFERRED_TO_PROVIDER
//	REJECTED_TRIAGE_RESPONSE  REJECTED, or returned with advice
//	                          (TRIAGE_RESPONSE, or TRIAGED_PROVIDER_TO_ACTION
//	                          with reason RETURN_TO_REFERRER_WITH_ADVICE as
//	                          the official A028 example records it)
//	ASSESSMENT_RETURNED_      ASSESSMENT_RESULT, DID_NOT_ATTEND, or
//	CANCELLED_DNA             CANCELLED_REFERRAL by someone outside the
//	                          referring organisation
//	AWAITING_BOOKING          no booking but one could be made: NOT_BOOKED,
//	                          AWAITING_TRIAGE, DEFERRED_TO_PROVIDER,
//	                          APPT_CANCELLED_BY_*, TRIAGED_PROVIDER_TO_ACTION
//	                          (not returned to the referrer)
//	LETTERS_OUTSTANDING       a letter is to follow and none is attached
//	ADVICE_AND_GUIDANCE_      (A023) the provider's open conversations:
//	REQUESTS                  PROVIDER_RESPONSE_REQUIRED and those waiting
//	                          on the referrer; ended or converted ones leave
//
// Cancelled referrals appear only on ASSESSMENT_RETURNED_CANCELLED_DNA.

// onReferralWorklist reports whether a referral belongs on a list, before
// the caller's relationship and the filters are applied. It runs for every
// referral in the store, so it decides on the state first: for most
// referrals that is the only field it reads (the cost of a scan of 100,000
// referrals is one memory access each).
func onReferralWorklist(list ersclient.WorklistType, r *store.Referral) bool {
	switch list {
	case ersclient.WorklistReferralsForReview:
		return (r.State == store.StateAwaitingTriage || r.State == store.StateBooked) && referralOpen(r) &&
			(r.State == store.StateAwaitingTriage || awaitingReview(r))
	case ersclient.WorklistAppointmentSlotIssues:
		return r.State == store.StateDeferredToProvider && referralOpen(r)
	case ersclient.WorklistRejectedTriageResponse:
		return (r.State == store.StateRejected || returnedWithAdvice(r)) && referralOpen(r)
	case ersclient.WorklistAssessmentReturnedCancelledDNA:
		switch r.State {
		case store.StateCancelledReferral:
			return cancelledOutside(r)
		case store.StateAssessmentResult, store.StateDidNotAttend:
			return referralOpen(r)
		}
	case ersclient.WorklistAwaitingBooking:
		switch r.State {
		case store.StateNotBooked, store.StateAwaitingTriage, store.StateDeferredToProvider,
			store.StateCancelledByPatient, store.StateCancelledByProvider:
			return referralOpen(r)
		case store.StateTriagedToAction:
			return !returnedWithAdvice(r) && referralOpen(r)
		}
	case ersclient.WorklistLettersOutstanding:
		return r.LetterIntention == letterToFollow && r.State != store.StateCancelledReferral && referralOpen(r) && !hasReferrerLetter(r)
	}
	return false
}

// mayBeOnWorklist is the first, cheapest test of a scan: whether a
// referral in the state can be on the list at all. It reads nothing but the
// state, and compares strings rather than hashing them.
func mayBeOnWorklist(list ersclient.WorklistType, state string) bool {
	switch list {
	case ersclient.WorklistReferralsForReview:
		return state == store.StateBooked || state == store.StateAwaitingTriage
	case ersclient.WorklistAppointmentSlotIssues:
		return state == store.StateDeferredToProvider
	case ersclient.WorklistLettersOutstanding:
		return state != store.StateCancelledReferral
	}
	return true
}

// letterToFollow is the eRS-ReferralLetterIntention-1 code of a referral
// whose letter the referrer will add later.
const letterToFollow = "NEED_TO_ADD_LATER"

// returnedWithAdvice reports whether the provider sent the referral back to
// the referrer with advice (A028).
func returnedWithAdvice(r *store.Referral) bool {
	return r.State == store.StateTriageResponse ||
		(r.State == store.StateTriagedToAction && r.StateReason.Code == reviewReturnToReferrer)
}

// cancelledOutside reports whether the cancellation was made by another
// organisation than the referring one: the referrer cancelled it
// themselves otherwise and needs no telling.
func cancelledOutside(r *store.Referral) bool {
	for i := len(r.History) - 1; i >= 0; i-- {
		if h := r.History[i]; h.State == store.StateCancelledReferral {
			return h.Org != "" && h.Org != r.ReferringOrg
		}
	}
	return false
}

// hasReferrerLetter reports whether the referrer attached clinical
// information.
func hasReferrerLetter(r *store.Referral) bool {
	for _, d := range r.Documents {
		if d.Type == "REFERRER" {
			return true
		}
	}
	return false
}

// letterDue is when the referral letter is expected: the creation date
// plus the first reminder's follow-up days.
func letterDue(r *store.Referral) time.Time {
	return r.Created.AddDate(0, 0, r.ReminderDays)
}

// clinicalInformationStatus is eRS-ClinicalInformationStatus-1 for a
// referral: the letter is attached, not expected, or expected and late or
// not yet due.
func clinicalInformationStatus(r *store.Referral, now time.Time) string {
	switch {
	case hasReferrerLetter(r):
		return "PRESENT"
	case r.LetterIntention != letterToFollow:
		return "NOT_APPLICABLE"
	case now.After(letterDue(r)):
		return "OVERDUE"
	}
	return "NOT_DUE"
}

// openAdviceCategories are the advice statuses that keep a request on the
// provider's A023 worklist.
var openAdviceCategories = map[string]bool{
	store.AdviceProviderResponseRequired: true,
	store.AdviceReferrerToSubmitInfo:     true,
	store.AdviceReferrerToReview:         true,
}

// onAdviceWorklist reports whether an advice request belongs on A023.
func onAdviceWorklist(a *store.Advice) bool {
	return openAdviceCategories[a.Category] && !a.Converted && a.Status != "cancelled" && a.Status != "completed"
}

// assignedFilter is an ASSIGNED/NOT_ASSIGNED filter with an optional value
// (specialty code, clinician SDS id): NOT_ASSIGNED keeps the items without
// one, ASSIGNED those with one, ASSIGNED with a value those with that one.
type assignedFilter struct {
	set      bool
	assigned bool
	value    string
}

func (f assignedFilter) match(v string) bool {
	switch {
	case !f.set:
		return true
	case !f.assigned:
		return v == ""
	case f.value != "":
		return v == f.value
	}
	return v != ""
}

// worklistQuery is a parsed eRS-FetchWorklist-Parameters-1 request.
type worklistQuery struct {
	list      ersclient.WorklistType
	service   string
	location  string
	specialty assignedFilter
	clinician assignedFilter
}

// filtered reports whether any filter was given.
func (q worklistQuery) filtered() bool {
	return q.service != "" || q.location != "" || q.specialty.set || q.clinician.set
}

// matches applies the filters to one item: its service, specialty and
// assigned clinician.
func (q worklistQuery) matches(svc *store.Service, specialty, clinician string) bool {
	if q.service != "" && svc.ID != q.service {
		return false
	}
	if q.location != "" && svc.Site != q.location && svc.Org != q.location {
		return false
	}
	return q.specialty.match(specialty) && q.clinician.match(clinician)
}

// worklistStatuses are the eRS-ReferralState-1 codes and displays of the
// referrer worklists' status, which spell the cancelled states APP_ and
// not APPT_ as the referral does (the official examples' displays).
var worklistStatuses = map[string][2]string{
	store.StateNotBooked:           {"NOT_BOOKED", "Not booked"},
	store.StateBooked:              {"BOOKED", "Booked"},
	store.StateDeferredToProvider:  {"DEFERRED_TO_PROVIDER", "Deferred to provider"},
	store.StateAwaitingTriage:      {"AWAITING_TRIAGE", "Awaiting triage"},
	store.StateTriagedToAction:     {"TRIAGED_PROVIDER_TO_ACTION", "Triaged - provider to action"},
	store.StateTriageResponse:      {"TRIAGE_RESPONSE", "Triage Response"},
	store.StateAssessmentResult:    {"ASSESSMENT_RESULT", "Assessment result"},
	store.StateRejected:            {"REJECTED", "Rejected"},
	store.StateCancelledByPatient:  {"APP_CANCELLED_BY_PATIENT", "Appointment cancelled by patient"},
	store.StateCancelledByProvider: {"APP_CANCELLED_BY_PROVIDER", "Appointment cancelled by provider"},
	store.StateDidNotAttend:        {"DID_NOT_ATTEND", "Did not attend"},
	store.StateCancelledReferral:   {"CANCELLED_REFERRAL", "Cancelled referral"},
}

// contextStatusDisplays are the eRS-RequestContextStatus-1 displays.
var contextStatusDisplays = map[string]string{
	"NEVER_REVIEWED":              "Never Reviewed",
	"LETTER_CHANGED":              "Letter Changed",
	"PRIORITY_CHANGED":            "Priority Changed",
	"PRIORITY_AND_LETTER_CHANGED": "Priority And Letter Changed",
}

// reviewReasons are the eRS-ReviewReason-1 codes a deferral carries.
var reviewReasons = map[string]bool{"NO_SLOTS_AT_SERVICE": true, "SLOT_NOT_AVAILABLE": true, "BOOKING_ATTEMPT_PROBLEM": true, "TRIAGE": true}

// referrerReasonSystem is the code system of the reason a referrer list
// shows for a state: the appointment cancellation reason of a rejection or
// cancelled booking, the referral cancellation reason of a cancellation.
func referrerReasonSystem(state string) string {
	switch state {
	case store.StateRejected, store.StateCancelledByPatient, store.StateCancelledByProvider:
		return refdata.AppointmentCancellationReason
	case store.StateCancelledReferral:
		return refdata.ReferralCancellationReason
	}
	return ""
}

// isLocalCoding reports whether a stored coding is of a local code system
// type, stored either as the bare type or as a full URL.
func isLocalCoding(cd store.Coding, codeSystemType string) bool {
	return cd.Code != "" && (cd.System == codeSystemType || fhir.IsLocalSystem(cd.System, codeSystemType))
}
