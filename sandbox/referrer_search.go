package sandbox

import (
	"math"
	"net/http"
	"sort"
	"strconv"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/geo"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// A010 patient service search.
//
// Filters, in order: the service is active; its request flow fits the
// request type (APPOINTMENT_REQUEST finds BOOKABLE and REVIEW (triage)
// services, ADVICE_AND_GUIDANCE_REQUEST finds ADVICE_AND_GUIDANCE ones); it
// accepts the priority; specialty, clinic type, named clinician and
// organisation match when given; the commissioning rule organisation, when
// given, commissions it; the indicative wait is within the limit (a service
// with limited availability has no known wait and is left out when a limit is
// set; triage and advice services give no appointments, so the limit does
// not apply to them); the distance is within the limit; and, when
// ageAndGenderAppropriate is true, the patient's age and sex fit the service.
//
// Distances: the simulator has no postcode database, so package geo places
// postcodes deterministically on a plane (see its documentation). The search
// measures from the criteria's postcode, or from the referring
// organisation's postcode when none is given (e-RS uses the patient's
// address from PDS), to the service's X/Y, or to its postcode when X and Y
// are both zero. Distances are whole miles.
//
// Age and sex: the simulator has no PDS either, so they are derived from the
// NHS number (referrerPatient). A clinical term is checked for shape
// (SNOMED_NOT_FOUND otherwise) but does not filter: services carry no SNOMED
// mapping. A limit of 0 means no limit.

// maxSearchResults is how many services a search returns at most; e-RS
// returns the top results of the requested order.
const maxSearchResults = 100

const (
	profileFetchServicesList  = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchServices-List-1"
	extServiceSearchListItem  = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ServiceSearch-ListItem-1"
	extServiceSummaryView     = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ServiceSummaryView-1"
	csIndicativeWait          = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-IWT-1"
	csGenderTreated           = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-GenderTreated-1"
	nhsWebsiteServiceLink     = "https://www.nhs.uk/service-search/other-services/chooseandbook?serviceId="
	requestTypeAppointment    = "APPOINTMENT_REQUEST"
	requestTypeAdvice         = "ADVICE_AND_GUIDANCE_REQUEST"
	searchParamRequestType    = "requestType"
	searchParamSortBy         = "sortBy"
	searchParamCommissioning  = "commissioningRuleOrganisation"
	searchParamSearchCriteria = "searchCriteria"
)

func (s *Server) patientServiceSearch(c *call) {
	p, ok := c.readParameters(searchParamRequestType, searchParamSortBy, "patient", "referringClinician", searchParamSearchCriteria, searchParamCommissioning)
	if !ok {
		return
	}
	q, prob := c.serviceSearchQuery(p)
	if prob != nil {
		c.fail(prob)
		return
	}
	var list *fhir.List
	err := s.store.Read(func(st *store.State) error {
		if _, prob := c.referringClinician(st, q.referringClinician); prob != nil {
			return prob
		}
		list = c.serviceList(st, c.searchServices(st, q), q)
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusOK, list, 0)
}

// serviceSearch is a parsed A010 request.
type serviceSearch struct {
	requestType        string
	sortBy             string
	nhsNumber          string
	referringClinician string
	commRuleOrg        string
	criteria           store.SearchCriteria
}

func (c *call) serviceSearchQuery(p *fhir.Parameters) (serviceSearch, *problem) {
	var q serviceSearch
	rt, prob := referrerParam(p, searchParamRequestType, true)
	if prob != nil {
		return q, prob
	}
	cd, _ := rt.Coding()
	if cd.Code != requestTypeAppointment && cd.Code != requestTypeAdvice {
		return q, businessRule("INVALID_CODE", "'requestType' (%s) is not APPOINTMENT_REQUEST or ADVICE_AND_GUIDANCE_REQUEST.", cd.Code)
	}
	q.requestType = cd.Code
	sb, prob := referrerParam(p, searchParamSortBy, true)
	if prob != nil {
		return q, prob
	}
	cd, _ = sb.Coding()
	if cd.Code != "DISTANCE" && cd.Code != "IWT" {
		return q, businessRule("INVALID_CODE", "'sortBy' (%s) is not DISTANCE or IWT.", cd.Code)
	}
	q.sortBy = cd.Code
	if q.nhsNumber, prob = referrerNHSNumber(p); prob != nil {
		return q, prob
	}
	if q.referringClinician, prob = referrerSDSParam(p, "referringClinician"); prob != nil {
		return q, prob
	}
	if prm, prob := referrerParam(p, searchParamCommissioning, false); prob != nil {
		return q, prob
	} else if prm != nil {
		if q.requestType == requestTypeAdvice {
			return q, businessRule("FIELD_NOT_PERMITTED", "'commissioningRuleOrganisation' is not supported when searching for ADVICE_AND_GUIDANCE_REQUEST services.")
		}
		if prm.ValueIdentifier == nil || prm.ValueIdentifier.Value == "" {
			return q, missingValue(searchParamCommissioning)
		}
		q.commRuleOrg = prm.ValueIdentifier.Value
	}
	sc, prob := referrerParam(p, searchParamSearchCriteria, true)
	if prob != nil {
		return q, prob
	}
	var crit fhir.Parameters
	if sc.Resource.ResourceType() != "Parameters" || sc.Resource.Decode(&crit) != nil {
		return q, structureProblem("'searchCriteria' must hold a Parameters resource.")
	}
	q.criteria, prob = c.referrerCriteria(&crit, "parameter/resource")
	return q, prob
}

// foundService is a service that matched, with what the list shows of it.
type foundService struct {
	svc   *store.Service
	miles int
}

// searchServices applies the filters and the order of the search.
func (c *call) searchServices(st *store.State, q serviceSearch) []foundService {
	origin, haveOrigin := geo.Locate(q.criteria.Postcode)
	if !haveOrigin {
		if org := st.Orgs[c.Org]; org != nil {
			origin, haveOrigin = geo.Locate(org.Postcode)
		}
	}
	age, sex := referrerPatient(q.nhsNumber)
	var found []foundService
	for _, svc := range st.Services {
		if !svc.Active || !referrerFlowFits(svc.Flow, q.requestType) || referrerServiceMisfit(svc, q.criteria) != "" {
			continue
		}
		if q.criteria.NamedClinician != "" && !referrerContains(svc.Clinicians, q.criteria.NamedClinician) {
			continue
		}
		if o := q.criteria.Organisation; o != "" && svc.Org != o && svc.Site != o {
			continue
		}
		if q.commRuleOrg != "" && !referrerContains(svc.Commissioners, q.commRuleOrg) {
			continue
		}
		if lim := q.criteria.WaitTimeLimit; lim > 0 && svc.Flow == store.FlowBookable && (svc.IndicativeWaitDays < 0 || svc.IndicativeWaitDays > lim) {
			continue
		}
		if q.criteria.AgeAndGenderAppropriate && !referrerTreats(svc, age, sex) {
			continue
		}
		f := foundService{svc: svc}
		if haveOrigin {
			if at, ok := serviceLocation(svc); ok {
				f.miles = int(math.Round(geo.Miles(origin, at)))
			}
		}
		if lim := q.criteria.DistanceLimit; lim > 0 && f.miles > lim {
			continue
		}
		found = append(found, f)
	}
	sort.Slice(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if q.sortBy == "IWT" {
			if wa, wb := referrerWaitKey(a.svc), referrerWaitKey(b.svc); wa != wb {
				return wa < wb
			}
		}
		if a.miles != b.miles {
			return a.miles < b.miles
		}
		return a.svc.ID < b.svc.ID
	})
	if len(found) > maxSearchResults {
		found = found[:maxSearchResults]
	}
	return found
}

// serviceLocation is where a service is: its X/Y, or its postcode's place
// when no coordinates were set.
func serviceLocation(svc *store.Service) (geo.Point, bool) {
	if svc.X != 0 || svc.Y != 0 {
		return geo.Point{X: svc.X, Y: svc.Y}, true
	}
	return geo.Locate(svc.Postcode)
}

// referrerFlowFits reports whether a service of the flow answers a search of
// the request type.
func referrerFlowFits(flow, requestType string) bool {
	if requestType == requestTypeAdvice {
		return flow == store.FlowAdvice
	}
	return flow == store.FlowBookable || flow == store.FlowTriage
}

// referrerServiceMisfit says why a service does not fit the lasting part of
// search criteria (priority, specialty, clinic type), or "" when it fits.
// A shortlist whose service does not fit its own criteria is refused with
// SHORTLISTED_SERVICE_NOT_IN_RESULTS.
func referrerServiceMisfit(svc *store.Service, sc store.SearchCriteria) string {
	switch {
	case sc.Priority != "" && !referrerContains(svc.Priorities, sc.Priority):
		return "it does not accept " + sc.Priority + " referrals"
	case sc.Specialty != "" && svc.Specialty != sc.Specialty:
		return "its specialty is " + svc.Specialty + ", not " + sc.Specialty
	case sc.ClinicType != "" && !referrerContains(svc.ClinicTypes, sc.ClinicType):
		return "it has no " + sc.ClinicType + " clinic"
	}
	return ""
}

// referrerTreats reports whether a service treats a patient of the age and
// sex. AgeFrom and AgeTo both 0 mean any age.
func referrerTreats(svc *store.Service, age int, sex string) bool {
	if (svc.AgeFrom != 0 || svc.AgeTo != 0) && (age < svc.AgeFrom || (svc.AgeTo != 0 && age > svc.AgeTo)) {
		return false
	}
	return svc.Gender == "" || svc.Gender == sex
}

// referrerPatient derives a synthetic age and sex from an NHS number, since
// the simulator has no PDS: the age is 18 plus the 4th and 5th digits, modulo
// 100 (9990001235 is 18); the sex is MALE when the 9th digit is odd, FEMALE
// when it is even.
func referrerPatient(nhs string) (age int, sex string) {
	if len(nhs) != 10 {
		return 0, ""
	}
	d, _ := strconv.Atoi(nhs[3:5])
	age = (d + 18) % 100
	sex = "FEMALE"
	if (nhs[8]-'0')%2 == 1 {
		sex = "MALE"
	}
	return age, sex
}

// referrerWaitKey orders services by indicative wait, the ones without a
// known wait last.
func referrerWaitKey(svc *store.Service) int {
	if svc.Flow != store.FlowBookable || svc.IndicativeWaitDays < 0 {
		return math.MaxInt
	}
	return svc.IndicativeWaitDays
}

// serviceList renders the results as eRS-FetchServices-List-1.
func (c *call) serviceList(st *store.State, found []foundService, q serviceSearch) *fhir.List {
	list := &fhir.List{Status: "current", Mode: "snapshot", Entry: []fhir.ListEntry{}}
	list.ResourceType = "List"
	list.Meta = &fhir.Meta{Profile: []string{profileFetchServicesList}}
	if len(found) == 0 {
		list.EmptyReason = &fhir.CodeableConcept{Coding: []fhir.Coding{{System: "http://hl7.org/fhir/ValueSet/list-empty-reason", Code: "nilknown", Display: "no results"}}}
		return list
	}
	for _, f := range found {
		list.Entry = append(list.Entry, c.serviceListEntry(st, f))
	}
	return list
}

func (c *call) serviceListEntry(st *store.State, f foundService) fhir.ListEntry {
	svc := f.svc
	item := fhir.Extension{URL: extServiceSearchListItem, Extension: fhir.Extensions{
		{URL: "displayProminently", Value: fhir.Value{ValueBoolean: fhir.Ptr(false)}},
		{URL: "distance", Value: fhir.Value{ValueUnsignedInt: fhir.Ptr(int64(f.miles))}},
		{URL: "indicativeAppointmentWaitTime", Value: referrerWaitValue(svc)},
	}}
	code := func(system, code string) fhir.Value {
		return fhir.Value{ValueCodeableConcept: fhir.NewConcept(system, code)}
	}
	str := func(url, s string) fhir.Extension {
		return fhir.Extension{URL: url, Value: fhir.Value{ValueString: fhir.Ptr(s)}}
	}
	bookable := svc.Bookable
	if bookable == "" {
		bookable = "UNSPECIFIED"
	}
	gender := svc.Gender
	if gender == "" {
		gender = "MALE_AND_FEMALE"
	}
	site, siteName := svc.Site, svc.SiteName
	if site == "" {
		site = svc.Org
	}
	if siteName == "" {
		if org := st.Orgs[svc.Org]; org != nil {
			siteName = org.Name
		}
	}
	sv := fhir.Extensions{
		str("serviceName", svc.Name),
		{URL: "specialty", Value: code(c.localSystemURL(fhir.LocalSpecialty), svc.Specialty)},
		{URL: "genderTreated", Value: code(csGenderTreated, gender)},
		{URL: "bookableType", Value: code(fhir.CSBookableType, bookable)},
	}
	for _, at := range svc.AppointmentTypes {
		sv = append(sv, fhir.Extension{URL: "supportedAppointmentType", Value: code(fhir.CSAppointmentType, at)})
	}
	sv = append(sv,
		fhir.Extension{URL: "referralLetterRequired", Value: fhir.Value{ValueBoolean: fhir.Ptr(svc.LetterRequired)}},
		fhir.Extension{URL: "location", Value: fhir.Value{ValueReference: &fhir.Reference{
			Identifier: &fhir.Identifier{System: fhir.SystemODSDirectory, Value: site}, Display: siteName}}},
		str("linkToNHSWebsite", nhsWebsiteServiceLink+svc.ID),
		fhir.Extension{URL: "supportedRequestFlowType", Value: code(fhir.CSRequestFlowType, referrerFlowType(svc.Flow))},
	)
	if svc.AgeFrom != 0 || svc.AgeTo != 0 {
		hi := svc.AgeTo
		if hi == 0 {
			hi = 120
		}
		sv = append(sv, fhir.Extension{URL: "ageTreated", Extra: fhir.Extra{"valueRange": referrerAgeRange(svc.AgeFrom, hi)}})
	}
	for _, opt := range []struct{ url, text string }{
		{"conditionsTreated", svc.ConditionsTreated}, {"exclusions", svc.Exclusions},
		{"suggestedInvestigations", svc.Investigations}, {"referrerAlert", svc.ReferrerAlert},
	} {
		if opt.text != "" {
			sv = append(sv, str(opt.url, opt.text))
		}
	}
	for _, ar := range svc.AdditionalRequirementsSupported {
		sv = append(sv, fhir.Extension{URL: "additionalRequirementSupported", Value: code(fhir.CSAdditionalRequirementType, ar)})
	}
	if svc.TreatmentWaitWeeks > 0 {
		sv = append(sv, fhir.Extension{URL: "indicativeTreatmentWaitTime", Value: fhir.Value{ValueUnsignedInt: fhir.Ptr(int64(svc.TreatmentWaitWeeks))}})
	}
	return fhir.ListEntry{
		Extension: fhir.Extensions{item},
		Item: fhir.Reference{
			Extension:  fhir.Extensions{{URL: extServiceSummaryView, Extension: sv}},
			Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: svc.ID},
		},
	}
}

