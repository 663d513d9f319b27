package ersclient

import (
	"context"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// DeferralReason says why a referral is deferred to the provider instead of
// booked (eRS-ReviewReason-1).
type DeferralReason string

// The deferral reasons. e-RS refuses a deferral while the service has free
// slots (422 SLOTS_CURRENTLY_AVAILABLE).
const (
	// NoSlotsAtService: A015 found no free slots.
	NoSlotsAtService DeferralReason = "NO_SLOTS_AT_SERVICE"
	// SlotNotAvailable: the chosen slot was taken meanwhile (give LostSlotID).
	SlotNotAvailable DeferralReason = "SLOT_NOT_AVAILABLE"
	// BookingAttemptProblem: the booking got no answer within the two-minute
	// timeout.
	BookingAttemptProblem DeferralReason = "BOOKING_ATTEMPT_PROBLEM"
)

const (
	profileAppointment            = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1"
	profileCareConnectAppointment = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Appointment-1"
	appointmentDescription        = "e-Referral Appointment"
	// slotTimeLayout writes a slot time typed by hand as the official
	// examples do ("2022-07-11T12:00:00+00:00").
	slotTimeLayout = "2006-01-02T15:04:05.999999999-07:00"
)

// BookRequest is the input of BookAppointment.
type BookRequest struct {
	UBRN string
	// Version is the referral's current version; it goes in the body
	// (incomingReferral), not in If-Match.
	Version string
	// Slot is the slot to book, from A015 (or ID, Start and End by hand).
	Slot SlotView
	// ServiceID is the service; empty means Slot.ServiceID.
	ServiceID string
	// ServiceName, if set, is sent as the service's display.
	ServiceName string
	NHSNumber   string
	// NamedClinicianSDS is the clinician of the slot's schedule; empty means
	// Slot.ClinicianSDS. Slots with a clinician must be booked naming them.
	NamedClinicianSDS string
}

// DeferRequest is the input of DeferToProvider.
type DeferRequest struct {
	UBRN string
	// Version is the referral's current version (in the body).
	Version string
	Reason  DeferralReason
	// LostSlotID is the slot that could not be booked; only with
	// SLOT_NOT_AVAILABLE.
	LostSlotID string
	Comment    string
	ServiceID  string
	NHSNumber  string
}

// TriageRequest is the input of SendForTriage.
type TriageRequest struct {
	UBRN string
	// Version is the referral's current version (in the body).
	Version string
	// ServiceID is a triage service on the referral's shortlist.
	ServiceID string
	NHSNumber string
}

// BookAppointment is A016 for a directly bookable service: it books the slot.
// The referral becomes BOOKED. On 502 or 504 (the hospital system failed or
// did not answer; IsOutcomeUnknown) the booking may or may not exist: read the
// referral back before anything else, and defer with BOOKING_ATTEMPT_PROBLEM
// if it is not booked. A 409 means the referral changed (reload it); 422
// SLOT_NOT_AVAILABLE means the slot went (pick another or defer).
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) BookAppointment(ctx context.Context, req BookRequest) (*AppointmentView, error) {
	o := op(OpBookOrDefer)
	a, err := req.appointment(o.ID)
	if err != nil {
		return nil, err
	}
	return c.bookOrDefer(ctx, o, a)
}

// DeferToProvider is A016 for a directly bookable service that cannot be
// booked now: the provider arranges the booking. The referral becomes
// DEFERRED_TO_PROVIDER. e-RS refuses while slots are free (422
// SLOTS_CURRENTLY_AVAILABLE).
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) DeferToProvider(ctx context.Context, req DeferRequest) (*AppointmentView, error) {
	o := op(OpBookOrDefer)
	a, err := req.appointment(o.ID)
	if err != nil {
		return nil, err
	}
	return c.bookOrDefer(ctx, o, a)
}

// SendForTriage is A016 for a triage service: the referral goes to the
// service for review and becomes AWAITING_TRIAGE.
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) SendForTriage(ctx context.Context, req TriageRequest) (*AppointmentView, error) {
	o := op(OpBookOrDefer)
	if err := checkIncoming(o.ID, req.UBRN, req.Version, req.ServiceID, req.NHSNumber); err != nil {
		return nil, err
	}
	a := newAppointment(AppointmentProposed, req.UBRN, req.Version, req.ServiceID, "", req.NHSNumber)
	a.Reason = []fhir.CodeableConcept{*fhir.NewConcept(fhir.CSReviewReason, "TRIAGE")}
	return c.bookOrDefer(ctx, o, a)
}

func (c *Client) bookOrDefer(ctx context.Context, o Operation, a *fhir.Appointment) (*AppointmentView, error) {
	cl := call{op: o}
	if err := cl.resource(a); err != nil {
		return nil, err
	}
	return c.appointmentCall(ctx, cl)
}

