package ersclient

import (
	"net/http"
	"strings"
)

// FHIRVersion is the FHIR release an operation speaks.
type FHIRVersion string

// The two FHIR releases of the e-RS API.
const (
	STU3 FHIRVersion = "STU3"
	R4   FHIRVersion = "R4"
)

// OperationID is the e-RS identifier of an operation ("A005"); versioned
// variants carry a "v" ("A005v").
type OperationID string

// Operation describes one e-RS API operation as the specification documents
// it. The catalogue is data so that the gateway's allow-list and the
// simulator's routing use the same facts as the client.
type Operation struct {
	ID     OperationID
	Name   string
	Method string
	// Path is the path below the FHIR base, in http.ServeMux pattern syntax:
	// "/STU3/ReferralRequest/{ubrn}". Operation names contain "$", which
	// ServeMux treats literally.
	Path    string
	Version FHIRVersion
	// Roles may call it in user-restricted mode. Nil means any authenticated
	// user (A030).
	Roles []BusinessFunction
	// AppRestricted is true when application-restricted access allows it.
	AppRestricted bool
	// Write is true for state-changing operations: never retried blindly.
	Write bool
	// IfMatch is true when If-Match with the current version is required.
	IfMatch bool
	// OnBehalfOf is true when the endpoint documents
	// NHSD-eRS-On-Behalf-Of-User-ID (sent only for a clinician admin).
	OnBehalfOf bool
	// NoContext is true when the user-context headers are not sent (A030).
	NoContext bool
	// Deprecated operations still work but have a replacement.
	Deprecated bool
}

var (
	rolesReferrer       = []BusinessFunction{ReferringClinician, ReferringClinicianAdmin}
	rolesReferrerAll    = []BusinessFunction{ReferringClinician, ReferringClinicianAdmin, ReferringAdmin}
	rolesProviderClin   = []BusinessFunction{ServiceProviderClinician, ServiceProviderClinicianAdmin}
	rolesProviderAll    = []BusinessFunction{ServiceProviderClinician, ServiceProviderAdmin, ServiceProviderClinicianAdmin}
	rolesClinical       = []BusinessFunction{ReferringClinician, ReferringClinicianAdmin, ServiceProviderClinician, ServiceProviderClinicianAdmin}
	rolesUploadOrRead   = rolesClinical
	rolesWorklistAny    = append(append([]BusinessFunction{}, rolesReferrerAll...), rolesProviderAll...)
	rolesOnBehalfOfOnly = []BusinessFunction{ServiceProviderClinicianAdmin}
)

// Operation IDs.
const (
	OpRetrieveReferenceData     OperationID = "A004"
	OpRetrieveReferral          OperationID = "A005"
	OpRetrieveReferralVersion   OperationID = "A005v"
	OpRetrieveAttachmentLegacy  OperationID = "A006"
	OpRetrieveClinicalInfo      OperationID = "A007"
	OpRetrieveWorklist          OperationID = "A008"
	OpPatientServiceSearch      OperationID = "A010"
	OpCreateReferral            OperationID = "A011"
	OpMaintainReferralLetter    OperationID = "A012"
	OpAcceptReferral            OperationID = "A013"
	OpRejectReferral            OperationID = "A014"
	OpRetrieveSlots             OperationID = "A015"
	OpBookOrDefer               OperationID = "A016"
	OpGeneratePatientLetter     OperationID = "A019"
	OpUploadFile                OperationID = "A020"
	OpCreateReferralAndTriage   OperationID = "A021"
	OpCancelApptActionLater     OperationID = "A022"
	OpAdviceWorklist            OperationID = "A023"
	OpRetrieveAdviceRequest     OperationID = "A024"
	OpRetrieveAdviceRequestVer  OperationID = "A024v"
	OpRetrieveAdviceThread      OperationID = "A025"
	OpSendAdviceResponse        OperationID = "A026"
	OpConvertAdviceToReferral   OperationID = "A027"
	OpRecordReviewOutcome       OperationID = "A028"
	OpAvailableActions          OperationID = "A029"
	OpRetrieveBusinessFunctions OperationID = "A030"
	OpChangeShortlist           OperationID = "A031"
	OpChangeShortlistAndTriage  OperationID = "A032"
	OpRetrieveService           OperationID = "A033"
	OpCancelAppointment         OperationID = "A034"
	OpSearchServices            OperationID = "A035"
	OpCancelReferral            OperationID = "A036"
	OpRetrieveServiceVersion    OperationID = "A037"
	OpRetrieveAppointment       OperationID = "A038"
	OpRetrieveAppointmentVer    OperationID = "A038v"
	OpRetrieveOnBehalfOfUsers   OperationID = "A040"
	OpSearchServiceRequest      OperationID = "A041"
	OpRetrieveAttachment        OperationID = "A042"
	OpRetrieveAdviceOverviewPDF OperationID = "A043"
	OpCreateAdviceRequest       OperationID = "A044"
)

