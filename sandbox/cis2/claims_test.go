package cis2

import (
	"encoding/json"
	"errors"
	"maps"
	"regexp"
	"slices"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

func TestPersonasCoverTheCasesOfTheNotes(t *testing.T) {
	ps := Personas()
	twelve := regexp.MustCompile(`^[0-9]{12}$`)
	ids := map[string]bool{}
	for _, p := range ps {
		if !twelve.MatchString(p.ID) {
			t.Errorf("%s: id %q is not 12 digits", p.Key, p.ID)
		}
		if ids[p.ID] {
			t.Errorf("%s: id %q is used twice", p.Key, p.ID)
		}
		ids[p.ID] = true
		if p.Given == "" || p.Family == "" || len(p.Authenticators) == 0 || p.IAL == 0 {
			t.Errorf("%s is incomplete: %+v", p.Key, p)
		}
	}
	get := func(key string) Persona {
		p, ok := FindPersona(ps, key)
		if !ok {
			t.Fatalf("no persona %q", key)
		}
		return p
	}
	t.Run("the referrer is a referring clinician at two organisations", func(t *testing.T) {
		u := get(PersonaReferrer).User()
		if !u.Has(ReferrerODS, ersclient.ReferringClinician) || !u.Has(SecondGPODS, ersclient.ReferringClinician) {
			t.Fatalf("roles %+v", u.Roles)
		}
	})
	t.Run("the clinician admin acts for provider clinicians", func(t *testing.T) {
		u := get(PersonaClinicianAdmin).User()
		if !u.Has(ProviderODS, ersclient.ServiceProviderClinicianAdmin) || len(u.OnBehalfOf[ProviderODS]) < 2 {
			t.Fatalf("user %+v", u)
		}
		for _, id := range u.OnBehalfOf[ProviderODS] {
			i := slices.IndexFunc(ps, func(p Persona) bool { return p.ID == id })
			if i < 0 || !ps[i].User().Has(ProviderODS, ersclient.ServiceProviderClinician) {
				t.Errorf("on-behalf-of target %s is not a provider clinician persona", id)
			}
		}
	})
	t.Run("the provider personas hold their business function", func(t *testing.T) {
		if !get(PersonaProviderClinician).User().Has(ProviderODS, ersclient.ServiceProviderClinician) ||
			!get(PersonaProviderAdmin).User().Has(ProviderODS, ersclient.ServiceProviderAdmin) {
			t.Fatal("missing role")
		}
	})
	t.Run("the AAL2-only user holds only TOTP and the AAL1 user only a password", func(t *testing.T) {
		if a := get(PersonaAAL2Only).Authenticators; !slices.Equal(a, []Authenticator{TOTP}) {
			t.Errorf("aal2-only: %v", a)
		}
		if a := get(PersonaAAL1).Authenticators; !slices.Equal(a, []Authenticator{Password}) {
			t.Errorf("aal1: %v", a)
		}
	})
	t.Run("the IAL2 user has identity assurance 2", func(t *testing.T) {
		if get(PersonaIAL2).IAL != 2 {
			t.Fatal("not IAL2")
		}
	})
	t.Run("the user with no e-RS roles still has CIS2 RBAC roles", func(t *testing.T) {
		p := get(PersonaNoERSRoles)
		if len(p.User().Roles) != 0 || len(p.RBAC) == 0 {
			t.Fatalf("%+v", p)
		}
	})
	t.Run("the user whose organisation is not allowed works at NotAllowedODS", func(t *testing.T) {
		if !get(PersonaOrgNotAllowed).User().Has(NotAllowedODS, ersclient.ReferringClinician) {
			t.Fatal("missing role")
		}
	})
	t.Run("roles carry the PractitionerRole id of the seed", func(t *testing.T) {
		r := get(PersonaReferrer).User().Roles[0]
		if r.ID != "PractitionerRole-"+r.Org+"-656005750104" {
			t.Fatalf("role id %q", r.ID)
		}
	})
}

func TestUserSharesNothingWithThePersona(t *testing.T) {
	p, _ := FindPersona(Personas(), PersonaClinicianAdmin)
	u := p.User()
	u.Roles[0].Org = "X"
	u.OnBehalfOf[ProviderODS][0] = "X"
	if p.Roles[0].Org == "X" || p.OnBehalfOf[ProviderODS][0] == "X" {
		t.Fatal("the user aliases the persona")
	}
}

func TestIDTokenClaimShapesPerPersona(t *testing.T) {
	m := newMock(t)
	for _, p := range Personas() {
		a := p.Authenticators[0]
		t.Run(p.Key+" signed in with "+string(a)+" gets the CIS2 claims", func(t *testing.T) {
			raw, _, err := m.p.SignIDToken(Login{Persona: p, Authenticator: a, ClientID: testClientID,
				Nonce: "nonce-1", SessionID: "sid-1", AccessToken: "at", Code: "code"})
			if err != nil {
				t.Fatal(err)
			}
			c := payload(t, raw)
			wantStr := map[string]string{
				"iss": m.p.Issuer(), "sub": p.ID, "aud": testClientID, "azp": testClientID, "nonce": "nonce-1",
				"sid": "sid-1", "acr": a.DefaultACR(), "tokenName": "id_token", "tokenType": "JWTToken",
				"realm": "/NHSIdentity/Healthcare", "at_hash": halfHash("at"), "c_hash": halfHash("code"),
			}
			for k, want := range wantStr {
				if c[k] != want {
					t.Errorf("%s = %#v, want %q", k, c[k], want)
				}
			}
			wantNum := map[string]float64{
				"id_assurance_level": float64(p.IAL), "authentication_assurance_level": float64(a.AAL()),
				"iat": float64(m.clock.Now().Unix()), "auth_time": float64(m.clock.Now().Unix()),
				"exp": float64(m.clock.Now().Unix() + 3600),
			}
			for k, want := range wantNum {
				if c[k] != want {
					t.Errorf("%s = %#v, want the number %v", k, c[k], want)
				}
			}
			if amr, ok := c["amr"].([]any); !ok || len(amr) != 1 || amr[0] != a.AMR()[0] {
				t.Errorf("amr = %#v", c["amr"])
			}
			for _, k := range []string{"auditTrackingId", "org.forgerock.openidconnect.ops"} {
				if s, ok := c[k].(string); !ok || s == "" {
					t.Errorf("%s = %#v", k, c[k])
				}
			}
		})
	}
}

func TestAuthenticatorsGiveTheirAssuranceLevels(t *testing.T) {
	for _, tc := range []struct {
		a   Authenticator
		aal int
		amr string
	}{{Smartcard, 3, "N3_SMARTCARD"}, {FIDO2, 3, "FIDO2"}, {TOTP, 2, "TOTP"}, {Password, 1, "USERPASS"}} {
		t.Run(string(tc.a)+" is AAL"+string(rune('0'+tc.aal)), func(t *testing.T) {
			if tc.a.AAL() != tc.aal || tc.a.AMR()[0] != tc.amr {
				t.Fatalf("AAL %d AMR %v", tc.a.AAL(), tc.a.AMR())
			}
		})
	}
}

func TestTheBuilderRefusesWhatTheSignInPageWould(t *testing.T) {
	m := newMock(t)
	ps := Personas()
	aal2, _ := FindPersona(ps, PersonaAAL2Only)
	ref, _ := FindPersona(ps, PersonaReferrer)
	for _, tc := range []struct {
		name string
		l    Login
		want error
	}{
		{"an authenticator the persona does not hold", Login{Persona: aal2, Authenticator: Smartcard, ClientID: testClientID}, ErrAuthenticatorNotHeld},
		{"TOTP when AAL3_ANY was asked", Login{Persona: aal2, Authenticator: TOTP, ClientID: testClientID, ACR: ACRAAL3Any}, ErrACRNotSatisfied},
		{"FIDO2 when a smartcard was asked", Login{Persona: ref, Authenticator: FIDO2, ClientID: testClientID, ACR: ACRAAL3Smartcard}, ErrACRNotSatisfied},
		{"an unknown acr value", Login{Persona: ref, Authenticator: Smartcard, ClientID: testClientID, ACR: "AAL9"}, ErrACRNotSatisfied},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			if _, err := m.p.IDTokenClaims(tc.l); !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("TOTP when AAL2_OR_AAL3_ANY was asked is accepted and echoes the acr", func(t *testing.T) {
		c, err := m.p.IDTokenClaims(Login{Persona: aal2, Authenticator: TOTP, ClientID: testClientID, ACR: ACRAAL2OrAAL3})
		if err != nil {
			t.Fatal(err)
		}
		if c.ACR != ACRAAL2OrAAL3 || c.AuthenticationAssuranceLevel != 2 || c.SessionID == "" {
			t.Fatalf("%+v", c)
		}
	})
}

func TestUserInfoHoldsTheClaimsOfTheGrantedScopesOnly(t *testing.T) {
	p, _ := FindPersona(Personas(), PersonaReferrer)
	decode := func(t *testing.T, u UserInfo) map[string]any {
		t.Helper()
		b, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Run("openid alone gives sub only", func(t *testing.T) {
		if m := decode(t, p.UserInfo([]string{ScopeOpenID}, "")); len(m) != 1 || m["sub"] != p.ID {
			t.Fatalf("%v", m)
		}
	})
	t.Run("every scope gives the CIS2 claim names and shapes", func(t *testing.T) {
		roleID := p.RBAC[0].PersonRoleID
		m := decode(t, p.UserInfo([]string{ScopeOpenID, ScopeProfile, ScopeEmail, ScopeNHSPerson,
			ScopeNationalRBACAccess, ScopeAssociatedOrgs, ScopeSelectedRole}, roleID))
		want := map[string]any{
			"sub": p.ID, "name": "Dr Amelia Hart", "family_name": "Hart", "given_name": "Amelia", "uid": p.ID,
			"email": "amelia.hart@nhs.invalid", "nhsid_useruid": p.ID, "title": "Dr", "idassurancelevel": "3",
			"initials": "AH", "display_name": "Dr Amelia Hart", "selected_roleid": roleID,
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s = %#v, want %#v", k, m[k], v)
			}
		}
		roles, ok := m["nhsid_nrbac_roles"].([]any)
		if !ok || len(roles) != 2 {
			t.Fatalf("nhsid_nrbac_roles = %#v", m["nhsid_nrbac_roles"])
		}
		r0 := roles[0].(map[string]any)
		keys := slices.Sorted(maps.Keys(r0))
		if !slices.Equal(keys, []string{"org_code", "person_orgid", "person_roleid", "role_code", "role_name"}) {
			t.Errorf("role keys %v", keys)
		}
		if r0["org_code"] != ReferrerODS || r0["role_code"] != "S8000:G8000:R8000" {
			t.Errorf("role %v", r0)
		}
		orgs, ok := m["nhsid_user_orgs"].([]any)
		if !ok || len(orgs) != 2 || orgs[1].(map[string]any)["org_code"] != SecondGPODS || orgs[1].(map[string]any)["org_name"] == "" {
			t.Fatalf("nhsid_user_orgs = %#v", m["nhsid_user_orgs"])
		}
	})
	t.Run("a granted scope with nothing in it gives an empty list", func(t *testing.T) {
		q := p
		q.RBAC = nil
		m := decode(t, q.UserInfo([]string{ScopeOpenID, ScopeNationalRBACAccess}, ""))
		if roles, ok := m["nhsid_nrbac_roles"].([]any); !ok || len(roles) != 0 {
			t.Fatalf("nhsid_nrbac_roles = %#v", m["nhsid_nrbac_roles"])
		}
	})
}
