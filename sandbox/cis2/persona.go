package cis2

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Persona is a healthcare worker who can sign in to the mock: who they are
// in CIS2 (UID, names, identity assurance, RBAC roles, organisations, the
// authenticators they hold) and which e-RS business functions they have, so
// the e-RS simulator can be seeded with the same user (User).
type Persona struct {
	// Key names the persona in login_hint and on the sign-in page.
	Key         string
	Description string
	// ID is the 12-digit CIS2 UID: the sub claim, nhsid_useruid and the SDS
	// user id e-RS knows the user by.
	ID          string
	Title       string
	Given       string
	MiddleNames string
	Family      string
	Email       string
	// IAL is the identity assurance level (e-RS requires 3).
	IAL int
	// Authenticators are the ways the persona may sign in.
	Authenticators []Authenticator
	// RBAC are the national RBAC roles (nhsid_nrbac_roles). They are not
	// e-RS business functions: e-RS is the authority on those (Roles).
	RBAC []RBACRole
	// Orgs are the associated organisations (nhsid_user_orgs).
	Orgs []Organisation
	// Roles are the e-RS business functions A030 returns for the user.
	Roles []store.Role
	// OnBehalfOf lists, per organisation, the clinicians (SDS ids) a
	// clinician admin may act for (A040).
	OnBehalfOf map[string][]string
}

// RBACRole is one entry of nhsid_nrbac_roles.
type RBACRole struct {
	OrgCode       string
	PersonOrgID   string
	PersonRoleID  string
	RoleCode      string
	RoleName      string
	Activities    []string
	ActivityCodes []string
}

// Organisation is one entry of nhsid_user_orgs.
type Organisation struct {
	Code string
	Name string
}

// The persona keys.
const (
	PersonaReferrer          = "referrer"
	PersonaProviderClinician = "provider-clinician"
	PersonaProviderAdmin     = "provider-admin"
	PersonaClinicianAdmin    = "clinician-admin"
	PersonaAAL2Only          = "aal2-only"
	PersonaAAL1              = "aal1"
	PersonaIAL2              = "ial2"
	PersonaNoERSRoles        = "no-ers-roles"
	PersonaOrgNotAllowed     = "org-not-allowed"
)

// The organisations of the personas. The codes are those the synthetic
// e-RS seed generates (practices Y10001..., trusts RV1...), so a seeded
// simulator knows them; their names are the seed's too (orgName).
// NotAllowedODS is a real practice of the seed that
// application registries are expected to leave out of their ODS allow-list.
const (
	ReferrerODS   = "Y10001"
	SecondGPODS   = "Y10002"
	ProviderODS   = "RV1"
	NotAllowedODS = "Y10004"
)

// orgName is the name CIS2 gives an organisation of the personas: the
// seed's, so that the ID token, e-RS (A030) and the workstation agree.
func orgName(ods string) string {
	if name, ok := seed.NamedOrganisation(ods); ok {
		return name
	}
	return ods
}

// The national RBAC roles the personas hold.
const (
	rbacClinicalCode = "S8000:G8000:R8000"
	rbacClinicalName = `"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"`
	rbacAdminCode    = "S8000:G8001:R8008"
	rbacAdminName    = `"Admin & Clerical":"Admin & Clerical":"Admin/Clinical Support Access Role"`
)

