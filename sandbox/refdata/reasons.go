package refdata

// Business function codes as the reason tables list them.
const (
	bfRC  = "REFERRING_CLINICIAN"
	bfRCA = "REFERRING_CLINICIAN_ADMIN"
	bfSPC = "SERVICE_PROVIDER_CLINICIAN"
	// bfSPCA is the clinician admin acting for a clinician.
	bfSPCA = "SERVICE_PROVIDER_CLINICIAN_ADMIN"
	// bfApp is a provider's application acting alone (A036 only).
	bfApp = "PROVIDER_AUTHORISED_APPLICATION"
)

// Role groups of the reason tables.
var (
	referrers        = []string{bfRCA, bfRC}
	providers        = []string{bfSPCA, bfSPC}
	providerSide     = []string{bfSPC, bfSPCA, bfApp}
	referrerProvider = []string{bfRCA, bfRC, bfSPC, bfSPCA, bfApp}
)

// Code systems of the reason properties' codings.
const (
	csBookingCancellationType = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AppointmentBookingCancellationReasonType-1"
	csBusinessFunction        = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-BusinessFunction-1"
	csCancellationUsage       = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AppointmentCancellationReasonUsage-1"
	csRequestCancellationType = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-AppointmentRequestCancellationReasonType-1"
	csReferrerUsage           = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralRequestCancellationReasonUsage-1"
)

// appointmentReasonRow is an APPOINTMENT-CANCELLATION-REASON: its booking
// cancellation type, whether a comment is mandatory, who may use it and
// for what (CANCEL: A034 by the referrer; REJECT: A014 by the provider).
// Rows without roles and usage exist for records the professional
// application made; the API accepts none of them.
type appointmentReasonRow struct {
	code, display string
	from, to      string
	kind          string
	comment       bool
	roles         []string
	usage         string
}

// appointmentReasons follows the official A004 example, so that the A034
// examples get their documented answers: PATIENT_ILL without a comment and
// PATIENT_APPOINTMENT_CANCELLATION_OTHER with one succeed, the latter
// without one is 422 MISSING_VALUE, and INTEND_PRIVATE (a referral
// cancellation reason) is not a code here at all.
var appointmentReasons = []appointmentReasonRow{
	{"ADDITIONAL_REQ_NOT_AVAILABLE", "Additional requirement not available", since, "2007-06-25", ReasonProvider, false, nil, ""},
	{"ADDITIONAL_REQ_NOT_ELIGIBLE", "Not eligible for additional requirement", since, "", ReasonProvider, false, nil, ""},
	{"ADDITIONAL_REQ_NOT_PROVIDED", "Additional req not provided at location", since, "", ReasonProvider, false, nil, ""},
	{"ADDITIONAL_REQ_UNAVAILABLE", "Additional req unavailable for this appt", since, "", ReasonProvider, false, nil, ""},
	{"APPT_MADE_FOR_WRONG_PATIENT", "Appt. made for wrong patient", "2004-06-13", "2014-10-01", ReasonUnknown, false, nil, ""},
	{"CLINIC_CANCELLED", "Clinic cancelled", since, "", ReasonProvider, false, nil, ""},
	{"CLINIC_CANCELLED_ALTERNATIVE", "Clinic cancelled", since, "", ReasonProvider, false, nil, ""},
	{"CLINIC_OVERRUN", "Clinic overrun", since, "", ReasonProvider, false, nil, ""},
	{"CLINIC_OVERRUN_ALTERNATIVE", "Clinic overrun", since, "", ReasonProvider, false, nil, ""},
	{"FURTHER_INFORMATION_REQUIRED", "Further information required", since, "", ReasonProviderReject, false, providers, UsageReject},
	{"NOT_SPECIFIED", "Not Specified", "2000-06-01", "", ReasonProvider, false, nil, ""},
	{"OTHER", "Other reason", since, "", ReasonProviderReject, false, providers, UsageReject},
	{"OTHER_MIGRATION_FROM_CAB", "Other", "2014-10-01", "2014-10-01", ReasonUnknown, false, nil, ""},
	{"OUTPATIENT_APPT_NOT_REQUIRED", "Outpatient appointment not required", since, "", ReasonProviderReject, false, providers, UsageReject},
	{"PATIENT_APPOINTMENT_CANCELLATION_OTHER", "Other", since, "", ReasonPatient, true, referrers, UsageCancel},
	{"PATIENT_APPOINTMENT_CLASH", "Patient - Clashes with another appointment", since, "2007-06-01", ReasonUnknown, false, nil, ""},
	{"PATIENT_HOLIDAY", "Patient on holiday", since, "", ReasonPatient, false, referrers, UsageCancel},
	{"PATIENT_ILL", "Patient is sick", since, "", ReasonPatient, false, referrers, UsageCancel},
	{"PATIENT_OTHER_ENGAGEMENT", "Patient - Other more pressing engagement", since, "", ReasonPatient, true, referrers, UsageCancel},
	{"PRIORITY_CHANGE", "Priority change for other reasons", since, "", ReasonProvider, true, nil, ""},
	{"PRIORITY_INAPPROPRIATE", "Inappropriate priority", since, "", ReasonProvider, true, nil, ""},
	{"PROVIDER_CANCELLATION", "Other - Provider cancellation", since, "", ReasonProvider, true, nil, ""},
	{"REDIRECTED_AGE", "Redirected due to patient age", since, "", ReasonUnknown, true, nil, ""},
	{"REDIRECTED_APPROPRIATE_CLINIC", "Redirected to more appropriate clinic", since, "", ReasonUnknown, true, nil, ""},
	{"REDIRECTED_APPROPRIATE_SPECIALTY", "Redirected to more appropriate specialty", since, "", ReasonUnknown, true, nil, ""},
	{"REDIRECTED_CONFIDENTIALITY", "Redirected due to confidentiality", since, "", ReasonUnknown, true, nil, ""},
	{"REDIRECTED_GENDER", "Redirected due to patient gender", since, "", ReasonUnknown, true, nil, ""},
	{"REDIRECTED_OTHER", "Redirected due to other reason", since, "", ReasonUnknown, true, nil, ""},
	{"REDIRECTED_PRIORITY", "Redirected due to priority", since, "", ReasonUnknown, true, nil, ""},
	{"REDIRECTED_STAFF_VACATION", "Redirected due to staff vacation", since, "", ReasonUnknown, true, nil, ""},
	{"REDIRECTED_TEMPORARILY", "A Temporary Redirected Reason", since, "2014-10-01", ReasonUnknown, false, nil, ""},
	{"SERVICE_INAPPROPRIATE", "Inappropriate service", since, "", ReasonProviderReject, false, providers, UsageReject},
	{"SERVICE_PREREQUISITES_NOT_COMPLETE", "Pre-requisites for service not complete", since, "", ReasonProviderReject, false, providers, UsageReject},
	{"SLOT_CANCELLED", "Slot cancelled", since, "", ReasonProvider, false, nil, ""},
	{"SLOT_CANCELLED_ALTERNATIVE", "Slot cancelled", since, "", ReasonProvider, false, nil, ""},
	{"WRONG_PROVIDER", "Appt. made with wrong provider", "2004-02-13", "2004-06-13", ReasonUnknown, false, nil, ""},
}

