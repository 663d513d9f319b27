package ersclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// referralFixture reads an official A005 response.
func referralFixture(t testing.TB, name string) []byte {
	t.Helper()
	return fixture(t, "stu3/retrieveReferralRequest/responses/"+name+".json")
}

// referralOutcome is a synthetic STU3 OperationOutcome with one e-RS code,
// shaped like the official eRS-OperationOutcome-1 examples.
func referralOutcome(code, issueType string) []byte {
	return []byte(fmt.Sprintf(`{"meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1"]},
"resourceType":"OperationOutcome","issue":[{"severity":"error","code":%q,
"details":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1","code":%q}]},
"diagnostics":"synthetic %s"}]}`, issueType, code, code))
}

// referralBody is a synthetic minimal referral at a version.
func referralBody(ubrn, version string) []byte {
	return []byte(fmt.Sprintf(`{"resourceType":"ReferralRequest","id":%q,"meta":{"versionId":%q},"status":"active",
"subject":{"identifier":{"system":"http://fhir.nhs.net/Id/nhs-number","value":"9990000018"}},"intent":"plan"}`, ubrn, version))
}

// referralErrorCase is one documented error reply and how callers tell it.
type referralErrorCase struct {
	name    string
	status  int
	fixture string // an official example body, if one exists
	body    []byte // otherwise this body
	is      func(error) bool
}

// referralWriteErrors are the error shapes every versioned referral write
// documents: stale or missing version, lock, unknown UBRN, role refused.
func referralWriteErrors(codes ...string) []referralErrorCase {
	cases := []referralErrorCase{
		{name: "a stale version is a version conflict", status: 409, body: []byte("Version supplied does not match current version"), is: IsVersionConflict},
		{name: "a missing If-Match is a version conflict", status: 412, body: []byte("Mandatory data is missing"), is: IsVersionConflict},
		{name: "a locked referral is locked", status: 423, is: IsLocked},
		{name: "an unknown UBRN is not found", status: 404, body: []byte("Not Found"), is: IsNotFound},
		{name: "a refused role is forbidden", status: 403, fixture: "stu3/STU3-Forbidden.json", is: IsForbidden},
		{name: "the official business rule example is a business rule", status: 422, fixture: "stu3/STU3-OperationOutcome.json",
			is: func(err error) bool { return IsBusinessRule(err, "UNEXPECTED_FIELD") }},
	}
	for _, code := range codes {
		code := code
		cases = append(cases, referralErrorCase{name: "422 " + code + " is that business rule", status: 422,
			body: referralOutcome(code, "business-rule"), is: func(err error) bool { return IsBusinessRule(err, code) }})
	}
	return cases
}

// runReferralErrorCases checks that each error reply reaches the caller in
// the shape the helpers recognise, after exactly one request.
func runReferralErrorCases(t *testing.T, uc UserContext, cases []referralErrorCase, invoke func(*Client) error) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if tc.fixture != "" {
				body = fixture(t, tc.fixture)
			}
			ts := newTestServer(t, reply{Status: tc.status, Body: body})
			err := invoke(testClient(t, ts, uc))
			if err == nil {
				t.Fatal("no error")
			}
			if !tc.is(err) {
				t.Errorf("error %v is not recognised as expected", err)
			}
			if e, ok := AsError(err); !ok || e.Status != tc.status {
				t.Errorf("error = %#v, want status %d", err, tc.status)
			}
		})
	}
}

// assertWriteNotRetried checks that a write that fails with 503 (and would
// succeed if repeated) was sent exactly once.
func assertWriteNotRetried(t *testing.T, uc UserContext, success []byte, invoke func(*Client) error) {
	t.Helper()
	ts := newTestServer(t, reply{Status: http.StatusServiceUnavailable, Body: fixture(t, "stu3/STU3-ServiceUnavailable.json")},
		reply{Status: http.StatusOK, Body: success})
	if err := invoke(testClient(t, ts, uc)); err == nil {
		t.Fatal("no error after a 503")
	}
	if len(ts.Requests) != 1 {
		t.Errorf("the write was sent %d times; writes must never be retried", len(ts.Requests))
	}
}

