package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// referralFor finds the referral a call names and checks the caller's
// legitimate relationship with it: 404 for an unknown UBRN, 422
// INVALID_REQUEST_TYPE for the UBRN of an advice and guidance request that
// was never converted, 422 NO_RELATIONSHIP for somebody else's referral.
func (c *call) referralFor(st *store.State, ubrn string) (*store.Referral, *problem) {
	r := st.Referrals[ubrn]
	if r == nil {
		if st.Advice[ubrn] != nil {
			return nil, businessRule("INVALID_REQUEST_TYPE", "UBRN %s is an advice and guidance request, not a referral.", ubrn)
		}
		return nil, notFound("No referral has UBRN %s.", ubrn)
	}
	if !c.canSeeReferral(st, r) {
		return nil, noRelationship("referral " + ubrn)
	}
	return r, nil
}

// referralForUpdate is referralFor for a write: the referral must also be
// at the version the If-Match names.
func (c *call) referralForUpdate(st *store.State, ubrn string) (*store.Referral, *problem) {
	r, p := c.referralFor(st, ubrn)
	if p != nil {
		return nil, p
	}
	if p := c.checkIfMatch(r.Version); p != nil {
		return nil, p
	}
	return r, nil
}

// retrieveReferral is A005: the current referral with its version as ETag.
func (s *Server) retrieveReferral(c *call) { s.serveReferral(c, "") }

// retrieveReferralVersion is A005v: the referral, only if the version asked
// for is the current one (404 HISTORY_NOT_SUPPORTED otherwise: e-RS keeps
// no history a client can read).
func (s *Server) retrieveReferralVersion(c *call) { s.serveReferral(c, c.r.PathValue("version")) }

func (s *Server) serveReferral(c *call, version string) {
	ubrn := c.r.PathValue("ubrn")
	c.serveRead(func(st *store.State) (any, int, *problem) {
		r, p := c.referralFor(st, ubrn)
		if p == nil {
			p = checkCurrentVersion(version, r.Version)
		}
		if p != nil {
			return nil, 0, p
		}
		return c.referralResource(st, r), r.Version, nil
	})
}

// The profiles of the A029 answer.
const (
	profileBundleSTU3 = "http://hl7.org/fhir/STU3/StructureDefinition/Bundle"
	profileTask       = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Task-1"
)

// taskNamespace makes the ids of A029's Tasks: the same action on the same
// referral version always has the same id.
var taskNamespace = uuid.MustParse("5c6b1a1e-29a4-4d7e-9a53-4f1c2d3e4a5b")

// availableActions is A029: the actions the caller may take now on the
// current version of a referral (referralActions), as a searchset of
// proposed Tasks. The query is focus=ReferralRequest/{ubrn}/_history/{v},
// intent=proposal and status=ready, all three required (400
// MISSING_PARAMETER or INVALID_VALUE); a version other than the current one
// is 400 HISTORY_NOT_SUPPORTED and an unknown UBRN 400 REFERENCE_NOT_FOUND.
func (s *Server) availableActions(c *call) {
	q, p := c.query([]string{"focus", "intent", "status"})
	if p != nil {
		c.fail(p)
		return
	}
	for _, name := range []string{"focus", "intent", "status"} {
		if q.Get(name) == "" {
			c.fail(badRequest("MISSING_PARAMETER", "Search parameter '%s' is mandatory.", name))
			return
		}
	}
	if v := q.Get("intent"); v != "proposal" {
		c.fail(badRequest("INVALID_VALUE", "'intent' (%s) is invalid: only proposal is supported.", v))
		return
	}
	if v := q.Get("status"); v != "ready" {
		c.fail(badRequest("INVALID_VALUE", "'status' (%s) is invalid: only ready is supported.", v))
		return
	}
	focus := q.Get("focus")
	ubrn, version, ok := versionedRef(focus, "ReferralRequest")
	if !ok {
		c.fail(badRequest("INVALID_VALUE", "'focus' (%s) is invalid: expected ReferralRequest/{ubrn}/_history/{version}.", focus))
		return
	}
	var actions []string
	err := s.store.Read(func(st *store.State) error {
		if st.Referrals[ubrn] == nil && st.Advice[ubrn] == nil {
			return badRequest("REFERENCE_NOT_FOUND", "'focus': no referral has UBRN %s.", ubrn)
		}
		r, p := c.referralFor(st, ubrn)
		if p != nil {
			return p
		}
		if version != r.Version {
			return badRequest("HISTORY_NOT_SUPPORTED", "'focus': only the current version of %s (%d) is permissible, not %d.", ubrn, r.Version, version)
		}
		if r.Status == "" || r.Status == "active" {
			actions = referralActions(r.State, c.Role, st.Services[r.ServiceID])
		}
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusOK, c.taskBundle(focus, actions), 0)
}

// taskBundle is A029's answer, like the official availableActionsForUserList
// examples.
func (c *call) taskBundle(focus string, actions []string) *fhir.Bundle {
	self := c.fhirBase() + "/STU3/Task?focus=" + focus + "&intent=proposal&status=ready"
	b := &fhir.Bundle{
		ResourceType: "Bundle",
		ID:           uuid.NewString(),
		Meta:         &fhir.Meta{LastUpdated: instantString(c.Now()), Profile: []string{profileBundleSTU3}},
		Type:         "searchset",
		Link:         []fhir.BundleLink{{Relation: "self", URL: self}},
		Entry:        []fhir.BundleEntry{},
	}
	for _, a := range actions {
		id := uuid.NewSHA1(taskNamespace, []byte(focus+"|"+a)).String()
		t := &fhir.Task{
			DomainResource: fhir.DomainResource{ResourceType: "Task", ID: id, Meta: &fhir.Meta{Profile: []string{profileTask}}},
			Status:         "ready",
			Intent:         "proposal",
			Focus:          &fhir.Reference{Reference: focus},
			Code:           &fhir.CodeableConcept{Coding: []fhir.Coding{ersCoding(fhir.CSAvailableActions, a)}},
		}
		raw, err := fhir.NewRawResource(t)
		if err != nil {
			continue
		}
		b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: c.fhirBase() + "/STU3/Task/" + id, Resource: raw, Search: &fhir.BundleSearch{Mode: "match"}})
	}
	return b
}

