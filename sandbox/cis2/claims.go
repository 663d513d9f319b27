package cis2

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// The ForgeRock values every CIS2 ID token carries (notes 1.5).
const (
	TokenName = "id_token"
	TokenType = "JWTToken"
	Realm     = "/NHSIdentity/Healthcare"
)

// IDToken is the claim set of a CIS2 ID token, in the shape of the ISA
// fixture cis2_subject_token_claims (notes 1.5): the assurance levels are
// numbers, aud is the client id as a string.
type IDToken struct {
	Issuer                       string   `json:"iss"`
	Subject                      string   `json:"sub"`
	Audience                     string   `json:"aud"`
	AuthorizedParty              string   `json:"azp"`
	Expiry                       int64    `json:"exp"`
	IssuedAt                     int64    `json:"iat"`
	AuthTime                     int64    `json:"auth_time"`
	Nonce                        string   `json:"nonce,omitempty"`
	ACR                          string   `json:"acr"`
	AMR                          []string `json:"amr"`
	IDAssuranceLevel             int      `json:"id_assurance_level"`
	AuthenticationAssuranceLevel int      `json:"authentication_assurance_level"`
	SessionID                    string   `json:"sid"`
	SelectedRoleID               string   `json:"selected_roleid,omitempty"`
	AtHash                       string   `json:"at_hash,omitempty"`
	CHash                        string   `json:"c_hash,omitempty"`
	SHash                        string   `json:"s_hash,omitempty"`
	AuditTrackingID              string   `json:"auditTrackingId"`
	TokenName                    string   `json:"tokenName"`
	TokenType                    string   `json:"tokenType"`
	Realm                        string   `json:"realm"`
	Ops                          string   `json:"org.forgerock.openidconnect.ops"`
}

// Login is a completed sign-in: who, how, for which client and request.
type Login struct {
	Persona       Persona
	Authenticator Authenticator
	ClientID      string
	// Nonce is the authorize request's nonce, echoed in the ID token.
	Nonce string
	// ACR is the authorize request's acr_values entry the sign-in
	// satisfied; empty means the authenticator's DefaultACR.
	ACR string
	// AuthTime is when the user authenticated; zero means now.
	AuthTime time.Time
	// SessionID is the CIS2 session (sid); empty means a new random one.
	SessionID string
	// SelectedRoleID is the person_roleid picked when the selectedrole
	// scope was requested.
	SelectedRoleID string
	// AccessToken, Code and State, when set, give at_hash, c_hash and
	// s_hash.
	AccessToken, Code, State string
}

// Errors of the claim builders, for errors.Is.
var (
	ErrAuthenticatorNotHeld = errors.New("cis2: the persona does not hold this authenticator")
	ErrACRNotSatisfied      = errors.New("cis2: the authenticator does not satisfy the requested acr value")
)

// IDTokenClaims builds the ID token claims of l, issued now. It refuses an
// authenticator the persona does not hold or one weaker than l.ACR.
func (p *Provider) IDTokenClaims(l Login) (IDToken, error) {
	if !l.Persona.allows(l.Authenticator) {
		return IDToken{}, fmt.Errorf("%w: %s with %s", ErrAuthenticatorNotHeld, l.Persona.Key, l.Authenticator)
	}
	acr := l.ACR
	if acr == "" {
		acr = l.Authenticator.DefaultACR()
	}
	if !l.Authenticator.Satisfies(acr) {
		return IDToken{}, fmt.Errorf("%w: %s for %s", ErrACRNotSatisfied, l.Authenticator, acr)
	}
	if l.ClientID == "" {
		return IDToken{}, errors.New("cis2: an ID token needs a client id")
	}
	now := p.now()
	authTime := l.AuthTime
	if authTime.IsZero() {
		authTime = now
	}
	sid := l.SessionID
	if sid == "" {
		sid = randomID()
	}
	return IDToken{
		Issuer: p.issuer, Subject: l.Persona.ID, Audience: l.ClientID, AuthorizedParty: l.ClientID,
		Expiry: now.Add(p.idLifetime).Unix(), IssuedAt: now.Unix(), AuthTime: authTime.Unix(),
		Nonce: l.Nonce, ACR: acr, AMR: l.Authenticator.AMR(),
		IDAssuranceLevel: l.Persona.IAL, AuthenticationAssuranceLevel: l.Authenticator.AAL(),
		SessionID: sid, SelectedRoleID: l.SelectedRoleID,
		AtHash: halfHash(l.AccessToken), CHash: halfHash(l.Code), SHash: halfHash(l.State),
		AuditTrackingID: randomID() + "-" + strconv.FormatInt(now.UnixNano()%1_000_000, 10),
		TokenName:       TokenName, TokenType: TokenType, Realm: Realm, Ops: randomID(),
	}, nil
}

// SignIDToken builds the claims of l and signs them RS256 with the current
// key (header typ JWT and kid).
func (p *Provider) SignIDToken(l Login) (string, IDToken, error) {
	c, err := p.IDTokenClaims(l)
	if err != nil {
		return "", IDToken{}, err
	}
	tok, err := p.keys.sign(c)
	if err != nil {
		return "", IDToken{}, err
	}
	return tok, c, nil
}

