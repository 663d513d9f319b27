package ersclient

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// RequestType is what a service search looks for (eRS-RequestType-1).
type RequestType string

// The request types A010 accepts. Triage services are found with
// RequestAppointment: they support the TRIAGE_REQUEST flow instead.
const (
	RequestAppointment       RequestType = "APPOINTMENT_REQUEST"
	RequestAdviceAndGuidance RequestType = "ADVICE_AND_GUIDANCE_REQUEST"
)

// SortBy orders service search results (eRS-SortBy-1).
type SortBy string

// The orders A010 accepts: by distance from the patient, or by indicative
// wait time.
const (
	SortByDistance SortBy = "DISTANCE"
	SortByWaitTime SortBy = "IWT"
)

// Request flow types a service supports, as A010 reports them
// (eRS-RequestFlowType-1).
const (
	FlowAppointment       = "APPOINTMENT_REQUEST"
	FlowTriage            = "TRIAGE_REQUEST"
	FlowAdviceAndGuidance = "ADVICE_AND_GUIDANCE_REQUEST"
)

// Bookable types (eRS-BookableType-1 in STU3, eRS-BookableType in R4).
const (
	DirectlyBookable   = "DIRECTLY_BOOKABLE"
	IndirectlyBookable = "INDIRECTLY_BOOKABLE"
)

// Profiles and extensions of the service search.
const (
	profilePatientServiceSearch = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-PatientServiceSearch-Parameters-1"
	extServiceSearchListItem    = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ServiceSearch-ListItem-1"
	extServiceSummaryView       = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ServiceSummaryView-1"
)

// ServiceSearch is the input of A010.
type ServiceSearch struct {
	RequestType RequestType
	// SortBy is DISTANCE or IWT; zero means DISTANCE.
	SortBy SortBy
	// NHSNumber is the patient's; its check digit is verified before sending.
	NHSNumber string
	// ReferringClinician is the SDS user id of the clinician a referring
	// clinician admin (RCA) searches for. An RCA must give it.
	ReferringClinician string
	// CommissioningRuleOrg is the ODS code of the referral's commissioning
	// rule organisation (Extension-eRS-Commissioning-Rule-Org-1 on A005). It
	// is required when searching to change the shortlist of an existing
	// referral, and not supported for advice and guidance.
	CommissioningRuleOrg string
	Criteria             SearchCriteria
}

// ServiceSearchResults is the A010 answer as a screen shows it.
type ServiceSearchResults struct {
	ResponseInfo
	Services []ServiceResult
	// EmptyReason is e-RS's words when nothing matched ("no results").
	EmptyReason string
	// Criteria is what was searched for. Pass it on to CreateReferral or
	// ChangeShortlist: the shortlist carries the criteria it came from.
	Criteria SearchCriteria
	// Resource is the raw List.
	Resource *fhir.List
}

// ServiceResult is one service found by A010, from the ServiceSearch-ListItem
// and ServiceSummaryView extensions.
type ServiceResult struct {
	// ID is the e-RS service id (ers-service), what shortlists and A015 take.
	ID   string
	Name string
	// Specialty is the local SPECIALTY coding.
	Specialty fhir.Coding
	// LocationCode and LocationName are the organisation or site the
	// service runs at (ODS code and name).
	LocationCode string
	LocationName string
	// Distance is in miles from the patient's postcode; nil when e-RS gave none.
	Distance *int
	// IndicativeWait is the indicative appointment wait: days, or a code.
	IndicativeWait IndicativeWait
	// DisplayProminently asks the screen to highlight the service.
	DisplayProminently bool
	// BookableType is DIRECTLY_BOOKABLE, INDIRECTLY_BOOKABLE or UNSPECIFIED.
	BookableType string
	// RequestFlowTypes are the flows the service supports (one or two of
	// APPOINTMENT_REQUEST, TRIAGE_REQUEST, ADVICE_AND_GUIDANCE_REQUEST).
	RequestFlowTypes []string
	// AppointmentTypes are eRS-AppointmentType-1 codes (DIAGNOSTIC...).
	AppointmentTypes        []string
	ReferralLetterRequired  bool
	ReferrerAlert           string
	ConditionsTreated       string
	Exclusions              string
	SuggestedInvestigations string
	// AgeTreated is nil when the service states no age range.
	AgeTreated *AgeRange
	// GenderTreated is MALE, FEMALE or MALE_AND_FEMALE (shown as "sex treated").
	GenderTreated string
	// NHSWebsite links to the service's page on the NHS website.
	NHSWebsite string
	// TreatmentWait is the indicative treatment wait: a number (the API does
	// not state its unit), or the capacity alert code LOW.
	TreatmentWait IndicativeWait
	// AdditionalRequirements are the support the site offers (TRANSPORT,
	// INTERPRETER, ADVOCACY).
	AdditionalRequirements []string
}

