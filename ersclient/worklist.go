package ersclient

import (
	"context"
	"fmt"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// WorklistType selects one of the e-RS worklists. The six referral lists go
// to A008; the advice and guidance list has its own operation (A023).
type WorklistType string

// The worklists (eRS-ReferralListSelector-1 and
// eRS-CommunicationListSelector-1).
const (
	// WorklistReferralsForReview holds booked and triage referrals awaiting
	// the provider's review. Provider side; application-restricted allowed.
	WorklistReferralsForReview WorklistType = "REFERRALS_FOR_REVIEW"
	// WorklistAppointmentSlotIssues holds referrals deferred to the provider
	// for lack of slots. Provider side; application-restricted allowed.
	WorklistAppointmentSlotIssues WorklistType = "APPOINTMENT_SLOT_ISSUES"
	// WorklistRejectedTriageResponse holds referrals whose appointment was
	// rejected or which came back with triage advice. Referrer side.
	WorklistRejectedTriageResponse WorklistType = "REJECTED_TRIAGE_RESPONSE"
	// WorklistAssessmentReturnedCancelledDNA holds referrals returned after
	// assessment, cancelled outside the referring organisation, or returned
	// after the patient did not attend. Referrer side.
	WorklistAssessmentReturnedCancelledDNA WorklistType = "ASSESSMENT_RETURNED_CANCELLED_DNA"
	// WorklistAwaitingBooking holds bookable referrals with no booking.
	// Referrer side.
	WorklistAwaitingBooking WorklistType = "AWAITING_BOOKING"
	// WorklistLettersOutstanding holds referrals still waiting for their
	// referral letter. Referrer side.
	WorklistLettersOutstanding WorklistType = "LETTERS_OUTSTANDING"
	// WorklistAdviceAndGuidanceRequests holds the provider's advice and
	// guidance requests needing action (A023 only).
	WorklistAdviceAndGuidanceRequests WorklistType = "ADVICE_AND_GUIDANCE_REQUESTS"
)

// ReferralWorklistTypes are the six lists A008 serves, provider lists first.
func ReferralWorklistTypes() []WorklistType {
	return []WorklistType{
		WorklistReferralsForReview, WorklistAppointmentSlotIssues,
		WorklistRejectedTriageResponse, WorklistAssessmentReturnedCancelledDNA,
		WorklistAwaitingBooking, WorklistLettersOutstanding,
	}
}

// Item extension URLs are worklistItemPrefix + name + worklistItemSuffix.
const (
	worklistItemPrefix = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-"
	worklistItemSuffix = "-WorkListItem-1"
)

// itemExtensionName is the list's part of its item extension URL.
func (t WorklistType) itemExtensionName() string {
	switch t {
	case WorklistReferralsForReview:
		return "ReferralsforReview" // sic: lower-case "for" in the profile name
	case WorklistAppointmentSlotIssues:
		return "AppointmentSlotIssues"
	case WorklistRejectedTriageResponse:
		return "RejectedTriageResponse"
	case WorklistAssessmentReturnedCancelledDNA:
		return "AssessmentReturnedCancelledDna"
	case WorklistAwaitingBooking:
		return "AwaitingBooking"
	case WorklistLettersOutstanding:
		return "LettersOutstanding"
	case WorklistAdviceAndGuidanceRequests:
		return "AdviceAndGuidanceRequests"
	}
	return ""
}

// ItemExtensionURL is the URL of the extension that carries an item's facts
// in this list's response, or "" for an unknown list.
func (t WorklistType) ItemExtensionURL() string {
	name := t.itemExtensionName()
	if name == "" {
		return ""
	}
	return worklistItemPrefix + name + worklistItemSuffix
}

// worklistTypeOfItemURL maps an item extension URL back to its list. It runs
// once per row, so it compares in place rather than building URLs.
func worklistTypeOfItemURL(url string) (WorklistType, bool) {
	name, ok := strings.CutPrefix(url, worklistItemPrefix)
	if !ok {
		return "", false
	}
	if name, ok = strings.CutSuffix(name, worklistItemSuffix); !ok {
		return "", false
	}
	for _, t := range [...]WorklistType{
		WorklistReferralsForReview, WorklistAppointmentSlotIssues, WorklistRejectedTriageResponse,
		WorklistAssessmentReturnedCancelledDNA, WorklistAwaitingBooking, WorklistLettersOutstanding,
		WorklistAdviceAndGuidanceRequests,
	} {
		if t.itemExtensionName() == name {
			return t, true
		}
	}
	return "", false
}

// Valid reports whether t is one of the seven lists.
func (t WorklistType) Valid() bool { return t.ItemExtensionURL() != "" }

// ForProvider reports whether the list belongs to the provider side (and so
// takes filters); the others are the referrer's.
func (t WorklistType) ForProvider() bool {
	return t == WorklistReferralsForReview || t == WorklistAppointmentSlotIssues || t == WorklistAdviceAndGuidanceRequests
}

// Label is the list's name as e-RS shows it.
func (t WorklistType) Label() string {
	switch t {
	case WorklistReferralsForReview:
		return "Referrals for review"
	case WorklistAppointmentSlotIssues:
		return "Appointment slot issues"
	case WorklistRejectedTriageResponse:
		return "Rejected / triage response"
	case WorklistAssessmentReturnedCancelledDNA:
		return "Assessment returned / cancelled / DNA"
	case WorklistAwaitingBooking:
		return "Awaiting booking"
	case WorklistLettersOutstanding:
		return "Letters outstanding"
	case WorklistAdviceAndGuidanceRequests:
		return "Advice and guidance requests"
	}
	return string(t)
}

// listSelectorSystem is the code system of the listType coding.
func (t WorklistType) listSelectorSystem() string {
	if t == WorklistAdviceAndGuidanceRequests {
		return fhir.CSCommunicationListSelector
	}
	return fhir.CSReferralListSelector
}

// WorklistQuery asks A008 for one referral worklist. The filters apply to
// the provider lists only; e-RS refuses them on the referrer lists.
type WorklistQuery struct {
	ListType WorklistType
	// Service is an e-RS service id. Mandatory in application-restricted
	// mode.
	Service string
	// SpecialtyAssigned sends specialtyAssignedIndicator: true is ASSIGNED,
	// false NOT_ASSIGNED, nil leaves it out. A Specialty without it is sent
	// as ASSIGNED.
	SpecialtyAssigned *bool
	// Specialty is a SPECIALTY coding exactly as A004 returned it (system
	// and code); its system carries the service's own base URL.
	Specialty fhir.Coding
	// Location is the ODS code of the service's location.
	Location string
	// ClinicianAssigned sends clinicianAssignedIndicator, as
	// SpecialtyAssigned does. A Clinician requires it to be true (or nil,
	// which is then sent as ASSIGNED).
	ClinicianAssigned *bool
	// Clinician is the SDS user id of the assigned clinician.
	Clinician string
}

// AdviceWorklistQuery asks A023 for the advice and guidance worklist, with
// the same filters as the provider referral lists.
type AdviceWorklistQuery struct {
	Service           string
	SpecialtyAssigned *bool
	Specialty         fhir.Coding
	Location          string
	ClinicianAssigned *bool
	Clinician         string
}

// worklistFilters are the filters both worklist operations share.
type worklistFilters struct {
	service           string
	specialtyAssigned *bool
	specialty         fhir.Coding
	location          string
	clinicianAssigned *bool
	clinician         string
}

func (q WorklistQuery) filters() worklistFilters {
	return worklistFilters{q.Service, q.SpecialtyAssigned, q.Specialty, q.Location, q.ClinicianAssigned, q.Clinician}
}

func (q AdviceWorklistQuery) filters() worklistFilters {
	return worklistFilters{q.Service, q.SpecialtyAssigned, q.Specialty, q.Location, q.ClinicianAssigned, q.Clinician}
}

func (f worklistFilters) empty() bool {
	return f.service == "" && f.specialtyAssigned == nil && f.specialty.Code == "" &&
		f.location == "" && f.clinicianAssigned == nil && f.clinician == ""
}

// problem says what is wrong with the filters, or "".
func (f worklistFilters) problem() string {
	if f.clinician != "" && f.clinicianAssigned != nil && !*f.clinicianAssigned {
		return "a clinician filter needs the clinician-assigned indicator set to ASSIGNED"
	}
	if f.clinician != "" && !allDigits(f.clinician) {
		return fmt.Sprintf("%q is not an SDS user id: it is digits only", f.clinician)
	}
	if f.specialty.Code != "" && f.specialty.System == "" {
		return "the specialty filter needs the coding's system as reference data (A004) returned it"
	}
	if f.specialty.Code == "" && f.specialty.System != "" {
		return "the specialty filter has a system but no code"
	}
	return ""
}

// assignedIndicator is the eRS-AssignedIndicator-1 concept for a flag.
func assignedIndicator(assigned bool) *fhir.CodeableConcept {
	code := "NOT_ASSIGNED"
	if assigned {
		code = "ASSIGNED"
	}
	return fhir.NewConcept(fhir.CSAssignedIndicator, code)
}

// worklistParameters builds the eRS-FetchWorklist-Parameters-1 body, with
// the parameters in the profile's order as the official examples have them.
func worklistParameters(t WorklistType, f worklistFilters) *fhir.Parameters {
	p := fhir.NewParameters("https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1")
	p.Add(fhir.Parameter{Name: "listType", Value: fhir.Value{
		ValueCodeableConcept: fhir.NewConcept(t.listSelectorSystem(), string(t))}})
	if f.service != "" {
		p.Add(fhir.Parameter{Name: "service", Value: fhir.Value{
			ValueIdentifier: &fhir.Identifier{System: fhir.SystemERSService, Value: f.service}}})
	}
	specialtyAssigned := f.specialtyAssigned
	if specialtyAssigned == nil && f.specialty.Code != "" {
		specialtyAssigned = fhir.Ptr(true)
	}
	if specialtyAssigned != nil {
		p.Add(fhir.Parameter{Name: "specialtyAssignedIndicator", Value: fhir.Value{
			ValueCodeableConcept: assignedIndicator(*specialtyAssigned)}})
	}
	if f.specialty.Code != "" {
		// System and code only: the server matches the coding it issued.
		p.Add(fhir.Parameter{Name: "specialty", Value: fhir.Value{
			ValueCodeableConcept: fhir.NewConcept(f.specialty.System, f.specialty.Code)}})
	}
	if f.location != "" {
		p.Add(fhir.Parameter{Name: "location", Value: fhir.Value{
			ValueIdentifier: &fhir.Identifier{System: fhir.SystemODSDirectory, Value: f.location}}})
	}
	clinicianAssigned := f.clinicianAssigned
	if clinicianAssigned == nil && f.clinician != "" {
		clinicianAssigned = fhir.Ptr(true)
	}
	if clinicianAssigned != nil {
		p.Add(fhir.Parameter{Name: "clinicianAssignedIndicator", Value: fhir.Value{
			ValueCodeableConcept: assignedIndicator(*clinicianAssigned)}})
	}
	if f.clinician != "" {
		p.Add(fhir.Parameter{Name: "clinician", Value: fhir.Value{
			ValueIdentifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: f.clinician}}})
	}
	return p
}

