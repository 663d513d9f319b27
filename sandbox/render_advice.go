package sandbox

import (
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Profiles and systems of the A&G resources, as the official examples name
// them.
const (
	adviceProfileRequest      = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CommunicationRequest-1"
	adviceProfileMessage      = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Communication-1"
	adviceProfileRole         = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-PractitionerRole-1"
	adviceProfileShortlist    = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Shortlist-List-1"
	adviceProfileCriteria     = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ServiceSearchCriteria-Parameters-1"
	adviceCSBusinessFunction  = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-BusinessFunction-1"
	adviceShortlistID         = "shortlist"
	adviceCriteriaID          = "serviceSearchCriteria"
	adviceRolePrefix          = "PractitionerRole."
	adviceDocumentPrefix      = "DocumentReference-"
	adviceMessageVersion      = "0" // e-RS never versions a sent message
	adviceConversionAllowed   = "AUTHORISED_TO_CONVERT"
	adviceConversionForbidden = "NOT_AUTHORISED_TO_CONVERT"
)

// adviceConversionDisplays are the displays of
// eRS-ProviderConversionAuthorisation-1.
var adviceConversionDisplays = map[string]string{
	adviceConversionAllowed:   "Referrer has allowed the Service Provider to convert the Advice and Guidance to a Referral",
	adviceConversionForbidden: "Referrer has NOT allowed the Service Provider to convert the Advice and Guidance to a Referral",
}

// adviceRole is a participant of an A&G conversation: a user in a role at
// an organisation. e-RS names the PractitionerRole "SDS.ODS.ROLE-WITH-HYPHENS"
// ("921600556514.R68.REFERRING-CLINICIAN"), or "SDS.ODS" when the role is
// not known (the clinical-information notes e-RS writes itself).
type adviceRole struct {
	SDS  string
	Org  string
	Role ersclient.BusinessFunction
}

func (p adviceRole) id() string {
	id := p.SDS + "." + p.Org
	if p.Role != "" {
		id += "." + strings.ReplaceAll(string(p.Role), "_", "-")
	}
	return id
}

// ref is the reference to the role: to a contained copy ("#PractitionerRole.…")
// in the resources writes return, to an included one ("PractitionerRole/…")
// in the A025 bundle.
func (p adviceRole) ref(contained bool) string {
	if contained {
		return "#" + adviceRolePrefix + p.id()
	}
	return "PractitionerRole/" + p.id()
}

// resource renders the role as a CareConnect-PractitionerRole-1 with the
// given id.
func (p adviceRole) resource(id string) fhir.PractitionerRole {
	pr := fhir.PractitionerRole{
		DomainResource: fhir.DomainResource{ResourceType: "PractitionerRole", ID: id, Meta: &fhir.Meta{Profile: []string{adviceProfileRole}}},
		Practitioner:   &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: p.SDS}},
		Organization:   &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemODSOrgCode, Value: p.Org}},
	}
	if p.Role != "" {
		pr.Code = []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: adviceCSBusinessFunction, Code: string(p.Role)}}}}
	}
	return pr
}

// adviceRequester is the referring clinician in whose name the request was
// made, whoever typed it.
func adviceRequester(a *store.Advice) adviceRole {
	return adviceRole{SDS: a.ReferrerID, Org: a.ReferringOrg, Role: ersclient.ReferringClinician}
}

// messageSender is the user who sent a message, in the role they used.
func messageSender(m *store.Message) adviceRole {
	return adviceRole{SDS: m.SenderID, Org: m.SenderOrg, Role: m.SenderRole}
}

// messageRequester is the clinician a message speaks for
// (Extension-Communication-Requester-1): the clinician a clinician admin
// acted for, otherwise the sender.
func messageRequester(m *store.Message) adviceRole {
	if m.OnBehalfOf == "" || m.OnBehalfOf == m.SenderID {
		return messageSender(m)
	}
	role := m.SenderRole
	switch role {
	case ersclient.ReferringClinicianAdmin:
		role = ersclient.ReferringClinician
	case ersclient.ServiceProviderClinicianAdmin:
		role = ersclient.ServiceProviderClinician
	}
	return adviceRole{SDS: m.OnBehalfOf, Org: m.SenderOrg, Role: role}
}

// adviceRaw embeds a typed resource in another. The types rendered here
// always encode, so the error branch is unreachable; it yields an empty
// resource rather than a panic.
func adviceRaw(v any) fhir.RawResource {
	r, err := fhir.NewRawResource(v)
	if err != nil {
		return fhir.RawResource{}
	}
	return r
}

// adviceInstant formats a time as e-RS does: UTC with milliseconds.
func adviceInstant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// adviceDocID is a document's bare id ("70002"): contained copies are named
// "DocumentReference-70002", included ones "70002".
func adviceDocID(d store.Document) string { return strings.TrimPrefix(d.ID, adviceDocumentPrefix) }

// adviceDocument renders a file of the conversation with the id its place
// needs.
func (c *call) adviceDocument(st *store.State, d store.Document, contained bool) fhir.DocumentReference {
	dr := c.documentReference(st, d)
	dr.ID = adviceDocID(d)
	if contained {
		dr.ID = adviceDocumentPrefix + dr.ID
	}
	return dr
}