// DirectlyBookable reports whether slots can be booked through the API (A015,
// A016); an indirectly bookable service is booked by the patient by phone.
func (s ServiceResult) DirectlyBookable() bool { return s.BookableType == DirectlyBookable }

// Supports reports whether the service supports a request flow
// (FlowAppointment, FlowTriage, FlowAdviceAndGuidance).
func (s ServiceResult) Supports(flow string) bool {
	for _, f := range s.RequestFlowTypes {
		if f == flow {
			return true
		}
	}
	return false
}

// IndicativeWait is a wait that e-RS gives either as a number of days or as
// a code (LIMITED_AVAILABILITY, NOT_APPLICABLE; LOW for a treatment wait).
type IndicativeWait struct {
	// Days is set when e-RS gave a number.
	Days *int
	// Code is set when e-RS gave words instead.
	Code string
}

// Known reports whether the wait is a number.
func (w IndicativeWait) Known() bool { return w.Days != nil }

// String is the wait for a screen: "10 days", "Limited availability",
// "Not applicable", or "" when e-RS said nothing.
func (w IndicativeWait) String() string {
	switch {
	case w.Days != nil && *w.Days == 1:
		return "1 day"
	case w.Days != nil:
		return strconv.Itoa(*w.Days) + " days"
	case w.Code == "":
		return ""
	}
	words := strings.ToLower(strings.ReplaceAll(w.Code, "_", " "))
	return strings.ToUpper(words[:1]) + words[1:]
}

// SortKey orders waits shortest first, with the coded ones after every number.
func (w IndicativeWait) SortKey() int {
	if w.Days != nil {
		return *w.Days
	}
	return int(^uint(0) >> 1)
}

// AgeRange is the ages a service treats.
type AgeRange struct {
	Low, High         int
	LowUnit, HighUnit string // YEARS or MONTHS
}

// String is the range in words: "18 years to 100 years".
func (r AgeRange) String() string {
	return fmt.Sprintf("%d %s to %d %s", r.Low, strings.ToLower(r.LowUnit), r.High, strings.ToLower(r.HighUnit))
}

