package ersclient

import (
	"context"
	"net/http"
	"testing"
)

func TestRetrieveBusinessFunctionsSendsNoContextHeaders(t *testing.T) {
	body := fixture(t, "r4/retrieveBusinessFunctions/responses/PractitionerRoleBundle.json")
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
	// A configured context, even a clinician admin's, must not be sent.
	bf, err := testClient(t, ts, asClinicianAdmin).RetrieveBusinessFunctions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rec := ts.last()
	if rec.Method != http.MethodGet || rec.Path != "/FHIR/R4/PractitionerRole" || len(rec.Query) != 0 {
		t.Errorf("sent %s %s?%v", rec.Method, rec.Path, rec.Query)
	}
	for _, h := range []string{"NHSD-eRS-Business-Function", "NHSD-End-User-Organisation-ODS", "NHSD-eRS-On-Behalf-Of-User-ID"} {
		if v := rec.Header.Get(h); v != "" {
			t.Errorf("A030 sent %s: %q", h, v)
		}
	}
	if rec.Header.Get("Authorization") != "Bearer test-token" || rec.Header.Get("X-Correlation-ID") == "" {
		t.Error("A030 lacks its authorization or correlation id")
	}

	want := []RoleChoice{
		{Organisation: "R69", Role: ServiceProviderClinician, PractitionerRoleID: "PractitionerRole-R69-000000000101", SDSUserID: "000000000101"},
		{Organisation: "R69", Role: ServiceProviderAdmin, PractitionerRoleID: "PractitionerRole-R69-000000000101", SDSUserID: "000000000101"},
		{Organisation: "R68", Role: ReferringClinician, PractitionerRoleID: "PractitionerRole-R68-000000000101", SDSUserID: "000000000101"},
	}
	if len(bf.Choices) != len(want) {
		t.Fatalf("choices = %+v", bf.Choices)
	}
	for i := range want {
		if bf.Choices[i] != want[i] {
			t.Errorf("choice %d = %+v, want %+v", i, bf.Choices[i], want[i])
		}
	}
	if got := bf.For("R69"); len(got) != 2 {
		t.Errorf("R69 has %d choices", len(got))
	}
	if uc := bf.Choices[2].Context(); uc.BusinessFunction != ReferringClinician || uc.Organisation != "R68" || uc.OnBehalfOf != "" {
		t.Errorf("context = %+v", uc)
	}
	if bf.Bundle == nil || bf.Status != http.StatusOK {
		t.Error("raw bundle or status missing")
	}
}

func TestRoleChoicesFilterAndDeduplicate(t *testing.T) {
	body := []byte(`{"resourceType":"Bundle","type":"searchset","entry":[
	 {"resource":{"resourceType":"PractitionerRole","id":"a","organization":{"identifier":{"value":"RCD"},"display":"Synthetic Trust"},
	   "practitioner":{"identifier":{"value":"555032006106"}},
	   "code":[{"coding":[{"system":"https://fhir.nhs.uk/CodeSystem/eRS-BusinessFunction-1","code":"SERVICE_PROVIDER_CLINICIAN_ADMIN"}]},
	           {"coding":[{"system":"https://fhir.nhs.uk/CodeSystem/eRS-BusinessFunction-1","code":"PROVIDER_AUTHORISED_APPLICATION"}]},
	           {"coding":[{"system":"https://example.invalid/other","code":"REFERRING_ADMIN"}]}]}},
	 {"resource":{"resourceType":"PractitionerRole","id":"b","organization":{"identifier":{"value":"RCD"}},
	   "code":[{"coding":[{"code":"SERVICE_PROVIDER_CLINICIAN_ADMIN"}]}]}},
	 {"resource":{"resourceType":"PractitionerRole","id":"c",
	   "code":[{"coding":[{"code":"REFERRING_CLINICIAN"}]}]}},
	 {"resource":{"resourceType":"OperationOutcome"}}]}`)
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
	bf, err := testClient(t, ts, UserContext{}).RetrieveBusinessFunctions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		ok   bool
	}{
		{"keeps one choice per organisation and role", len(bf.Choices) == 1},
		{"keeps the organisation's name", len(bf.Choices) == 1 && bf.Choices[0].OrganisationName == "Synthetic Trust"},
		{"labels the choice for a picker", len(bf.Choices) == 1 && bf.Choices[0].Label() == "Service provider clinician admin at RCD (Synthetic Trust)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok {
				t.Errorf("choices = %+v", bf.Choices)
			}
		})
	}
}

