package sandbox

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// testNow is the simulator clock in tests: fixed, so versions, dates and
// PDFs are reproducible.
var testNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// Users, organisations and services of the base test world. The ids follow
// the actors of the official API tests.
const (
	orgGP       = "D82106" // referring GP practice
	orgGP2      = "D82107" // another practice
	orgTrust    = "RCD"    // provider trust
	orgTrust2   = "R69"    // another provider
	userRC      = "555073103100"
	userRCA     = "555031998104" // also SPCA at RCD, as in the official tests
	userRA      = "555073103103"
	userSPC     = "555032006106"
	userSPC2    = "555031999105" // the clinician the SPCA acts for
	userSPA     = "555032006103"
	userRC2     = "555073103200" // RC at the other practice
	userSPCR69  = "555032006200" // SPC at the other trust
	svcDBS      = "11000"        // directly bookable, with slots
	svcDBSEmpty = "11021"        // directly bookable, no free slots
	svcIBS      = "11001"        // indirectly bookable
	svcTriage   = "50001"        // triage (referral assessment) service
	svcAdvice   = "11014"        // advice and guidance
	svcOther    = "21000"        // a service of the other trust
	appProvider = "provider-app"
	appReferrer = "referrer-app"
)

// baseWorld is a small world every test starts from; tests add records with
// a build function.
func baseWorld() *store.State {
	st := store.NewState()
	for _, o := range []store.Organisation{
		{ODS: orgGP, Name: "Test Surgery", Kind: store.OrgReferrer, Postcode: "LS1 4HR"},
		{ODS: orgGP2, Name: "Other Surgery", Kind: store.OrgReferrer, Postcode: "LS6 1AA"},
		{ODS: orgTrust, Name: "Test Hospitals NHS Trust", Kind: store.OrgProvider, Postcode: "LS9 7TF"},
		{ODS: orgTrust2, Name: "Other Hospitals NHS Trust", Kind: store.OrgProvider, Postcode: "BD9 6RJ"},
	} {
		st.Orgs[o.ODS] = &o
	}
	role := func(org string, bf ersclient.BusinessFunction) store.Role {
		return store.Role{Org: org, BusinessFunction: bf, ID: "PractitionerRole-" + org + "-" + string(bf)}
	}
	for _, u := range []*store.User{
		{ID: userRC, Given: "Rachel", Family: "Clinician", Title: "Dr", Roles: []store.Role{role(orgGP, ersclient.ReferringClinician)}},
		{ID: userRCA, Given: "Adam", Family: "Admin", Roles: []store.Role{role(orgGP, ersclient.ReferringClinicianAdmin), role(orgTrust, ersclient.ServiceProviderClinicianAdmin)},
			OnBehalfOf: map[string][]string{orgTrust: {userSPC2}}},
		{ID: userRA, Given: "Rita", Family: "Admin", Roles: []store.Role{role(orgGP, ersclient.ReferringAdmin)}},
		{ID: userSPC, Given: "Sam", Family: "Provider", Title: "Dr", Roles: []store.Role{role(orgTrust, ersclient.ServiceProviderClinician)}},
		{ID: userSPC2, Given: "Sara", Family: "Consultant", Title: "Dr", Roles: []store.Role{role(orgTrust, ersclient.ServiceProviderClinician)}},
		{ID: userSPA, Given: "Pat", Family: "Clerk", Roles: []store.Role{role(orgTrust, ersclient.ServiceProviderAdmin)}},
		{ID: userRC2, Given: "Olu", Family: "Other", Title: "Dr", Roles: []store.Role{role(orgGP2, ersclient.ReferringClinician)}},
		{ID: userSPCR69, Given: "Omar", Family: "Elsewhere", Title: "Dr", Roles: []store.Role{role(orgTrust2, ersclient.ServiceProviderClinician)}},
	} {
		st.Users[u.ID] = u
	}
	st.Apps[appProvider] = &store.App{ID: appProvider, Name: "Provider PAS", ODS: orgTrust, BusinessFunction: store.ProviderAuthorisedApplication, UserID: "555000000001"}
	st.Apps[appReferrer] = &store.App{ID: appReferrer, Name: "Referrer system", ODS: orgGP, BusinessFunction: store.ReferrerAuthorisedApplication, UserID: "555000000002"}
	svc := func(id, name, org, flow, bookable string) *store.Service {
		return &store.Service{ID: id, Version: 1, Name: name, Org: org, Site: org + "01", SiteName: name + " site", Postcode: "LS9 7TF",
			Specialty: "CARDIOLOGY", ClinicTypes: []string{"CARDIOLOGY_GENERAL"}, AppointmentTypes: []string{"FIRST_OUTPATIENT"},
			Flow: flow, Bookable: bookable, Priorities: []string{"ROUTINE", "URGENT", "TWO_WEEK_WAIT"}, IndicativeWaitDays: 21,
			Clinicians: []string{userSPC}, Commissioners: []string{"R68"}, Active: true, Updated: testNow.AddDate(0, -1, 0)}
	}
	for _, s := range []*store.Service{
		svc(svcDBS, "Cardiology Outpatients", orgTrust, store.FlowBookable, store.DirectlyBookable),
		svc(svcDBSEmpty, "Cardiology Rapid Access", orgTrust, store.FlowBookable, store.DirectlyBookable),
		svc(svcIBS, "Cardiology Community Clinic", orgTrust, store.FlowBookable, store.IndirectlyBookable),
		svc(svcTriage, "Cardiology Referral Assessment", orgTrust, store.FlowTriage, store.DirectlyBookable),
		svc(svcAdvice, "Cardiology Advice", orgTrust, store.FlowAdvice, ""),
		svc(svcOther, "Other Cardiology", orgTrust2, store.FlowBookable, store.DirectlyBookable),
	} {
		st.Services[s.ID] = s
	}
	// Ten free routine slots a day apart at the bookable service, the first
	// with a named clinician; none at the rapid access clinic.
	for i := range 10 {
		start := testNow.AddDate(0, 0, 7+i).Truncate(24 * time.Hour).Add(10 * time.Hour)
		s := &store.Slot{ID: fmt.Sprintf("110000%02d", 21+i), AltID: fmt.Sprintf("USRN-120000%02d", 1+i), ServiceID: svcDBS,
			Start: start, End: start.Add(15 * time.Minute), Type: "ROUTINE", Free: true}
		if i == 0 {
			s.ClinicianID = userSPC
		}
		st.AddSlot(s)
	}
	return st
}

