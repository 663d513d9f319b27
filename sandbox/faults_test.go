package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/faults"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const faultUBRN = "000000000101"

func faultWorld(st *store.State) {
	addReferral(st, faultUBRN, store.StateBooked, func(r *store.Referral) { r.ServiceID = svcDBS })
}

func mustPlan(t *testing.T, e *testEnv, rules ...string) {
	t.Helper()
	var p faults.Plan
	for _, s := range rules {
		r, err := faults.ParseRule(s)
		if err != nil {
			t.Fatal(err)
		}
		p.Rules = append(p.Rules, r)
	}
	if err := e.sb.ApplyFaultPlan(p); err != nil {
		t.Fatal(err)
	}
}

func TestInjectedErrorsHaveTheDocumentedShapes(t *testing.T) {
	e := newTestEnv(t, faultWorld)
	spc := userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
	cases := []struct {
		name, rule, path, code string
		status                 int
	}{
		{"a PAS timeout on a referral read", "op=A005,error_rate=1,status=504", "/STU3/ReferralRequest/" + faultUBRN, "PAS_NOT_RESPONDING", 504},
		{"a PAS error", "op=A005,error_rate=1,status=502", "/STU3/ReferralRequest/" + faultUBRN, "PAS_RESPONDED_WITH_ERROR", 502},
		{"an unavailable R4 service", "op=A041,error_rate=1,status=503,retry_after=7s", "/R4/ServiceRequest?identifier=" + faultUBRN, "REC_UNAVAILABLE", 503},
		{"an internal error", "error_rate=1,status=500", "/STU3/ReferralRequest/" + faultUBRN, "SERVICE_ERROR", 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mustPlan(t, e, tc.rule)
			status, hdr, body := e.raw(http.MethodGet, BasePath+tc.path, "", spc)
			if status != tc.status || outcomeCode(body) != tc.code {
				t.Fatalf("status %d %s, want %d %s", status, body, tc.status, tc.code)
			}
			if tc.status == 503 && hdr.Get("Retry-After") != "7" {
				t.Errorf("Retry-After %q, want 7", hdr.Get("Retry-After"))
			}
		})
	}
	mustPlan(t, e)
	if status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+faultUBRN, "", spc); status != 200 {
		t.Errorf("after clearing the plan: %d %s", status, body)
	}
}

func TestADroppedConnectionLeavesTheOutcomeUnknown(t *testing.T) {
	e := newTestEnv(t, faultWorld)
	mustPlan(t, e, "op=A005,drop_rate=1")
	_, err := e.spc().RetrieveReferral(context.Background(), faultUBRN)
	var ee *ersclient.Error
	if !errors.As(err, &ee) || (ee.Kind != ersclient.KindOutcomeUnknown && ee.Kind != ersclient.KindNotSent) {
		t.Fatalf("got %v, want a transport error", err)
	}
}

func TestASlowBodyArrivesWhole(t *testing.T) {
	e := newTestEnv(t, faultWorld)
	mustPlan(t, e, "op=A005,slow_body=80ms")
	ref, err := e.spc().RetrieveReferral(context.Background(), faultUBRN)
	if err != nil || ref.Summary().UBRN != faultUBRN {
		t.Fatalf("slow read: %v", err)
	}
}

func TestLatencyStopsWhenTheCallerGivesUp(t *testing.T) {
	e := newTestEnv(t, faultWorld)
	mustPlan(t, e, "op=A005,latency=1h")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := e.spc().RetrieveReferral(ctx, faultUBRN); err == nil {
		t.Fatal("a call delayed by an hour returned")
	}
}

func TestTheRateLimitAnswers429AsAPIMDoes(t *testing.T) {
	st := store.New(func() *store.State { s := baseWorld(); faultWorld(s); return s }, func() time.Time { return testNow })
	e := newTestEnvWith(t, st, Options{Limiter: faults.NewLimiter(0.001, 1)})
	spc := userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
	if status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+faultUBRN, "", spc); status != 200 {
		t.Fatalf("first call: %d %s", status, body)
	}
	status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+faultUBRN, "", spc)
	if status != 429 || len(body) != 0 {
		t.Errorf("STU3: %d %q, want 429 with an empty body", status, body)
	}
	status, _, body = e.raw(http.MethodGet, BasePath+"/R4/ServiceRequest?identifier="+faultUBRN, "", spc)
	if status != 429 || outcomeCode(body) != "TOO_MANY_REQUESTS" {
		t.Errorf("R4: %d %s, want 429 TOO_MANY_REQUESTS", status, body)
	}
	other := userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
	other[HeaderSandboxApp] = "another-app"
	if status, _, _ := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+faultUBRN, "", other); status != 200 {
		t.Errorf("another application was limited: %d", status)
	}
}