func TestRetrieveBusinessFunctionsErrors(t *testing.T) {
	cases := []struct {
		name  string
		reply func(t *testing.T) reply
		check func(error) bool
	}{
		{"401 asks to sign in again", func(t *testing.T) reply {
			return reply{Status: http.StatusUnauthorized, Body: fixture(t, "r4/NHSDigital-OperationOutcome-401.json")}
		}, func(err error) bool { return NeedsReauthentication(err) && HasCode(err, "ACCESS_DENIED") }},
		{"403 is forbidden", func(t *testing.T) reply {
			return reply{Status: http.StatusForbidden, Body: fixture(t, "r4/NHSDigital-OperationOutcome-403.json")}
		}, func(err error) bool { return IsForbidden(err) && HasCode(err, "REC_FORBIDDEN") }},
		{"an undecodable entry is a bad response", func(*testing.T) reply {
			return reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"PractitionerRole","code":"x"}}]}`)}
		}, func(err error) bool { e, ok := AsError(err); return ok && e.Kind == KindBadResponse }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, tc.reply(t))
			_, err := testClient(t, ts, UserContext{}).RetrieveBusinessFunctions(context.Background())
			if err == nil || !tc.check(err) {
				t.Errorf("error = %v", err)
			}
		})
	}
	t.Run("is refused in application-restricted mode", func(t *testing.T) {
		ts := newTestServer(t)
		c := testClient(t, ts, UserContext{})
		c.opts.AppRestricted = true
		_, err := c.RetrieveBusinessFunctions(context.Background())
		worklistAssertNoRequest(t, ts, err, "application-restricted")
	})
}

func TestRetrieveOnBehalfOfUsers(t *testing.T) {
	// The clinician admin has not chosen whom to act for yet.
	spca := UserContext{BusinessFunction: ServiceProviderClinicianAdmin, Organisation: "RCD"}
	t.Run("asks with _query=onBehalfOf and reads the official example", func(t *testing.T) {
		body := fixture(t, "r4/retrieveOboUsers/responses/PractitionerBundle.json")
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
		users, err := testClient(t, ts, spca).RetrieveOnBehalfOfUsers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rec := ts.last()
		if rec.Method != http.MethodGet || rec.Path != "/FHIR/R4/Practitioner" {
			t.Errorf("sent %s %s", rec.Method, rec.Path)
		}
		if q := rec.Query["_query"]; len(q) != 1 || q[0] != "onBehalfOf" || len(rec.Query) != 1 {
			t.Errorf("query = %v", rec.Query)
		}
		assertHeaders(t, rec, spca)
		if len(users.Clinicians) != 1 || users.Clinicians[0].SDSUserID != "111111111111" || users.Bundle == nil {
			t.Errorf("clinicians = %+v", users.Clinicians)
		}
	})
	t.Run("reads names and ids given only as identifiers", func(t *testing.T) {
		body := []byte(`{"resourceType":"Bundle","entry":[
		 {"resource":{"resourceType":"Practitioner","id":"555032006106","name":[{"given":["Ada"],"family":"Synthetic","prefix":["Dr"]}]}},
		 {"resource":{"resourceType":"Practitioner","identifier":[{"system":"https://fhir.nhs.uk/Id/sds-user-id","value":"555073103100"}]}},
		 {"resource":{"resourceType":"Practitioner"}}]}`)
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
		users, err := testClient(t, ts, spca).RetrieveOnBehalfOfUsers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := []Clinician{{SDSUserID: "555032006106", Name: "Dr Ada Synthetic"}, {SDSUserID: "555073103100"}}
		if len(users.Clinicians) != 2 || users.Clinicians[0] != want[0] || users.Clinicians[1] != want[1] {
			t.Errorf("clinicians = %+v", users.Clinicians)
		}
	})
	t.Run("is refused for another role before sending", func(t *testing.T) {
		ts := newTestServer(t)
		_, err := testClient(t, ts, asProviderClinician).RetrieveOnBehalfOfUsers(context.Background())
		worklistAssertNoRequest(t, ts, err, "clinician admin")
	})
	t.Run("is refused in application-restricted mode", func(t *testing.T) {
		ts := newTestServer(t)
		c := testClient(t, ts, UserContext{})
		c.opts.AppRestricted = true
		_, err := c.RetrieveOnBehalfOfUsers(context.Background())
		worklistAssertNoRequest(t, ts, err, "application-restricted")
	})
	errCases := []struct {
		name   string
		file   string
		status int
		check  func(error) bool
	}{
		{"400 for a bad query keeps its code", "r4/NHSDigital-OperationOutcome-400.json", http.StatusBadRequest,
			func(err error) bool { return hasStatus(err, http.StatusBadRequest) && HasCode(err, "REC_BAD_REQUEST") }},
		{"403 is forbidden", "r4/NHSDigital-OperationOutcome-403.json", http.StatusForbidden, IsForbidden},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: tc.status, Body: fixture(t, tc.file)})
			_, err := testClient(t, ts, spca).RetrieveOnBehalfOfUsers(context.Background())
			if err == nil || !tc.check(err) {
				t.Errorf("error = %v", err)
			}
		})
	}
}
