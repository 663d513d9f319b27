package ersclient

import (
	"context"
	"net/http"
	"testing"
)

func TestSearchServiceRequestsReadsTheOfficialExamples(t *testing.T) {
	cases := []struct {
		name    string
		ubrn    string
		file    string
		want    []ServiceRequestMatch
		advice  bool
		referal bool
	}{
		{"a referral", "000000070000", "ResponseExampleReferral.json", nil, false, true},
		{"an advice request", "000000070001", "ResponseExampleAdvice.json", nil, true, false},
		{"an advice request and the referral made from it", "000000070002", "ResponseExampleReferralAndAdvice.json", []ServiceRequestMatch{
			{ID: "r.832db7fa-ebdd-44b6-ab3b-8329c2d43149", Status: "active", NHSNumber: "9912003888", UBRN: "000000070002", Version: "5"},
			{ID: "a.832db7fa-ebdd-44b6-ab3b-8329c2d43149", IsAdvice: true, Status: "completed", NHSNumber: "9912003888", UBRN: "000000070002", Version: "5"},
		}, true, true},
		{"no match", "000000070003", "ResponseExampleEmpty.json", []ServiceRequestMatch{}, false, false},
	}
	for _, tc := range cases {
		t.Run("finds "+tc.name, func(t *testing.T) {
			body := fixture(t, "r4/searchServiceRequest/responses/"+tc.file)
			ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
			m, err := testClient(t, ts, asClinicianAdmin).SearchServiceRequests(context.Background(), tc.ubrn)
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			if rec.Method != http.MethodGet || rec.Path != "/FHIR/R4/ServiceRequest" || len(rec.Body) != 0 {
				t.Errorf("sent %s %s", rec.Method, rec.Path)
			}
			if q := rec.Query["identifier"]; len(q) != 1 || q[0] != tc.ubrn || len(rec.Query) != 1 {
				t.Errorf("query = %v", rec.Query)
			}
			assertHeaders(t, rec, asClinicianAdmin)
			if tc.want != nil {
				if len(m.Matches) != len(tc.want) {
					t.Fatalf("matches = %+v", m.Matches)
				}
				for i := range tc.want {
					if m.Matches[i] != tc.want[i] {
						t.Errorf("match %d = %+v, want %+v", i, m.Matches[i], tc.want[i])
					}
				}
			}
			if _, ok := m.Advice(); ok != tc.advice {
				t.Errorf("advice match found = %v", ok)
			}
			if r, ok := m.Referral(); ok != tc.referal || (ok && (r.Kind() != RequestKindReferral || r.ID[:2] != "r.")) {
				t.Errorf("referral match = %+v, %v", r, ok)
			}
			for _, x := range m.Matches {
				if x.UBRN != tc.ubrn || x.NHSNumber == "" || x.Status == "" {
					t.Errorf("match lacks its facts: %+v", x)
				}
			}
		})
	}
}

func TestSearchServiceRequestsTellsAdviceByPrefixOrCoding(t *testing.T) {
	body := []byte(`{"resourceType":"Bundle","type":"searchset","entry":[
	 {"resource":{"resourceType":"ServiceRequest","id":"x1","status":"active",
	   "code":{"coding":[{"system":"https://fhir.nhs.uk/CodeSystem/servicerequest-code","code":"advice-and-guidance"}]}}},
	 {"resource":{"resourceType":"ServiceRequest","id":"x2","status":"active",
	   "category":[{"coding":[{"system":"https://fhir.nhs.uk/CodeSystem/message-category-servicerequest","code":"referral"}]}]}},
	 {"resource":{"resourceType":"ServiceRequest","id":"a.3f1c","status":"active"}}]}`)
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
	m, err := testClient(t, ts, asReferrer).SearchServiceRequests(context.Background(), "000000070009")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Matches) != 3 || !m.Matches[0].IsAdvice || m.Matches[1].IsAdvice || m.Matches[0].Kind() != RequestKindAdvice || !m.Matches[2].IsAdvice {
		t.Errorf("matches = %+v", m.Matches)
	}
}

func TestSearchServiceRequestsErrors(t *testing.T) {
	t.Run("refuses a UBRN that is not digits before sending", func(t *testing.T) {
		for _, bad := range []string{"", "UBRN-1", "0000 0007 0000"} {
			ts := newTestServer(t)
			_, err := testClient(t, ts, asReferrer).SearchServiceRequests(context.Background(), bad)
			worklistAssertNoRequest(t, ts, err, "UBRN")
		}
	})
	t.Run("is refused in application-restricted mode", func(t *testing.T) {
		ts := newTestServer(t)
		c := testClient(t, ts, UserContext{})
		c.opts.AppRestricted = true
		_, err := c.SearchServiceRequests(context.Background(), "000000070000")
		worklistAssertNoRequest(t, ts, err, "application-restricted")
	})
	cases := []struct {
		name   string
		status int
		file   string
		check  func(error) bool
	}{
		{"400 is a bad request with its code", http.StatusBadRequest, "r4/NHSDigital-OperationOutcome-400.json",
			func(err error) bool { return hasStatus(err, http.StatusBadRequest) && HasCode(err, "REC_BAD_REQUEST") }},
		{"403 is forbidden", http.StatusForbidden, "r4/NHSDigital-OperationOutcome-403.json", IsForbidden},
		{"401 asks to sign in again", http.StatusUnauthorized, "r4/NHSDigital-OperationOutcome-401.json", NeedsReauthentication},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: tc.status, Body: fixture(t, tc.file)})
			_, err := testClient(t, ts, asReferrer).SearchServiceRequests(context.Background(), "000000070000")
			if err == nil || !tc.check(err) {
				t.Errorf("error = %v", err)
			}
		})
	}
	t.Run("an undecodable entry is a bad response", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest","status":7}}]}`)})
		_, err := testClient(t, ts, asReferrer).SearchServiceRequests(context.Background(), "000000070000")
		if e, ok := AsError(err); !ok || e.Kind != KindBadResponse {
			t.Errorf("error = %v", err)
		}
	})
}
