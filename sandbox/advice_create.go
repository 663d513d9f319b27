package sandbox

import (
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const adviceProfileCreateResponse = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateAdviceAndGuidance-Response-Parameters-1"

// adviceCreate is the A044 request once its shape has been checked.
type adviceCreate struct {
	nhsNumber     string
	authorisation string
	serviceID     string
	criteria      store.SearchCriteria
	request       string
	clinician     string // referringClinician, RCA only
	files         []*fhir.Parameter
}

// createAdviceRequest is A044: a referrer asks one A&G service for advice.
// The request starts at version 1, PROVIDER_RESPONSE_REQUIRED, with the
// question as its first message; e-RS answers 200 (not 201) with both.
func (s *Server) createAdviceRequest(c *call) {
	p, ok := c.readParameters("patient", "providerConversionAuthorisation", "shortlist", "request", "referringClinician", "requestAttachmentFile")
	if !ok {
		return
	}
	in, prob := c.parseAdviceCreate(p)
	if prob != nil {
		c.fail(prob)
		return
	}
	var out *fhir.Parameters
	// A creation locks no record: there is none yet.
	err := s.store.Write("", func(st *store.State) error {
		if p := c.checkAdviceCreate(st, in); p != nil {
			return p
		}
		// A file for a request that does not exist yet was uploaded without
		// a UBRN: linkFiles is asked for files bound to none.
		docs, p := c.linkFiles(st, "", in.files, "ADVICE_REQUEST")
		if p != nil {
			return p
		}
		// Nothing below can fail.
		now := c.Now()
		a := &store.Advice{
			UBRN: st.NewUBRN(), Version: 1, RequestID: "a." + uuid.NewString(), Status: "active",
			Category: store.AdviceProviderResponseRequired, NHSNumber: in.nhsNumber,
			Priority: in.criteria.Priority, Specialty: in.criteria.Specialty, ClinicType: in.criteria.ClinicType,
			ServiceID: in.serviceID, ReferringOrg: c.Org, ReferrerID: c.UserID, CreatedBy: c.UserID,
			ConversionAuthorisation: in.authorisation, Criteria: in.criteria, Created: now, Updated: now,
		}
		if in.clinician != "" {
			a.ReferrerID = in.clinician
		}
		if a.Specialty == "" {
			a.Specialty = st.Services[in.serviceID].Specialty
		}
		a.Messages = []store.Message{{
			ID: st.NewMessageID(), SentBy: string(ersclient.SentByRequester),
			SenderID: c.UserID, SenderOrg: c.Org, SenderRole: c.Role, OnBehalfOf: in.clinician,
			Sent: now, Text: in.request, Documents: docs, AtVersion: a.Version,
		}}
		st.Advice[a.UBRN] = a
		out = fhir.NewParameters(adviceProfileCreateResponse)
		out.Add(fhir.Parameter{Name: "createdCommunicationRequest", Resource: adviceRaw(c.adviceResource(st, a))})
		out.Add(fhir.Parameter{Name: "createdCommunication", Resource: adviceRaw(c.messageResource(st, a, &a.Messages[0]))})
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusOK, out, 0)
}

// parseAdviceCreate checks everything about A044 that does not need the
// state.
func (c *call) parseAdviceCreate(p *fhir.Parameters) (adviceCreate, *problem) {
	ap := adviceParams{p}
	var in adviceCreate
	prm, prob := ap.one("patient", true)
	if prob != nil {
		return in, prob
	}
	if in.nhsNumber, prob = adviceIdentifier("patient", prm, fhir.SystemNHSNumberSTU3); prob != nil {
		return in, prob
	}
	if !ersclient.ValidNHSNumber(in.nhsNumber) {
		return in, invalidValue("'patient' is not a valid NHS number.")
	}
	in.authorisation, prob = ap.coding("providerConversionAuthorisation", true, fhir.CSProviderConversionAuth,
		[]string{adviceConversionAllowed, adviceConversionForbidden})
	if prob != nil {
		return in, prob
	}
	if prm, prob = ap.one("shortlist", true); prob != nil {
		return in, prob
	}
	ids, crit, prob := adviceShortlistIn(prm, slices.IndexFunc(p.Parameter, func(q fhir.Parameter) bool { return q.Name == "shortlist" }))
	if prob != nil {
		return in, prob
	}
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			return in, businessRule("DUPLICATE_SERVICE", "'shortlist' lists service %s twice.", id)
		}
	}
	switch {
	case len(ids) == 0:
		return in, missingValue("shortlist.entry")
	case len(ids) > 1:
		return in, businessRule("TOO_MANY_ITEMS", "'shortlist' has %d services; an advice and guidance request is sent to exactly 1.", len(ids))
	}
	in.serviceID, in.criteria = ids[0], crit
	if crit.Specialty != "" {
		if _, ok := c.s.ref.Lookup(refdata.Specialty, crit.Specialty); !ok {
			return in, adviceInvalidCode("'specialty' (%s) is not a %s code.", crit.Specialty, refdata.Specialty)
		}
	}
	if crit.ClinicType != "" {
		if _, ok := c.s.ref.Lookup(refdata.ClinicType, crit.ClinicType); !ok {
			return in, adviceInvalidCode("'clinicType' (%s) is not a %s code.", crit.ClinicType, refdata.ClinicType)
		}
	}
	if in.request, prob = ap.text("request", adviceTextLimit); prob != nil {
		return in, prob
	}
	if prm, prob = ap.one("referringClinician", false); prob != nil {
		return in, prob
	}
	switch {
	case prm != nil && c.Role != ersclient.ReferringClinicianAdmin:
		return in, businessRule("FIELD_NOT_PERMITTED", "'referringClinician' is only permitted for a REFERRING_CLINICIAN_ADMIN; a referring clinician asks in their own name.")
	case prm == nil && c.Role == ersclient.ReferringClinicianAdmin:
		return in, businessRule("VALUE_IS_REQUIRED", "'referringClinician' is required: a REFERRING_CLINICIAN_ADMIN names the referring clinician they act for.")
	case prm != nil:
		if in.clinician, prob = adviceIdentifier("referringClinician", prm, fhir.SystemSDSUserSTU3); prob != nil {
			return in, prob
		}
	}
	in.files = ap.files("requestAttachmentFile")
	return in, nil
}

