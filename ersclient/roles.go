package ersclient

// BusinessFunction is an e-RS role, sent as NHSD-eRS-Business-Function.
type BusinessFunction string

// The business functions the API accepts in user-restricted mode.
const (
	ReferringClinician            BusinessFunction = "REFERRING_CLINICIAN"
	ReferringClinicianAdmin       BusinessFunction = "REFERRING_CLINICIAN_ADMIN"
	ReferringAdmin                BusinessFunction = "REFERRING_ADMIN"
	ServiceProviderClinician      BusinessFunction = "SERVICE_PROVIDER_CLINICIAN"
	ServiceProviderAdmin          BusinessFunction = "SERVICE_PROVIDER_ADMIN"
	ServiceProviderClinicianAdmin BusinessFunction = "SERVICE_PROVIDER_CLINICIAN_ADMIN"
	Commissioner                  BusinessFunction = "COMMISSIONER"
	InformationAnalyst            BusinessFunction = "INFORMATION_ANALYST"
	BookingManager                BusinessFunction = "BOOKING_MANAGER"
	AdditionalRequirementsManager BusinessFunction = "ADDITIONAL_REQUIREMENTS_MANAGER"
)

var headerRoles = map[BusinessFunction]string{
	ReferringClinician:            "Referring clinician",
	ReferringClinicianAdmin:       "Referring clinician admin",
	ReferringAdmin:                "Referring admin",
	ServiceProviderClinician:      "Service provider clinician",
	ServiceProviderAdmin:          "Service provider admin",
	ServiceProviderClinicianAdmin: "Service provider clinician admin",
	Commissioner:                  "Commissioner",
	InformationAnalyst:            "Information analyst",
	BookingManager:                "Booking manager",
	AdditionalRequirementsManager: "Additional requirements manager",
}

// Valid reports whether the role may be sent in the business-function header.
// A030 can return others (SERVICE_DEFINER, ...), which must be filtered out.
func (b BusinessFunction) Valid() bool { _, ok := headerRoles[b]; return ok }

// Label is the role in words, for screens.
func (b BusinessFunction) Label() string {
	if l, ok := headerRoles[b]; ok {
		return l
	}
	return string(b)
}

// IsReferrer reports whether the role works on the referring side.
func (b BusinessFunction) IsReferrer() bool {
	return b == ReferringClinician || b == ReferringClinicianAdmin || b == ReferringAdmin
}

// IsProvider reports whether the role works on the provider side.
func (b BusinessFunction) IsProvider() bool {
	return b == ServiceProviderClinician || b == ServiceProviderAdmin || b == ServiceProviderClinicianAdmin
}

// UserContext is who the user acts as: the e-RS role, the organisation (ODS
// code) and, for a clinician admin, the clinician acted for (SDS user id).
type UserContext struct {
	BusinessFunction BusinessFunction
	Organisation     string
	OnBehalfOf       string
}