// SearchServicesForPatient is A010: the services a patient can be referred
// to that match the criteria. Keep the results' Criteria for the shortlist.
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) SearchServicesForPatient(ctx context.Context, s ServiceSearch) (*ServiceSearchResults, error) {
	o := op(OpPatientServiceSearch)
	body, err := c.serviceSearchParameters(o.ID, s)
	if err != nil {
		return nil, err
	}
	cl := call{op: o}
	if err := cl.resource(body); err != nil {
		return nil, err
	}
	resp, err := fetch[fhir.List](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	if resp.Resource.ResourceType != "List" {
		return nil, badResponse(o.ID, resp.ResponseInfo, "expected a List, got %q", resp.Resource.ResourceType)
	}
	res := &ServiceSearchResults{ResponseInfo: resp.ResponseInfo, Criteria: s.Criteria, Resource: resp.Resource}
	if er := resp.Resource.EmptyReason; er != nil {
		res.EmptyReason = er.Label()
	}
	for _, e := range resp.Resource.Entry {
		res.Services = append(res.Services, serviceResult(e))
	}
	return res, nil
}

// serviceSearchParameters builds and checks the A010 body, in the order of
// the official examples.
func (c *Client) serviceSearchParameters(opID OperationID, s ServiceSearch) (*fhir.Parameters, error) {
	switch s.RequestType {
	case RequestAppointment, RequestAdviceAndGuidance:
	case "":
		return nil, invalid(opID, "no request type: search for APPOINTMENT_REQUEST or ADVICE_AND_GUIDANCE_REQUEST services")
	default:
		return nil, invalid(opID, "%q is not a request type: use APPOINTMENT_REQUEST or ADVICE_AND_GUIDANCE_REQUEST", s.RequestType)
	}
	sortBy := s.SortBy
	switch sortBy {
	case "":
		sortBy = SortByDistance
	case SortByDistance, SortByWaitTime:
	default:
		return nil, invalid(opID, "%q is not a sort order: use DISTANCE or IWT", s.SortBy)
	}
	if msg := nhsNumberProblem(s.NHSNumber); msg != "" {
		return nil, invalid(opID, "%s", msg)
	}
	if msg := c.referringClinicianProblem(s.ReferringClinician); msg != "" {
		return nil, invalid(opID, "%s", msg)
	}
	if s.CommissioningRuleOrg != "" && s.RequestType == RequestAdviceAndGuidance {
		return nil, invalid(opID, "a commissioning rule organisation cannot be given when searching for advice and guidance services")
	}
	criteria, err := s.Criteria.Parameters(opID)
	if err != nil {
		return nil, err
	}
	critRes, err := fhir.NewRawResource(criteria)
	if err != nil {
		return nil, invalid(opID, "the search criteria cannot be encoded: %v", err)
	}
	p := fhir.NewParameters(profilePatientServiceSearch)
	p.Add(fhir.Parameter{Name: "requestType", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSRequestType, Code: string(s.RequestType)}}})
	p.Add(fhir.Parameter{Name: "sortBy", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSSortBy, Code: string(sortBy)}}})
	p.Add(fhir.Parameter{Name: "patient", Value: fhir.Value{ValueIdentifier: nhsNumberIdentifier(s.NHSNumber)}})
	if s.ReferringClinician != "" {
		p.Add(fhir.Parameter{Name: "referringClinician", Value: fhir.Value{ValueIdentifier: sdsIdentifier(s.ReferringClinician)}})
	}
	p.Add(fhir.Parameter{Name: "searchCriteria", Resource: critRes})
	if s.CommissioningRuleOrg != "" {
		p.Add(fhir.Parameter{Name: "commissioningRuleOrganisation", Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemODSOrgCode, Value: s.CommissioningRuleOrg}}})
	}
	return p, nil
}

// referringClinicianProblem checks the referring clinician of a search or a
// new referral: an SDS user id (digits), required when the user is a
// referring clinician admin, who always acts for a clinician.
func (c *Client) referringClinicianProblem(sds string) string {
	if sds == "" {
		if c.opts.Context.BusinessFunction == ReferringClinicianAdmin {
			return "a referring clinician admin must name the referring clinician (their SDS user id)"
		}
		return ""
	}
	if !allDigits(sds) {
		return fmt.Sprintf("%q is not an SDS user id: it is digits only", sds)
	}
	return ""
}

// nhsNumberProblem says what is wrong with an NHS number, or "".
func nhsNumberProblem(n string) string {
	switch {
	case n == "":
		return "no NHS number given"
	case !ValidNHSNumber(n):
		return fmt.Sprintf("%q is not a valid NHS number: it must be ten digits with a correct check digit", n)
	}
	return ""
}

func nhsNumberIdentifier(n string) *fhir.Identifier {
	return &fhir.Identifier{System: fhir.SystemNHSNumberSTU3, Value: n}
}

func sdsIdentifier(id string) *fhir.Identifier {
	return &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: id}
}

func serviceIdentifier(id string) *fhir.Identifier {
	return &fhir.Identifier{System: fhir.SystemERSService, Value: id}
}

// badResponse is a success status whose body is not what the operation
// returns.
func badResponse(opID OperationID, info ResponseInfo, format string, args ...any) *Error {
	return &Error{Op: opID, Kind: KindBadResponse, Status: info.Status, CorrelationID: info.CorrelationID,
		RequestID: info.RequestID, Err: fmt.Errorf(format, args...)}
}

