package fhir

// Appointment is the STU3 e-RS appointment (eRS-Appointment-1): a booking,
// a deferral to the provider or a triage request, depending on status and reason.
type Appointment struct {
	DomainResource   `json:",embed"`
	Status           string                   `json:"status,omitzero"`
	Reason           []CodeableConcept        `json:"reason,omitzero"`
	Description      string                   `json:"description,omitzero"`
	Start            string                   `json:"start,omitzero"`
	End              string                   `json:"end,omitzero"`
	Created          string                   `json:"created,omitzero"`
	Comment          string                   `json:"comment,omitzero"`
	Slot             []Reference              `json:"slot,omitzero"`
	IncomingReferral []Reference              `json:"incomingReferral,omitzero"`
	Participant      []AppointmentParticipant `json:"participant,omitzero"`
	Extra            Extra                    `json:",embed"`
}

// AppointmentParticipant is the service, the patient or a named clinician.
// Type is sometimes a single object instead of an array (a known e-RS issue).
type AppointmentParticipant struct {
	Type     OneOrMany[CodeableConcept] `json:"type,omitzero"`
	Actor    *Reference                 `json:"actor,omitzero"`
	Required string                     `json:"required,omitzero"`
	Status   string                     `json:"status,omitzero"`
	Extra    Extra                      `json:",embed"`
}

// Slot is a bookable appointment slot.
type Slot struct {
	DomainResource `json:",embed"`
	Identifier     []Identifier `json:"identifier,omitzero"`
	Schedule       Reference    `json:"schedule"`
	Status         string       `json:"status,omitzero"`
	Start          string       `json:"start,omitzero"`
	End            string       `json:"end,omitzero"`
	Extra          Extra        `json:",embed"`
}

// Schedule groups slots of one service and, optionally, one clinician
// ("Schedule/{serviceId}-{sdsUserId}").
type Schedule struct {
	DomainResource `json:",embed"`
	Identifier     []Identifier `json:"identifier,omitzero"`
	Active         *bool        `json:"active,omitzero"`
	Actor          []Reference  `json:"actor,omitzero"`
	Extra          Extra        `json:",embed"`
}
