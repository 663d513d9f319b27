package sandbox

import (
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const (
	profileAppointment            = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1"
	profileCareConnectAppointment = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Appointment-1"
	// appointmentDescription is the same on every e-RS appointment.
	appointmentDescription = "e-Referral Appointment"
	// apptTimeLayout writes instants as e-RS does: UTC, milliseconds.
	apptTimeLayout = "2006-01-02T15:04:05.000Z07:00"
)

// appointmentResource renders an appointment as the STU3 eRS-Appointment-1
// that A016, A034, A036 and A038 return, shaped like the official
// retrieveAppointment examples: the service and the patient as accepted
// participants, a named clinician as a CON participant (its type a single
// object, the documented known issue), the referral at the version the
// appointment was last written against, and the slot, start and end only
// while the appointment is booked (a cancelled or proposed appointment
// shows none, as in the examples).
func (c *call) appointmentResource(st *store.State, a *store.Appointment) *fhir.Appointment {
	res := &fhir.Appointment{
		DomainResource: fhir.DomainResource{ResourceType: "Appointment", ID: a.ID, Language: "en",
			Meta: &fhir.Meta{VersionID: strconv.Itoa(a.Version), Profile: []string{profileAppointment, profileCareConnectAppointment}}},
		Status:      a.Status,
		Description: appointmentDescription,
		Comment:     a.Comment,
	}
	if !a.Reason.IsZero() {
		res.Reason = []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: c.codeSystemURL(a.Reason.System), Code: a.Reason.Code, Display: a.Reason.Display}}}}
	}
	if a.Status == "booked" {
		res.Start, res.End = apptTime(a.Start), apptTime(a.End)
		if a.SlotID != "" {
			res.Slot = []fhir.Reference{{Reference: "Slot/" + a.SlotID}}
		}
	}
	res.Created = apptTime(a.Created)
	res.IncomingReferral = []fhir.Reference{{Reference: "ReferralRequest/" + a.UBRN + "/_history/" + strconv.Itoa(a.ReferralVersion)}}
	svc := &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: a.ServiceID}}
	if s := st.Services[a.ServiceID]; s != nil {
		svc.Display = s.Name
	}
	res.Participant = []fhir.AppointmentParticipant{{Actor: svc, Status: "accepted"}}
	if r := st.Referrals[a.UBRN]; r != nil {
		res.Participant = append(res.Participant, fhir.AppointmentParticipant{
			Actor: &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemNHSNumberSTU3, Value: r.NHSNumber}}, Status: "accepted"})
	}
	if a.ClinicianID != "" {
		res.Participant = append(res.Participant, fhir.AppointmentParticipant{
			Type:   fhir.One(fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.SystemParticipantCON, Code: "CON"}}}),
			Actor:  &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: a.ClinicianID}},
			Status: "accepted",
		})
	}
	return res
}

// codeSystemURL turns a stored code system into its URL: fixed systems are
// stored whole, local ones (APPOINTMENT-CANCELLATION-REASON...) by type and
// served under this simulator's base URL.
func (c *call) codeSystemURL(system string) string {
	if system == "" || strings.Contains(system, "://") {
		return system
	}
	return c.localSystemURL(system)
}

// apptTime formats an instant, or "" for none.
func apptTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(apptTimeLayout)
}