// assertRefusedBeforeSending checks that bad input is refused with a
// KindInvalid error that says what is wrong, and that nothing was sent.
func assertRefusedBeforeSending(t *testing.T, invoke func(*Client) error, words string) {
	t.Helper()
	ts := newTestServer(t)
	err := invoke(testClient(t, ts, asProviderClinician))
	e, ok := AsError(err)
	if !ok || e.Kind != KindInvalid {
		t.Fatalf("err = %v, want the request refused before sending", err)
	}
	if !strings.Contains(e.Error(), words) {
		t.Errorf("message %q does not say %q", e.Error(), words)
	}
	if len(ts.Requests) != 0 {
		t.Errorf("%d requests were sent", len(ts.Requests))
	}
}

func TestRetrieveReferralReadsEveryOfficialExample(t *testing.T) {
	cases := []struct {
		fixture, ubrn, state string
	}{
		{"Unbooked", "000000070000", "NOT_BOOKED"},
		{"BookedDBS", "000000070001", "BOOKED"},
		{"BookedIBS", "000000070002", "BOOKED"},
		{"DeferredToProvider", "000000070003", "DEFERRED_TO_PROVIDER"},
		{"ConvertedFromAdviceAndGuidance", "000000070004", "TRIAGED_PROVIDER_TO_ACTION"},
		{"WithRelatedReferral", "000000070005", "BOOKED"},
		{"WithAdditionalRequirements", "000000070011", "BOOKED"},
		{"WithUnavailableAttachments", "000000070012", "NOT_BOOKED"},
	}
	for _, tc := range cases {
		for _, uc := range []UserContext{asProviderClinician, asClinicianAdmin, asReferrer} {
			t.Run(tc.fixture+" as "+string(uc.BusinessFunction), func(t *testing.T) {
				ts := newTestServer(t, reply{Status: 200, Body: referralFixture(t, tc.fixture),
					Header: map[string]string{"ETag": `W/"5"`, "X-Request-ID": "req-1"}})
				ref, err := testClient(t, ts, uc).RetrieveReferral(context.Background(), tc.ubrn)
				if err != nil {
					t.Fatal(err)
				}
				rec := ts.last()
				if rec.Method != http.MethodGet || rec.Path != "/FHIR/STU3/ReferralRequest/"+tc.ubrn || len(rec.Query) != 0 {
					t.Errorf("sent %s %s ?%v", rec.Method, rec.Path, rec.Query)
				}
				assertHeaders(t, rec, uc)
				if len(rec.Body) != 0 || rec.Header.Get("If-Match") != "" {
					t.Errorf("a read sent a body %q or If-Match %q", rec.Body, rec.Header.Get("If-Match"))
				}
				if ref.UBRN() != tc.ubrn || ref.Version != "5" || ref.ETag != `W/"5"` || ref.RequestID != "req-1" {
					t.Errorf("referral %q version %q etag %q request id %q", ref.UBRN(), ref.Version, ref.ETag, ref.RequestID)
				}
				if got := ref.Summary().State.Code; got != tc.state {
					t.Errorf("state = %q, want %q", got, tc.state)
				}
			})
		}
	}
}

func TestReferralVersionComesFromTheRecordBeforeTheETag(t *testing.T) {
	cases := []struct {
		name, body, etag, want string
	}{
		{"meta.versionId wins over a different ETag", string(referralBody("000000070000", "7")), `W/"5"`, "7"},
		{"the ETag is used when the body has no version", `{"resourceType":"ReferralRequest","id":"000000070000"}`, `W/"5"`, "5"},
		{"no version at all stays empty", `{"resourceType":"ReferralRequest","id":"000000070000"}`, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.etag != "" {
				h["ETag"] = tc.etag
			}
			ts := newTestServer(t, reply{Status: 200, Body: []byte(tc.body), Header: h})
			ref, err := testClient(t, ts, asProviderClinician).RetrieveReferral(context.Background(), "000000070000")
			if err != nil {
				t.Fatal(err)
			}
			if ref.Version != tc.want || ref.Summary().Version != tc.want {
				t.Errorf("version = %q (summary %q), want %q", ref.Version, ref.Summary().Version, tc.want)
			}
		})
	}
}

func TestRetrieveReferralRefusesAReplyThatIsNotAReferral(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: []byte(`{"resourceType":"CommunicationRequest","id":"000000070000"}`)})
	_, err := testClient(t, ts, asProviderClinician).RetrieveReferral(context.Background(), "000000070000")
	if e, ok := AsError(err); !ok || e.Kind != KindBadResponse {
		t.Fatalf("err = %v, want a bad response", err)
	}
}