const (
	get  = http.MethodGet
	post = http.MethodPost
	put  = http.MethodPut
	head = http.MethodHead
)

// catalogue is in ID order; Catalogue returns a copy.
var catalogue = []Operation{
	{ID: OpRetrieveReferenceData, Name: "Retrieve reference data", Method: get, Path: "/STU3/CodeSystem/{codeSystemType}", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpRetrieveReferral, Name: "Retrieve referral request", Method: get, Path: "/STU3/ReferralRequest/{ubrn}", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpRetrieveReferralVersion, Name: "Retrieve referral request (versioned)", Method: get, Path: "/STU3/ReferralRequest/{ubrn}/_history/{version}", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpRetrieveAttachmentLegacy, Name: "Retrieve attachment (deprecated)", Method: get, Path: "/STU3/Binary/{id}", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true, Deprecated: true},
	{ID: OpRetrieveClinicalInfo, Name: "Retrieve clinical information", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.generateCRI", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpRetrieveWorklist, Name: "Retrieve referral worklist", Method: post, Path: "/STU3/ReferralRequest/$ers.fetchworklist", Version: STU3, Roles: rolesWorklistAny, AppRestricted: true, OnBehalfOf: true},
	{ID: OpPatientServiceSearch, Name: "Patient service search", Method: post, Path: "/STU3/HealthcareService/$ers.searchHealthcareServicesForPatient", Version: STU3, Roles: rolesReferrer},
	{ID: OpCreateReferral, Name: "Create referral", Method: post, Path: "/STU3/ReferralRequest/$ers.createReferral", Version: STU3, Roles: rolesReferrer, Write: true},
	{ID: OpMaintainReferralLetter, Name: "Maintain referral letter", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.maintainReferralLetter", Version: STU3, Roles: rolesReferrer, Write: true, IfMatch: true},
	{ID: OpAcceptReferral, Name: "Accept referral", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.acceptReferral", Version: STU3, Roles: rolesProviderClin, AppRestricted: true, Write: true, IfMatch: true, OnBehalfOf: true},
	{ID: OpRejectReferral, Name: "Reject referral", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.rejectReferral", Version: STU3, Roles: rolesProviderClin, Write: true, IfMatch: true, OnBehalfOf: true},
	{ID: OpRetrieveSlots, Name: "Retrieve appointment slots", Method: get, Path: "/STU3/Slot", Version: STU3, Roles: rolesReferrer},
	{ID: OpBookOrDefer, Name: "Book or defer appointment", Method: post, Path: "/STU3/Appointment", Version: STU3, Roles: rolesReferrer, Write: true},
	{ID: OpGeneratePatientLetter, Name: "Generate patient letter", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.generatePatientLetter", Version: STU3, Roles: rolesReferrer},
	{ID: OpUploadFile, Name: "Upload file to document store", Method: post, Path: "/STU3/Binary", Version: STU3, Roles: rolesUploadOrRead, Write: true, OnBehalfOf: true},
	{ID: OpCreateReferralAndTriage, Name: "Create referral and send for triage (deprecated)", Method: post, Path: "/STU3/ReferralRequest/$ers.createReferralAndSendForTriage", Version: STU3, Roles: rolesReferrer, Write: true, Deprecated: true},
	{ID: OpCancelApptActionLater, Name: "Cancel appointment, action later", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.cancelAppointmentActionLater", Version: STU3, Roles: rolesProviderClin, Write: true, IfMatch: true, OnBehalfOf: true},
	{ID: OpAdviceWorklist, Name: "Retrieve advice and guidance worklist", Method: post, Path: "/STU3/CommunicationRequest/$ers.fetchworklist", Version: STU3, Roles: rolesProviderAll, OnBehalfOf: true},
	{ID: OpRetrieveAdviceRequest, Name: "Retrieve advice and guidance request", Method: get, Path: "/STU3/CommunicationRequest/{ubrn}", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpRetrieveAdviceRequestVer, Name: "Retrieve advice and guidance request (versioned)", Method: get, Path: "/STU3/CommunicationRequest/{ubrn}/_history/{version}", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpRetrieveAdviceThread, Name: "Retrieve advice and guidance conversation", Method: get, Path: "/STU3/Communication", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpSendAdviceResponse, Name: "Send advice and guidance response", Method: post, Path: "/STU3/CommunicationRequest/{ubrn}/$ers.sendCommunicationToRequester", Version: STU3, Roles: rolesProviderClin, Write: true, IfMatch: true, OnBehalfOf: true},
	{ID: OpConvertAdviceToReferral, Name: "Convert advice and guidance to referral", Method: post, Path: "/STU3/ReferralRequest/$ers.createFromCommunicationRequestActionLater", Version: STU3, Roles: rolesProviderClin, Write: true, OnBehalfOf: true},
	{ID: OpRecordReviewOutcome, Name: "Record review outcome", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.recordReviewOutcome", Version: STU3, Roles: rolesProviderClin, AppRestricted: true, Write: true, IfMatch: true, OnBehalfOf: true},
	{ID: OpAvailableActions, Name: "Retrieve available actions for user", Method: get, Path: "/STU3/Task", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpRetrieveBusinessFunctions, Name: "Retrieve user business functions", Method: get, Path: "/R4/PractitionerRole", Version: R4, NoContext: true},
	{ID: OpChangeShortlist, Name: "Change shortlist", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.changeShortlist", Version: STU3, Roles: rolesReferrer, Write: true, IfMatch: true},
	{ID: OpChangeShortlistAndTriage, Name: "Change shortlist and send for triage (deprecated)", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.changeShortlistAndSendForTriage", Version: STU3, Roles: rolesReferrer, Write: true, IfMatch: true, Deprecated: true},
	{ID: OpRetrieveService, Name: "Retrieve healthcare service", Method: get, Path: "/R4/HealthcareService/{id}", Version: R4, Roles: rolesReferrer, AppRestricted: true},
	{ID: OpCancelAppointment, Name: "Cancel appointment", Method: put, Path: "/STU3/Appointment/{id}", Version: STU3, Roles: rolesReferrer, Write: true, IfMatch: true},
	{ID: OpSearchServices, Name: "Search healthcare services", Method: get, Path: "/R4/HealthcareService", Version: R4, Roles: rolesReferrer, AppRestricted: true},
	{ID: OpCancelReferral, Name: "Cancel referral", Method: post, Path: "/STU3/ReferralRequest/{ubrn}/$ers.cancelReferral", Version: STU3, Roles: rolesClinical, AppRestricted: true, Write: true, IfMatch: true},
	{ID: OpRetrieveServiceVersion, Name: "Retrieve healthcare service version", Method: head, Path: "/R4/HealthcareService/{id}", Version: R4, Roles: rolesReferrer, AppRestricted: true},
	{ID: OpRetrieveAppointment, Name: "Retrieve appointment", Method: get, Path: "/STU3/Appointment/{id}", Version: STU3, Roles: rolesClinical, OnBehalfOf: true},
	{ID: OpRetrieveAppointmentVer, Name: "Retrieve appointment (versioned)", Method: get, Path: "/STU3/Appointment/{id}/_history/{version}", Version: STU3, Roles: rolesClinical, OnBehalfOf: true},
	{ID: OpRetrieveOnBehalfOfUsers, Name: "Retrieve on-behalf-of practitioners", Method: get, Path: "/R4/Practitioner", Version: R4, Roles: rolesOnBehalfOfOnly},
	{ID: OpSearchServiceRequest, Name: "Search service requests by UBRN", Method: get, Path: "/R4/ServiceRequest", Version: R4, Roles: rolesClinical, OnBehalfOf: true},
	{ID: OpRetrieveAttachment, Name: "Retrieve attachment", Method: get, Path: "/R4/Binary/{id}", Version: R4, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpRetrieveAdviceOverviewPDF, Name: "Retrieve advice and guidance overview", Method: post, Path: "/STU3/CommunicationRequest/{ubrn}/$ers.generateCRI", Version: STU3, Roles: rolesClinical, AppRestricted: true, OnBehalfOf: true},
	{ID: OpCreateAdviceRequest, Name: "Create advice and guidance request", Method: post, Path: "/STU3/CommunicationRequest/$ers.createAdviceAndGuidance", Version: STU3, Roles: rolesReferrer, Write: true},
}

// Catalogue returns every operation of the API, in ID order.
func Catalogue() []Operation {
	out := make([]Operation, len(catalogue))
	copy(out, catalogue)
	return out
}

// LookupOperation returns the operation with the ID.
func LookupOperation(id OperationID) (Operation, bool) {
	for _, op := range catalogue {
		if op.ID == id {
			return op, true
		}
	}
	return Operation{}, false
}

// Allows reports whether the role may call the operation in user mode.
func (op Operation) Allows(bf BusinessFunction) bool {
	if op.Roles == nil {
		return true
	}
	for _, r := range op.Roles {
		if r == bf {
			return true
		}
	}
	return false
}

// Retryable reports whether a failed attempt may be repeated automatically:
// reads only. POST operations that only read (worklists, searches, PDFs) are
// reads.
func (op Operation) Retryable() bool { return !op.Write }

// expand fills the {name} wildcards of the path with escaped values.
func (op Operation) expand(values ...string) string {
	p := op.Path
	for _, v := range values {
		i := strings.IndexByte(p, '{')
		j := strings.IndexByte(p, '}')
		if i < 0 || j < i {
			break
		}
		p = p[:i] + pathEscape(v) + p[j+1:]
	}
	return p
}
