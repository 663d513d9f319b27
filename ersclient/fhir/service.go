package fhir

// HealthcareService is the R4 e-RS service (A033, A035). Characteristic
// holds the request flow type and bookable type that decide book, defer or
// triage. Type is sometimes a single object (a known e-RS issue).
type HealthcareService struct {
	DomainResource `json:",embed"`
	Active         *bool                      `json:"active,omitzero"`
	ProvidedBy     *Reference                 `json:"providedBy,omitzero"`
	Type           OneOrMany[CodeableConcept] `json:"type,omitzero"`
	Specialty      []CodeableConcept          `json:"specialty,omitzero"`
	Location       []Reference                `json:"location,omitzero"`
	Name           string                     `json:"name,omitzero"`
	Comment        string                     `json:"comment,omitzero"`
	Telecom        []ContactPoint             `json:"telecom,omitzero"`
	Characteristic []CodeableConcept          `json:"characteristic,omitzero"`
	Extra          Extra                      `json:",embed"`
}

// R4 service extension URLs and code systems.
const (
	ExtHoursOfOperation    = "https://fhir.nhs.uk/StructureDefinition/Extension-eRS-HoursOfOperation"
	ExtServiceInstructions = "https://fhir.nhs.uk/StructureDefinition/Extension-eRS-ServiceInstructions"
	ExtServiceContact      = "https://fhir.nhs.uk/StructureDefinition/Extension-eRS-HealthcareService-Contact"
	CSRequestFlowTypeR4    = "https://fhir.nhs.uk/CodeSystem/eRS-RequestFlowType"
	CSBookableTypeR4       = "https://fhir.nhs.uk/CodeSystem/eRS-BookableType"
	CSAppointmentTypeR4    = "https://fhir.nhs.uk/CodeSystem/eRS-AppointmentType"
)

// ServiceRequest is the R4 view of a referral or A&G request (A041); its id
// is "r.<uuid>" for a referral and "a.<uuid>" for A&G.
type ServiceRequest struct {
	DomainResource `json:",embed"`
	Identifier     []Identifier      `json:"identifier,omitzero"`
	Status         string            `json:"status,omitzero"`
	Intent         string            `json:"intent,omitzero"`
	Category       []CodeableConcept `json:"category,omitzero"`
	Code           *CodeableConcept  `json:"code,omitzero"`
	Subject        *Reference        `json:"subject,omitzero"`
	Extra          Extra             `json:",embed"`
}