func TestAWriteHoldMakesConcurrentWritersSee423(t *testing.T) {
	e := newTestEnv(t, faultWorld)
	if err := e.sb.ApplyFaultPlan(faults.Plan{WriteHold: faults.Duration(200 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	spc := e.spc()
	ref, err := spc.RetrieveReferral(context.Background(), faultUBRN)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = spc.AcceptReferral(context.Background(), faultUBRN, ref.Version)
		}()
	}
	wg.Wait()
	won, lockedN := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case ersclient.IsLocked(err):
			lockedN++
		case !ersclient.IsVersionConflict(err):
			t.Errorf("unexpected error %v", err)
		}
	}
	if won != 1 || lockedN == 0 {
		t.Errorf("%d accepted, %d locked; want exactly one accepted and some locked", won, lockedN)
	}
}

func TestAdminAPI(t *testing.T) {
	e := newTestEnv(t, faultWorld)
	admin := httptest.NewServer(e.sb.AdminHandler())
	t.Cleanup(admin.Close)
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, admin.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body) //nolint:errcheck
		return resp.StatusCode, b.String()
	}

	t.Run("state counts the records", func(t *testing.T) {
		status, body := do(http.MethodGet, "/_admin/state", "")
		var c stateCounts
		if err := json.Unmarshal([]byte(body), &c); status != 200 || err != nil || c.Referrals != 1 || c.Services != 6 {
			t.Fatalf("%d %s", status, body)
		}
	})
	t.Run("a fault plan put is applied and read back", func(t *testing.T) {
		status, body := do(http.MethodPut, "/_admin/faults", `{"rules":[{"op":"A005","error_rate":1,"status":503,"retry_after":"2s"}]}`)
		if status != 200 || !strings.Contains(body, `"retry_after":"2s"`) {
			t.Fatalf("%d %s", status, body)
		}
		if status, _, _ := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+faultUBRN, "", userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)); status != 503 {
			t.Errorf("call after the plan: %d, want 503", status)
		}
		if status, body := do(http.MethodGet, "/_admin/faults", ""); status != 200 || !strings.Contains(body, "A005") {
			t.Errorf("read back: %d %s", status, body)
		}
		do(http.MethodPut, "/_admin/faults", `{"rules":[]}`)
	})
	t.Run("a bad plan is refused and the old one kept", func(t *testing.T) {
		for _, bad := range []string{`{"rules":[{"status":404,"error_rate":1}]}`, `{"rulez":[]}`, `not json`} {
			if status, body := do(http.MethodPut, "/_admin/faults", bad); status != 400 || !strings.Contains(body, "error") {
				t.Errorf("%s: %d %s", bad, status, body)
			}
		}
	})
	t.Run("reset restores the seed", func(t *testing.T) {
		spc := e.spc()
		ref, err := spc.RetrieveReferral(context.Background(), faultUBRN)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := spc.AcceptReferral(context.Background(), faultUBRN, ref.Version); err != nil {
			t.Fatal(err)
		}
		if status, _ := do(http.MethodPost, "/_admin/reset", ""); status != 204 {
			t.Fatalf("reset: %d", status)
		}
		again, err := spc.RetrieveReferral(context.Background(), faultUBRN)
		if err != nil || again.Version != ref.Version {
			t.Errorf("after reset: version %v (%v), want %s", again, err, ref.Version)
		}
	})
}

func TestInjectedErrorsAreWordedAsTheOfficialExamples(t *testing.T) {
	for code, want := range map[string]string{
		"PAS_RESPONDED_WITH_ERROR": "Error received from PAS",
		"PAS_NOT_RESPONDING":       "No response from PAS",
		"SYSTEM_UNAVAILABLE":       "System Unavailable",
	} {
		if got := stu3Display(code); got != want {
			t.Errorf("display of %s = %q, want %q", code, got, want)
		}
	}
}
