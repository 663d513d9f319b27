package sandbox

import (
	"net/http"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// A038 and A038v read an appointment; A034 cancels one.
//
// A034 cancels the referral's current appointment when it is booked at a
// directly bookable service. The If-Match is the APPOINTMENT's version. The
// reason must be an APPOINTMENT-CANCELLATION-REASON in effect now, with usage
// CANCEL and the caller's business function; anything else, including a code
// that is no appointment cancellation reason at all, is 422
// INAPPROPRIATE_VALUE "'reason' The reason provided is not valid in this
// case", as the official CancellationInvalidReason example answers (its
// INTEND_PRIVATE is a referral cancellation reason). A coding of another code
// system is INVALID_VALUE. The slot is freed, and the referral becomes
// APPT_CANCELLED_BY_PROVIDER when the reason's
// appointmentBookingCancellationReasonType is PROVIDER, otherwise
// APPT_CANCELLED_BY_PATIENT; either way it is back on the referrer's
// AWAITING_BOOKING list, and A031 then A016 rebook it. An appointment at an
// indirectly bookable service lives in the provider's system:
// UNABLE_TO_CANCEL_APPOINTMENT.

func (s *Server) retrieveAppointment(c *call) {
	s.serveAppointment(c, "")
}

func (s *Server) retrieveAppointmentVersion(c *call) {
	s.serveAppointment(c, c.r.PathValue("version"))
}

// serveAppointment answers A038, or A038v when version is set: only the
// current version can be read.
func (s *Server) serveAppointment(c *call, version string) {
	id := c.r.PathValue("id")
	c.serveRead(func(st *store.State) (any, int, *problem) {
		a := st.Appointments[id]
		if a == nil {
			return nil, 0, notFound("No appointment with id %s.", id)
		}
		if !c.canSeeAppointment(st, a) {
			return nil, 0, noRelationship("appointment " + id)
		}
		if p := checkCurrentVersion(version, a.Version); p != nil {
			return nil, 0, p
		}
		return c.appointmentResource(st, a), a.Version, nil
	})
}

// canSeeAppointment extends the legitimate relationship to appointments: the
// referral's, or, for a provider, the appointment's own service (an earlier
// appointment may be at another service than the referral's current one).
func (c *call) canSeeAppointment(st *store.State, a *store.Appointment) bool {
	if r := st.Referrals[a.UBRN]; r != nil && c.canSeeReferral(st, r) {
		return true
	}
	svc := st.Services[a.ServiceID]
	return c.Provider() && svc != nil && svc.Org == c.Org
}

// apptCancellation is a parsed A034 body.
type apptCancellation struct {
	reason  string
	comment string
}

func (s *Server) cancelAppointment(c *call) {
	id := c.r.PathValue("id")
	var body fhir.Appointment
	if !c.readFHIR(&body, "Appointment") {
		return
	}
	req, prob := parseApptCancellation(id, &body)
	if prob != nil {
		c.fail(prob)
		return
	}
	// The referral's lock guards the appointment too: every write to either
	// takes it, so a booking and a cancellation cannot interleave.
	var ubrn string
	s.store.Read(func(st *store.State) error { //nolint:errcheck // the callback cannot fail
		if a := st.Appointments[id]; a != nil {
			ubrn = a.UBRN
		}
		return nil
	})
	if ubrn == "" {
		c.fail(notFound("No appointment with id %s.", id))
		return
	}
	var res *fhir.Appointment
	var version int
	err := s.store.Write(store.ReferralKey(ubrn), func(st *store.State) error {
		a := st.Appointments[id]
		r := st.Referrals[ubrn]
		if a == nil || r == nil {
			return notFound("No appointment with id %s.", id)
		}
		if !c.canSeeReferral(st, r) {
			return noRelationship("appointment " + id)
		}
		if prob := c.checkIfMatch(a.Version); prob != nil {
			return prob
		}
		// The reason and comment are validated before the appointment's
		// state, as e-RS's early validation does.
		concept, ok := c.s.ref.AppointmentCancellationReason(req.reason, refdata.UsageCancel, c.Role, c.Now())
		if !ok {
			return businessRule("INAPPROPRIATE_VALUE", "'reason' The reason provided is not valid in this case")
		}
		if concept.Bool(refdata.PropCommentIsMandatory) && strings.TrimSpace(req.comment) == "" {
			return missingValue("comment")
		}
		if prob := c.apptCancellationProblem(st, r, a); prob != nil {
			return prob
		}
		reason := store.Coding{System: fhir.LocalAppointmentCancellationReason, Code: req.reason}
		a.Status, a.Reason, a.Comment = "cancelled", reason, req.comment
		touchAppointment(a)
		if slot := st.Slots[a.SlotID]; slot != nil {
			slot.Free = true
		}
		state := store.StateCancelledByPatient
		if concept.Prop(refdata.PropBookingCancellationType) == refdata.ReasonProvider {
			state = store.StateCancelledByProvider
		}
		c.changeState(r, state, reason, req.comment)
		a.ReferralVersion = r.Version
		res, version = c.appointmentResource(st, a), a.Version
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusOK, res, version)
}

// parseApptCancellation reads an A034 body: the appointment with status
// cancelled, an APPOINTMENT-CANCELLATION-REASON and an optional comment.
func parseApptCancellation(id string, a *fhir.Appointment) (apptCancellation, *problem) {
	var req apptCancellation
	switch {
	case a.ID != "" && a.ID != id:
		return req, invalidValue("'id' (%s) is not the appointment of the path (%s).", a.ID, id)
	case a.Status == "":
		return req, missingValue("status")
	case a.Status != "cancelled":
		return req, businessRule("INAPPROPRIATE_VALUE", "'status' (%s) An appointment can only be updated to cancelled.", a.Status)
	case len(a.Reason) == 0:
		return req, missingValue("reason")
	}
	cd, ok := a.Reason[0].CodingIn(fhir.LocalAppointmentCancellationReason)
	if !ok || cd.Code == "" {
		return req, invalidValue("'reason' must be an %s code.", fhir.LocalAppointmentCancellationReason)
	}
	if len([]rune(a.Comment)) > maxAppointmentComment {
		return req, invalidValue("'comment' is longer than %d characters.", maxAppointmentComment)
	}
	return apptCancellation{reason: cd.Code, comment: a.Comment}, nil
}

// apptCancellationProblem checks that the appointment is the referral's
// current, booked, directly bookable one.
func (c *call) apptCancellationProblem(st *store.State, r *store.Referral, a *store.Appointment) *problem {
	switch {
	case r.AppointmentID != a.ID:
		return invalidState("Appointment %s is not the referral's current appointment: only the current one can be updated.", a.ID)
	case a.Status != "booked" || r.State != store.StateBooked:
		return invalidState("The appointment is %s and the referral %s: only a booked appointment can be cancelled.", a.Status, r.State)
	}
	if svc := st.Services[a.ServiceID]; svc == nil || svc.Bookable != store.DirectlyBookable || a.SlotID == "" {
		return businessRule("UNABLE_TO_CANCEL_APPOINTMENT", "Appointment %s is held by the provider's system (an indirectly bookable service): the patient contacts the provider to cancel it.", a.ID)
	}
	return nil
}
