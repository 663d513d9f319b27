package fhir

import "strings"

// Identifier systems. STU3 and R4 use different systems for the same concept.
const (
	SystemNHSNumberSTU3  = "http://fhir.nhs.net/Id/nhs-number"
	SystemNHSNumberR4    = "https://fhir.nhs.uk/Id/nhs-number"
	SystemSDSUserSTU3    = "http://fhir.nhs.net/Id/sds-user-id"
	SystemSDSUserR4      = "https://fhir.nhs.uk/Id/sds-user-id"
	SystemODSOrgCode     = "https://fhir.nhs.uk/Id/ods-organization-code"
	SystemODSDirectory   = "https://directory.spineservices.nhs.uk/STU3/Organization"
	SystemODSSiteCode    = "https://fhir.nhs.uk/Id/ods-site-code"
	SystemERSService     = "http://fhir.nhs.net/Id/ers-service"
	SystemERSRequestID   = "https://fhir.nhs.uk/Id/ers-request-id"
	SystemUBRN           = "https://fhir.nhs.uk/Id/UBRN"
	SystemAlternateSlot  = "https://fhir.nhs.uk/Id/alternative-slot"
	SystemERSSchedule    = "https://fhir.nhs.uk/Id/ers-schedule"
	SystemSNOMED         = "http://snomed.info/sct"
	SystemParticipantCON = "http://hl7.org/fhir/ValueSet/encounter-participant-type"
)

// STU3 code systems with fixed URLs: https://fhir.nhs.uk/STU3/CodeSystem/eRS-<Name>-1.
const (
	CSPriority                       = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1"
	CSReferralState                  = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1"
	CSReviewOutcome                  = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewOutcome-1"
	CSReviewReason                   = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewReason-1"
	CSAvailableActions               = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AvailableActionsForUser-1"
	CSReferralListSelector           = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralListSelector-1"
	CSCommunicationListSelector      = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-CommunicationListSelector-1"
	CSAssignedIndicator              = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AssignedIndicator-1"
	CSRequestContextStatus           = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-RequestContextStatus-1"
	CSReferralType                   = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralType-1"
	CSClinicalInformationStatus      = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ClinicalInformationStatus-1"
	CSAdviceAndGuidanceStatus        = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AdviceAndGuidanceStatus-1"
	CSRequestType                    = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-RequestType-1"
	CSSortBy                         = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-SortBy-1"
	CSRequestFlowType                = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-RequestFlowType-1"
	CSBookableType                   = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-BookableType-1"
	CSAppointmentType                = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AppointmentType-1"
	CSClinicTypeSearch               = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ClinicType-1"
	CSAdditionalRequirementType      = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AdditionalRequirementType-1"
	CSAvailabilityStatus             = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AvailabilityStatus-1"
	CSAttachmentType                 = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AttachmentType-1"
	CSReferralLetterIntention        = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralLetterIntention-1"
	CSGuidanceResponseOutcome        = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-GuidanceResponseOutcome-1"
	CSGuidanceIntendedRecommendation = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-GuidanceIntendedRecommendation-1"
	CSProviderConversionAuth         = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ProviderConversionAuthorisation-1"
	CSCommunicationSentBy            = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-CommunicationSentBy-1"
	CSAPIErrorCode                   = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1"
	CSBusinessFunctionR4             = "https://fhir.nhs.uk/CodeSystem/eRS-BusinessFunction-1"
)

// R4 error code systems.
const (
	CSHTTPErrorCodes  = "https://fhir.nhs.uk/CodeSystem/http-error-codes"
	CSAPIMErrorCodes  = "https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode"
	CSERSErrorCodesR4 = "https://fhir.nhs.uk/CodeSystem/ers-error-codes"
)

// Local code system types, served by A004 at a base-URL-relative address
// ("_baseUrl_/STU3/CodeSystem/SPECIALTY"). Match them with LocalSystem, never by
// full URL: the live service puts its own base URL in front.
const (
	LocalSpecialty                     = "SPECIALTY"
	LocalClinicType                    = "CLINIC-TYPE"
	LocalAppointmentCancellationReason = "APPOINTMENT-CANCELLATION-REASON"
	LocalReferralCancellationReason    = "REFERRAL-CANCELLATION-REASON"
	LocalAppointmentNonAttendance      = "APPOINTMENT-NON-ATTENDANCE-REASON"
	LocalPriority                      = "PRIORITY"
)

// LocalSystemPrefix is the placeholder the official examples use for the base
// URL; a client building requests for the live service puts its own base URL.
const LocalSystemPrefix = "_baseUrl_/STU3/CodeSystem/"

// IsLocalSystem reports whether system names the local code system of the
// given type, whatever base URL is in front of it.
func IsLocalSystem(system, codeSystemType string) bool {
	return strings.HasSuffix(system, "/CodeSystem/"+codeSystemType)
}

// MatchSystem reports whether a coding's or identifier's system matches want.
// A want without "://" is a local code system type and is matched by suffix;
// anything else must match exactly.
func MatchSystem(system, want string) bool {
	if !strings.Contains(want, "://") {
		return IsLocalSystem(system, want)
	}
	return system == want
}
