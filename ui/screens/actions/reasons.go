package actions

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Property names and values of the reason code systems (A004) that decide
// which reasons a form may offer. ersclient has no filter of its own for
// them, so the rules of the digest are applied here, where they are used.
const (
	propBookingCancellationType = "appointmentBookingCancellationReasonType"
	propRequestCancellationType = "appointmentRequestCancellationReasonType"
	propBusinessFunction        = "businessFunction"
	propUsage                   = "usage"
	propReferrerUsage           = "referrerUsage"
	propCanCancelAppointment    = "canCancelAppointment"
	propCommentIsMandatory      = "commentIsMandatory"

	reasonProviderReject = "PROVIDER_REJECT"
	reasonProvider       = "PROVIDER"
	reasonPatient        = "PATIENT"
	reasonProviderTriage = "PROVIDER_TRIAGE"
	usageReject          = "REJECT"
	usageCancelReferral  = "CANCEL_REFERRAL"
)

// reason is one choice of a reason list.
type reason struct {
	Coding           fhir.Coding
	Display          string
	CommentMandatory bool
}

// forRole reports whether a concept lists the role among its business
// functions; an empty role means either provider role.
func forRole(c ersclient.ReferenceConcept, role ersclient.BusinessFunction) bool {
	if role != "" {
		return c.Has(propBusinessFunction, string(role))
	}
	return c.Has(propBusinessFunction, string(ersclient.ServiceProviderClinician)) ||
		c.Has(propBusinessFunction, string(ersclient.ServiceProviderClinicianAdmin))
}

// rejectReasons are the APPOINTMENT-CANCELLATION-REASON codes A014 accepts
// now for the role: of type PROVIDER_REJECT, for the role, of usage REJECT
// where a usage is given, and effective at now.
func rejectReasons(d *ersclient.ReferenceData, role ersclient.BusinessFunction, now time.Time) []reason {
	if d == nil {
		return nil
	}
	return toReasons(d.Filter(func(c ersclient.ReferenceConcept) bool {
		if !c.EffectiveAt(now) || c.Value(propBookingCancellationType) != reasonProviderReject || !forRole(c, role) {
			return false
		}
		u := c.Value(propUsage)
		return u == "" || u == usageReject
	}))
}

// cancelReasons are the REFERRAL-CANCELLATION-REASON codes A036 accepts now
// for the role, the referral's state and whether it has a live
// appointment: referrerUsage CANCEL_REFERRAL and the role always; a
// referrer needs canCancelAppointment when there is an appointment; a
// provider ending a triage (TRIAGED_PROVIDER_TO_ACTION) a PROVIDER_TRIAGE
// reason, otherwise a PROVIDER or PATIENT one that can cancel the
// appointment when there is one.
func cancelReasons(d *ersclient.ReferenceData, role ersclient.BusinessFunction, state string, hasAppointment bool, now time.Time) []reason {
	if d == nil {
		return nil
	}
	return toReasons(d.Filter(func(c ersclient.ReferenceConcept) bool {
		if !c.EffectiveAt(now) || c.Value(propReferrerUsage) != usageCancelReferral || !forRole(c, role) {
			return false
		}
		canCancel, _ := c.Bool(propCanCancelAppointment)
		kind := c.Value(propRequestCancellationType)
		switch {
		case role.IsReferrer():
			return !hasAppointment || canCancel
		case state == ersclient.ReferralStateTriagedProviderToAction:
			return kind == reasonProviderTriage
		default:
			return (kind == reasonProvider || kind == reasonPatient) && (!hasAppointment || canCancel)
		}
	}))
}

func toReasons(cs []ersclient.ReferenceConcept) []reason {
	out := make([]reason, 0, len(cs))
	for _, c := range cs {
		mandatory, _ := c.Bool(propCommentIsMandatory)
		display := c.Display
		if display == "" {
			display = c.Code
		}
		out = append(out, reason{Coding: c.Coding(), Display: display, CommentMandatory: mandatory})
	}
	return out
}
