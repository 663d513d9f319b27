package ersclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// callRead makes one A005 call through the engine.
func callRead(t *testing.T, c *Client) error {
	t.Helper()
	_, _, _, err := c.do(context.Background(), call{op: op(OpRetrieveReferral), pathValues: []string{"000000070000"}})
	return err
}

func TestErrorShapesDecodeIntoOneErrorType(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		fixture   string // official example body, if any
		body      string // otherwise this body
		header    map[string]string
		code      string
		issueType string
		check     func(error) bool
		words     string // the message must say this
	}{
		{name: "an STU3 business rule failure carries its e-RS code", status: 422, fixture: "stu3/STU3-OperationOutcome.json",
			code: "UNEXPECTED_FIELD", issueType: "value", check: func(err error) bool { return IsBusinessRule(err, "UNEXPECTED_FIELD") }, words: "business rules"},
		{name: "an STU3 forbidden outcome", status: 403, fixture: "stu3/STU3-Forbidden.json", check: IsForbidden, words: "not allowed"},
		{name: "an STU3 unauthorised outcome asks to sign in again", status: 401, fixture: "stu3/STU3-Unauthorised.json",
			code: "NO_ACCESS", issueType: "login", check: NeedsReauthentication, words: "Sign in again"},
		{name: "an STU3 service unavailable outcome", status: 503, fixture: "stu3/STU3-ServiceUnavailable.json", words: "unavailable"},
		{name: "a PAS error leaves the outcome unknown", status: 502, fixture: "stu3/PasRespondedWithErrorOperationOutcome.json",
			code: "PAS_RESPONDED_WITH_ERROR", check: IsOutcomeUnknown, words: "patient administration system"},
		{name: "a PAS timeout leaves the outcome unknown", status: 504, fixture: "stu3/PasNotRespondingOperationOutcome.json",
			code: "PAS_NOT_RESPONDING", check: IsOutcomeUnknown, words: "did not respond"},
		{name: "an R4 bad request", status: 400, fixture: "r4/NHSDigital-OperationOutcome-400.json", code: "REC_BAD_REQUEST", issueType: "invalid"},
		{name: "an R4 unauthorised outcome", status: 401, fixture: "r4/NHSDigital-OperationOutcome-401.json", check: NeedsReauthentication},
		{name: "an R4 forbidden outcome", status: 403, fixture: "r4/NHSDigital-OperationOutcome-403.json", check: IsForbidden},
		{name: "an R4 not found outcome", status: 404, fixture: "r4/NHSDigital-OperationOutcome-404.json", check: IsNotFound, words: "not found"},
		{name: "an R4 rate limit outcome", status: 429, fixture: "r4/NHSDigital-OperationOutcome-429.json", code: "TOO_MANY_REQUESTS", issueType: "throttled", check: IsRateLimited},
		{name: "an R4 server error", status: 500, fixture: "r4/NHSDigital-OperationOutcome-500.json"},
		{name: "APIM's empty 401 with a bearer challenge", status: 401, body: "",
			header: map[string]string{"WWW-Authenticate": `Bearer realm="x", error="invalid_token"`}, code: "invalid_token", check: NeedsReauthentication},
		{name: "APIM's empty STU3 429", status: 429, body: "", check: IsRateLimited, words: "too many requests"},
		{name: "APIM's empty 403 for header tampering", status: 403, body: "", check: IsForbidden},
		{name: "a plain-text 415", status: 415, body: "Unsupported Media Type", header: map[string]string{"Content-Type": "text/plain"}, words: "format"},
		{name: "a plain-text 406", status: 406, body: "Not Acceptable", header: map[string]string{"Content-Type": "text/plain;charset=utf-8"}, words: "format"},
		{name: "a stale version", status: 409, body: "Version supplied does not match current version", check: IsVersionConflict, words: "changed this record"},
		{name: "a missing version", status: 412, body: "Mandatory data is missing", check: IsVersionConflict, words: "version"},
		{name: "a locked record", status: 423, body: "", check: IsLocked, words: "being changed"},
		{name: "an HTML error page is not shown", status: 500, body: "<html><body>oops</body></html>", header: map[string]string{"Content-Type": "text/html"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := []byte(c.body)
			if c.fixture != "" {
				body = fixture(t, c.fixture)
			}
			ts := newTestServer(t, reply{Status: c.status, Body: body, Header: mergeHeaders(c.header, map[string]string{"X-Request-ID": "req-1"})})
			cl := testClient(t, ts, asProviderClinician)
			cl.retry.MaxAttempts = 1
			err := callRead(t, cl)
			e, ok := AsError(err)
			if !ok {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			if e.Status != c.status || e.Kind != KindAPI {
				t.Errorf("status %d kind %d, want %d and KindAPI", e.Status, e.Kind, c.status)
			}
			if c.code != "" && e.Code != c.code {
				t.Errorf("code = %q, want %q", e.Code, c.code)
			}
			if c.issueType != "" && e.IssueType != c.issueType {
				t.Errorf("issue type = %q, want %q", e.IssueType, c.issueType)
			}
			if c.check != nil && !c.check(err) {
				t.Errorf("helper did not recognise %v", err)
			}
			sent := ts.last().Header.Get("X-Correlation-ID")
			if e.CorrelationID != sent || sent == "" {
				t.Errorf("correlation id = %q, sent %q", e.CorrelationID, sent)
			}
			if e.RequestID != "req-1" {
				t.Errorf("request id = %q", e.RequestID)
			}
			msg := err.Error()
			if c.words != "" && !strings.Contains(strings.ToLower(msg), strings.ToLower(c.words)) {
				t.Errorf("message %q does not say %q", msg, c.words)
			}
			if strings.Contains(msg, "<html") || strings.Contains(msg, "goroutine") {
				t.Errorf("message leaks raw content: %q", msg)
			}
			if !strings.Contains(msg, sent) {
				t.Errorf("message %q does not carry the correlation id", msg)
			}
		})
	}
}