func TestRetrieveReferralRetriesAfterAnUnavailableService(t *testing.T) {
	ts := newTestServer(t, reply{Status: 503, Body: fixture(t, "stu3/STU3-ServiceUnavailable.json")},
		reply{Status: 200, Body: referralBody("000000070000", "5")})
	ref, err := testClient(t, ts, asProviderClinician).RetrieveReferral(context.Background(), "000000070000")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Requests) != 2 || ref.Version != "5" {
		t.Errorf("%d requests, version %q; a read should be retried once and succeed", len(ts.Requests), ref.Version)
	}
}

func TestRetrieveReferralErrors(t *testing.T) {
	cases := []referralErrorCase{
		{name: "an unknown UBRN is not found", status: 404, body: []byte("Not Found"), is: IsNotFound},
		{name: "a refused role is forbidden", status: 403, fixture: "stu3/STU3-Forbidden.json", is: IsForbidden},
		{name: "an expired sign-in needs reauthentication", status: 401, is: NeedsReauthentication},
	}
	for _, code := range []string{"PATIENT_ERROR", "INVALID_REQUEST_TYPE", "NO_RELATIONSHIP"} {
		code := code
		cases = append(cases, referralErrorCase{name: "422 " + code + " is that business rule", status: 422,
			body: referralOutcome(code, "business-rule"), is: func(err error) bool { return IsBusinessRule(err, code) }})
	}
	runReferralErrorCases(t, asProviderClinician, cases, func(c *Client) error {
		_, err := c.RetrieveReferral(context.Background(), "000000070000")
		return err
	})
}

func TestRetrieveReferralVersion(t *testing.T) {
	t.Run("asks for the version under _history", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: referralFixture(t, "BookedDBS"), Header: map[string]string{"ETag": `W/"5"`}})
		ref, err := testClient(t, ts, asClinicianAdmin).RetrieveReferralVersion(context.Background(), "000000070001", "5")
		if err != nil {
			t.Fatal(err)
		}
		rec := ts.last()
		if rec.Method != http.MethodGet || rec.Path != "/FHIR/STU3/ReferralRequest/000000070001/_history/5" {
			t.Errorf("sent %s %s", rec.Method, rec.Path)
		}
		assertHeaders(t, rec, asClinicianAdmin)
		if ref.Version != "5" || ref.Summary().AppointmentID != "70009" {
			t.Errorf("version %q, appointment %q", ref.Version, ref.Summary().AppointmentID)
		}
	})
	runReferralErrorCases(t, asProviderClinician, []referralErrorCase{
		{name: "a version that is not the latest is not found", status: 404,
			body: referralOutcome("HISTORY_NOT_SUPPORTED", "not-found"),
			is:   func(err error) bool { return IsNotFound(err) && HasCode(err, "HISTORY_NOT_SUPPORTED") }},
		{name: "422 NO_RELATIONSHIP is that business rule", status: 422, body: referralOutcome("NO_RELATIONSHIP", "business-rule"),
			is: func(err error) bool { return IsBusinessRule(err, "NO_RELATIONSHIP") }},
	}, func(c *Client) error {
		_, err := c.RetrieveReferralVersion(context.Background(), "000000070001", "4")
		return err
	})
}

func TestReferralReadsRefuseBadInput(t *testing.T) {
	cases := []struct {
		name   string
		invoke func(*Client) error
		words  string
	}{
		{"an empty UBRN", func(c *Client) error { _, err := c.RetrieveReferral(context.Background(), ""); return err }, "no UBRN"},
		{"a UBRN with a slash", func(c *Client) error {
			_, err := c.RetrieveReferral(context.Background(), "000000070000/_history/1")
			return err
		}, "digits only"},
		{"a versioned read with no version", func(c *Client) error {
			_, err := c.RetrieveReferralVersion(context.Background(), "000000070000", "")
			return err
		}, "no version"},
		{"a versioned read with a weak ETag as version", func(c *Client) error {
			_, err := c.RetrieveReferralVersion(context.Background(), "000000070000", `W/"5"`)
			return err
		}, "whole number"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused before sending", func(t *testing.T) {
			assertRefusedBeforeSending(t, tc.invoke, tc.words)
		})
	}
}
