package sandbox

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// admitted reports whether the access rules let a call through to its
// handler: the handler may still refuse it, but not with the statuses the
// access rules use.
func admitted(status int, body []byte) bool {
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return false
	}
	return !(status == http.StatusBadRequest && strings.Contains(string(body), "MISSING_HEADER"))
}

func TestAccessRules(t *testing.T) {
	e := newTestEnv(t, nil)
	const referral = BasePath + "/STU3/ReferralRequest/000000070000"
	const onBehalf = BasePath + "/R4/Practitioner?_query=onBehalfOf"
	spca := func(obo string) map[string]string {
		h := userHeaders(userRCA, ersclient.ServiceProviderClinicianAdmin, orgTrust)
		if obo != "" {
			h[headerOnBehalfOf] = obo
		}
		return h
	}
	cases := []struct {
		name    string
		path    string
		headers map[string]string
		status  int    // 0: admitted
		code    string // expected error code in the body
	}{
		{"a referring clinician at their practice is admitted", referral, userHeaders(userRC, ersclient.ReferringClinician, orgGP), 0, ""},
		{"a missing organisation header is a 400 MISSING_HEADER", referral, map[string]string{HeaderSandboxUser: userRC, headerBusinessFunction: string(ersclient.ReferringClinician)}, 400, "MISSING_HEADER"},
		{"a role the operation does not allow is refused", referral, userHeaders(userRA, ersclient.ReferringAdmin, orgGP), 403, "NO_ACCESS"},
		{"a role the user does not hold at the organisation is refused", referral, userHeaders(userRC, ersclient.ReferringClinician, orgGP2), 403, "NO_ACCESS"},
		{"an application business function in user mode is refused", referral, userHeaders(userRC, "PROVIDER_AUTHORISED_APPLICATION", orgGP), 403, "NO_ACCESS"},
		{"a clinician admin naming a clinician they act for is admitted", referral, spca(userSPC2), 0, ""},
		{"a clinician admin without on-behalf-of is refused", referral, spca(""), 403, "NO_ACCESS"},
		{"a clinician admin acting for a stranger is refused", referral, spca(userSPC), 403, "NO_ACCESS"},
		{"on-behalf-of with another role is refused", referral, func() map[string]string {
			h := userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
			h[headerOnBehalfOf] = userSPC2
			return h
		}(), 403, "NO_ACCESS"},
		{"a clinician admin lists whom they act for without on-behalf-of", onBehalf, spca(""), 0, ""},
		{"without a user header the first user holding the role is assumed", referral, map[string]string{headerBusinessFunction: string(ersclient.ServiceProviderClinician), headerODS: orgTrust}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, tc.path, "", tc.headers)
			if tc.status == 0 {
				if !admitted(status, body) {
					t.Fatalf("status %d %s, want the call admitted", status, body)
				}
				return
			}
			if status != tc.status || !strings.Contains(string(body), tc.code) {
				t.Fatalf("status %d %s, want %d %s", status, body, tc.status, tc.code)
			}
		})
	}
}

func TestMissingTokenIsAn401InEachVersionsShape(t *testing.T) {
	e := newTestEnv(t, nil)
	h := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	h["Authorization"] = ""
	status, hdr, body := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/000000070000", "", h)
	if status != 401 || len(body) != 0 || !strings.Contains(hdr.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("STU3: status %d, body %q, WWW-Authenticate %q; want 401, empty, invalid_token", status, body, hdr.Get("WWW-Authenticate"))
	}
	status, _, body = e.raw(http.MethodGet, BasePath+"/R4/HealthcareService/11000", "", h)
	var oo fhir.OperationOutcome
	if err := fhir.Unmarshal(body, &oo); status != 401 || err != nil || oo.Issue[0].Details.Coding[0].Code != "ACCESS_DENIED" {
		t.Errorf("R4: status %d, body %s; want 401 ACCESS_DENIED outcome", status, body)
	}
}

func TestApplicationRestrictedAccess(t *testing.T) {
	e := newTestEnv(t, nil)
	app := func(id string, extra map[string]string) map[string]string {
		h := map[string]string{HeaderSandboxApp: id, HeaderSandboxAppRestricted: "true"}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	cases := []struct {
		name    string
		method  string
		path    string
		headers map[string]string
		status  int
		empty   bool
	}{
		{"a provider application reads a referral", http.MethodGet, BasePath + "/STU3/ReferralRequest/000000070000", app(appProvider, nil), 0, false},
		{"an application may not search for patients' services", http.MethodPost, BasePath + "/STU3/HealthcareService/$ers.searchHealthcareServicesForPatient", app(appProvider, nil), 403, false},
		{"an application may not make user-only writes", http.MethodPost, BasePath + "/STU3/ReferralRequest/000000070000/$ers.rejectReferral", app(appProvider, nil), 403, false},
		{"an application that sends its own context is refused with an empty body", http.MethodGet, BasePath + "/STU3/ReferralRequest/000000070000", app(appProvider, map[string]string{headerODS: orgTrust}), 403, true},
		{"a provider application may not read services, a referring context operation", http.MethodGet, BasePath + "/R4/HealthcareService/11000", app(appProvider, nil), 403, false},
		{"a referrer application reads services", http.MethodGet, BasePath + "/R4/HealthcareService/11000", app(appReferrer, nil), 0, false},
		{"an unknown application is refused", http.MethodGet, BasePath + "/STU3/ReferralRequest/000000070000", app("nobody", nil), 403, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(tc.method, tc.path, "", tc.headers)
			if tc.status == 0 {
				if !admitted(status, body) {
					t.Fatalf("status %d %s, want the call admitted", status, body)
				}
				return
			}
			if status != tc.status || (tc.empty && len(body) != 0) {
				t.Fatalf("status %d body %q, want %d (empty body: %v)", status, body, tc.status, tc.empty)
			}
		})
	}
}

func TestResponsesEchoTheCorrelationIDAndCarryARequestID(t *testing.T) {
	e := newTestEnv(t, nil)
	h := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	h["X-Correlation-ID"] = "corr-123"
	_, hdr, _ := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/000000070000", "", h)
	if hdr.Get("X-Correlation-ID") != "corr-123" || hdr.Get("X-Request-ID") == "" {
		t.Errorf("X-Correlation-ID %q, X-Request-ID %q", hdr.Get("X-Correlation-ID"), hdr.Get("X-Request-ID"))
	}
}

func TestUnknownPathsAre404Outcomes(t *testing.T) {
	e := newTestEnv(t, nil)
	status, hdr, body := e.raw(http.MethodGet, BasePath+"/STU3/Nothing/here", "", nil)
	if status != 404 || hdr.Get("Content-Type") != fhirJSON || !strings.Contains(string(body), "OperationOutcome") {
		t.Errorf("status %d %s %s", status, hdr.Get("Content-Type"), body)
	}
}

func TestPingAndStatus(t *testing.T) {
	e := newTestEnv(t, nil)
	if status, _, body := e.raw(http.MethodGet, "/referrals/_ping", "", nil); status != 200 || !strings.Contains(string(body), `"version"`) {
		t.Errorf("_ping: %d %s", status, body)
	}
	if status, _, _ := e.raw(http.MethodGet, "/referrals/_status", "", nil); status != 401 {
		t.Errorf("_status without apikey: %d, want 401", status)
	}
	if status, _, body := e.raw(http.MethodGet, "/referrals/_status", "", map[string]string{"apikey": "k"}); status != 200 || !strings.Contains(string(body), `"pass"`) {
		t.Errorf("_status: %d %s", status, body)
	}
}