// Personas returns the personas of notes 7.1 and issue 4, freshly built:
// callers may change their copy.
func Personas() []Persona {
	rc, spc, spa, spca, ra := ersclient.ReferringClinician, ersclient.ServiceProviderClinician,
		ersclient.ServiceProviderAdmin, ersclient.ServiceProviderClinicianAdmin, ersclient.ReferringAdmin
	all := []Authenticator{Smartcard, FIDO2, TOTP}
	ps := []Persona{
		newPersona(PersonaReferrer, "GP referring clinician at two practices, IAL3, smartcard/FIDO2/TOTP",
			"656005750104", "Dr", "Amelia", "Hart", 3, all, clinical(ReferrerODS, SecondGPODS),
			erole(ReferrerODS, rc), erole(SecondGPODS, rc)),
		newPersona(PersonaProviderClinician, "Service provider clinician at a trust, IAL3",
			"656005750105", "Dr", "Bilal", "Chowdhury", 3, all, clinical(ProviderODS), erole(ProviderODS, spc)),
		newPersona(PersonaProviderAdmin, "Service provider admin at a trust, IAL3",
			"656005750106", "", "Carys", "Doyle", 3, all, admin(ProviderODS), erole(ProviderODS, spa)),
		newPersona(PersonaClinicianAdmin, "Service provider clinician admin acting for two clinicians, IAL3",
			"656005750112", "", "Dominic", "Ellis", 3, all, admin(ProviderODS), erole(ProviderODS, spca)),
		newPersona(PersonaAAL2Only, "Service provider clinician with TOTP only (AAL2), IAL3: e-RS accepts",
			"656005750109", "Dr", "Esther", "Fofana", 3, []Authenticator{TOTP}, clinical(ProviderODS), erole(ProviderODS, spc)),
		newPersona(PersonaAAL1, "Referring admin with a password only (AAL1): APIM refuses the exchange",
			"656005750110", "", "Felix", "Grant", 3, []Authenticator{Password}, admin(ReferrerODS), erole(ReferrerODS, ra)),
		newPersona(PersonaIAL2, "Referring clinician with identity assurance 2: e-RS refuses",
			"656005750107", "Dr", "Gemma", "Holt", 2, all, clinical(ReferrerODS), erole(ReferrerODS, rc)),
		newPersona(PersonaNoERSRoles, "CIS2 user with RBAC roles but no e-RS business function (empty A030)",
			"656005750108", "", "Hamza", "Idris", 3, all, clinical(ReferrerODS)),
		newPersona(PersonaOrgNotAllowed, "Referring clinician at a practice outside the application's ODS allow-list",
			"656005750111", "Dr", "Isla", "Jensen", 3, all, clinical(NotAllowedODS), erole(NotAllowedODS, rc)),
	}
	// The clinician admin acts for the two provider clinicians.
	for i := range ps {
		if ps[i].Key == PersonaClinicianAdmin {
			ps[i].OnBehalfOf = map[string][]string{ProviderODS: {"656005750105", "656005750109"}}
		}
	}
	return ps
}

// FindPersona returns the persona named key.
func FindPersona(ps []Persona, key string) (Persona, bool) {
	i := slices.IndexFunc(ps, func(p Persona) bool { return p.Key == key })
	if i < 0 {
		return Persona{}, false
	}
	return ps[i], true
}

// rbacSpec is an RBAC role at some organisations, filled in per persona.
type rbacSpec struct {
	code, name string
	orgs       []string
}

func clinical(orgs ...string) rbacSpec { return rbacSpec{rbacClinicalCode, rbacClinicalName, orgs} }
func admin(orgs ...string) rbacSpec    { return rbacSpec{rbacAdminCode, rbacAdminName, orgs} }

func erole(org string, bf ersclient.BusinessFunction) store.Role {
	return store.Role{Org: org, BusinessFunction: bf}
}

func newPersona(key, desc, id, title, given, family string, ial int, auths []Authenticator, rbac rbacSpec, roles ...store.Role) Persona {
	p := Persona{
		Key: key, Description: desc, ID: id, Title: title, Given: given, Family: family,
		Email: fmt.Sprintf("%s.%s@nhs.invalid", strings.ToLower(given), strings.ToLower(family)),
		IAL:   ial, Authenticators: auths,
	}
	for i, org := range rbac.orgs {
		// person_orgid and person_roleid are 12-digit ids of their own in
		// CIS2; derive stable ones from the UID.
		p.RBAC = append(p.RBAC, RBACRole{
			OrgCode: org, PersonOrgID: fmt.Sprintf("7%s%d", id[1:10], 10+i),
			PersonRoleID: fmt.Sprintf("5%s%d", id[1:10], 10+i), RoleCode: rbac.code, RoleName: rbac.name,
		})
		p.Orgs = append(p.Orgs, Organisation{Code: org, Name: orgName(org)})
	}
	for _, r := range roles {
		// The PractitionerRole id convention of package seed.
		r.ID = "PractitionerRole-" + r.Org + "-" + id
		p.Roles = append(p.Roles, r)
	}
	return p
}

// User is the persona as the e-RS simulator stores it. The result shares
// nothing with p.
func (p Persona) User() *store.User {
	u := &store.User{ID: p.ID, Given: p.Given, Family: p.Family, Title: p.Title, Roles: slices.Clone(p.Roles)}
	if p.OnBehalfOf != nil {
		u.OnBehalfOf = make(map[string][]string, len(p.OnBehalfOf))
		for org, ids := range maps.All(p.OnBehalfOf) {
			u.OnBehalfOf[org] = slices.Clone(ids)
		}
	}
	return u
}

// DisplayName is the name CIS2 shows ("Dr Amelia Hart").
func (p Persona) DisplayName() string {
	n := p.Given + " " + p.Family
	if p.Title != "" {
		n = p.Title + " " + n
	}
	return n
}
