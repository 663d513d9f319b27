package store

import (
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// Coding is a code in a code system: a fixed e-RS system URL, or a local
// code system type (SPECIALTY, APPOINTMENT-CANCELLATION-REASON...).
type Coding struct {
	System  string
	Code    string
	Display string
}

// IsZero reports whether no code is set.
func (c Coding) IsZero() bool { return c.Code == "" }

// Organisation is an ODS organisation: a GP practice (referring side), a
// trust or other provider, or a commissioner.
type Organisation struct {
	ODS      string
	Name     string
	Kind     OrgKind
	Postcode string
}

// OrgKind says which side of a referral an organisation works on.
type OrgKind string

// The kinds of organisation.
const (
	OrgReferrer     OrgKind = "REFERRER"
	OrgProvider     OrgKind = "PROVIDER"
	OrgCommissioner OrgKind = "COMMISSIONER"
)

// User is a healthcare worker known to e-RS by SDS user id.
type User struct {
	ID     string // SDS user id, 12 digits
	Given  string
	Family string
	Title  string
	// Roles are the (organisation, business function) pairs A030 returns.
	// Roles outside the header enum (SERVICE_DEFINER) are kept: A030 returns
	// them and clients must filter them out.
	Roles []Role
	// OnBehalfOf lists the clinicians (SDS ids) a clinician admin may act for
	// at each organisation: A040.
	OnBehalfOf map[string][]string
}

// Role is one business function at one organisation.
type Role struct {
	Org              string
	BusinessFunction ersclient.BusinessFunction
	// ID is the PractitionerRole id A030 uses for this organisation.
	ID string
}

// Name is the user's name as e-RS displays it.
func (u *User) Name() string {
	n := u.Given + " " + u.Family
	if u.Title != "" {
		n = u.Title + " " + n
	}
	return n
}

// Has reports whether the user holds the business function at the organisation.
func (u *User) Has(org string, bf ersclient.BusinessFunction) bool {
	for _, r := range u.Roles {
		if r.Org == org && r.BusinessFunction == bf {
			return true
		}
	}
	return false
}

// MayActFor reports whether a clinician admin at org may act for the clinician.
func (u *User) MayActFor(org, clinician string) bool {
	for _, id := range u.OnBehalfOf[org] {
		if id == clinician {
			return true
		}
	}
	return false
}

// App is an application registered with APIM. Application-restricted calls
// act as the app's organisation with the app's business function
// (PROVIDER_AUTHORISED_APPLICATION or REFERRER_AUTHORISED_APPLICATION).
type App struct {
	ID               string
	Name             string
	ODS              string
	BusinessFunction ersclient.BusinessFunction
	UserID           string
	// WorklistCalls counts the app's application-restricted A008 calls per
	// service and day ("11000/2026-06-01"): e-RS allows two a day.
	WorklistCalls map[string]int
}

// The business functions APIM injects for application-restricted calls.
const (
	ProviderAuthorisedApplication ersclient.BusinessFunction = "PROVIDER_AUTHORISED_APPLICATION"
	ReferrerAuthorisedApplication ersclient.BusinessFunction = "REFERRER_AUTHORISED_APPLICATION"
	AuthorisedApplication         ersclient.BusinessFunction = "AUTHORISED_APPLICATION"
)

// Service is a healthcare service in the directory of services.
type Service struct {
	ID      string // numeric string
	Version int
	Name    string
	// Org is the ODS code of the provider organisation; Site its site code.
	Org      string
	Site     string
	SiteName string
	Postcode string
	// X and Y place the site on a plane in kilometres, for distance searches.
	X, Y float64

	Specialty        string // SPECIALTY code
	ClinicTypes      []string
	AppointmentTypes []string // eRS-AppointmentType-1 (FIRST_OUTPATIENT...)
	// Flow says how referrals reach it: BOOKABLE, REVIEW (triage) or
	// ADVICE_AND_GUIDANCE.
	Flow     string
	Bookable string // DIRECTLY_BOOKABLE or INDIRECTLY_BOOKABLE
	// Priorities it accepts (ROUTINE, URGENT, TWO_WEEK_WAIT).
	Priorities []string
	// IndicativeWaitDays is the indicative appointment wait; negative means
	// LIMITED_AVAILABILITY.
	IndicativeWaitDays              int
	TreatmentWaitWeeks              int
	LetterRequired                  bool
	AgeFrom, AgeTo                  int    // years; 0 and 0 means any age
	Gender                          string // MALE, FEMALE or "" for both
	Instructions                    string
	Hours                           string
	Phone                           string
	Email                           string
	ConditionsTreated               string
	Exclusions                      string
	Investigations                  string
	ReferrerAlert                   string
	AdditionalRequirementsSupported []string
	// Clinicians are the named clinicians (SDS ids) with clinics here.
	Clinicians []string
	// Commissioners are the ODS codes of the organisations that commission it
	// (the commissioning-rule organisation of a referral).
	Commissioners []string
	// RestrictedTo lists the referring organisations (ODS codes) allowed to
	// see a restricted service; empty means every referrer may. Others get
	// 403 NO_RELATIONSHIP from A033, A035 and A037.
	RestrictedTo []string
	Active       bool
	Updated      time.Time
}

// The request flows of a service.
const (
	FlowBookable = "BOOKABLE"
	FlowTriage   = "REVIEW"
	FlowAdvice   = "ADVICE_AND_GUIDANCE"
)

// The bookable types of a service.
const (
	DirectlyBookable   = "DIRECTLY_BOOKABLE"
	IndirectlyBookable = "INDIRECTLY_BOOKABLE"
)

// Slot is a bookable time at a service, optionally with a named clinician.
type Slot struct {
	ID          string
	AltID       string // alternative-slot identifier (USRN-...)
	ServiceID   string
	ClinicianID string // SDS id, or ""
	Start, End  time.Time
	// Type is the priority the slot is for: ROUTINE, URGENT or TWO_WEEK_WAIT.
	Type string
	Free bool
}

// ScheduleID is the id of the Schedule a slot belongs to: service and clinician.
func (s *Slot) ScheduleID() string {
	if s.ClinicianID == "" {
		return s.ServiceID
	}
	return s.ServiceID + "-" + s.ClinicianID
}

// Appointment is a booking, deferral or triage request for a referral.
type Appointment struct {
	ID      string
	Version int
	UBRN    string
	// ReferralVersion is the referral's version the appointment was made at.
	ReferralVersion int
	ServiceID       string
	SlotID          string
	ClinicianID     string
	// Status: booked, proposed (deferral, triage), cancelled...
	Status     string
	Start, End time.Time
	Created    time.Time
	// Reason is an eRS-ReviewReason-1, eRS-ReviewOutcome-1 or
	// APPOINTMENT-CANCELLATION-REASON code.
	Reason  Coding
	Comment string
}

// Document is a file attached to a referral or an advice conversation
// (a contained DocumentReference pointing at a Binary).
type Document struct {
	ID          string // DocumentReference id
	BinaryID    string
	Type        string // REFERRER, PROVIDER, ADVICE_REQUEST, GUIDANCE_RESPONSE
	Description string
	Indexed     time.Time
	AttachedBy  string // SDS id
	AttachedOrg string // ODS
	OnBehalfOf  string // SDS id of the clinician a clinician admin acted for
}

// Binary is an uploaded file (A020).
type Binary struct {
	ID          string // UUID v4
	ContentType string
	FileName    string
	Data        []byte
	// IntendedUBRN is the NHSD-eRS-Referral-ID given at upload; a file can
	// only be linked to that request.
	IntendedUBRN string
	// AnyRequest marks files of the examples data set that the official
	// examples link to several requests.
	AnyRequest  bool
	UploadedBy  string
	UploadedOrg string
	Created     time.Time
	// Availability: AVAILABLE, PENDING, THREATS_FOUND or VALIDATION_FAILED.
	Availability string
}

// Availability statuses of a file.
const (
	Available        = "AVAILABLE"
	Pending          = "PENDING"
	ThreatsFound     = "THREATS_FOUND"
	ValidationFailed = "VALIDATION_FAILED"
)

// SearchCriteria are the service-search parameters a shortlist was built from.
type SearchCriteria struct {
	Priority                string
	Specialty               string
	ClinicType              string
	ClinicalTerm            Coding
	Postcode                string
	DistanceLimit           int
	WaitTimeLimit           int
	NamedClinician          string
	Organisation            string
	AgeAndGenderAppropriate bool
}

// Referral is a referral request, identified by its UBRN.
type Referral struct {
	UBRN      string
	Version   int
	RequestID string // ers-request-id, "r.<uuid>"
	// Status: active, cancelled or completed.
	Status     string
	NHSNumber  string
	Priority   string // ROUTINE, URGENT, TWO_WEEK_WAIT
	Specialty  string
	ClinicType string

	ReferringOrg string // ODS of the referring organisation
	ReferrerID   string // SDS id of the referring clinician
	CreatedBy    string // SDS id of the user who created it
	// CommissioningRuleOrg is the ODS code whose rules apply (A015 header).
	CommissioningRuleOrg string

	Shortlist []string // service ids, 1-20
	Criteria  SearchCriteria
	// ServiceID is the service the referral is booked, deferred or sent for
	// triage to; "" while NOT_BOOKED.
	ServiceID     string
	AppointmentID string

	State         string // eRS-ReferralState-1
	StateReason   Coding
	StateComments string

	LetterIntention string // NEED_TO_ADD_LATER or NOT_INTENDING_TO_ADD
	ReminderDays    int
	Documents       []Document

	AdditionalRequirements []string // ADVOCACY, INTERPRETER, TRANSPORT
	RelatedUBRNs           []string
	NamedClinician         string // SDS id chosen by the referrer
	AllocatedClinician     string // SDS id allocated by the provider
	// ContextStatus is the worklist's requestContextStatus: NEVER_REVIEWED,
	// LETTER_CHANGED, PRIORITY_CHANGED, PRIORITY_AND_LETTER_CHANGED, or ""
	// once reviewed.
	ContextStatus       string
	ClinicalInfoPrinted bool
	// ContactBy is when the provider should contact the patient (deferrals,
	// triage).
	ContactBy time.Time
	// PatientHasAccessCode is false for patients without a portal access
	// code: A019 refuses with NO_ACCESS_CODE.
	PatientHasAccessCode bool
	// FromAdvice is set on referrals converted from an A&G request.
	FromAdvice bool

	PathwayStart      time.Time
	Created           time.Time
	Updated           time.Time
	ClinicalInfoFirst time.Time
	ClinicalInfoLast  time.Time
	History           []StateChange
}

// StateChange is one entry of a referral's state history.
type StateChange struct {
	At     time.Time
	State  string
	Reason Coding
	By     string // SDS id
	Org    string
}

// Advice is an Advice and Guidance request (a CommunicationRequest),
// identified by its UBRN.
type Advice struct {
	UBRN      string
	Version   int
	RequestID string // "a.<uuid>"
	Status    string // active, cancelled, completed
	// Category is the eRS-AdviceAndGuidanceStatus-1 code.
	Category   string
	NHSNumber  string
	Priority   string
	Specialty  string
	ClinicType string
	ServiceID  string

	ReferringOrg string
	ReferrerID   string
	CreatedBy    string
	// ConversionAuthorisation: AUTHORISED_TO_CONVERT or NOT_AUTHORISED_TO_CONVERT.
	ConversionAuthorisation string
	// Converted is set once the request became a referral (A027), which
	// keeps the request's UBRN.
	Converted bool
	Criteria  SearchCriteria

	Messages []Message
	// Documents are files attached to the request itself rather than to a
	// message (A024 payload): e-RS puts there the files a primary care
	// system attached before the request was created.
	Documents []Document
	Created   time.Time
	Updated   time.Time
}

// Message is one turn of an advice conversation (a Communication).
type Message struct {
	ID string
	// SentBy: REQUESTER, RESPONDER or REFERRER_CLINICAL_INFORMATION_UPDATED.
	SentBy     string
	SenderID   string // SDS id
	SenderOrg  string
	SenderRole ersclient.BusinessFunction
	// OnBehalfOf is the SDS id of the clinician the sender acted for: the
	// referring clinician a referring clinician admin names in A044, the
	// clinician a provider clinician admin acts for. "" when the sender
	// wrote in their own name.
	OnBehalfOf string
	Sent       time.Time
	Text       string
	Documents  []Document
	// Outcome and Recommendation are the A026 choices of a response.
	Outcome        string
	Recommendation string
	// AtVersion is the request's version the message was written against.
	AtVersion int
}

// The advice request categories (eRS-AdviceAndGuidanceStatus-1).
const (
	AdviceProviderResponseRequired = "PROVIDER_RESPONSE_REQUIRED"
	AdviceReferrerToSubmitInfo     = "REFERRER_TO_SUBMIT_FURTHER_INFORMATION"
	AdviceReferrerToReview         = "REFERRER_TO_REVIEW_RESPONSE"
	AdviceEndedCancelled           = "CONVERSATION_ENDED_CANCELLED"
	AdviceEndedClosed              = "CONVERSATION_ENDED_CLOSED"
	AdviceConverted                = "ADVICE_CONVERTED"
)

// The referral states (eRS-ReferralState-1).
const (
	StateNotBooked           = "NOT_BOOKED"
	StateBooked              = "BOOKED"
	StateDeferredToProvider  = "DEFERRED_TO_PROVIDER"
	StateAwaitingTriage      = "AWAITING_TRIAGE"
	StateTriagedToAction     = "TRIAGED_PROVIDER_TO_ACTION"
	StateTriageResponse      = "TRIAGE_RESPONSE"
	StateAssessmentResult    = "ASSESSMENT_RESULT"
	StateRejected            = "REJECTED"
	StateCancelledByPatient  = "APPT_CANCELLED_BY_PATIENT"
	StateCancelledByProvider = "APPT_CANCELLED_BY_PROVIDER"
	StateDidNotAttend        = "DID_NOT_ATTEND"
	StateCancelledReferral   = "CANCELLED_REFERRAL"
)