// checkAdviceCreate checks A044 against the state: the referring clinician
// an admin names, and the service asked.
func (c *call) checkAdviceCreate(st *store.State, in adviceCreate) *problem {
	if in.clinician != "" {
		u := st.Users[in.clinician]
		switch {
		case u == nil:
			return businessRule("REFERENCE_NOT_FOUND", "'referringClinician' %s is not a known e-RS user.", in.clinician)
		case !slices.ContainsFunc(u.Roles, func(r store.Role) bool { return r.BusinessFunction == ersclient.ReferringClinician }):
			return businessRule("REFERENCED_USER_IS_NOT_RC", "'referringClinician' %s does not have the Referring Clinician authorisation.", in.clinician)
		case !u.Has(c.Org, ersclient.ReferringClinician):
			return businessRule("REFERENCED_USER_IS_NOT_RC_AT_ORG", "'referringClinician' %s is not a Referring Clinician at %s.", in.clinician, c.Org)
		}
	}
	svc := st.Services[in.serviceID]
	switch {
	case svc == nil:
		return businessRule("REFERENCE_NOT_FOUND", "'shortlist' service %s was not found.", in.serviceID)
	case svc.Flow != store.FlowAdvice:
		return businessRule("INAPPROPRIATE_VALUE", "'shortlist' service %s does not take advice and guidance requests.", in.serviceID)
	case !svc.Active:
		return businessRule("INAPPROPRIATE_VALUE", "'shortlist' service %s is not active.", in.serviceID)
	case in.criteria.Specialty != "" && in.criteria.Specialty != svc.Specialty,
		len(svc.Priorities) > 0 && !slices.Contains(svc.Priorities, in.criteria.Priority):
		return businessRule("SHORTLISTED_SERVICE_NOT_IN_RESULTS", "'shortlist' service %s does not satisfy the search criteria.", in.serviceID)
	}
	return nil
}