func appointmentCancellationSystem() *CodeSystem {
	cs := &CodeSystem{
		Type: AppointmentCancellationReason, Name: "e-RS Appointment Cancellation Reason",
		Description: "e-RS Appointment Cancellation Reason",
		Profile:     shareableProfile,
		Date:        date("2022-01-21T13:28:30.188Z"),
		Properties: append(effectiveProps(),
			PropertyDef{Code: PropBookingCancellationType, Type: TypeCoding, System: csBookingCancellationType},
			PropertyDef{Code: PropWillCancelWholeRequest, Type: TypeBoolean},
			PropertyDef{Code: PropCommentIsMandatory, Type: TypeBoolean},
			PropertyDef{Code: PropBusinessFunction, Type: TypeCoding, System: csBusinessFunction},
			PropertyDef{Code: PropUsage, Type: TypeCoding, System: csCancellationUsage},
		),
	}
	for _, r := range appointmentReasons {
		props := []property{
			prop(PropBookingCancellationType, r.kind),
			// No reason the API uses cancels the whole request: A036 does that.
			prop(PropWillCancelWholeRequest, "false"),
			prop(PropCommentIsMandatory, boolText(r.comment)),
			prop(PropBusinessFunction, r.roles...),
		}
		if r.usage != "" {
			props = append(props, prop(PropUsage, r.usage))
		}
		cs.Concepts = append(cs.Concepts, concept(r.code, r.display, r.from, r.to, props...))
	}
	return cs
}

// referralReasonRow is a REFERRAL-CANCELLATION-REASON: its request
// cancellation type (PROVIDER_TRIAGE ends a triage), whether a comment is
// mandatory, whether it may also cancel a current appointment, and who may
// use it. Every row with roles has referrerUsage CANCEL_REFERRAL.
type referralReasonRow struct {
	code, display string
	from, to      string
	kind          string
	comment       bool
	canCancelAppt bool
	roles         []string
}

// endOfTriage is when the end-of-triage reasons were introduced.
const endOfTriage = "2019-07-23T17:09:56Z"

