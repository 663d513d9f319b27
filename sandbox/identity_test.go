package sandbox

import (
	"net/http"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The official A030 and A040 examples' users.
const (
	userMultiOrg = "000000000101" // SERVICE_DEFINER, SPC and SPA at R69; RC at R68
	userOBOOnly  = "111111111111" // the clinician of the A040 example
)

func h5IdentityWorld(st *store.State) {
	st.Users[userMultiOrg] = &store.User{ID: userMultiOrg, Given: "Morgan", Family: "Many", Roles: []store.Role{
		{Org: "R69", BusinessFunction: "SERVICE_DEFINER", ID: "PractitionerRole-R69-000000000101"},
		{Org: "R69", BusinessFunction: ersclient.ServiceProviderClinician, ID: "PractitionerRole-R69-000000000101"},
		{Org: "R69", BusinessFunction: ersclient.ServiceProviderAdmin, ID: "PractitionerRole-R69-000000000101"},
		{Org: "R68", BusinessFunction: ersclient.ReferringClinician},
		{Org: "R68", BusinessFunction: ersclient.ReferringClinician}, // a repeat is listed once
	}}
	// The clinician admin also acts, at the other trust, for a clinician
	// the directory does not hold.
	u := st.Users[userRCA]
	u.Roles = append(u.Roles, store.Role{Org: orgTrust2, BusinessFunction: ersclient.ServiceProviderClinicianAdmin})
	u.OnBehalfOf[orgTrust2] = []string{userOBOOnly}
	// And a clinician admin who acts for nobody.
	st.Users["555000000404"] = &store.User{ID: "555000000404", Given: "Nora", Family: "Nobody",
		Roles: []store.Role{{Org: orgTrust, BusinessFunction: ersclient.ServiceProviderClinicianAdmin}}}
}

func TestBusinessFunctionsListEachOrganisationsRoles(t *testing.T) {
	e := newTestEnv(t, h5IdentityWorld)
	bf, err := e.client(userRCA, "", "", "").RetrieveBusinessFunctions(h5Ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []ersclient.RoleChoice{
		{Organisation: orgGP, OrganisationName: "Test Surgery", Role: ersclient.ReferringClinicianAdmin, PractitionerRoleID: "PractitionerRole-D82106-REFERRING_CLINICIAN_ADMIN", SDSUserID: userRCA},
		{Organisation: orgTrust, OrganisationName: "Test Hospitals NHS Trust", Role: ersclient.ServiceProviderClinicianAdmin, PractitionerRoleID: "PractitionerRole-RCD-SERVICE_PROVIDER_CLINICIAN_ADMIN", SDSUserID: userRCA},
		{Organisation: orgTrust2, OrganisationName: "Other Hospitals NHS Trust", Role: ersclient.ServiceProviderClinicianAdmin, PractitionerRoleID: "PractitionerRole-R69-" + userRCA, SDSUserID: userRCA},
	}
	if len(bf.Choices) != len(want) {
		t.Fatalf("choices %+v", bf.Choices)
	}
	for i := range want {
		if bf.Choices[i] != want[i] {
			t.Errorf("choice %d = %+v, want %+v", i, bf.Choices[i], want[i])
		}
	}
	if bf.Bundle.Type != "searchset" || bf.Bundle.LinkURL("self") != e.srv.URL+BasePath+"/R4/PractitionerRole" || *bf.Bundle.Total != 3 {
		t.Errorf("bundle %+v", bf.Bundle)
	}
}

func TestBusinessFunctionsKeepRolesTheHeaderCannotCarry(t *testing.T) {
	e := newTestEnv(t, h5IdentityWorld)
	status, _, body := e.raw(http.MethodGet, BasePath+"/R4/PractitionerRole", "", map[string]string{HeaderSandboxUser: userMultiOrg})
	if status != 200 {
		t.Fatalf("status %d %s", status, body)
	}
	var b fhir.Bundle
	if err := fhir.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	roles, _ := fhir.Resources[fhir.PractitionerRole](&b, "PractitionerRole")
	if len(roles) != 2 || len(roles[0].Code) != 3 || roles[0].Code[0].Coding[0].Code != "SERVICE_DEFINER" || len(roles[1].Code) != 1 {
		t.Errorf("roles %+v", roles)
	}
	bf, err := e.client(userMultiOrg, "", "", "").RetrieveBusinessFunctions(h5Ctx(t))
	if err != nil || len(bf.Choices) != 3 {
		t.Errorf("the client should see 3 header roles: %+v %v", bf, err)
	}
}

func TestBusinessFunctionsHaveTheShapeOfTheOfficialExample(t *testing.T) {
	e := newTestEnv(t, h5IdentityWorld)
	want := h5Fixture(t, e, "r4", "retrieveBusinessFunctions", "responses", "PractitionerRoleBundle.json")
	_, _, body := e.raw(http.MethodGet, BasePath+"/R4/PractitionerRole", "", map[string]string{HeaderSandboxUser: userMultiOrg})
	got := h5JSON(t, body)
	h5SameJSON(t, "bundle", got, want, "id", "meta", "timestamp", "entry")
	ge, we := got["entry"].([]any), want["entry"].([]any)
	if len(ge) != len(we) {
		t.Fatalf("%d entries, want %d", len(ge), len(we))
	}
	for i := range we {
		g, w := ge[i].(map[string]any), we[i].(map[string]any)
		h5SameJSON(t, "entry", g, w, "resource")
		// R69 is a known organisation here, and the simulator names it:
		// the example has no display.
		gr := g["resource"].(map[string]any)
		delete(gr["organization"].(map[string]any), "display")
		h5SameJSON(t, "PractitionerRole", gr, w["resource"].(map[string]any), "meta")
	}
}

func TestBusinessFunctionsRefusals(t *testing.T) {
	e := newTestEnv(t, h5IdentityWorld)
	cases := []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"a caller the simulator cannot name is refused", map[string]string{}, 403},
		{"an unknown user is refused", map[string]string{HeaderSandboxUser: "999999999999"}, 403},
		{"an application acting alone has no roles", map[string]string{HeaderSandboxApp: appProvider, HeaderSandboxAppRestricted: "true"}, 403},
		{"a bad token is refused", map[string]string{HeaderSandboxUser: userRC, "Authorization": ""}, 401},
		{"context headers are not needed", map[string]string{HeaderSandboxUser: userRC}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if status, _, body := e.raw(http.MethodGet, BasePath+"/R4/PractitionerRole", "", tc.headers); status != tc.status {
				t.Errorf("status %d %s, want %d", status, body, tc.status)
			}
		})
	}
}

