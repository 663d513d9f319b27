package fhir

// ReferralRequest is the STU3 e-RS referral (eRS-ReferralRequest-1); its id
// is the UBRN. State, priority, shortlist, appointment and clinical-info dates
// are in extensions (see the Ext* URLs).
type ReferralRequest struct {
	DomainResource `json:",embed"`
	Identifier     []Identifier     `json:"identifier,omitzero"`
	Status         string           `json:"status,omitzero"`
	Intent         string           `json:"intent,omitzero"`
	Specialty      *CodeableConcept `json:"specialty,omitzero"`
	Subject        *Reference       `json:"subject,omitzero"`
	SupportingInfo []Reference      `json:"supportingInfo,omitzero"`
	Requester      *Requester       `json:"requester,omitzero"`
	Extra          Extra            `json:",embed"`
}

// Extension URLs on ReferralRequest and CommunicationRequest.
const (
	extBase                 = "https://fhir.nhs.uk/STU3/StructureDefinition/"
	ExtReferralShortlist    = extBase + "Extension-eRS-ReferralShortlist-1"
	ExtCommissioningRuleOrg = extBase + "Extension-eRS-Commissioning-Rule-Org-1"
	ExtReferralPriority     = extBase + "Extension-eRS-ReferralPriority-1"
	ExtReferralState        = extBase + "Extension-eRS-ReferralState-1"
	ExtAppointment          = extBase + "Extension-eRS-Appointment-1"
	ExtAppointmentReference = extBase + "Extension-eRS-Appointment-Reference-1"
	ExtClinicalInfoFirst    = extBase + "Extension-eRS-ClinicalInfoFirstSubmitted-1"
	ExtClinicalInfoLast     = extBase + "Extension-eRS-ClinicalInfoLastUpdated-1"
	ExtAdditionalRequiremnt = extBase + "Extension-eRS-PatientAdditionalRequirement-1"
	ExtPathwayStart         = extBase + "Extension-eRS-eReferralPathwayStart-1"
	ExtProviderConversion   = extBase + "Extension-eRS-ProviderConversionAuthorisation-1"
	ExtSpecialty            = extBase + "Extension-eRS-Specialty-1"
	ExtAvailabilityStatus   = extBase + "Extension-eRS-AvailabilityStatus-1"
	ExtAttachedBy           = extBase + "Extension-eRS-AttachedBy-1"
	ExtAttachedByOrg        = extBase + "Extension-eRS-AttachedByOrganisation-1"
	ExtAttachedOnBehalfOf   = extBase + "Extension-eRS-AttachedOnBehalfOf-1"
	ExtPractitionerRoleRef  = extBase + "Extension-PractitionerRole-Reference-1"
	ExtHealthcareServiceRef = extBase + "Extension-HealthcareService-Reference-1"
	ExtCommunicationReqstr  = extBase + "Extension-Communication-Requester-1"
	ExtShortlistCriteria    = extBase + "Extension-eRS-Shortlist-SearchCriteria-1"
)
