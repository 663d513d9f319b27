package sandbox

import (
	"net/http"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const profileCancelReferralResponse = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CancelReferral-Response-Parameters-1"

// The APPOINTMENT-CANCELLATION-REASON codes a booked appointment is
// cancelled with when its whole referral is cancelled (A036): e-RS records
// the appointment as cancelled by the patient's side or by the provider.
const (
	apptCancelledWithReferralByPatient  = "PATIENT_APPOINTMENT_CANCELLATION_OTHER"
	apptCancelledWithReferralByProvider = "PROVIDER_CANCELLATION"
)

// cancelReferral is A036: the referrer or the provider ends a referral
// with a REFERRAL-CANCELLATION-REASON (filtered by role, state and whether
// there is a booked appointment, as the reference data says). A booked
// appointment is cancelled with it and its slot freed. The referral becomes
// CANCELLED_REFERRAL with status cancelled, for good.
//
// The answer is Parameters: updatedReferralRequest, plus updatedAppointment
// only when this call cancelled an appointment. A proposed appointment
// (deferral, triage, action later) is left as it is and not returned, as
// the official examples show. There is no ETag: the version is in the
// referral's meta.
func (s *Server) cancelReferral(c *call) {
	prm, ok := c.readParameters("cancellationReason", "cancellationComments")
	if !ok {
		return
	}
	in := actionParams{prm}
	code, p := in.localCode("cancellationReason", refdata.ReferralCancellationReason)
	if p != nil {
		c.fail(p)
		return
	}
	comments, p := in.text("cancellationComments", false, maxActionComment)
	if p != nil {
		c.fail(p)
		return
	}
	ubrn := c.r.PathValue("ubrn")
	var body []byte
	err := s.store.Write(store.ReferralKey(ubrn), func(st *store.State) error {
		r, p := c.referralForUpdate(st, ubrn)
		if p != nil {
			return p
		}
		if p := c.checkCancellable(st, r); p != nil {
			return p
		}
		a := st.Appointments[r.AppointmentID]
		booked := a != nil && a.Status == "booked"
		reason, ok := s.ref.ReferralCancellationReason(code, c.Role, booked, r.State, c.Now())
		if !ok {
			return inappropriateReason("cancellationReason")
		}
		if reason.Bool(refdata.PropCommentIsMandatory) && comments == "" {
			return missingValue("cancellationComments")
		}
		r.Status = "cancelled"
		c.changeState(r, store.StateCancelledReferral,
			store.Coding{System: refdata.ReferralCancellationReason, Code: reason.Code, Display: reason.Display}, comments)
		// The appointment ends before the referral is rendered: the
		// referral's contained appointment shows it cancelled.
		if booked {
			endAppointment(st, a, r, "cancelled", s.appointmentCauseOfCancel(c, reason), comments)
		}
		out := fhir.NewParameters(profileCancelReferralResponse)
		ref, err := fhir.NewRawResource(c.referralResource(st, r))
		if err != nil {
			return err
		}
		out.Add(fhir.Parameter{Name: "updatedReferralRequest", Resource: ref})
		if booked {
			appt, err := fhir.NewRawResource(c.appointmentResource(st, a))
			if err != nil {
				return err
			}
			out.Add(fhir.Parameter{Name: "updatedAppointment", Resource: appt})
		}
		body, err = fhir.Marshal(out)
		return err
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeBody(http.StatusOK, fhirJSON, body)
}

// appointmentCauseOfCancel is the appointment cancellation reason recorded
// when a referral cancellation takes its booked appointment with it: the
// patient's side for a PATIENT reason, the provider's for a PROVIDER or
// PROVIDER_TRIAGE one, and otherwise the side of whoever cancels.
func (s *Server) appointmentCauseOfCancel(c *call, reason refdata.Concept) store.Coding {
	code := apptCancelledWithReferralByProvider
	switch reason.Prop(refdata.PropRequestCancellationType) {
	case refdata.ReasonPatient:
		code = apptCancelledWithReferralByPatient
	case refdata.ReasonProvider, refdata.ReasonProviderTriage:
	default:
		if c.Referrer() {
			code = apptCancelledWithReferralByPatient
		}
	}
	return store.Coding{System: refdata.AppointmentCancellationReason, Code: code, Display: s.ref.Display(refdata.AppointmentCancellationReason, code)}
}
