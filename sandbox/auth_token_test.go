package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// tokenEnv is a simulator that checks APIM tokens, with a registry of two
// applications (one without an ASID) and a token store on the test clock.
func tokenEnv(t *testing.T) (*testEnv, *apim.TokenStore) {
	t.Helper()
	apps, err := apim.NewRegistry(
		apim.App{APIKey: "supplier-app", ASID: "200000001234", AllowedODS: []string{orgGP, orgTrust},
			Scopes: []string{apim.ScopeUserAAL2, apim.ScopeUserAAL3, apim.ScopeAppLevel3},
			AppODS: orgTrust, AppBusinessFunction: string(store.ProviderAuthorisedApplication), AppUserID: "555000000001"},
		apim.App{APIKey: "no-asid-app", Scopes: []string{apim.ScopeUserAAL3}},
	)
	if err != nil {
		t.Fatal(err)
	}
	tokens := apim.NewTokenStore(func() time.Time { return testNow })
	seed := func() *store.State {
		st := baseWorld()
		addReferral(st, "000000000301", store.StateBooked, func(r *store.Referral) { r.ServiceID = svcDBS })
		return st
	}
	e := newTestEnvWith(t, store.New(seed, func() time.Time { return testNow }), Options{Auth: TokenAuthenticator{Tokens: tokens, Apps: apps}})
	return e, tokens
}

func issue(t *testing.T, tokens *apim.TokenStore, info apim.TokenInfo) string {
	t.Helper()
	if info.ExpiresAt.IsZero() {
		info.ExpiresAt = testNow.Add(10 * time.Minute)
	}
	tok, err := tokens.Issue(info)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTheSimulatorTakesTheCallerFromTheAPIMToken(t *testing.T) {
	e, tokens := tokenEnv(t)
	user := func(sub string, ial, aal int, scopes ...string) string {
		return issue(t, tokens, apim.TokenInfo{APIKey: "supplier-app", AuthType: apim.AuthTypeUser, Subject: sub, IAL: ial, AAL: aal, Scopes: scopes})
	}
	rcToken := user(userRC, 3, 3, apim.ScopeUserAAL3)
	const referral = BasePath + "/STU3/ReferralRequest/000000000301"
	rc := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	spc := userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
	bearer := func(h map[string]string, tok string) map[string]string {
		return withHeaders(h, "Authorization", "Bearer "+tok)
	}
	cases := []struct {
		name    string
		path    string
		headers map[string]string
		status  int    // 0: admitted
		text    string // expected in the body
	}{
		{"a user token admits its own user", referral, bearer(rc, rcToken), 0, ""},
		{"a header cannot make the token another user", referral, bearer(spc, rcToken), 403, "required Business Function"},
		{"no token is a 401", referral, withHeaders(rc, "Authorization", ""), 401, ""},
		{"an unknown token is a 401", referral, bearer(rc, "made-up"), 401, ""},
		{"an expired token is a 401", referral, bearer(rc, issue(t, tokens, apim.TokenInfo{APIKey: "supplier-app", AuthType: apim.AuthTypeUser, Subject: userRC, IAL: 3, AAL: 3,
			Scopes: []string{apim.ScopeUserAAL3}, ExpiresAt: testNow.Add(-time.Second)})), 401, ""},
		{"an IAL2 user is refused", referral, bearer(rc, user(userRC, 2, 3, apim.ScopeUserAAL3)), 401, "verify your identity"},
		{"a user token without an e-RS scope (AAL1) is refused", referral, bearer(rc, user(userRC, 3, 1)), 401, "not currently supported"},
		{"an AAL2 user is admitted", referral, bearer(rc, user(userRC, 3, 2, apim.ScopeUserAAL2)), 0, ""},
		{"an organisation outside the application's allow-list is refused", referral,
			bearer(userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), user(userRC2, 3, 3, apim.ScopeUserAAL3)), 403, "Unauthorised ODS code"},
		{"an application without an ASID is refused", referral,
			bearer(rc, issue(t, tokens, apim.TokenInfo{APIKey: "no-asid-app", AuthType: apim.AuthTypeUser, Subject: userRC, IAL: 3, AAL: 3, Scopes: []string{apim.ScopeUserAAL3}})), 403, "ASID"},
		{"an application token acts as the application's organisation", referral,
			map[string]string{"Authorization": "Bearer " + issue(t, tokens, apim.TokenInfo{APIKey: "supplier-app", AuthType: apim.AuthTypeApp, Scopes: []string{apim.ScopeAppLevel3}})}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, tc.path, "", tc.headers)
			if tc.status == 0 {
				if !admitted(status, body) || status != 200 {
					t.Fatalf("status %d %s, want 200", status, body)
				}
				return
			}
			if status != tc.status || !strings.Contains(string(body), tc.text) {
				t.Fatalf("status %d %s, want %d containing %q", status, body, tc.status, tc.text)
			}
		})
	}
}