// Worklist is a decoded worklist: one ready-made row per item, in the order
// e-RS sent them. There is no paging; a list over 10 MB fails with
// KindTooLarge, so narrow it with filters.
type Worklist struct {
	ResponseInfo
	ListType WorklistType
	Rows     []WorklistRow
	// List is the raw response, for whatever the rows do not show.
	List *fhir.List
}

// RetrieveWorklist is A008: one of the six referral worklists. Filters
// apply to the provider lists only. In application-restricted mode only
// REFERRALS_FOR_REVIEW and APPOINTMENT_SLOT_ISSUES are allowed, the service
// filter is mandatory, and e-RS allows at most two calls per service per day.
//
// Roles: referrer lists RC, RCA, RA; provider lists SPC, SPA, SPCA.
// Application-restricted: yes (provider lists).
func (c *Client) RetrieveWorklist(ctx context.Context, q WorklistQuery) (*Worklist, error) {
	o := op(OpRetrieveWorklist)
	if q.ListType == WorklistAdviceAndGuidanceRequests {
		return nil, invalid(o.ID, "the advice and guidance worklist is retrieved with RetrieveAdviceWorklist (A023)")
	}
	if !q.ListType.Valid() {
		return nil, invalid(o.ID, "%q is not a referral worklist", q.ListType)
	}
	f := q.filters()
	if !q.ListType.ForProvider() && !f.empty() {
		return nil, invalid(o.ID, "the %s worklist takes no filters: filters apply to provider worklists only", q.ListType.Label())
	}
	if msg := f.problem(); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	if c.opts.AppRestricted {
		if !q.ListType.ForProvider() {
			return nil, invalid(o.ID, "application-restricted access allows only the referrals-for-review and appointment-slot-issues worklists")
		}
		if q.Service == "" {
			return nil, invalid(o.ID, "application-restricted access needs the service filter")
		}
	} else if msg := worklistRoleProblem(c.opts.Context.BusinessFunction, q.ListType); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	return c.fetchWorklist(ctx, o, q.ListType, f)
}