// The R4 ServiceRequest code systems of A041.
const (
	csServiceRequestCategory = "https://fhir.nhs.uk/CodeSystem/message-category-servicerequest"
	csServiceRequestCode     = "https://fhir.nhs.uk/CodeSystem/servicerequest-code"
)

// searchServiceRequest is A041: the R4 ServiceRequest ids of a UBRN, given
// as identifier=<ubrn> or identifier=https://fhir.nhs.uk/Id/UBRN|<ubrn>. A
// referral converted from advice and guidance has both: the referral
// ("r." id) and the request it came from ("a." id). Records the caller has
// no legitimate relationship with are left out, as if they did not exist,
// so that the search reveals nothing about other organisations' patients.
func (s *Server) searchServiceRequest(c *call) {
	q, p := c.query([]string{"identifier"})
	if p != nil {
		c.fail(r4BadRequest(p.Diagnostics))
		return
	}
	raw := q.Get("identifier")
	if raw == "" {
		c.fail(r4BadRequest("Search parameter 'identifier' is mandatory: identifier=https://fhir.nhs.uk/Id/UBRN|{ubrn}."))
		return
	}
	ubrn := raw
	if system, value, found := strings.Cut(raw, "|"); found {
		if system != "" && system != fhir.SystemUBRN {
			c.fail(r4BadRequest("'identifier' system (" + system + ") is invalid: only " + fhir.SystemUBRN + " is supported."))
			return
		}
		ubrn = value
	}
	if len(ubrn) != 12 || !digitsOnly(ubrn) {
		c.fail(r4BadRequest("'identifier' is invalid: a UBRN is 12 digits (for example 000000070000). Check that it is not an NHS number or a request id."))
		return
	}
	var matches []*fhir.ServiceRequest
	s.store.Read(func(st *store.State) error { //nolint:errcheck // reports nothing
		if r := st.Referrals[ubrn]; r != nil && c.canSeeReferral(st, r) {
			matches = append(matches, referralServiceRequest(r))
		}
		if a := st.Advice[ubrn]; a != nil && c.canSeeAdvice(st, a) {
			matches = append(matches, adviceServiceRequest(a))
		}
		return nil
	})
	total := int64(len(matches))
	now := instantString(c.Now())
	b := &fhir.Bundle{
		ResourceType: "Bundle",
		ID:           uuid.NewString(),
		Meta:         &fhir.Meta{LastUpdated: now},
		Timestamp:    now,
		Type:         "searchset",
		Total:        &total,
		Link:         []fhir.BundleLink{{Relation: "self", URL: c.fhirBase() + "/R4/ServiceRequest?identifier=" + url.QueryEscape(raw)}},
	}
	for _, sr := range matches {
		res, err := fhir.NewRawResource(sr)
		if err != nil {
			continue
		}
		b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: c.fhirBase() + "/R4/ServiceRequest/" + sr.ID, Resource: res, Search: &fhir.BundleSearch{Mode: "match"}})
	}
	c.writeResource(http.StatusOK, b, 0)
}

// r4BadRequest is A041's 400: REC_BAD_REQUEST with issue type required.
func r4BadRequest(diagnostics string) *problem {
	return &problem{Status: http.StatusBadRequest, Issue: "required", Code: "INVALID_VALUE", R4Code: "REC_BAD_REQUEST", Diagnostics: diagnostics}
}

func referralServiceRequest(r *store.Referral) *fhir.ServiceRequest {
	return serviceRequest(r.RequestID, r.UBRN, r.Version, r4Status(r.Status), r.NHSNumber, "referral")
}

func adviceServiceRequest(a *store.Advice) *fhir.ServiceRequest {
	status := r4Status(a.Status)
	if a.Converted || a.Category == store.AdviceConverted {
		status = "completed"
	}
	sr := serviceRequest(a.RequestID, a.UBRN, a.Version, status, a.NHSNumber, "request")
	sr.Code = &fhir.CodeableConcept{Coding: []fhir.Coding{{System: csServiceRequestCode, Code: "advice-and-guidance"}}}
	return sr
}

func serviceRequest(id, ubrn string, version int, status, nhs, category string) *fhir.ServiceRequest {
	return &fhir.ServiceRequest{
		DomainResource: fhir.DomainResource{ResourceType: "ServiceRequest", ID: id, Meta: &fhir.Meta{VersionID: strconv.Itoa(version)}},
		Identifier:     []fhir.Identifier{{System: fhir.SystemUBRN, Value: ubrn}},
		Status:         status,
		Intent:         "order",
		Category:       []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: csServiceRequestCategory, Code: category}}}},
		Subject:        identifierRef(fhir.SystemNHSNumberR4, nhs),
	}
}

// r4Status maps an STU3 request status to R4's: a cancelled request is
// revoked.
func r4Status(status string) string {
	switch status {
	case "cancelled":
		return "revoked"
	case "":
		return "active"
	}
	return status
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