func adviceDocRef(d store.Document, contained bool) string {
	if contained {
		return "#" + adviceDocumentPrefix + adviceDocID(d)
	}
	return "DocumentReference/" + adviceDocID(d)
}

// adviceResource renders an advice request as the STU3 CommunicationRequest
// of A024, A026 and A044 (eRS-CommunicationRequest-1): the request's
// priority, conversion authorisation, shortlist and specialty, with the
// shortlist, its search criteria, the referring clinician's PractitionerRole
// and the request's own files contained.
func (c *call) adviceResource(st *store.State, a *store.Advice) *fhir.CommunicationRequest {
	requester := adviceRequester(a)
	roleRef := &fhir.Reference{Extension: fhir.Extensions{{URL: fhir.ExtPractitionerRoleRef,
		Value: fhir.Value{ValueReference: &fhir.Reference{Reference: requester.ref(true)}}}}}
	contained := []fhir.RawResource{
		adviceRaw(c.adviceCriteria(a.Criteria)),
		adviceRaw(adviceShortlist(st, a.ServiceID)),
		adviceRaw(requester.resource(adviceRolePrefix + requester.id())),
	}
	var payload []fhir.CommunicationPayload
	for _, d := range a.Documents {
		contained = append(contained, adviceRaw(c.adviceDocument(st, d, true)))
		payload = append(payload, fhir.CommunicationPayload{ContentReference: &fhir.Reference{Reference: adviceDocRef(d, true)}})
	}
	return &fhir.CommunicationRequest{
		DomainResource: fhir.DomainResource{
			ResourceType: "CommunicationRequest",
			ID:           a.UBRN,
			Meta:         &fhir.Meta{VersionID: strconv.Itoa(a.Version), Profile: []string{adviceProfileRequest}},
			Contained:    contained,
			Extension: fhir.Extensions{
				{URL: fhir.ExtReferralPriority, Value: fhir.Value{ValueCodeableConcept: &fhir.CodeableConcept{Coding: []fhir.Coding{ersCoding(fhir.CSPriority, a.Priority)}}}},
				{URL: fhir.ExtProviderConversion, Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSProviderConversionAuth,
					Code: a.ConversionAuthorisation, Display: adviceConversionDisplays[a.ConversionAuthorisation]}}},
				{URL: fhir.ExtReferralShortlist, Value: fhir.Value{ValueReference: &fhir.Reference{Reference: "#" + adviceShortlistID}}},
				{URL: fhir.ExtSpecialty, Value: fhir.Value{ValueCoding: c.adviceSpecialtyCoding(a.Specialty, true)}},
			},
		},
		Identifier: []fhir.Identifier{{System: fhir.SystemERSRequestID, Value: a.RequestID}},
		Status:     a.Status,
		Category:   []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CSAdviceAndGuidanceStatus, Code: a.Category}}}},
		Subject:    &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemNHSNumberSTU3, Value: a.NHSNumber}},
		Recipient:  []fhir.Reference{adviceServiceRecipient(a.ServiceID)},
		Payload:    payload,
		Requester:  &fhir.Requester{Agent: *roleRef},
		Sender:     roleRef,
	}
}

// adviceSpecialtyCoding is a SPECIALTY coding in the simulator's own code
// system URL, with the display from the reference data when asked.
func (c *call) adviceSpecialtyCoding(code string, display bool) *fhir.Coding {
	cd := &fhir.Coding{System: c.localSystemURL(fhir.LocalSpecialty), Code: code}
	if display {
		if concept, ok := c.s.ref.Lookup(fhir.LocalSpecialty, code); ok {
			cd.Display = concept.Display
		}
	}
	return cd
}

// adviceServiceRecipient names the A&G service a message goes to.
func adviceServiceRecipient(serviceID string) fhir.Reference {
	return fhir.Reference{Extension: fhir.Extensions{{URL: fhir.ExtHealthcareServiceRef,
		Value: fhir.Value{ValueReference: &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: serviceID}}}}}}
}

// adviceShortlist is the contained one-service shortlist, linked to the
// contained search criteria.
func adviceShortlist(st *store.State, serviceID string) fhir.List {
	item := fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: serviceID}}
	if svc := st.Services[serviceID]; svc != nil {
		item.Display = svc.Name
	}
	return fhir.List{
		DomainResource: fhir.DomainResource{
			ResourceType: "List", ID: adviceShortlistID, Meta: &fhir.Meta{Profile: []string{adviceProfileShortlist}},
			Extension: fhir.Extensions{{URL: fhir.ExtShortlistCriteria, Value: fhir.Value{ValueReference: &fhir.Reference{Reference: "#" + adviceCriteriaID}}}},
		},
		Status: "current",
		Mode:   "snapshot",
		Entry:  []fhir.ListEntry{{Item: item}},
	}
}

