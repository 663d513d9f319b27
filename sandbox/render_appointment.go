package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Stub, replaced by H2.

// appointmentResource renders an appointment as the STU3 eRS-Appointment-1
// that A016, A034, A036 and A038 return.
func (c *call) appointmentResource(st *store.State, a *store.Appointment) *fhir.Appointment {
	return &fhir.Appointment{DomainResource: fhir.DomainResource{ResourceType: "Appointment", ID: a.ID}}
}
