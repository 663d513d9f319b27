package ersclient

import (
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// CodeText is a code with its display text, as e-RS sent them.
type CodeText struct {
	Code    string
	Display string
}

// Label is the display text, or the code when there is none.
func (c CodeText) Label() string {
	if c.Display != "" {
		return c.Display
	}
	return c.Code
}

// IsZero reports an absent code.
func (c CodeText) IsZero() bool { return c.Code == "" && c.Display == "" }

func codeText(cd fhir.Coding) CodeText { return CodeText{Code: cd.Code, Display: cd.Display} }

// The e-RS referral states (eRS-ReferralState-1), as A005 spells them.
const (
	ReferralStateNotBooked               = "NOT_BOOKED"
	ReferralStateBooked                  = "BOOKED"
	ReferralStateDeferredToProvider      = "DEFERRED_TO_PROVIDER"
	ReferralStateAwaitingTriage          = "AWAITING_TRIAGE"
	ReferralStateTriagedProviderToAction = "TRIAGED_PROVIDER_TO_ACTION"
	ReferralStateTriageResponse          = "TRIAGE_RESPONSE"
	ReferralStateAssessmentResult        = "ASSESSMENT_RESULT"
	ReferralStateRejected                = "REJECTED"
	ReferralStateApptCancelledByPatient  = "APPT_CANCELLED_BY_PATIENT"
	ReferralStateApptCancelledByProvider = "APPT_CANCELLED_BY_PROVIDER"
	ReferralStateDidNotAttend            = "DID_NOT_ATTEND"
	ReferralStateCancelledReferral       = "CANCELLED_REFERRAL"
)

// The additional requirements a patient may have (eRS-AdditionalRequirementType-1).
const (
	RequirementAdvocacy    = "ADVOCACY"
	RequirementInterpreter = "INTERPRETER"
	RequirementTransport   = "TRANSPORT"
)

// ReferralSummary is a referral (A005) in plain Go values, for the referral
// screen. Absent facts are zero values.
type ReferralSummary struct {
	UBRN    string
	Version string
	// RequestID is the e-RS request id ("r.<uuid>"), the R4 ServiceRequest id.
	RequestID string
	NHSNumber string
	Priority  Priority
	// PriorityDisplay is e-RS's own wording ("2 Week Wait").
	PriorityDisplay string
	Specialty       CodeText
	// State is the "at a glance" state (State* constants); StateReason and
	// StateComments belong to the current state and change with it.
	State         CodeText
	StateReason   CodeText
	StateComments string
	// Status is active, cancelled or completed.
	Status       string
	PathwayStart time.Time
	// Referrer is set only when the referral names its requester.
	Referrer *ReferrerSummary
	// Shortlist is the services on the shortlist, in order.
	// Shortlist is in the form ChangeShortlist (A031) takes.
	Shortlist      []ShortlistedService
	SearchCriteria *SearchCriteriaSummary
	// CommissioningRuleOrg is the ODS code to send as NHSD-eRS-Comm-Rule-Org
	// when retrieving slots (A015).
	CommissioningRuleOrg string
	// AdditionalRequirements holds 0-3 of ADVOCACY, INTERPRETER, TRANSPORT.
	AdditionalRequirements []string
	// RelatedReferrals are the UBRNs of the other referrals in the pathway;
	// their clinical information and attachments belong to this patient's
	// story too.
	RelatedReferrals []string
	// ConvertedFromAdvice is the UBRN of the A&G request this referral was
	// converted from, if any.
	ConvertedFromAdvice string
	// AppointmentID is the id of the current appointment (A038), if any.
	AppointmentID string
	// Appointment is the contained current appointment, if any.
	Appointment                *ReferralAppointment
	Attachments                []AttachmentSummary
	ClinicalInfoFirstSubmitted time.Time
	ClinicalInfoLastUpdated    time.Time
}

// IsCancelled reports a cancelled referral: nothing more can be done to it.
func (s ReferralSummary) IsCancelled() bool {
	return s.Status == "cancelled" || s.State.Code == ReferralStateCancelledReferral
}

// ReferrerSummary is who made the referral, as far as the referral says.
type ReferrerSummary struct {
	// UserID is the SDS user id of the referring clinician.
	UserID string
	// Organisation is the referrer's ODS code.
	Organisation string
	Display      string
}

// SearchCriteriaSummary is the service search that built the shortlist.
type SearchCriteriaSummary struct {
	Priority     Priority
	Specialty    CodeText
	ClinicType   CodeText
	ClinicalTerm CodeText
	Postcode     string
	Place        string
	// DistanceLimit is in miles and IndicativeWaitLimit in days; 0 means no
	// limit was set.
	DistanceLimit       int64
	IndicativeWaitLimit int64
	// NamedClinician is the SDS user id searched for, if any.
	NamedClinician          string
	Organisation            string
	AgeAndGenderAppropriate bool
}

// ReferralAppointment is the appointment contained in a referral: a booking,
// a deferral to the provider or a triage request.
type ReferralAppointment struct {
	// ID is the appointment's id (as A038 and A034 take it).
	ID string
	// Status is proposed (deferred or awaiting triage), booked, cancelled...
	Status string
	Start  time.Time
	End    time.Time
	// Reason is why it is not (or no longer) a booking: a review reason,
	// a review outcome or a cancellation reason.
	Reason  CodeText
	Comment string
	Created time.Time
	// ServiceID and ServiceName are the service it is at.
	ServiceID   string
	ServiceName string
	// ClinicianID is the SDS user id of a named clinician, if any.
	ClinicianID string
}

// summarizeReferral reads the facts of a ReferralRequest.
func summarizeReferral(rr *fhir.ReferralRequest) ReferralSummary {
	s := ReferralSummary{
		UBRN:      rr.ID,
		Version:   rr.Version(),
		RequestID: fhir.FindIdentifier(rr.Identifier, fhir.SystemERSRequestID),
		Status:    rr.Status,
	}
	if rr.Subject != nil && rr.Subject.Identifier != nil {
		s.NHSNumber = rr.Subject.Identifier.Value
	}
	if rr.Specialty != nil && len(rr.Specialty.Coding) > 0 {
		cd, ok := rr.Specialty.CodingIn(fhir.LocalSpecialty)
		if !ok {
			cd = rr.Specialty.Coding[0]
		}
		s.Specialty = codeText(cd)
	}
	ext := rr.Extension
	if v, ok := ext.Value(fhir.ExtReferralPriority); ok {
		if cd, ok := v.Coding(); ok {
			s.Priority, s.PriorityDisplay = Priority(cd.Code), cd.Display
		}
	}
	if st, ok := ext.Find(fhir.ExtReferralState); ok {
		s.State = subCode(st, "state")
		s.StateReason = subCode(st, "reason")
		s.StateComments = st.SubString("comments")
	}
	s.PathwayStart, _ = ParseFHIRTime(ext.String(fhir.ExtPathwayStart))
	s.ClinicalInfoFirstSubmitted, _ = ParseFHIRTime(ext.String(fhir.ExtClinicalInfoFirst))
	s.ClinicalInfoLastUpdated, _ = ParseFHIRTime(ext.String(fhir.ExtClinicalInfoLast))
	s.CommissioningRuleOrg = ext.String(fhir.ExtCommissioningRuleOrg)
	for _, e := range ext.All(fhir.ExtAdditionalRequiremnt) {
		if code := e.Value.String(); code != "" {
			s.AdditionalRequirements = append(s.AdditionalRequirements, code)
		}
	}
	if id, ok := strings.CutPrefix(ext.String(fhir.ExtAppointmentReference), "Appointment/"); ok {
		s.AppointmentID = id
	}
	for _, ref := range rr.SupportingInfo {
		if ubrn, ok := referenceID(ref.Reference, "ReferralRequest"); ok {
			s.RelatedReferrals = append(s.RelatedReferrals, ubrn)
		} else if ubrn, ok := referenceID(ref.Reference, "CommunicationRequest"); ok {
			s.ConvertedFromAdvice = ubrn
		}
	}
	s.Referrer = referrerOf(&rr.DomainResource, rr.Requester)
	s.Shortlist, s.SearchCriteria = shortlistOf(&rr.DomainResource, ext)
	s.Appointment = appointmentOf(&rr.DomainResource, ext)
	if s.Appointment != nil && s.AppointmentID != "" {
		// The contained copy's id is local ("appointment"); the real id is
		// the one A038 and A034 take.
		s.Appointment.ID = s.AppointmentID
	}
	s.Attachments = attachmentsOf(&rr.DomainResource, rr.SupportingInfo)
	return s
}

// subCode reads a coded sub-extension ("state", "reason").
func subCode(e *fhir.Extension, name string) CodeText {
	sub, ok := e.Sub(name)
	if !ok {
		return CodeText{}
	}
	if cd, ok := sub.Value.Coding(); ok {
		return codeText(cd)
	}
	return CodeText{Code: sub.Value.String()}
}

// referenceID returns {id} from "Type/{id}" or "Type/{id}/_history/{v}",
// with or without a base URL in front.
func referenceID(ref, resourceType string) (string, bool) {
	prefix := resourceType + "/"
	i := strings.LastIndex(ref, prefix)
	if i < 0 || (i > 0 && ref[i-1] != '/') {
		return "", false
	}
	id := ref[i+len(prefix):]
	if j := strings.IndexByte(id, '/'); j >= 0 {
		id = id[:j]
	}
	return id, id != ""
}

// referrerOf reads the requester: an agent given by identifier or by a
// contained PractitionerRole, optionally on behalf of an organisation.
func referrerOf(dr *fhir.DomainResource, req *fhir.Requester) *ReferrerSummary {
	if req == nil {
		return nil
	}
	r := &ReferrerSummary{Display: req.Agent.Display}
	if req.Agent.Identifier != nil {
		r.UserID = req.Agent.Identifier.Value
	}
	roleRef := req.Agent.Reference
	if roleRef == "" {
		roleRef = req.Agent.Extension.String(fhir.ExtPractitionerRoleRef)
	}
	if strings.HasPrefix(roleRef, "#") {
		var role fhir.PractitionerRole
		if raw, ok := dr.FindContained(roleRef); ok && raw.ResourceType() == "PractitionerRole" && raw.Decode(&role) == nil {
			if role.Practitioner != nil && role.Practitioner.Identifier != nil && r.UserID == "" {
				r.UserID = role.Practitioner.Identifier.Value
			}
			if role.Organization != nil && role.Organization.Identifier != nil {
				r.Organisation = role.Organization.Identifier.Value
			}
		}
	}
	if req.OnBehalfOf != nil && req.OnBehalfOf.Identifier != nil && r.Organisation == "" {
		r.Organisation = req.OnBehalfOf.Identifier.Value
	}
	if *r == (ReferrerSummary{}) {
		return nil
	}
	return r
}

// shortlistOf reads the contained shortlist that the ReferralShortlist
// extension points at, and the search criteria the list points at.
func shortlistOf(dr *fhir.DomainResource, ext fhir.Extensions) ([]ShortlistedService, *SearchCriteriaSummary) {
	ref := ext.String(fhir.ExtReferralShortlist)
	if ref == "" {
		ref = "#shortlist"
	}
	raw, ok := dr.FindContained(ref)
	var list fhir.List
	if !ok || raw.ResourceType() != "List" || raw.Decode(&list) != nil {
		return nil, nil
	}
	var out []ShortlistedService
	for _, e := range list.Entry {
		svc := ShortlistedService{Name: e.Item.Display}
		if e.Item.Identifier != nil {
			svc.ID = e.Item.Identifier.Value
		}
		out = append(out, svc)
	}
	critRef := list.Extension.String(fhir.ExtShortlistCriteria)
	if critRef == "" {
		return out, nil
	}
	var params fhir.Parameters
	cr, ok := dr.FindContained(critRef)
	if !ok || cr.ResourceType() != "Parameters" || cr.Decode(&params) != nil {
		return out, nil
	}
	return out, searchCriteriaOf(&params)
}

// searchCriteriaOf reads eRS-ServiceSearchCriteria-Parameters-1.
func searchCriteriaOf(p *fhir.Parameters) *SearchCriteriaSummary {
	sc := &SearchCriteriaSummary{}
	coding := func(name string) CodeText {
		if param, ok := p.Get(name); ok {
			if cd, ok := param.Value.Coding(); ok {
				return codeText(cd)
			}
		}
		return CodeText{}
	}
	str := func(name string) string {
		if param, ok := p.Get(name); ok {
			return param.Value.String()
		}
		return ""
	}
	num := func(name string) int64 {
		if param, ok := p.Get(name); ok {
			n, _ := param.Value.Int()
			return n
		}
		return 0
	}
	sc.Priority = Priority(coding("priority").Code)
	sc.Specialty = coding("specialty")
	sc.ClinicType = coding("clinicType")
	sc.ClinicalTerm = coding("clinicalTerm")
	sc.Postcode = str("postcode")
	sc.Place = str("place")
	sc.DistanceLimit = num("distanceLimit")
	sc.IndicativeWaitLimit = num("indicativeAppointmentWaitTimeLimit")
	sc.NamedClinician = str("namedClinician")
	sc.Organisation = str("organisation")
	if param, ok := p.Get("ageAndGenderAppropriate"); ok {
		sc.AgeAndGenderAppropriate, _ = param.Value.Bool()
	}
	return sc
}

// appointmentOf reads the contained appointment the Appointment extension
// points at.
func appointmentOf(dr *fhir.DomainResource, ext fhir.Extensions) *ReferralAppointment {
	ref := ext.String(fhir.ExtAppointment)
	if ref == "" {
		return nil
	}
	raw, ok := dr.FindContained(ref)
	var a fhir.Appointment
	if !ok || raw.ResourceType() != "Appointment" || raw.Decode(&a) != nil {
		return nil
	}
	ra := &ReferralAppointment{ID: a.ID, Status: a.Status, Comment: a.Comment}
	ra.Start, _ = ParseFHIRTime(a.Start)
	ra.End, _ = ParseFHIRTime(a.End)
	ra.Created, _ = ParseFHIRTime(a.Created)
	if len(a.Reason) > 0 && len(a.Reason[0].Coding) > 0 {
		ra.Reason = codeText(a.Reason[0].Coding[0])
	}
	for _, p := range a.Participant {
		if p.Actor == nil || p.Actor.Identifier == nil {
			continue
		}
		switch id := p.Actor.Identifier; {
		case fhir.MatchSystem(id.System, fhir.SystemERSService):
			ra.ServiceID, ra.ServiceName = id.Value, p.Actor.Display
		case fhir.MatchSystem(id.System, fhir.SystemSDSUserSTU3), fhir.MatchSystem(id.System, fhir.SystemSDSUserR4):
			ra.ClinicianID = id.Value
		}
	}
	return ra
}

// attachmentsOf lists the contained DocumentReferences in supportingInfo
// order (the order e-RS presents them), then any contained ones the
// references missed.
func attachmentsOf(dr *fhir.DomainResource, supporting []fhir.Reference) []AttachmentSummary {
	var out []AttachmentSummary
	seen := map[string]bool{}
	add := func(raw fhir.RawResource) {
		var d fhir.DocumentReference
		if raw.ResourceType() != "DocumentReference" || seen[raw.ID()] || raw.Decode(&d) != nil {
			return
		}
		seen[raw.ID()] = true
		out = append(out, attachmentFromDocumentReference(d))
	}
	for _, ref := range supporting {
		if strings.HasPrefix(ref.Reference, "#") {
			if raw, ok := dr.FindContained(ref.Reference); ok {
				add(raw)
			}
		}
	}
	for _, raw := range dr.ContainedOfType("DocumentReference") {
		add(raw)
	}
	return out
}