func mergeHeaders(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range b {
		out[k] = v
	}
	for k, v := range a {
		out[k] = v
	}
	return out
}

func TestCodesAClerkCanActOnAreExplainedInWords(t *testing.T) {
	for _, code := range []string{"SLOTS_CURRENTLY_AVAILABLE", "NO_ACCESS_CODE", "PRIORITY_NOT_CURRENT", "THREATS_FOUND", "PENDING", "MISSING_HEADER"} {
		e := &Error{Op: OpBookOrDefer, Kind: KindAPI, Status: 422, Code: code, CorrelationID: "c-1"}
		if strings.Contains(e.Message(), "business rules") {
			t.Errorf("%s is not explained: %q", code, e.Message())
		}
	}
}

func TestResponsesOverTheLimitAreRefused(t *testing.T) {
	big := `{"resourceType":"Bundle","type":"searchset","id":"` + strings.Repeat("x", 2048) + `"}`
	ts := newTestServer(t, reply{Status: 200, Body: []byte(big)})
	c := testClient(t, ts, asProviderClinician)
	_, _, _, err := c.do(context.Background(), call{op: op(OpRetrieveReferral), pathValues: []string{"1"}, maxBytes: 1024})
	e, ok := AsError(err)
	if !ok || e.Kind != KindTooLarge {
		t.Fatalf("err = %v, want a too-large error", err)
	}
	if !strings.Contains(err.Error(), "larger than e-RS allows") {
		t.Errorf("message = %q", err.Error())
	}
}

func TestTransportFailuresSayWhetherAnythingWasSent(t *testing.T) {
	ts := newTestServer(t)
	c := testClient(t, ts, asProviderClinician)
	ts.Close() // nothing listens any more: connection refused
	c.retry.MaxAttempts = 1
	_, _, _, err := c.do(context.Background(), call{op: op(OpAcceptReferral), pathValues: []string{"1"}, ifMatch: IfMatch("1")})
	if !IsNotSent(err) {
		t.Fatalf("err = %v, want not sent", err)
	}
	if IsOutcomeUnknown(err) {
		t.Error("a refused connection is reported as an unknown outcome")
	}
	if !strings.Contains(err.Error(), "nothing was sent") {
		t.Errorf("message = %q", err.Error())
	}
}

func TestDecodeOperationOutcomeRefusesOtherBodies(t *testing.T) {
	for _, body := range []string{"", "Not Found", `{"resourceType":"Bundle"}`, `[1,2]`, `{"resourceType":"OperationOutcome","issue":[{"severity":"error"}]}x`} {
		if _, ok := DecodeOperationOutcome([]byte(body)); ok {
			t.Errorf("DecodeOperationOutcome(%q) reported an outcome", body)
		}
	}
}

func FuzzDecodeOperationOutcome(f *testing.F) {
	f.Add([]byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"value","details":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1","code":"INVALID_VALUE","display":"Invalid value"}]},"diagnostics":"bad"}]}`))
	f.Add([]byte(`{"resourceType":"OperationOutcome","meta":{"lastUpdated":"2022-03-01T10:00:00.42Z"},"issue":[{"severity":"error","code":"throttled","details":{"coding":[{"system":"https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode","code":"TOO_MANY_REQUESTS"}]}}]}`))
	f.Add([]byte(`{"resourceType":"OperationOutcome","issue":[]}`))
	f.Add([]byte(""))
	f.Add([]byte("Unsupported Media Type"))
	f.Add([]byte(`{"resourceType":"OperationOutcome","issue":[{"details":{"coding":[]}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := &http.Response{StatusCode: 422, Header: http.Header{"Retry-After": []string{"5"}}}
		e := decodeError(op(OpRetrieveReferral), resp, body, ResponseInfo{Status: 422, CorrelationID: "c"})
		if e == nil || e.Status != 422 || e.Kind != KindAPI {
			t.Fatalf("decodeError lost the status: %+v", e)
		}
		if e.Message() == "" || !strings.Contains(e.Error(), "A005") {
			t.Fatalf("empty message for body %q", body)
		}
		if oo, ok := DecodeOperationOutcome(body); ok && oo.ResourceType != "OperationOutcome" {
			t.Fatalf("decoded a %q as an outcome", oo.ResourceType)
		}
		var target *Error
		if !errors.As(error(e), &target) {
			t.Fatal("errors.As failed")
		}
	})
}

func TestTooManyItemsOnAWorklistAsksForFilters(t *testing.T) {
	list := (&Error{Op: OpRetrieveWorklist, Kind: KindAPI, Status: 422, Code: "TOO_MANY_ITEMS"}).Message()
	if !strings.Contains(list, "filters") {
		t.Errorf("worklist message %q does not mention the filters", list)
	}
	shortlist := (&Error{Op: OpCreateReferral, Kind: KindAPI, Status: 422, Code: "TOO_MANY_ITEMS"}).Message()
	if !strings.Contains(shortlist, "shortlist") {
		t.Errorf("shortlist message %q does not mention the shortlist", shortlist)
	}
}