// adviceCriteria renders the service-search criteria kept with the request
// (eRS-ServiceSearchCriteria-Parameters-1), parameters in the order the
// official examples give them.
func (c *call) adviceCriteria(cr store.SearchCriteria) fhir.Parameters {
	p := fhir.Parameters{ResourceType: "Parameters", ID: adviceCriteriaID, Meta: &fhir.Meta{Profile: []string{adviceProfileCriteria}}}
	add := func(name string, v fhir.Value) {
		p.Parameter = append(p.Parameter, fhir.Parameter{Name: name, Value: v})
	}
	unsigned := func(n int) *int64 { v := int64(n); return &v }
	if cr.Priority != "" {
		add("priority", fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSPriority, Code: cr.Priority}})
	}
	if cr.Specialty != "" {
		add("specialty", fhir.Value{ValueCoding: c.adviceSpecialtyCoding(cr.Specialty, false)})
	}
	if cr.ClinicType != "" {
		add("clinicType", fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSClinicTypeSearch, Code: cr.ClinicType}})
	}
	if !cr.ClinicalTerm.IsZero() {
		add("clinicalTerm", fhir.Value{ValueCoding: &fhir.Coding{System: fhir.SystemSNOMED, Code: cr.ClinicalTerm.Code, Display: cr.ClinicalTerm.Display}})
	}
	if cr.Postcode != "" {
		add("postcode", fhir.Value{ValueString: fhir.Ptr(cr.Postcode)})
	}
	if cr.DistanceLimit > 0 {
		add("distanceLimit", fhir.Value{ValueUnsignedInt: unsigned(cr.DistanceLimit)})
	}
	if cr.WaitTimeLimit > 0 {
		add("indicativeAppointmentWaitTimeLimit", fhir.Value{ValueUnsignedInt: unsigned(cr.WaitTimeLimit)})
	}
	if cr.NamedClinician != "" {
		add("namedClinician", fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: cr.NamedClinician}})
	}
	if cr.Organisation != "" {
		add("organisation", fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemODSDirectory, Value: cr.Organisation}})
	}
	add("ageAndGenderAppropriate", fhir.Value{ValueBoolean: fhir.Ptr(cr.AgeAndGenderAppropriate)})
	return p
}

// messageResource renders one message of a conversation as a Communication
// (eRS-Communication-1) with its PractitionerRoles and files contained, as
// A044 and A026 return it.
func (c *call) messageResource(st *store.State, a *store.Advice, m *store.Message) *fhir.Communication {
	return c.adviceMessage(st, a, m, true)
}

// adviceMessage renders a message. contained puts the message's
// PractitionerRoles and files inside it (the write responses); otherwise
// they are referenced for the A025 bundle to include. Every message is
// based on the request's current version, as A025 shows them.
func (c *call) adviceMessage(st *store.State, a *store.Advice, m *store.Message, contained bool) *fhir.Communication {
	sender, requester := messageSender(m), messageRequester(m)
	cm := &fhir.Communication{
		DomainResource: fhir.DomainResource{
			ResourceType: "Communication",
			ID:           m.ID,
			Meta:         &fhir.Meta{VersionID: adviceMessageVersion, Profile: []string{adviceProfileMessage}},
			Extension: fhir.Extensions{{URL: fhir.ExtCommunicationReqstr,
				Value: fhir.Value{ValueReference: &fhir.Reference{Reference: requester.ref(contained)}}}},
		},
		BasedOn:  []fhir.Reference{{Reference: "CommunicationRequest/" + a.UBRN + "/_history/" + strconv.Itoa(a.Version)}},
		Status:   "completed",
		Category: []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CSCommunicationSentBy, Code: m.SentBy}}}},
		Sent:     adviceInstant(m.Sent),
		Sender: &fhir.Reference{Extension: fhir.Extensions{{URL: fhir.ExtPractitionerRoleRef,
			Value: fhir.Value{ValueReference: &fhir.Reference{Reference: sender.ref(contained)}}}}},
	}
	if m.SentBy == string(ersclient.SentByResponder) {
		// A response goes back to the referring organisation.
		cm.Recipient = []fhir.Reference{{Identifier: &fhir.Identifier{System: fhir.SystemODSOrgCode, Value: a.ReferringOrg}}}
	} else {
		cm.Recipient = []fhir.Reference{adviceServiceRecipient(a.ServiceID)}
	}
	if contained {
		for _, d := range m.Documents {
			cm.Contained = append(cm.Contained, adviceRaw(c.adviceDocument(st, d, true)))
		}
		cm.Contained = append(cm.Contained, adviceRaw(sender.resource(adviceRolePrefix+sender.id())))
		if requester.id() != sender.id() {
			cm.Contained = append(cm.Contained, adviceRaw(requester.resource(adviceRolePrefix+requester.id())))
		}
	}
	for _, d := range m.Documents {
		cm.Payload = append(cm.Payload, fhir.CommunicationPayload{ContentReference: &fhir.Reference{Reference: adviceDocRef(d, contained)}})
	}
	if m.Text != "" {
		cm.Note = []fhir.Annotation{{Text: m.Text}}
	}
	return cm
}