func (req BookRequest) appointment(opID OperationID) (*fhir.Appointment, error) {
	service := req.ServiceID
	if service == "" {
		service = req.Slot.ServiceID
	} else if req.Slot.ServiceID != "" && req.Slot.ServiceID != service {
		return nil, invalid(opID, "the slot belongs to service %s, not %s", req.Slot.ServiceID, service)
	}
	if err := checkIncoming(opID, req.UBRN, req.Version, service, req.NHSNumber); err != nil {
		return nil, err
	}
	s := req.Slot
	if s.ID == "" || strings.ContainsAny(s.ID, "/?# ") {
		return nil, invalid(opID, "%q is not a slot id", s.ID)
	}
	start, end := s.start, s.end
	if start == "" || end == "" {
		if s.Start.IsZero() || s.End.IsZero() {
			return nil, invalid(opID, "the slot's start and end are needed to book it")
		}
		start, end = s.Start.Format(slotTimeLayout), s.End.Format(slotTimeLayout)
	}
	if !s.Start.IsZero() && !s.End.IsZero() && !s.End.After(s.Start) {
		return nil, invalid(opID, "the slot ends before it starts")
	}
	clinician := req.NamedClinicianSDS
	if clinician == "" {
		clinician = s.ClinicianSDS
	} else if s.ClinicianSDS != "" && s.ClinicianSDS != clinician {
		return nil, invalid(opID, "the slot belongs to clinician %s, not %s", s.ClinicianSDS, clinician)
	}
	if clinician != "" && !allDigits(clinician) {
		return nil, invalid(opID, "%q is not an SDS user id: it is digits only", clinician)
	}
	a := newAppointment(AppointmentBooked, req.UBRN, req.Version, service, req.ServiceName, req.NHSNumber)
	a.Start, a.End = start, end
	a.Slot = []fhir.Reference{{Reference: "Slot/" + s.ID}}
	if clinician != "" {
		a.Participant = append(a.Participant, fhir.AppointmentParticipant{
			// e-RS maps participant.type as a single object (a known issue);
			// the official examples send it so.
			Type:   fhir.One(fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.SystemParticipantCON, Code: "CON"}}}),
			Actor:  &fhir.Reference{Identifier: sdsIdentifier(clinician)},
			Status: "accepted",
		})
	}
	return a, nil
}

func (req DeferRequest) appointment(opID OperationID) (*fhir.Appointment, error) {
	if err := checkIncoming(opID, req.UBRN, req.Version, req.ServiceID, req.NHSNumber); err != nil {
		return nil, err
	}
	switch req.Reason {
	case NoSlotsAtService, SlotNotAvailable, BookingAttemptProblem:
	case "":
		return nil, invalid(opID, "no deferral reason given: NO_SLOTS_AT_SERVICE, SLOT_NOT_AVAILABLE or BOOKING_ATTEMPT_PROBLEM")
	default:
		return nil, invalid(opID, "%q is not a deferral reason: use NO_SLOTS_AT_SERVICE, SLOT_NOT_AVAILABLE or BOOKING_ATTEMPT_PROBLEM", req.Reason)
	}
	a := newAppointment(AppointmentProposed, req.UBRN, req.Version, req.ServiceID, "", req.NHSNumber)
	a.Reason = []fhir.CodeableConcept{*fhir.NewConcept(fhir.CSReviewReason, string(req.Reason))}
	if req.LostSlotID != "" {
		if req.Reason != SlotNotAvailable {
			return nil, invalid(opID, "a lost slot is only given with SLOT_NOT_AVAILABLE")
		}
		if strings.ContainsAny(req.LostSlotID, "/?# ") {
			return nil, invalid(opID, "%q is not a slot id", req.LostSlotID)
		}
		a.Slot = []fhir.Reference{{Reference: "Slot/" + req.LostSlotID}}
	}
	a.Comment = req.Comment
	return a, nil
}

// checkIncoming checks what every A016 request names: the referral at its
// version, the service and the patient.
func checkIncoming(opID OperationID, ubrn, version, service, nhsNumber string) error {
	if msg := ubrnProblem(ubrn); msg != "" {
		return invalid(opID, "%s", msg)
	}
	if msg := versionProblem(version); msg != "" {
		return invalid(opID, "%s", msg)
	}
	if service == "" || strings.ContainsAny(service, "/?# ") {
		return invalid(opID, "%q is not a service id", service)
	}
	if msg := nhsNumberProblem(nhsNumber); msg != "" {
		return invalid(opID, "%s", msg)
	}
	return nil
}

// newAppointment is the part every A016 request shares: the profiles, the
// referral at its version, and the service and patient participants.
func newAppointment(status, ubrn, version, serviceID, serviceName, nhsNumber string) *fhir.Appointment {
	a := &fhir.Appointment{Status: status, Description: appointmentDescription,
		IncomingReferral: []fhir.Reference{{Reference: "ReferralRequest/" + ubrn + "/_history/" + version}},
		Participant: []fhir.AppointmentParticipant{
			{Actor: &fhir.Reference{Identifier: serviceIdentifier(serviceID), Display: serviceName}, Status: "accepted"},
			{Actor: &fhir.Reference{Identifier: nhsNumberIdentifier(nhsNumber)}, Status: "accepted"},
		}}
	a.ResourceType = "Appointment"
	a.ID = "appointment"
	a.Language = "en"
	a.Meta = &fhir.Meta{Profile: []string{profileAppointment, profileCareConnectAppointment}}
	return a
}
