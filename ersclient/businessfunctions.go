package ersclient

import (
	"context"
	"fmt"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// RoleChoice is one role the user holds at one organisation: what the user
// picks at sign-in, and what then goes into the context headers.
type RoleChoice struct {
	// Organisation is the ODS code (NHSD-End-User-Organisation-ODS).
	Organisation string
	// OrganisationName is the organisation's display, when e-RS sent one.
	OrganisationName string
	// Role is the business function (NHSD-eRS-Business-Function).
	Role               BusinessFunction
	PractitionerRoleID string
	// SDSUserID is the user's own SDS id.
	SDSUserID string
}

// Context is the user context for acting in this role. A clinician admin
// still has to pick whom to act for (RetrieveOnBehalfOfUsers).
func (rc RoleChoice) Context() UserContext {
	return UserContext{BusinessFunction: rc.Role, Organisation: rc.Organisation}
}

// Label is "Role at ORG (Name)", for a picker.
func (rc RoleChoice) Label() string {
	org := rc.Organisation
	if rc.OrganisationName != "" {
		org += " (" + rc.OrganisationName + ")"
	}
	return rc.Role.Label() + " at " + org
}

// BusinessFunctions is the user's roles (A030), one choice per organisation
// and role, in the order e-RS sent them.
type BusinessFunctions struct {
	ResponseInfo
	Choices []RoleChoice
	// Bundle is the raw response.
	Bundle *fhir.Bundle
}

// RetrieveBusinessFunctions is A030: the organisations and roles the signed-in
// user holds. Roles that cannot be sent in NHSD-eRS-Business-Function (e.g.
// SERVICE_DEFINER) are left out. It is the one call made before a role is
// chosen, so it sends no context headers.
//
// Roles: any authenticated user. Application-restricted: no.
func (c *Client) RetrieveBusinessFunctions(ctx context.Context) (*BusinessFunctions, error) {
	o := op(OpRetrieveBusinessFunctions)
	if c.opts.AppRestricted {
		return nil, invalid(o.ID, "business functions belong to a signed-in user; there are none with application-restricted access")
	}
	resp, err := fetch[fhir.Bundle](ctx, c, call{op: o})
	if err != nil {
		return nil, err
	}
	roles, err := fhir.Resources[fhir.PractitionerRole](resp.Resource, "PractitionerRole")
	if err != nil {
		return nil, &Error{Op: o.ID, Status: resp.Status, CorrelationID: resp.CorrelationID, RequestID: resp.RequestID,
			Kind: KindBadResponse, Err: fmt.Errorf("decoding PractitionerRole: %w", err)}
	}
	return &BusinessFunctions{ResponseInfo: resp.ResponseInfo, Choices: roleChoices(roles), Bundle: resp.Resource}, nil
}

// roleChoices flattens the roles into (organisation, role) choices, without
// repeats and without roles the header does not accept.
func roleChoices(roles []fhir.PractitionerRole) []RoleChoice {
	type key struct {
		org  string
		role BusinessFunction
	}
	seen := map[key]bool{}
	var out []RoleChoice
	for _, pr := range roles {
		base := RoleChoice{PractitionerRoleID: pr.ID}
		if pr.Organization != nil {
			base.OrganisationName = pr.Organization.Display
			if pr.Organization.Identifier != nil {
				base.Organisation = pr.Organization.Identifier.Value
			}
		}
		if pr.Practitioner != nil && pr.Practitioner.Identifier != nil {
			base.SDSUserID = pr.Practitioner.Identifier.Value
		}
		if base.Organisation == "" {
			continue // no organisation, nothing to put in the ODS header
		}
		for _, cc := range pr.Code {
			for _, cd := range cc.Coding {
				if cd.System != "" && cd.System != fhir.CSBusinessFunctionR4 {
					continue
				}
				bf := BusinessFunction(cd.Code)
				k := key{base.Organisation, bf}
				if !bf.Valid() || seen[k] {
					continue
				}
				seen[k] = true
				choice := base
				choice.Role = bf
				out = append(out, choice)
			}
		}
	}
	return out
}

// For returns the choices at one organisation.
func (b *BusinessFunctions) For(organisation string) []RoleChoice {
	var out []RoleChoice
	for _, c := range b.Choices {
		if c.Organisation == organisation {
			out = append(out, c)
		}
	}
	return out
}

// Clinician is a service provider clinician a clinician admin may act for.
type Clinician struct {
	// SDSUserID goes into NHSD-eRS-On-Behalf-Of-User-ID.
	SDSUserID string
	// Name is the clinician's name, when e-RS sent one.
	Name string
}

// OnBehalfOfUsers is the answer of A040.
type OnBehalfOfUsers struct {
	ResponseInfo
	Clinicians []Clinician
	// Bundle is the raw response.
	Bundle *fhir.Bundle
}

// RetrieveOnBehalfOfUsers is A040: the service provider clinicians the
// clinician admin may act on behalf of. Put the chosen SDSUserID into
// UserContext.OnBehalfOf.
//
// Roles: SPCA only. Application-restricted: no.
func (c *Client) RetrieveOnBehalfOfUsers(ctx context.Context) (*OnBehalfOfUsers, error) {
	o := op(OpRetrieveOnBehalfOfUsers)
	if c.opts.AppRestricted {
		return nil, invalid(o.ID, "acting on behalf of a clinician needs a signed-in clinician admin, not application-restricted access")
	}
	if bf := c.opts.Context.BusinessFunction; bf != "" && bf != ServiceProviderClinicianAdmin {
		return nil, invalid(o.ID, "only a service provider clinician admin acts on behalf of others; you are acting as %s", bf.Label())
	}
	resp, err := fetch[fhir.Bundle](ctx, c, call{op: o, query: map[string][]string{"_query": {"onBehalfOf"}}})
	if err != nil {
		return nil, err
	}
	practitioners, err := fhir.Resources[fhir.Practitioner](resp.Resource, "Practitioner")
	if err != nil {
		return nil, &Error{Op: o.ID, Status: resp.Status, CorrelationID: resp.CorrelationID, RequestID: resp.RequestID,
			Kind: KindBadResponse, Err: fmt.Errorf("decoding Practitioner: %w", err)}
	}
	out := &OnBehalfOfUsers{ResponseInfo: resp.ResponseInfo, Bundle: resp.Resource}
	for _, p := range practitioners {
		id := p.ID
		if id == "" {
			id = fhir.FindIdentifier(p.Identifier.Items, fhir.SystemSDSUserR4)
		}
		if id == "" {
			continue
		}
		out.Clinicians = append(out.Clinicians, Clinician{SDSUserID: id, Name: fhir.DisplayName(p.Name)})
	}
	return out, nil
}
