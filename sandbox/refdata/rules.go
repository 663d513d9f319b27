package refdata

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// Usages of an appointment cancellation reason.
const (
	UsageCancel = "CANCEL" // A034: the referrer cancels a booked appointment
	UsageReject = "REJECT" // A014: the provider rejects a referral
)

// Reason types (appointmentBookingCancellationReasonType and
// appointmentRequestCancellationReasonType).
const (
	ReasonProvider       = "PROVIDER"
	ReasonProviderReject = "PROVIDER_REJECT"
	ReasonProviderTriage = "PROVIDER_TRIAGE"
	ReasonPatient        = "PATIENT"
	ReasonUnknown        = "UNKNOWN"
)

// CancelReferralUsage is the referrerUsage of every reason A036 accepts.
const CancelReferralUsage = "CANCEL_REFERRAL"

// stateTriagedToAction is eRS-ReferralState-1 TRIAGED_PROVIDER_TO_ACTION:
// a provider cancelling a referral in it must give an end-of-triage reason.
const stateTriagedToAction = "TRIAGED_PROVIDER_TO_ACTION"

// AppointmentCancellationReason returns the APPOINTMENT-CANCELLATION-REASON
// concept when code may be used at `at` by the business function for the
// usage, as A034 and A014 document:
//   - CANCEL (A034): usage CANCEL and businessFunction lists the caller's
//     role (the referrer's RC or RCA);
//   - REJECT (A014): usage REJECT, businessFunction lists the role, and
//     appointmentBookingCancellationReasonType is PROVIDER_REJECT;
//   - both: effectiveFrom <= at < effectiveTo.
//
// A code that is unknown, of the other usage, for another role or out of its
// dates is refused (the handlers answer 422 INAPPROPRIATE_VALUE).
func (s *Set) AppointmentCancellationReason(code, usage string, bf ersclient.BusinessFunction, at time.Time) (Concept, bool) {
	c, ok := s.Lookup(AppointmentCancellationReason, code)
	if !ok || !c.EffectiveAt(at) || c.Prop(PropUsage) != usage || !c.Has(PropBusinessFunction, string(bf)) {
		return Concept{}, false
	}
	if usage == UsageReject && c.Prop(PropBookingCancellationType) != ReasonProviderReject {
		return Concept{}, false
	}
	return c, true
}

// ReferralCancellationReason returns the REFERRAL-CANCELLATION-REASON
// concept when code may cancel a referral (A036) for this caller, following
// the filters of the A036 specification:
//   - always: referrerUsage CANCEL_REFERRAL, businessFunction lists the
//     caller's role (a provider application's is
//     PROVIDER_AUTHORISED_APPLICATION), effectiveFrom <= at < effectiveTo;
//   - referrer: canCancelAppointment when the referral has a current
//     appointment;
//   - provider, referral in TRIAGED_PROVIDER_TO_ACTION: an end-of-triage
//     reason (appointmentRequestCancellationReasonType PROVIDER_TRIAGE);
//   - provider, any other state: a PROVIDER or PATIENT reason, with
//     canCancelAppointment when there is a current appointment.
func (s *Set) ReferralCancellationReason(code string, bf ersclient.BusinessFunction, hasAppointment bool, state string, at time.Time) (Concept, bool) {
	c, ok := s.Lookup(ReferralCancellationReason, code)
	if !ok || !c.EffectiveAt(at) || c.Prop(PropReferrerUsage) != CancelReferralUsage || !c.Has(PropBusinessFunction, string(bf)) {
		return Concept{}, false
	}
	kind := c.Prop(PropRequestCancellationType)
	switch {
	case bf.IsReferrer():
		ok = !hasAppointment || c.Bool(PropCanCancelAppointment)
	case state == stateTriagedToAction:
		ok = kind == ReasonProviderTriage
	default:
		ok = (kind == ReasonProvider || kind == ReasonPatient) && (!hasAppointment || c.Bool(PropCanCancelAppointment))
	}
	if !ok {
		return Concept{}, false
	}
	return c, true
}

// ContactDays is the number of working days within which a provider should
// contact the patient after a deferral (deferToProviderContactDays) or a
// triage request (triageContactDays), by priority. An unknown priority
// gives 0.
func (s *Set) ContactDays(priority string, triage bool) int {
	c, ok := s.Lookup(Priority, priority)
	if !ok {
		return 0
	}
	if triage {
		return c.Int(PropTriageContactDays)
	}
	return c.Int(PropDeferToProviderContactDays)
}

// ContactBy is the date by which the patient can expect contact, as A004
// documents it: the appointment's creation plus ContactDays working days.
func (s *Set) ContactBy(priority string, triage bool, created time.Time) time.Time {
	return AddWorkingDays(created, s.ContactDays(priority, triage))
}

// AddWorkingDays adds n working days (Monday to Friday) to t, keeping the
// time of day. Bank holidays are not modelled: e-RS's own calendar is not
// published.
func AddWorkingDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}