// testEnv is a simulator on a loopback test server.
type testEnv struct {
	t     *testing.T
	srv   *httptest.Server
	sb    *Server
	store *store.Store
}

// newTestEnv starts a simulator on the base world changed by build (nil for
// none).
func newTestEnv(t *testing.T, build func(st *store.State)) *testEnv {
	t.Helper()
	seed := func() *store.State {
		st := baseWorld()
		if build != nil {
			build(st)
		}
		return st
	}
	return newTestEnvWith(t, store.New(seed, func() time.Time { return testNow }), Options{})
}

// newTestEnvWith starts a simulator on a given store and options.
func newTestEnvWith(t *testing.T, st *store.Store, opts Options) *testEnv {
	t.Helper()
	opts.Store = st
	sb := New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, sb: sb, store: st}
}

// client returns an ersclient acting as the user in the role at the
// organisation (and on behalf of obo for a clinician admin).
func (e *testEnv) client(user string, bf ersclient.BusinessFunction, org, obo string) *ersclient.Client {
	e.t.Helper()
	return e.newClient(ersclient.Options{Context: ersclient.UserContext{BusinessFunction: bf, Organisation: org, OnBehalfOf: obo}}, map[string]string{HeaderSandboxUser: user})
}

// appClient returns an application-restricted ersclient for the app.
func (e *testEnv) appClient(app string) *ersclient.Client {
	e.t.Helper()
	return e.newClient(ersclient.Options{AppRestricted: true}, map[string]string{HeaderSandboxApp: app, HeaderSandboxAppRestricted: "true"})
}

