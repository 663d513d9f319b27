package proxy

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
)

const (
	pathReferral = Prefix + "/STU3/ReferralRequest/000000070000" // A005
	pathRoles    = Prefix + "/R4/PractitionerRole"               // A030
	pathOBOUsers = Prefix + "/R4/Practitioner?_query=onBehalfOf" // A040
	attachmentID = "19eb7224-dff3-4730-a5cb-67eac811f1a5"        // uploaded at the RC's practice
)

// decodeError reads the proxy's JSON error.
func decodeError(t *testing.T, resp *http.Response) gatewayapi.ErrorBody {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q, want the proxy's application/json error", ct)
	}
	var e gatewayapi.ErrorBody
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestForwardsAnAllowedCallWithTheSessionsTokenAndRole(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do("rc", "GET", pathReferral, "", nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, body %s", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), "000000070000") {
		t.Errorf("body does not carry the referral: %.200s", body)
	}
	if resp.Header.Get("ETag") == "" || resp.Header.Get("X-Request-ID") == "" {
		t.Errorf("ETag %q and X-Request-ID %q should pass back", resp.Header.Get("ETag"), resp.Header.Get("X-Request-ID"))
	}
	seen := e.upstream.seen()
	if len(seen) != 1 {
		t.Fatalf("upstream saw %d requests, want 1", len(seen))
	}
	h := seen[0].Header
	want := map[string]string{
		"Authorization":                  "Bearer tok-" + seed.ExampleRC,
		"NHSD-eRS-Business-Function":     "REFERRING_CLINICIAN",
		"NHSD-End-User-Organisation-ODS": seed.ExampleReferringOrg,
		"NHSD-eRS-On-Behalf-Of-User-ID":  "",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("upstream %s = %q, want %q", k, got, v)
		}
	}
	if seen[0].URL.Path != "/referrals/FHIR/STU3/ReferralRequest/000000070000" {
		t.Errorf("upstream path %q", seen[0].URL.Path)
	}
}

func TestWritesTheAuditRecordBeforeForwardingAndCompletesIt(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do("rc", "GET", pathReferral, "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	e.proxy.Close() // waits for the handler to finish
	want := []string{"audit call A005", "upstream GET /referrals/FHIR/STU3/ReferralRequest/000000070000", "complete A005"}
	if got := e.events.all(); !slices.Equal(got, want) {
		t.Fatalf("order %q, want %q", got, want)
	}
	recs := e.audit.all()
	r := recs[0]
	if r.Kind != store.AuditCall || r.User != seed.ExampleRC || r.Role != "REFERRING_CLINICIAN" || r.ODS != seed.ExampleReferringOrg ||
		r.Operation != "A005" || r.Resource != "000000070000" || r.SessionID != "s-rc" {
		t.Errorf("record %+v", r)
	}
	if r.Status != 200 || r.Outcome != "ok" || r.RequestID != resp.Header.Get("X-Request-ID") || r.RequestID == "" ||
		r.CorrelationID != resp.Header.Get("X-Correlation-ID") || r.Completed.IsZero() {
		t.Errorf("completion %+v", r)
	}
}

func TestAFailingAuditorMeansUpstreamNeverSeesTheCall(t *testing.T) {
	e := newEnv(t, nil)
	e.audit.failBegin = true
	resp := e.do("rc", "GET", pathReferral, "", nil)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", resp.StatusCode)
	}
	if got := decodeError(t, resp).Error; got != codeAuditFailed {
		t.Errorf("error %q", got)
	}
	if n := len(e.upstream.seen()); n != 0 {
		t.Errorf("upstream saw %d requests, want none", n)
	}
}