// RetrieveAdviceWorklist is A023: the provider's advice and guidance
// requests needing action, with the same filters as A008's provider lists.
// Rows carry the CommunicationRequest version for the next A026.
//
// Roles: SPC, SPA, SPCA. Application-restricted: no.
func (c *Client) RetrieveAdviceWorklist(ctx context.Context, q AdviceWorklistQuery) (*Worklist, error) {
	o := op(OpAdviceWorklist)
	if c.opts.AppRestricted {
		return nil, invalid(o.ID, "the advice and guidance worklist is not available with application-restricted access")
	}
	f := q.filters()
	if msg := f.problem(); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	if msg := worklistRoleProblem(c.opts.Context.BusinessFunction, WorklistAdviceAndGuidanceRequests); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	return c.fetchWorklist(ctx, o, WorklistAdviceAndGuidanceRequests, f)
}

// worklistRoleProblem refuses a list of the other side early, with a
// sentence the user can act on. An unset role (the gateway sets the headers)
// is left to e-RS.
func worklistRoleProblem(bf BusinessFunction, t WorklistType) string {
	switch {
	case bf == "":
		return ""
	case t.ForProvider() && !bf.IsProvider():
		return fmt.Sprintf("the %s worklist is for service provider roles; you are acting as %s", t.Label(), bf.Label())
	case !t.ForProvider() && !bf.IsReferrer():
		return fmt.Sprintf("the %s worklist is for referring roles; you are acting as %s", t.Label(), bf.Label())
	}
	return ""
}