func (e *testEnv) newClient(opts ersclient.Options, headers map[string]string) *ersclient.Client {
	opts.BaseURL = e.srv.URL + BasePath
	opts.Token = func(context.Context) (string, error) { return "test-token", nil }
	opts.Transport = headerTransport{headers: headers, next: http.DefaultTransport}
	opts.Retry = ersclient.RetryPolicy{MaxAttempts: 1}
	c, err := ersclient.New(opts)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// The clients of the base world's users.
func (e *testEnv) rc() *ersclient.Client {
	return e.client(userRC, ersclient.ReferringClinician, orgGP, "")
}
func (e *testEnv) rca() *ersclient.Client {
	return e.client(userRCA, ersclient.ReferringClinicianAdmin, orgGP, "")
}
func (e *testEnv) spc() *ersclient.Client {
	return e.client(userSPC, ersclient.ServiceProviderClinician, orgTrust, "")
}
func (e *testEnv) spa() *ersclient.Client {
	return e.client(userSPA, ersclient.ServiceProviderAdmin, orgTrust, "")
}
func (e *testEnv) spca() *ersclient.Client {
	return e.client(userRCA, ersclient.ServiceProviderClinicianAdmin, orgTrust, userSPC2)
}

type headerTransport struct {
	headers map[string]string
	next    http.RoundTripper
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.headers {
		r.Header.Set(k, v)
	}
	return h.next.RoundTrip(r)
}

// raw sends a request with exactly the given headers (plus a bearer token
// unless headers sets Authorization to "") and returns the status, headers
// and body.
func (e *testEnv) raw(method, path, body string, headers map[string]string) (int, http.Header, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer test-token")
	if body != "" {
		req.Header.Set("Content-Type", fhirJSON)
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// userHeaders are the context headers of a base-world user.
func userHeaders(user string, bf ersclient.BusinessFunction, org string) map[string]string {
	return map[string]string{HeaderSandboxUser: user, headerBusinessFunction: string(bf), headerODS: org}
}

// rcHeaders, rcaHeaders and spcHeaders are the context headers of the base
// world's referring clinician, clinician admin and provider clinician.
func rcHeaders() map[string]string {
	return userHeaders(userRC, ersclient.ReferringClinician, orgGP)
}

func rcaHeaders() map[string]string {
	return userHeaders(userRCA, ersclient.ReferringClinicianAdmin, orgGP)
}

func spcHeaders() map[string]string {
	return userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
}

// withHeaders returns a copy of h with more headers, given as name, value
// pairs, so that a case can vary one header without touching the shared map.
func withHeaders(h map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(h)+len(kv)/2)
	maps.Copy(out, h)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// outcomeCode is the e-RS code of an OperationOutcome body's first issue,
// or "" when the body is not one (an empty or successful answer).
func outcomeCode(body []byte) string {
	oo, ok := ersclient.DecodeOperationOutcome(body)
	if !ok || len(oo.Issue) == 0 || oo.Issue[0].Details == nil || len(oo.Issue[0].Details.Coding) == 0 {
		return ""
	}
	return oo.Issue[0].Details.Coding[0].Code
}

// encodeJSON encodes a FHIR resource (a request body, usually).
func encodeJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := fhir.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// slotFree reports whether a slot is free now.
func slotFree(e *testEnv, id string) bool {
	free := false
	e.store.Read(func(st *store.State) error { //nolint:errcheck // the callback cannot fail
		free = st.Slots[id] != nil && st.Slots[id].Free
		return nil
	})
	return free
}

// addReferral puts a referral in the world with sensible defaults; change
// adjusts it.
func addReferral(st *store.State, ubrn, state string, change func(r *store.Referral)) *store.Referral {
	r := &store.Referral{
		UBRN: ubrn, Version: 1, RequestID: "r.00000000-0000-4000-8000-" + ubrn, Status: "active",
		NHSNumber: "9990001235", Priority: "ROUTINE", Specialty: "CARDIOLOGY", ClinicType: "CARDIOLOGY_GENERAL",
		ReferringOrg: orgGP, ReferrerID: userRC, CreatedBy: userRC, CommissioningRuleOrg: "R68",
		Shortlist: []string{svcDBS}, State: state, LetterIntention: "NOT_INTENDING_TO_ADD",
		ContextStatus: "NEVER_REVIEWED", PatientHasAccessCode: true,
		PathwayStart: testNow.AddDate(0, 0, -10), Created: testNow.AddDate(0, 0, -10), Updated: testNow.AddDate(0, 0, -10),
		History: []store.StateChange{{At: testNow.AddDate(0, 0, -10), State: store.StateNotBooked, By: userRC, Org: orgGP}},
	}
	if change != nil {
		change(r)
	}
	st.Referrals[ubrn] = r
	return r
}