// referralReasons follows the official A004 example; the A036 examples'
// reasons are all here with the properties that let them succeed for the
// caller and state they imply (BOOKED_OUTSIDE_CAB: a provider;
// OUTPATIENT_SERVICE_NA: a provider ending a triage; RAISED_IN_ERROR and
// REFERRER_CANCELLATION: the referrer).
var referralReasons = []referralReasonRow{
	{"BOOKED_CLINICAL_NEED", "Booked more urgently due to clinical need", endOfTriage, "", ReasonProviderTriage, true, false, providerSide},
	{"BOOKED_OUTSIDE_CAB", "Patient booked outside NHS e-Referral Service", "2007-09-14", "", ReasonProvider, false, true, providerSide},
	{"COMMUNITY_SERVICE_NA", "Sent to community service not available in this system", endOfTriage, "", ReasonProviderTriage, true, false, providerSide},
	{"COMPLEX_PATHWAY", "Complex pathway, multiple appointments needed", endOfTriage, "", ReasonProviderTriage, true, false, providerSide},
	{"INTEND_PRIVATE", "Patient will go to a private clinic", since, "", ReasonPatient, false, true, referrerProvider},
	{"NO_LONGER_REQUIRED", "Referral is no longer required", endOfTriage, "", ReasonProviderTriage, true, false, providerSide},
	{"OTHER_OTHER", "Other reason", endOfTriage, "", ReasonProviderTriage, true, false, providerSide},
	{"OUTPATIENT_CLINICIAN_NA", "Sent to outpatient service as named clinician is not available in this system", endOfTriage, "", ReasonProviderTriage, true, false, providerSide},
	{"OUTPATIENT_SERVICE_NA", "Sent to outpatient service not available in this system", endOfTriage, "", ReasonProviderTriage, true, false, providerSide},
	{"PATIENT_DIED", "Patient died", since, "", ReasonPatient, false, true, referrerProvider},
	{"PATIENT_REQUEST_CANCELLATION_OTHER", "Other", since, "", ReasonPatient, true, true, referrerProvider},
	{"RAISED_IN_ERROR", "Referral created by mistake", "2007-09-14", "", ReasonUnknown, false, true, referrers},
	{"REFERRER_CANCELLATION", "Other - Referrer request cancellation", "2007-09-14", "", ReasonUnknown, false, true, referrers},
	{"STRAIGHT_TO_TEST", "Sent straight to test / procedure", endOfTriage, "", ReasonProviderTriage, true, false, providerSide},
	{"TREATMENT_NO_LONGER_REQUIRED", "Referral no longer needed", since, "", ReasonPatient, false, true, referrerProvider},
	{"TRIAGE_ENDED", "Triage Ended", endOfTriage, "", ReasonProviderTriage, false, false, providerSide},
	// Reasons of records the professional application made; no API caller
	// may use them.
	{"PATIENT_APPOINTMENT_CANCELLATION_OTHER", "Other", since, "", ReasonPatient, false, true, nil},
	{"PROVIDER_CANCELLATION", "Other - Provider Cancellation", since, "", ReasonUnknown, false, true, nil},
}

func referralCancellationSystem() *CodeSystem {
	cs := &CodeSystem{
		Type: ReferralCancellationReason, Name: "e-RS ReferralRequest Cancellation Reason",
		Description: "e-RS ReferralRequest Cancellation Reason",
		Profile:     shareableProfile,
		Date:        date("2022-01-21T13:27:51.923Z"),
		Properties: append(effectiveProps(),
			PropertyDef{Code: PropRequestCancellationType, Type: TypeCoding, System: csRequestCancellationType},
			PropertyDef{Code: PropCommentIsMandatory, Type: TypeBoolean},
			PropertyDef{Code: PropCanCancelAppointment, Type: TypeBoolean},
			PropertyDef{Code: PropBusinessFunction, Type: TypeCoding, System: csBusinessFunction},
			PropertyDef{Code: PropReferrerUsage, Type: TypeCoding, System: csReferrerUsage},
		),
	}
	for _, r := range referralReasons {
		props := []property{
			prop(PropRequestCancellationType, r.kind),
			prop(PropCommentIsMandatory, boolText(r.comment)),
			prop(PropCanCancelAppointment, boolText(r.canCancelAppt)),
			prop(PropBusinessFunction, r.roles...),
		}
		if len(r.roles) > 0 {
			props = append(props, prop(PropReferrerUsage, CancelReferralUsage))
		}
		cs.Concepts = append(cs.Concepts, concept(r.code, r.display, r.from, r.to, props...))
	}
	return cs
}

// nonAttendanceReasons are the APPOINTMENT-NON-ATTENDANCE-REASON codes a
// provider records with a DNA; no API operation takes one.
var nonAttendanceReasons = []clinicRow{
	{"ARRIVED_TOO_LATE", "Patient arrived too late to be seen", since, ""},
	{"CANCELLED_TOO_LATE", "Cancelled too late", since, ""},
	{"NOT_SPECIFIED", "Not specified", since, ""},
	{"OTHER_MIGRATION_FROM_CAB", "Other (Migration from CAB)", since, "2012-01-31"},
	{"PATIENT_DIED", "Patient died", since, ""},
	{"PATIENT_FORGOT", "Patient forgot about appointment", since, ""},
	{"PATIENT_ILL", "Patient ill", since, ""},
	{"UNKNOWN", "Reason not known", since, ""},
}

func nonAttendanceSystem() *CodeSystem {
	cs := &CodeSystem{
		Type: AppointmentNonAttendance, Name: "e-RS Appointment Non-attendance Reason",
		Description: "e-RS Appointment Non-attendance Reason",
		Profile:     shareableProfile,
		Date:        date("2021-05-26T13:47:15.123Z"),
		Properties:  effectiveProps(),
	}
	for _, r := range nonAttendanceReasons {
		cs.Concepts = append(cs.Concepts, concept(r.code, r.display, r.from, r.to))
	}
	return cs
}