// serviceResult reads one A010 list entry. Unknown sub-extensions are
// ignored; missing ones leave their field empty.
func serviceResult(e fhir.ListEntry) ServiceResult {
	var s ServiceResult
	if e.Item.Identifier != nil {
		s.ID = e.Item.Identifier.Value
	}
	if li, ok := e.Extension.Find(extServiceSearchListItem); ok {
		s.DisplayProminently, _ = subBool(li, "displayProminently")
		s.Distance = subInt(li, "distance")
		s.IndicativeWait = subWait(li, "indicativeAppointmentWaitTime")
	}
	sv, ok := e.Item.Extension.Find(extServiceSummaryView)
	if !ok {
		s.Name = e.Item.Display
		return s
	}
	s.Name = sv.SubString("serviceName")
	if s.Name == "" {
		s.Name = e.Item.Display
	}
	s.Specialty, _ = subCoding(sv, "specialty")
	if loc, ok := sv.Sub("location"); ok && loc.ValueReference != nil {
		s.LocationName = loc.ValueReference.Display
		if loc.ValueReference.Identifier != nil {
			s.LocationCode = loc.ValueReference.Identifier.Value
		}
	}
	bt, _ := subCoding(sv, "bookableType")
	s.BookableType = bt.Code
	s.RequestFlowTypes = subCodes(sv, "supportedRequestFlowType")
	s.AppointmentTypes = subCodes(sv, "supportedAppointmentType")
	s.AdditionalRequirements = subCodes(sv, "additionalRequirementSupported")
	s.ReferralLetterRequired, _ = subBool(sv, "referralLetterRequired")
	s.ReferrerAlert = sv.SubString("referrerAlert")
	s.ConditionsTreated = sv.SubString("conditionsTreated")
	s.Exclusions = sv.SubString("exclusions")
	s.SuggestedInvestigations = sv.SubString("suggestedInvestigations")
	s.NHSWebsite = sv.SubString("linkToNHSWebsite")
	gt, _ := subCoding(sv, "genderTreated")
	s.GenderTreated = gt.Code
	s.TreatmentWait = subWait(sv, "indicativeTreatmentWaitTime")
	s.AgeTreated = subAgeRange(sv, "ageTreated")
	return s
}

func subBool(e *fhir.Extension, url string) (bool, bool) {
	if sub, ok := e.Sub(url); ok {
		return sub.Bool()
	}
	return false, false
}

func subInt(e *fhir.Extension, url string) *int {
	sub, ok := e.Sub(url)
	if !ok {
		return nil
	}
	n, ok := sub.Int()
	if !ok {
		return nil
	}
	v := int(n)
	return &v
}

func subCoding(e *fhir.Extension, url string) (fhir.Coding, bool) {
	if sub, ok := e.Sub(url); ok {
		return sub.Coding()
	}
	return fhir.Coding{}, false
}

// subCodes returns the codes of every sub-extension with the URL (some
// repeat, such as supportedRequestFlowType).
func subCodes(e *fhir.Extension, url string) []string {
	var out []string
	for _, sub := range e.Extension.All(url) {
		if cd, ok := sub.Coding(); ok && cd.Code != "" {
			out = append(out, cd.Code)
		}
	}
	return out
}

// subWait reads a wait given as a number or as a code.
func subWait(e *fhir.Extension, url string) IndicativeWait {
	sub, ok := e.Sub(url)
	if !ok {
		return IndicativeWait{}
	}
	if n, ok := sub.Int(); ok {
		v := int(n)
		return IndicativeWait{Days: &v}
	}
	if cd, ok := sub.Coding(); ok {
		return IndicativeWait{Code: cd.Code}
	}
	return IndicativeWait{}
}

// subAgeRange reads valueRange, which the Value type does not model: it is
// kept in the extension's Extra members.
func subAgeRange(e *fhir.Extension, url string) *AgeRange {
	sub, ok := e.Sub(url)
	if !ok {
		return nil
	}
	raw, ok := sub.Extra["valueRange"]
	if !ok {
		return nil
	}
	type quantity struct {
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
	}
	var rng struct {
		Low  quantity `json:"low"`
		High quantity `json:"high"`
	}
	if err := fhir.Unmarshal(raw, &rng); err != nil {
		return nil
	}
	return &AgeRange{Low: int(rng.Low.Value), LowUnit: rng.Low.Unit, High: int(rng.High.Value), HighUnit: rng.High.Unit}
}

