package sandbox

import (
	"strconv"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The profiles of a referral and the resources it contains.
const (
	profileBase              = "https://fhir.nhs.uk/STU3/StructureDefinition/"
	profileReferralRequest   = profileBase + "eRS-ReferralRequest-1"
	profileShortlist         = profileBase + "eRS-Shortlist-List-1"
	profileSearchCriteria    = profileBase + "eRS-ServiceSearchCriteria-Parameters-1"
	profileDocumentReference = profileBase + "eRS-DocumentReference-1"
)

// The local ids of the resources a referral contains; the extensions point
// at them as "#shortlist" and so on.
const (
	containedShortlist   = "shortlist"
	containedCriteria    = "serviceSearchCriteria"
	containedAppointment = "appointment"
)

// referralResource renders a referral as the STU3 eRS-ReferralRequest-1
// that A005 and every referral write return, shaped like the official
// retrieveReferralRequest examples. It reads st and builds fresh values only,
// so the result may be used after the store callback returns.
func (c *call) referralResource(st *store.State, r *store.Referral) *fhir.ReferralRequest {
	status := r.Status
	if status == "" {
		status = "active"
	}
	rr := &fhir.ReferralRequest{
		DomainResource: fhir.DomainResource{
			ResourceType: "ReferralRequest",
			ID:           r.UBRN,
			Meta:         &fhir.Meta{VersionID: strconv.Itoa(r.Version), Profile: []string{profileReferralRequest}},
		},
		Status:  status,
		Intent:  "plan",
		Subject: identifierRef(fhir.SystemNHSNumberSTU3, r.NHSNumber),
	}
	if r.RequestID != "" {
		rr.Identifier = []fhir.Identifier{{System: fhir.SystemERSRequestID, Value: r.RequestID}}
	}
	if r.Specialty != "" {
		rr.Specialty = &fhir.CodeableConcept{Coding: []fhir.Coding{c.localCoding(fhir.LocalSpecialty, r.Specialty)}}
	}
	rr.Requester = referralRequester(st, r)

	contained := appendRaw(nil, c.searchCriteria(r.Criteria, r.Priority))
	contained = appendRaw(contained, c.shortlist(st, r.Shortlist))
	var ext fhir.Extensions
	if a := st.Appointments[r.AppointmentID]; a != nil {
		if ar := c.appointmentResource(st, a); ar != nil {
			appt := *ar
			appt.ID = containedAppointment
			contained = appendRaw(contained, &appt)
			ext = append(ext, refExtension(fhir.ExtAppointment, "#"+containedAppointment))
		}
	}
	if r.AppointmentID != "" {
		ext = append(ext, refExtension(fhir.ExtAppointmentReference, "Appointment/"+r.AppointmentID))
	}
	var supporting []fhir.Reference
	for _, d := range c.referralDocuments(st, r) {
		dr := c.documentReference(st, d)
		contained = appendRaw(contained, &dr)
		supporting = append(supporting, fhir.Reference{Reference: "#" + dr.ID})
	}
	for _, u := range r.RelatedUBRNs {
		supporting = append(supporting, fhir.Reference{Reference: "ReferralRequest/" + u})
	}
	if r.FromAdvice {
		supporting = append(supporting, fhir.Reference{Reference: "CommunicationRequest/" + r.UBRN})
	}
	rr.Contained, rr.SupportingInfo = contained, supporting

	if !r.ClinicalInfoFirst.IsZero() {
		ext = append(ext, fhir.Extension{URL: fhir.ExtClinicalInfoFirst, Value: fhir.Value{ValueDateTime: fhir.Ptr(instantString(r.ClinicalInfoFirst))}})
	}
	if !r.ClinicalInfoLast.IsZero() {
		ext = append(ext, fhir.Extension{URL: fhir.ExtClinicalInfoLast, Value: fhir.Value{ValueDateTime: fhir.Ptr(instantString(r.ClinicalInfoLast))}})
	}
	if !r.PathwayStart.IsZero() {
		ext = append(ext, fhir.Extension{URL: fhir.ExtPathwayStart, Value: fhir.Value{ValueInstant: fhir.Ptr(instantString(r.PathwayStart))}})
	}
	if r.Priority != "" {
		ext = append(ext, fhir.Extension{URL: fhir.ExtReferralPriority,
			Value: fhir.Value{ValueCodeableConcept: &fhir.CodeableConcept{Coding: []fhir.Coding{ersCoding(fhir.CSPriority, r.Priority)}}}})
	}
	ext = append(ext, refExtension(fhir.ExtReferralShortlist, "#"+containedShortlist))
	if r.CommissioningRuleOrg != "" {
		ext = append(ext, fhir.Extension{URL: fhir.ExtCommissioningRuleOrg,
			Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemODSOrgCode, Value: r.CommissioningRuleOrg}}})
	}
	ext = append(ext, c.stateExtension(r))
	for _, req := range r.AdditionalRequirements {
		ext = append(ext, codingExtension(fhir.ExtAdditionalRequiremnt, ersCoding(fhir.CSAdditionalRequirementType, req)))
	}
	rr.Extension = ext
	return rr
}

