package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// retrieveBusinessFunctions is A030: the caller's roles as one R4
// PractitionerRole per organisation, in the order the user record lists
// them, with every role held there, including ones the business-function
// header does not accept (SERVICE_DEFINER): e-RS returns them and clients
// filter. admit has already established the user from the token (or the
// sandbox user header); no context headers are involved.
func (s *Server) retrieveBusinessFunctions(c *call) {
	c.serveR4Search(c.fhirBase()+"/R4/PractitionerRole", func(st *store.State, add func(string, any) error) error {
		u, p := c.callingUser(st)
		if p != nil {
			return p
		}
		for _, pr := range c.practitionerRoles(st, u) {
			if err := add(c.fhirBase()+"/R4/PractitionerRole/"+pr.ID, pr); err != nil {
				return err
			}
		}
		return nil
	})
}

// callingUser is the caller's own user record; a user e-RS does not know
// has no roles or clinicians to act for (403).
func (c *call) callingUser(st *store.State) (*store.User, *problem) {
	u := st.Users[c.UserID]
	if u == nil {
		return nil, forbidden("User %s is not known to e-RS.", c.UserID)
	}
	return u, nil
}

// practitionerRoles groups a user's roles by organisation, as
// r4/retrieveBusinessFunctions/responses shows them, without repeats.
func (c *call) practitionerRoles(st *store.State, u *store.User) []*fhir.PractitionerRole {
	var (
		out   []*fhir.PractitionerRole
		byOrg = map[string]*fhir.PractitionerRole{}
		held  = map[store.Role]bool{}
	)
	now := instantString(c.Now())
	for _, r := range u.Roles {
		key := store.Role{Org: r.Org, BusinessFunction: r.BusinessFunction}
		if held[key] {
			continue
		}
		held[key] = true
		pr := byOrg[r.Org]
		if pr == nil {
			org := &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemODSOrgCode, Value: r.Org}}
			if o := st.Orgs[r.Org]; o != nil {
				org.Display = o.Name
			}
			pr = &fhir.PractitionerRole{
				DomainResource: fhir.DomainResource{ResourceType: "PractitionerRole", ID: practitionerRoleID(u, r.Org), Meta: &fhir.Meta{LastUpdated: now}},
				Practitioner:   &fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemSDSUserR4, Value: u.ID}},
				Organization:   org,
			}
			byOrg[r.Org] = pr
			out = append(out, pr)
		}
		pr.Code = append(pr.Code, fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.CSBusinessFunctionR4, Code: string(r.BusinessFunction)}}})
	}
	return out
}

// practitionerRoleID is the first PractitionerRole id the user record gives
// for the organisation, or PractitionerRole-<ODS>-<SDS id>.
func practitionerRoleID(u *store.User, org string) string {
	for _, r := range u.Roles {
		if r.Org == org && r.ID != "" {
			return r.ID
		}
	}
	return "PractitionerRole-" + org + "-" + u.ID
}