// Search criteria parameter names, in the documented order.
var criteriaOrder = []string{
	"priority", "specialty", "clinicType", "indicativeAppointmentWaitTimeLimit", "postcode",
	"distanceLimit", "clinicalTerm", "namedClinician", "ageAndGenderAppropriate",
	"commissioningProvisioning", "organisation",
}

const (
	profileSearchCriteria = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ServiceSearchCriteria-Parameters-1"
	// criteriaID is the id of the criteria inside a search or a shortlist,
	// which the shortlist's SearchCriteria extension points at ("#...").
	criteriaID = "ServiceSearchCriteria-1"
)

// SearchCriteria are the criteria of a service search
// (eRS-ServiceSearchCriteria-Parameters-1). A shortlist carries the criteria
// its services were found with, so the same value goes to A010 and then to
// A011 or A031. A zero Coding or string means the criterion is not used.
type SearchCriteria struct {
	// Priority is required: an eRS-Priority-1 coding (see PriorityCoding).
	Priority fhir.Coding
	// Specialty is a local SPECIALTY coding exactly as A004 returned it
	// (system and code).
	Specialty fhir.Coding
	// ClinicType is an eRS-ClinicType-1 coding (the system may be left empty).
	ClinicType fhir.Coding
	// IndicativeWaitLimit is the longest acceptable indicative wait, in days.
	IndicativeWaitLimit *int
	Postcode            string
	// DistanceLimit is in miles from Postcode.
	DistanceLimit *int
	// ClinicalTerm is a SNOMED CT coding (the system may be left empty).
	ClinicalTerm fhir.Coding
	// NamedClinician is the SDS user id of a clinician the service must have.
	NamedClinician          string
	AgeAndGenderAppropriate bool
	// Organisation is an ODS code: only services of that organisation.
	Organisation string
	// CommissioningProvisioning comes back in criteria read from e-RS. e-RS
	// ignores it on input, but a criteria read back is sent back with it.
	CommissioningProvisioning fhir.Coding
	// Place comes back in criteria read from e-RS; it cannot be searched by
	// and is never sent.
	Place string
	// Order lists parameter names in the order to send them; the others
	// follow in the documented order. ParseSearchCriteria sets it, so that
	// criteria read from e-RS go back exactly as read. e-RS does not depend
	// on the order; the official sandbox compares request bodies exactly.
	Order []string
}

// PriorityCoding is the eRS-Priority-1 coding of a priority.
func PriorityCoding(p Priority) fhir.Coding {
	return fhir.Coding{System: fhir.CSPriority, Code: string(p)}
}