func TestRefusesWhatIsNotOnTheAllowList(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ name, method, path string }{
		{"an unknown resource", "GET", Prefix + "/STU3/Patient/9000000009"},
		{"a known path with an undocumented method", "DELETE", pathReferral},
		{"HEAD on a GET-only operation", "HEAD", pathReferral},
		{"a path that climbs out with dots", "GET", Prefix + "/STU3/ReferralRequest/../../../_status"},
		{"a doubled slash", "GET", Prefix + "/STU3//ReferralRequest/000000070000"},
		{"an unknown FHIR version", "GET", Prefix + "/DSTU2/ReferralRequest/000000070000"},
		{"the sandbox admin API", "GET", Prefix + "/../_admin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.do("rc", tc.method, tc.path, "", nil)
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d, want 404", resp.StatusCode)
			}
			if tc.method != "HEAD" {
				if got := decodeError(t, resp).Error; got != codeNotFound {
					t.Errorf("error %q", got)
				}
			}
		})
	}
	if n := len(e.upstream.seen()); n != 0 {
		t.Errorf("upstream saw %d requests, want none", n)
	}
	for _, r := range e.audit.all() {
		if r.Kind != store.AuditRefusal || r.Status != 404 || r.Completed.IsZero() {
			t.Errorf("refusal record %+v", r)
		}
	}
}

func TestUnauthenticatedRequestsAreLeftToTheBroker(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do("", "GET", Prefix+"/STU3/Patient/1", "", nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want the broker's 401 (not a 404 that reveals the allow-list)", resp.StatusCode)
	}
}

func TestWorkstationHeadersCannotEscalateOrImpersonate(t *testing.T) {
	e := newEnv(t, nil)
	sent := http.Header{
		"Authorization":                  {"Bearer stolen"},
		"Dpop":                           {"proof"},
		"Cookie":                         {"a=b"},
		"Nhsd-Ers-Business-Function":     {"SERVICE_PROVIDER_CLINICIAN_ADMIN"},
		"Nhsd-End-User-Organisation-Ods": {"R69"},
		"Nhsd-Ers-On-Behalf-Of-User-Id":  {"111111111111"},
		"Nhsd-Ers-Comm-Rule-Org":         {"R69"},
		"X-Ers-User-Id":                  {"000000000101"},
		"X-Ers-Access-Mode":              {"application-restricted"},
		"X-Forwarded-For":                {"10.0.0.1"},
		"X-Sandbox-User-Id":              {seed.ExampleSPCA},
		"X-Sandbox-App-Restricted":       {"true"},
		"If-None-Match":                  {`W/"1"`},
	}
	resp := e.do("rc", "GET", pathReferral, "", sent)
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
		t.Fatalf("status %d", resp.StatusCode)
	}
	h := e.upstream.seen()[0].Header
	if got := h.Get("Authorization"); got != "Bearer tok-"+seed.ExampleRC {
		t.Errorf("Authorization %q", got)
	}
	if got := h.Get("NHSD-eRS-Business-Function"); got != "REFERRING_CLINICIAN" {
		t.Errorf("business function %q: the workstation's value got through", got)
	}
	if got := h.Get("NHSD-End-User-Organisation-ODS"); got != seed.ExampleReferringOrg {
		t.Errorf("ODS %q", got)
	}
	for _, k := range []string{"DPoP", "Cookie", "NHSD-eRS-On-Behalf-Of-User-ID", "NHSD-eRS-Comm-Rule-Org", "X-Ers-User-Id",
		"X-Ers-Access-Mode", "X-Forwarded-For", "X-Sandbox-User-Id", "X-Sandbox-App-Restricted"} {
		if vs := h.Values(k); len(vs) > 0 {
			t.Errorf("%s reached e-RS: %q", k, vs)
		}
	}
	if got := h.Get("If-None-Match"); got != `W/"1"` {
		t.Errorf("If-None-Match %q should pass through", got)
	}
}