// stateExtension is Extension-eRS-ReferralState-1: the state, and the
// reason and comments that belong to it.
func (c *call) stateExtension(r *store.Referral) fhir.Extension {
	e := fhir.Extension{URL: fhir.ExtReferralState}
	e.Extension = append(e.Extension, codingExtension("state", ersCoding(fhir.CSReferralState, r.State)))
	if !r.StateReason.IsZero() {
		e.Extension = append(e.Extension, codingExtension("reason", c.storeCoding(r.StateReason)))
	}
	if r.StateComments != "" {
		e.Extension = append(e.Extension, fhir.Extension{URL: "comments", Value: fhir.Value{ValueString: fhir.Ptr(r.StateComments)}})
	}
	return e
}

// referralRequester names the referring clinician and their organisation.
// The official examples omit it, but the profile allows it and a
// workstation wants to show who referred.
func referralRequester(st *store.State, r *store.Referral) *fhir.Requester {
	if r.ReferrerID == "" {
		return nil
	}
	req := &fhir.Requester{Agent: *identifierRef(fhir.SystemSDSUserSTU3, r.ReferrerID)}
	if u := st.Users[r.ReferrerID]; u != nil {
		req.Agent.Display = u.Name()
	}
	if r.ReferringOrg != "" {
		req.OnBehalfOf = identifierRef(fhir.SystemODSOrgCode, r.ReferringOrg)
		if o := st.Orgs[r.ReferringOrg]; o != nil {
			req.OnBehalfOf.Display = o.Name
		}
	}
	return req
}

// shortlist is the contained eRS-Shortlist-List-1: the shortlisted services
// in order, pointing at the search criteria they were found with.
func (c *call) shortlist(st *store.State, ids []string) *fhir.List {
	l := &fhir.List{
		DomainResource: fhir.DomainResource{ResourceType: "List", ID: containedShortlist,
			Meta:      &fhir.Meta{Profile: []string{profileShortlist}},
			Extension: fhir.Extensions{refExtension(fhir.ExtShortlistCriteria, "#"+containedCriteria)}},
		Status: "current",
		Mode:   "snapshot",
	}
	for _, id := range ids {
		item := fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: id}}
		if svc := st.Services[id]; svc != nil {
			item.Display = svc.Name
		}
		l.Entry = append(l.Entry, fhir.ListEntry{Item: item})
	}
	return l
}

// searchCriteria is the contained eRS-ServiceSearchCriteria-Parameters-1.
// The organisation searched for is not returned, as the specification says;
// the priority (1..1) falls back to the referral's.
func (c *call) searchCriteria(sc store.SearchCriteria, priority string) *fhir.Parameters {
	p := fhir.NewParameters(profileSearchCriteria)
	p.ID = containedCriteria
	coding := func(name string, cd fhir.Coding) {
		p.Add(fhir.Parameter{Name: name, Value: fhir.Value{ValueCoding: &fhir.Coding{System: cd.System, Code: cd.Code}}})
	}
	unsigned := func(name string, n int) {
		if n > 0 {
			p.Add(fhir.Parameter{Name: name, Value: fhir.Value{ValueUnsignedInt: fhir.Ptr(int64(n))}})
		}
	}
	if sc.Priority != "" {
		priority = sc.Priority
	}
	if priority != "" {
		coding("priority", fhir.Coding{System: fhir.CSPriority, Code: priority})
	}
	if sc.Specialty != "" {
		coding("specialty", fhir.Coding{System: c.localSystemURL(fhir.LocalSpecialty), Code: sc.Specialty})
	}
	if sc.ClinicType != "" {
		coding("clinicType", fhir.Coding{System: fhir.CSClinicTypeSearch, Code: sc.ClinicType})
	}
	unsigned("indicativeAppointmentWaitTimeLimit", sc.WaitTimeLimit)
	if sc.Postcode != "" {
		p.Add(fhir.Parameter{Name: "postcode", Value: fhir.Value{ValueString: fhir.Ptr(sc.Postcode)}})
	}
	unsigned("distanceLimit", sc.DistanceLimit)
	if !sc.ClinicalTerm.IsZero() {
		system := sc.ClinicalTerm.System
		if system == "" {
			system = fhir.SystemSNOMED
		}
		coding("clinicalTerm", fhir.Coding{System: system, Code: sc.ClinicalTerm.Code})
	}
	if sc.NamedClinician != "" {
		p.Add(fhir.Parameter{Name: "namedClinician", Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: sc.NamedClinician}}})
	}
	p.Add(fhir.Parameter{Name: "ageAndGenderAppropriate", Value: fhir.Value{ValueBoolean: fhir.Ptr(sc.AgeAndGenderAppropriate)}})
	return p
}

// referralDocuments are the files a referral shows: its own, then, for a
// referral converted from advice and guidance, the files of the
// conversation it came from (as the official ConvertedFromAdviceAndGuidance
// example shows them). A file is listed once even if both hold it.
func (c *call) referralDocuments(st *store.State, r *store.Referral) []store.Document {
	docs := r.Documents
	a := st.Advice[r.UBRN]
	if !r.FromAdvice || a == nil {
		return docs
	}
	seen := make(map[string]bool, len(docs))
	for _, d := range docs {
		seen[d.ID] = true
	}
	docs = append([]store.Document(nil), docs...)
	for _, m := range a.Messages {
		for _, d := range m.Documents {
			if !seen[d.ID] {
				seen[d.ID] = true
				docs = append(docs, d)
			}
		}
	}
	return docs
}