func (c *Client) fetchWorklist(ctx context.Context, o Operation, t WorklistType, f worklistFilters) (*Worklist, error) {
	cl := call{op: o, maxBytes: MaxWorklistBytes}
	if err := cl.resource(worklistParameters(t, f)); err != nil {
		return nil, err
	}
	_, body, info, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	w, err := DecodeWorklist(body)
	if err != nil {
		return nil, &Error{Op: o.ID, Status: info.Status, CorrelationID: info.CorrelationID, RequestID: info.RequestID,
			Kind: KindBadResponse, Err: err}
	}
	w.ResponseInfo = info
	w.ListType = t
	return w, nil
}

// DecodeWorklist decodes a worklist response (eRS-FetchWorklist-List-1) and
// builds its rows. The list type is taken from the items' extension. It
// never panics; items missing facts still give rows with those cells empty.
func DecodeWorklist(data []byte) (*Worklist, error) {
	var list fhir.List
	if err := fhir.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("worklist: %w", err)
	}
	if list.ResourceType != "List" {
		return nil, fmt.Errorf("worklist: expected a List, got %q", list.ResourceType)
	}
	w := &Worklist{List: &list, Rows: worklistRows(&list)}
	for i := range w.Rows {
		if w.Rows[i].ListType != "" {
			w.ListType = w.Rows[i].ListType
			break
		}
	}
	return w, nil
}

// Row returns the row of the UBRN, if the list holds it.
func (w *Worklist) Row(ubrn string) (WorklistRow, bool) {
	for i := range w.Rows {
		if w.Rows[i].UBRN == ubrn {
			return w.Rows[i], true
		}
	}
	return WorklistRow{}, false
}