// halfHash is the OIDC at_hash/c_hash of s for RS256: the base64url of the
// left half of its SHA-256. Empty for an empty s.
func halfHash(s string) string {
	if s == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// randomID is 128 random bits, base64url.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// UserInfo is the userinfo response, holding the claims of the granted
// scopes only (notes 1.5). A claim of a granted scope is present even when
// empty (an empty role list is []).
type UserInfo struct {
	Subject string `json:"sub"`
	// profile
	Name       string `json:"name,omitzero"`
	FamilyName string `json:"family_name,omitzero"`
	GivenName  string `json:"given_name,omitzero"`
	UID        string `json:"uid,omitzero"`
	// email
	Email string `json:"email,omitzero"`
	// nhsperson; idassurancelevel is a string in userinfo, unlike the
	// number in the ID token.
	NHSIDUserUID     string `json:"nhsid_useruid,omitzero"`
	Title            string `json:"title,omitzero"`
	IDAssuranceLevel string `json:"idassurancelevel,omitzero"`
	Initials         string `json:"initials,omitzero"`
	MiddleNames      string `json:"middle_names,omitzero"`
	DisplayName      string `json:"display_name,omitzero"`
	// nationalrbacaccess
	NRBACRoles []NRBACRoleClaim `json:"nhsid_nrbac_roles,omitzero"`
	// associatedorgs
	UserOrgs []UserOrgClaim `json:"nhsid_user_orgs,omitzero"`
	// selectedrole
	SelectedRoleID string `json:"selected_roleid,omitzero"`
}

// NRBACRoleClaim is one element of nhsid_nrbac_roles.
type NRBACRoleClaim struct {
	OrgCode       string   `json:"org_code"`
	PersonOrgID   string   `json:"person_orgid"`
	PersonRoleID  string   `json:"person_roleid"`
	RoleCode      string   `json:"role_code"`
	RoleName      string   `json:"role_name"`
	Activities    []string `json:"activities,omitempty"`
	ActivityCodes []string `json:"activity_codes,omitempty"`
}

// UserOrgClaim is one element of nhsid_user_orgs.
type UserOrgClaim struct {
	OrgCode string `json:"org_code"`
	OrgName string `json:"org_name"`
}

// UserInfo builds the userinfo claims of the persona for the granted
// scopes. selectedRoleID is reported under the selectedrole scope.
func (p Persona) UserInfo(scopes []string, selectedRoleID string) UserInfo {
	u := UserInfo{Subject: p.ID}
	has := func(s string) bool { return slices.Contains(scopes, s) }
	if has(ScopeProfile) {
		u.Name, u.FamilyName, u.GivenName, u.UID = p.DisplayName(), p.Family, p.Given, p.ID
	}
	if has(ScopeEmail) {
		u.Email = p.Email
	}
	if has(ScopeNHSPerson) {
		u.NHSIDUserUID, u.Title, u.IDAssuranceLevel = p.ID, p.Title, strconv.Itoa(p.IAL)
		u.Initials, u.MiddleNames, u.DisplayName = p.initials(), p.MiddleNames, p.DisplayName()
	}
	if has(ScopeNationalRBACAccess) {
		u.NRBACRoles = make([]NRBACRoleClaim, 0, len(p.RBAC))
		for _, r := range p.RBAC {
			u.NRBACRoles = append(u.NRBACRoles, NRBACRoleClaim{
				OrgCode: r.OrgCode, PersonOrgID: r.PersonOrgID, PersonRoleID: r.PersonRoleID,
				RoleCode: r.RoleCode, RoleName: r.RoleName,
				Activities: slices.Clone(r.Activities), ActivityCodes: slices.Clone(r.ActivityCodes),
			})
		}
	}
	if has(ScopeAssociatedOrgs) {
		u.UserOrgs = make([]UserOrgClaim, 0, len(p.Orgs))
		for _, o := range p.Orgs {
			u.UserOrgs = append(u.UserOrgs, UserOrgClaim{OrgCode: o.Code, OrgName: o.Name})
		}
	}
	if has(ScopeSelectedRole) {
		u.SelectedRoleID = selectedRoleID
	}
	return u
}

func (p Persona) initials() string {
	var b []byte
	for _, n := range []string{p.Given, p.MiddleNames, p.Family} {
		if n != "" {
			b = append(b, n[0])
		}
	}
	return string(b)
}

// claimsSupported lists the claims of ID tokens and userinfo for discovery.
func claimsSupported() []string {
	return []string{"iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "acr", "amr",
		"id_assurance_level", "authentication_assurance_level", "sid", "selected_roleid",
		"name", "family_name", "given_name", "uid", "email", "nhsid_useruid", "title", "idassurancelevel",
		"initials", "middle_names", "display_name", "nhsid_nrbac_roles", "nhsid_user_orgs"}
}