// referrerWaitValue is the list item's indicative appointment wait: days for
// a bookable service, LIMITED_AVAILABILITY when unknown, NOT_APPLICABLE for
// triage and advice services, which give no appointments.
func referrerWaitValue(svc *store.Service) fhir.Value {
	switch {
	case svc.Flow != store.FlowBookable:
		return fhir.Value{ValueCodeableConcept: fhir.NewConcept(csIndicativeWait, "NOT_APPLICABLE")}
	case svc.IndicativeWaitDays < 0:
		return fhir.Value{ValueCodeableConcept: fhir.NewConcept(csIndicativeWait, "LIMITED_AVAILABILITY")}
	}
	return fhir.Value{ValueUnsignedInt: fhir.Ptr(int64(svc.IndicativeWaitDays))}
}

// referrerFlowType maps a service flow to the eRS-RequestFlowType-1 code
// A010 reports.
func referrerFlowType(flow string) string {
	switch flow {
	case store.FlowTriage:
		return "TRIAGE_REQUEST"
	case store.FlowAdvice:
		return requestTypeAdvice
	}
	return requestTypeAppointment
}

// referrerAgeRange encodes the ageTreated Range, which fhir.Value does not
// model.
func referrerAgeRange(lo, hi int) []byte {
	return []byte(`{"low":{"value":` + strconv.Itoa(lo) + `,"unit":"YEARS"},"high":{"value":` + strconv.Itoa(hi) + `,"unit":"YEARS"}}`)
}

func referrerContains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