// Parameters builds the criteria resource that A010 sends as searchCriteria
// and a shortlist contains, after checking the criteria. opID names the
// operation in any error.
func (sc SearchCriteria) Parameters(opID OperationID) (*fhir.Parameters, error) {
	params := map[string]fhir.Parameter{}
	set := func(name string, v fhir.Value) { params[name] = fhir.Parameter{Name: name, Value: v} }

	prio := withSystem(sc.Priority, fhir.CSPriority)
	switch Priority(prio.Code) {
	case PriorityRoutine, PriorityUrgent, PriorityTwoWeekWait:
	case "":
		return nil, invalid(opID, "the search criteria have no priority: give ROUTINE, URGENT or TWO_WEEK_WAIT")
	default:
		return nil, invalid(opID, "%q is not a priority: use ROUTINE, URGENT or TWO_WEEK_WAIT", prio.Code)
	}
	set("priority", fhir.Value{ValueCoding: &prio})
	if sc.Specialty.Code != "" {
		if sc.Specialty.System == "" {
			return nil, invalid(opID, "the specialty %q has no code system: pass the coding as A004 (SPECIALTY) returned it", sc.Specialty.Code)
		}
		sp := sc.Specialty
		set("specialty", fhir.Value{ValueCoding: &sp})
	}
	if sc.ClinicType.Code != "" {
		ct := withSystem(sc.ClinicType, fhir.CSClinicTypeSearch)
		set("clinicType", fhir.Value{ValueCoding: &ct})
	}
	if sc.IndicativeWaitLimit != nil {
		if *sc.IndicativeWaitLimit < 0 {
			return nil, invalid(opID, "the wait limit cannot be negative")
		}
		set("indicativeAppointmentWaitTimeLimit", fhir.Value{ValueUnsignedInt: fhir.Ptr(int64(*sc.IndicativeWaitLimit))})
	}
	if sc.Postcode != "" {
		set("postcode", fhir.Value{ValueString: fhir.Ptr(sc.Postcode)})
	}
	if sc.DistanceLimit != nil {
		if *sc.DistanceLimit < 0 {
			return nil, invalid(opID, "the distance limit cannot be negative")
		}
		set("distanceLimit", fhir.Value{ValueUnsignedInt: fhir.Ptr(int64(*sc.DistanceLimit))})
	}
	if sc.ClinicalTerm.Code != "" {
		term := withSystem(sc.ClinicalTerm, fhir.SystemSNOMED)
		set("clinicalTerm", fhir.Value{ValueCoding: &term})
	}
	if sc.NamedClinician != "" {
		if !allDigits(sc.NamedClinician) {
			return nil, invalid(opID, "%q is not an SDS user id for the named clinician: it is digits only", sc.NamedClinician)
		}
		set("namedClinician", fhir.Value{ValueIdentifier: sdsIdentifier(sc.NamedClinician)})
	}
	set("ageAndGenderAppropriate", fhir.Value{ValueBoolean: fhir.Ptr(sc.AgeAndGenderAppropriate)})
	if sc.CommissioningProvisioning.Code != "" {
		cp := sc.CommissioningProvisioning
		set("commissioningProvisioning", fhir.Value{ValueCoding: &cp})
	}
	if sc.Organisation != "" {
		set("organisation", fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemODSDirectory, Value: sc.Organisation}})
	}

	p := fhir.NewParameters(profileSearchCriteria)
	p.ID = criteriaID
	for _, name := range append(append([]string{}, sc.Order...), criteriaOrder...) {
		if param, ok := params[name]; ok {
			p.Add(param)
			delete(params, name)
		}
	}
	return p, nil
}

// ParseSearchCriteria reads criteria as e-RS returns them (contained in a
// referral, as "serviceSearchCriteria") or as they were sent. It keeps the
// order of the parameters in Order.
func ParseSearchCriteria(p *fhir.Parameters) SearchCriteria {
	var sc SearchCriteria
	if p == nil {
		return sc
	}
	for _, param := range p.Parameter {
		sc.Order = append(sc.Order, param.Name)
		v := param.Value
		coding := func() fhir.Coding {
			cd, _ := v.Coding()
			return cd
		}
		intPtr := func() *int {
			n, ok := v.Int()
			if !ok {
				return nil
			}
			i := int(n)
			return &i
		}
		switch param.Name {
		case "priority":
			sc.Priority = coding()
		case "specialty":
			sc.Specialty = coding()
		case "clinicType":
			sc.ClinicType = coding()
		case "indicativeAppointmentWaitTimeLimit":
			sc.IndicativeWaitLimit = intPtr()
		case "postcode":
			sc.Postcode = v.String()
		case "distanceLimit":
			sc.DistanceLimit = intPtr()
		case "clinicalTerm":
			sc.ClinicalTerm = coding()
		case "namedClinician":
			sc.NamedClinician = v.String()
		case "ageAndGenderAppropriate":
			sc.AgeAndGenderAppropriate, _ = v.Bool()
		case "commissioningProvisioning":
			sc.CommissioningProvisioning = coding()
		case "organisation":
			sc.Organisation = v.String()
		case "place":
			sc.Place = v.String()
		}
	}
	return sc
}

// withSystem fills in the code system of a coding that has a fixed one.
func withSystem(c fhir.Coding, system string) fhir.Coding {
	if c.System == "" && c.Code != "" {
		c.System = system
	}
	return c
}