func TestOnBehalfOfListsTheCliniciansAnAdminActsFor(t *testing.T) {
	e := newTestEnv(t, h5IdentityWorld)
	// A040 is called before a clinician is chosen: no on-behalf-of header.
	obo, err := e.client(userRCA, ersclient.ServiceProviderClinicianAdmin, orgTrust, "").RetrieveOnBehalfOfUsers(h5Ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(obo.Clinicians) != 1 || obo.Clinicians[0] != (ersclient.Clinician{SDSUserID: userSPC2, Name: "Dr Sara Consultant"}) {
		t.Errorf("clinicians %+v", obo.Clinicians)
	}
	if obo.Bundle.LinkURL("self") != e.srv.URL+BasePath+"/R4/Practitioner?_query=onBehalfOf" {
		t.Errorf("self link %q", obo.Bundle.LinkURL("self"))
	}
	// The list is per organisation.
	other, err := e.client(userRCA, ersclient.ServiceProviderClinicianAdmin, orgTrust2, "").RetrieveOnBehalfOfUsers(h5Ctx(t))
	if err != nil || len(other.Clinicians) != 1 || other.Clinicians[0].SDSUserID != userOBOOnly {
		t.Errorf("at %s: %+v %v", orgTrust2, other, err)
	}
	// The admin may also ask while acting for someone.
	if _, err := e.spca().RetrieveOnBehalfOfUsers(h5Ctx(t)); err != nil {
		t.Errorf("with on-behalf-of: %v", err)
	}
	none, err := e.client("555000000404", ersclient.ServiceProviderClinicianAdmin, orgTrust, "").RetrieveOnBehalfOfUsers(h5Ctx(t))
	if err != nil || len(none.Clinicians) != 0 || *none.Bundle.Total != 0 {
		t.Errorf("an admin acting for nobody: %+v %v", none, err)
	}
}

func TestOnBehalfOfHasTheShapeOfTheOfficialExample(t *testing.T) {
	e := newTestEnv(t, h5IdentityWorld)
	want := h5Fixture(t, e, "r4", "retrieveOboUsers", "responses", "PractitionerBundle.json")
	_, _, body := e.raw(http.MethodGet, BasePath+"/R4/Practitioner?_query=onBehalfOf", "", userHeaders(userRCA, ersclient.ServiceProviderClinicianAdmin, orgTrust2))
	got := h5JSON(t, body)
	h5SameJSON(t, "bundle", got, want, "id", "meta", "timestamp", "entry")
	ge, we := got["entry"].([]any), want["entry"].([]any)
	if len(ge) != 1 || len(we) != 1 {
		t.Fatalf("%d entries, want 1", len(ge))
	}
	g, w := ge[0].(map[string]any), we[0].(map[string]any)
	// The example's fullUrl is relative; the simulator's is absolute, as
	// in its other bundles.
	if g["fullUrl"] != e.srv.URL+BasePath+"/R4/Practitioner/"+userOBOOnly {
		t.Errorf("fullUrl %v", g["fullUrl"])
	}
	h5SameJSON(t, "entry", g, w, "resource", "fullUrl")
	h5SameJSON(t, "Practitioner", g["resource"].(map[string]any), w["resource"].(map[string]any), "meta")
}

func TestOnBehalfOfRefusals(t *testing.T) {
	e := newTestEnv(t, h5IdentityWorld)
	spca := userHeaders(userRCA, ersclient.ServiceProviderClinicianAdmin, orgTrust)
	cases := []struct {
		name    string
		query   string
		headers map[string]string
		status  int
		code    string
	}{
		{"_query is required", "", spca, 400, "REC_BAD_REQUEST"},
		{"another _query is refused", "?_query=everyone", spca, 400, "REC_BAD_REQUEST"},
		{"an unknown parameter is refused", "?_query=onBehalfOf&name=x", spca, 400, "REC_BAD_REQUEST"},
		{"a provider clinician may not ask", "?_query=onBehalfOf", userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust), 403, "ACCESS_DENIED"},
		{"a referring clinician may not ask", "?_query=onBehalfOf", userHeaders(userRC, ersclient.ReferringClinician, orgGP), 403, "ACCESS_DENIED"},
		{"the organisation header is required", "?_query=onBehalfOf", map[string]string{HeaderSandboxUser: userRCA, headerBusinessFunction: string(ersclient.ServiceProviderClinicianAdmin)}, 400, "MISSING_HEADER"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, BasePath+"/R4/Practitioner"+tc.query, "", tc.headers)
			if status != tc.status || outcomeCode(body) != tc.code {
				t.Errorf("status %d %s, want %d %s", status, body, tc.status, tc.code)
			}
		})
	}
}
