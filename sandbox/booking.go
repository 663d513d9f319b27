package sandbox

import (
	"net/http"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// A016 book or defer appointment: one endpoint, three actions told apart by
// the Appointment's status and reason.
//
//   - booked: book a free slot at a directly bookable service. The referral
//     becomes BOOKED and the slot is no longer free.
//   - proposed with an eRS-ReviewReason-1 deferral reason: defer the booking
//     to a directly bookable service, which arranges it. The referral
//     becomes DEFERRED_TO_PROVIDER. NO_SLOTS_AT_SERVICE is refused while the
//     service has a free future slot of the referral's priority
//     (SLOTS_CURRENTLY_AVAILABLE); SLOT_NOT_AVAILABLE naming a slot that is
//     in fact free is refused with THIS_SLOT_IS_AVAILABLE;
//     BOOKING_ATTEMPT_PROBLEM (no answer within the timeout) is always
//     accepted.
//   - proposed with reason TRIAGE: send the referral to a triage (REVIEW)
//     service. The referral becomes AWAITING_TRIAGE.
//
// The referral's version travels in the body (incomingReferral
// ReferralRequest/{ubrn}/_history/{v}); a stale one is a 409. Only a
// referral A029 offers CREATE_APPOINTMENT for (referralActions: NOT_BOOKED)
// can be booked, deferred or sent: after a cancellation the referrer changes
// the shortlist (A031), which makes it NOT_BOOKED again.
// The service must be on the shortlist.
//
// An indirectly bookable service cannot be booked through the API: the
// patient phones it. The simulator answers 422 INAPPROPRIATE_VALUE, not
// SERVICE_UNAVAILABLE: the request would be right for a directly bookable
// service, while SERVICE_UNAVAILABLE tells the caller the service has gone,
// which would send a workstation looking for a replacement.
//
// Deferrals and triage set the referral's contact-by date: the appointment's
// creation plus the PRIORITY reference data's deferToProviderContactDays or
// triageContactDays, counted in working days (Monday to Friday; the
// simulator knows no bank holidays).

// The eRS-ReviewReason-1 codes A016 takes with status proposed.
const (
	reasonNoSlots        = "NO_SLOTS_AT_SERVICE"
	reasonSlotNotFree    = "SLOT_NOT_AVAILABLE"
	reasonBookingProblem = "BOOKING_ATTEMPT_PROBLEM"
	reasonTriage         = "TRIAGE"
)

// maxAppointmentComment bounds an appointment's free-text comment.
const maxAppointmentComment = 2000

// bookingKind is what an A016 request asks for.
type bookingKind int

const (
	bookSlot bookingKind = iota + 1
	deferToProvider
	sendForTriage
)

// bookingRequest is a parsed A016 request, or the triage step of A021/A032.
type bookingRequest struct {
	kind      bookingKind
	ubrn      string
	version   int
	serviceID string
	nhsNumber string
	slotID    string
	clinician string
	reason    string // eRS-ReviewReason-1 code of a proposed appointment
	comment   string
}

func (s *Server) bookOrDefer(c *call) {
	var a fhir.Appointment
	if !c.readFHIR(&a, "Appointment") {
		return
	}
	req, prob := parseBooking(&a)
	if prob != nil {
		c.fail(prob)
		return
	}
	var res *fhir.Appointment
	var version int
	err := s.store.Write(store.ReferralKey(req.ubrn), func(st *store.State) error {
		r, prob := c.bookingReferral(st, req)
		if prob != nil {
			return prob
		}
		if prob := c.bookingProblem(st, r, r.Shortlist, req); prob != nil {
			return prob
		}
		appt := c.applyBooking(st, r, req)
		res, version = c.appointmentResource(st, appt), appt.Version
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusCreated, res, version)
}

// parseBooking reads an A016 Appointment.
func parseBooking(a *fhir.Appointment) (bookingRequest, *problem) {
	var b bookingRequest
	switch n := len(a.IncomingReferral); {
	case n == 0:
		return b, missingValue("incomingReferral")
	case n > 1:
		return b, invalidValue("'incomingReferral' may name one referral, not %d.", n)
	}
	ref := a.IncomingReferral[0].Reference
	ubrn, v, ok := versionedRef(ref, "ReferralRequest")
	if !ok {
		return b, invalidValue("'incomingReferral' (%s) must be ReferralRequest/{ubrn}/_history/{version}.", ref)
	}
	b.ubrn, b.version = ubrn, v
	switch a.Status {
	case "booked":
		b.kind = bookSlot
	case "proposed":
		if len(a.Reason) == 0 {
			return b, missingValue("reason")
		}
		cd, ok := a.Reason[0].CodingIn(fhir.CSReviewReason)
		if !ok {
			return b, invalidValue("'reason' must be an %s code.", fhir.CSReviewReason)
		}
		switch cd.Code {
		case reasonTriage:
			b.kind = sendForTriage
		case reasonNoSlots, reasonSlotNotFree, reasonBookingProblem:
			b.kind = deferToProvider
		default:
			return b, businessRule("INVALID_CODE", "'reason' (%s) is not NO_SLOTS_AT_SERVICE, SLOT_NOT_AVAILABLE, BOOKING_ATTEMPT_PROBLEM or TRIAGE.", cd.Code)
		}
		b.reason = cd.Code
	case "":
		return b, missingValue("status")
	default:
		return b, invalidValue("'status' (%s) must be booked or proposed.", a.Status)
	}
	for _, p := range a.Participant {
		if p.Actor == nil || p.Actor.Identifier == nil {
			continue
		}
		switch id := p.Actor.Identifier; id.System {
		case fhir.SystemERSService:
			b.serviceID = id.Value
		case fhir.SystemNHSNumberSTU3:
			b.nhsNumber = id.Value
		case fhir.SystemSDSUserSTU3:
			b.clinician = id.Value
		}
	}
	if b.serviceID == "" {
		return b, missingValue("participant (service)")
	}
	if b.nhsNumber == "" {
		return b, missingValue("participant (patient)")
	}
	if len(a.Slot) > 1 {
		return b, invalidValue("'slot' may name one slot, not %d.", len(a.Slot))
	}
	if len(a.Slot) == 1 {
		id, ok := strings.CutPrefix(a.Slot[0].Reference, "Slot/")
		if !ok || id == "" || strings.Contains(id, "/") {
			return b, invalidValue("'slot' (%s) must be Slot/{id}.", a.Slot[0].Reference)
		}
		b.slotID = id
	}
	switch {
	case b.kind == bookSlot && b.slotID == "":
		return b, missingValue("slot")
	case b.kind != bookSlot && b.slotID != "" && b.reason != reasonSlotNotFree:
		return b, businessRule("INAPPROPRIATE_VALUE", "'slot' is only given with a booking or a SLOT_NOT_AVAILABLE deferral.")
	case b.kind != bookSlot && b.clinician != "":
		return b, businessRule("INAPPROPRIATE_VALUE", "'participant' A named clinician is only given with a booking.")
	}
	if len([]rune(a.Comment)) > maxAppointmentComment {
		return b, invalidValue("'comment' is longer than %d characters.", maxAppointmentComment)
	}
	b.comment = a.Comment
	return b, nil
}

// bookingReferral finds the referral an A016 request names, at the version
// it names, in a state that can be booked.
func (c *call) bookingReferral(st *store.State, b bookingRequest) (*store.Referral, *problem) {
	r := st.Referrals[b.ubrn]
	switch {
	case r == nil && st.Advice[b.ubrn] != nil:
		return nil, businessRule("INVALID_REQUEST_TYPE", "'incomingReferral' %s is an advice and guidance request, not a referral.", b.ubrn)
	case r == nil:
		return nil, businessRule("REFERENCE_NOT_FOUND", "'incomingReferral' No referral with UBRN %s.", b.ubrn)
	case !c.canSeeReferral(st, r):
		return nil, noRelationship("referral " + b.ubrn)
	case b.version != r.Version:
		return nil, versionConflict(b.version, r.Version)
	case !actionAllowed(r.State, c.Role, st.Services[r.ServiceID], actionCreateAppointment) || r.Status != "active":
		return nil, invalidState("The referral is %s: only a NOT_BOOKED referral can be booked, deferred or sent for triage.", r.State)
	case b.nhsNumber != r.NHSNumber:
		return nil, businessRule("INAPPROPRIATE_VALUE", "'participant' The patient is not the referral's patient.")
	}
	return r, nil
}

// bookingProblem checks a booking, deferral or triage request against the
// directory and the slots; shortlist is the referral's shortlist as it will
// be (A032 changes it in the same call). It changes nothing.
func (c *call) bookingProblem(st *store.State, r *store.Referral, shortlist []string, b bookingRequest) *problem {
	svc := st.Services[b.serviceID]
	switch {
	case svc == nil:
		return businessRule("REFERENCE_NOT_FOUND", "'participant' Service %s does not exist.", b.serviceID)
	case !svc.Active:
		return businessRule("SERVICE_UNAVAILABLE", "Service %s is no longer available.", b.serviceID)
	case !referrerContains(shortlist, b.serviceID):
		return businessRule("INAPPROPRIATE_VALUE", "'participant' Service %s is not on the referral's shortlist.", b.serviceID)
	}
	now := c.Now()
	switch b.kind {
	case sendForTriage:
		if svc.Flow != store.FlowTriage {
			return businessRule("INAPPROPRIATE_VALUE", "'participant' Service %s is not a triage service: book or defer to it instead.", svc.ID)
		}
		return nil
	case deferToProvider:
		if prob := bookableDirectly(svc); prob != nil {
			return prob
		}
		switch {
		case b.reason == reasonNoSlots && len(freeSlots(st, svc.ID, r.Priority, "", now, 1)) > 0:
			return businessRule("SLOTS_CURRENTLY_AVAILABLE", "Service %s has free %s slots: book one instead of deferring.", svc.ID, r.Priority)
		case b.reason == reasonSlotNotFree && b.slotID != "":
			slot, prob := slotOfService(st, b.slotID, svc.ID)
			if prob != nil {
				return prob
			}
			if slot.Free && slot.Start.After(now) {
				return businessRule("THIS_SLOT_IS_AVAILABLE", "'slot' Slot %s is available: book it instead of deferring.", slot.ID)
			}
		}
		return nil
	}
	if prob := bookableDirectly(svc); prob != nil {
		return prob
	}
	slot, prob := slotOfService(st, b.slotID, svc.ID)
	if prob != nil {
		return prob
	}
	switch {
	case slot.Type != r.Priority:
		return businessRule("INAPPROPRIATE_SLOT", "'slot' Slot %s is for %s referrals, not %s.", slot.ID, slot.Type, r.Priority)
	case !slot.Start.After(now):
		return businessRule("INAPPROPRIATE_SLOT", "'slot' Slot %s is in the past.", slot.ID)
	case !slot.Free:
		return businessRule("SLOT_NOT_AVAILABLE", "'slot' Slot %s is no longer available.", slot.ID)
	case slot.ClinicianID != "" && b.clinician == "":
		return businessRule("INAPPROPRIATE_VALUE", "'participant' Slot %s is with a named clinician (%s), who must be given.", slot.ID, slot.ClinicianID)
	case b.clinician != "" && b.clinician != slot.ClinicianID:
		return businessRule("INAPPROPRIATE_VALUE", "'participant' Clinician %s does not hold slot %s.", b.clinician, slot.ID)
	}
	return nil
}

// slotOfService finds the slot a booking or deferral names, which must be
// one of the service's.
func slotOfService(st *store.State, slotID, serviceID string) (*store.Slot, *problem) {
	slot := st.Slots[slotID]
	switch {
	case slot == nil:
		return nil, businessRule("REFERENCE_NOT_FOUND", "'slot' Slot %s does not exist.", slotID)
	case slot.ServiceID != serviceID:
		return nil, businessRule("INAPPROPRIATE_SLOT", "'slot' Slot %s is not a slot of service %s.", slot.ID, serviceID)
	}
	return slot, nil
}

// bookableDirectly refuses a service the API cannot book (see the comment
// at the top of the file).
func bookableDirectly(svc *store.Service) *problem {
	switch {
	case svc.Flow == store.FlowTriage:
		return businessRule("INAPPROPRIATE_VALUE", "'participant' Service %s is a triage service: send the referral for triage instead.", svc.ID)
	case svc.Flow != store.FlowBookable:
		return businessRule("INAPPROPRIATE_VALUE", "'participant' Service %s does not take appointments.", svc.ID)
	case svc.Bookable != store.DirectlyBookable:
		return businessRule("INAPPROPRIATE_VALUE", "'participant' Service %s is indirectly bookable: the patient books by telephone (see the patient letter).", svc.ID)
	}
	return nil
}

// applyBooking makes the appointment and moves the referral; the request
// has passed bookingReferral and bookingProblem, so nothing here can fail.
func (c *call) applyBooking(st *store.State, r *store.Referral, b bookingRequest) *store.Appointment {
	now := c.Now()
	a := &store.Appointment{ID: st.NewAppointmentID(), Version: 1, UBRN: r.UBRN, ServiceID: b.serviceID, Created: now, Comment: b.comment}
	var state string
	var reason store.Coding
	r.ContactBy = time.Time{}
	switch b.kind {
	case bookSlot:
		slot := st.Slots[b.slotID]
		slot.Free = false
		a.Status, a.SlotID, a.Start, a.End, a.ClinicianID = "booked", slot.ID, slot.Start, slot.End, slot.ClinicianID
		state = store.StateBooked
		if slot.ClinicianID != "" {
			r.NamedClinician = slot.ClinicianID
		}
	case deferToProvider:
		reason = store.Coding{System: fhir.CSReviewReason, Code: b.reason}
		a.Status, a.Reason = "proposed", reason
		state = store.StateDeferredToProvider
		r.ContactBy = c.s.ref.ContactBy(r.Priority, false, now)
	case sendForTriage:
		reason = store.Coding{System: fhir.CSReviewReason, Code: reasonTriage}
		a.Status, a.Reason = "proposed", reason
		state = store.StateAwaitingTriage
		r.ContactBy = c.s.ref.ContactBy(r.Priority, true, now)
	}
	st.Appointments[a.ID] = a
	r.ServiceID, r.AppointmentID = b.serviceID, a.ID
	// A referral arriving at a service is new to its reviewers.
	r.ContextStatus = "NEVER_REVIEWED"
	c.changeState(r, state, reason, b.comment)
	a.ReferralVersion = r.Version
	return a
}

// freeSlots returns up to limit (0: all) free slots of a service for a
// priority that start after now, in start order, optionally only those of
// one clinician.
func freeSlots(st *store.State, serviceID, priority, clinician string, now time.Time, limit int) []*store.Slot {
	var out []*store.Slot
	for _, id := range st.SlotsByService[serviceID] {
		s := st.Slots[id]
		if s == nil || !s.Free || s.Type != priority || !s.Start.After(now) || (clinician != "" && s.ClinicianID != clinician) {
			continue
		}
		out = append(out, s)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}