func TestOnBehalfOfIsSentOnlyForAClinicianAdminWhereDocumented(t *testing.T) {
	e := newEnv(t, nil)
	rcWithOBO := rcSession()
	rcWithOBO.obo = seed.ExampleSPCAActsFor // a bug upstream of the proxy must not reach e-RS
	e.sessions["rc-obo"] = rcWithOBO
	for _, tc := range []struct {
		name, session, path string
		want                string
	}{
		{"a clinician admin on a documented operation", "spca", Prefix + "/STU3/ReferralRequest/000000070001", seed.ExampleSPCAActsFor},
		{"a clinician admin on A040, which does not document it", "spca", pathOBOUsers, ""},
		{"a referring clinician, whatever the session holds", "rc-obo", pathReferral, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(e.upstream.seen())
			resp := e.do(tc.session, "GET", tc.path, "", nil)
			seen := e.upstream.seen()
			if len(seen) != before+1 {
				t.Fatalf("status %d, upstream not called", resp.StatusCode)
			}
			if got := seen[before].Header.Get("NHSD-eRS-On-Behalf-Of-User-ID"); got != tc.want {
				t.Errorf("on-behalf-of %q, want %q", got, tc.want)
			}
			if tc.session == "spca" && resp.StatusCode != http.StatusOK {
				t.Errorf("status %d from the simulator, want 200", resp.StatusCode)
			}
		})
	}
}

func TestA030WorksBeforeARoleIsChosenAndNothingElseDoes(t *testing.T) {
	e := newEnv(t, nil)
	c := rcSession()
	c.noRole, c.bf, c.ods = true, "", ""
	e.sessions["new"] = c

	resp := e.do("new", "GET", pathRoles, "", nil)
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("A030 status %d: %s", resp.StatusCode, b)
	}
	h := e.upstream.seen()[0].Header
	for _, k := range []string{"NHSD-eRS-Business-Function", "NHSD-End-User-Organisation-ODS", "NHSD-eRS-On-Behalf-Of-User-ID"} {
		if h.Get(k) != "" {
			t.Errorf("A030 carried %s", k)
		}
	}

	resp = e.do("new", "GET", pathReferral, "", nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("A005 without a role: status %d, want 409", resp.StatusCode)
	}
	if got := decodeError(t, resp).Error; got != codeNoRole {
		t.Errorf("error %q", got)
	}
	if n := len(e.upstream.seen()); n != 1 {
		t.Errorf("upstream saw %d requests, want only A030", n)
	}
}

func TestA042RedirectIsPassedBackUnfollowed(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do("rc", "GET", Prefix+"/R4/Binary/"+attachmentID, "", nil)
	if resp.StatusCode != http.StatusTemporaryRedirect {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, want 307: %s", resp.StatusCode, b)
	}
	loc := resp.Header.Get("Location")
	if !strings.Contains(loc, "/ObjectStore/") {
		t.Errorf("Location %q, want the object store URL", loc)
	}
	for _, r := range e.upstream.seen() {
		if strings.Contains(r.URL.Path, "ObjectStore") {
			t.Errorf("the proxy followed the redirect")
		}
	}
	// The workstation fetches the bytes itself, with no token.
	get, err := http.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer get.Body.Close()
	if get.StatusCode != http.StatusOK {
		t.Errorf("object store status %d", get.StatusCode)
	}
}

func TestCorrelationID(t *testing.T) {
	e := newEnv(t, nil)
	t.Run("the workstation's id passes through and back", func(t *testing.T) {
		resp := e.do("rc", "GET", pathReferral, "", http.Header{"X-Correlation-Id": {"ws-1234.abc"}})
		if got := resp.Header.Get("X-Correlation-ID"); got != "ws-1234.abc" {
			t.Errorf("response correlation id %q", got)
		}
		seen := e.upstream.seen()
		if got := seen[len(seen)-1].Header.Get("X-Correlation-ID"); got != "ws-1234.abc" {
			t.Errorf("upstream correlation id %q", got)
		}
	})
	t.Run("one is made when the workstation sends none or an unsafe one", func(t *testing.T) {
		for _, sent := range []string{"", "bad value with spaces"} {
			h := http.Header{}
			if sent != "" {
				h.Set("X-Correlation-ID", sent)
			}
			resp := e.do("rc", "GET", pathReferral, "", h)
			got := resp.Header.Get("X-Correlation-ID")
			seen := e.upstream.seen()
			if got == "" || got == sent || seen[len(seen)-1].Header.Get("X-Correlation-ID") != got {
				t.Errorf("sent %q: response %q, upstream %q", sent, got, seen[len(seen)-1].Header.Get("X-Correlation-ID"))
			}
		}
	})
}
