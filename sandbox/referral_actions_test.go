package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

func TestReferralActionsFollowStateRoleAndService(t *testing.T) {
	dbs := &store.Service{ID: svcDBS, Flow: store.FlowBookable, Bookable: store.DirectlyBookable}
	ibs := &store.Service{ID: svcIBS, Flow: store.FlowBookable, Bookable: store.IndirectlyBookable}
	triage := &store.Service{ID: svcTriage, Flow: store.FlowTriage, Bookable: store.DirectlyBookable}
	rc, rca := ersclient.ReferringClinician, ersclient.ReferringClinicianAdmin
	spc, spca, app := ersclient.ServiceProviderClinician, ersclient.ServiceProviderClinicianAdmin, store.ProviderAuthorisedApplication
	cases := []struct {
		name  string
		state string
		role  ersclient.BusinessFunction
		svc   *store.Service
		want  []string
	}{
		{"a referrer may book, reshortlist or cancel an unbooked referral", store.StateNotBooked, rc, nil,
			[]string{actionCreateAppointment, actionChangeShortlist, actionChangeShortlistAndTriage, actionCancelReferral}},
		{"a referrer admin may do the same", store.StateNotBooked, rca, nil,
			[]string{actionCreateAppointment, actionChangeShortlist, actionChangeShortlistAndTriage, actionCancelReferral}},
		{"a referrer may cancel a directly booked appointment", store.StateBooked, rc, dbs, []string{actionCancelBookedAppointment, actionCancelReferral}},
		{"a referrer may not cancel an indirectly booked appointment through the API", store.StateBooked, rc, ibs, []string{actionCancelReferral}},
		{"a referrer may only cancel while the provider has it", store.StateAwaitingTriage, rc, triage, []string{actionCancelReferral}},
		{"a referrer may reshortlist a rejected referral but not book it at once", store.StateRejected, rc, dbs,
			[]string{actionChangeShortlist, actionChangeShortlistAndTriage, actionCancelReferral}},
		{"a referrer may reshortlist after a triage response", store.StateTriageResponse, rca, triage,
			[]string{actionChangeShortlist, actionChangeShortlistAndTriage, actionCancelReferral}},
		{"a referrer may reshortlist after a cancelled appointment", store.StateCancelledByPatient, rc, dbs,
			[]string{actionChangeShortlist, actionChangeShortlistAndTriage, actionCancelReferral}},
		{"nothing can be done to a cancelled referral", store.StateCancelledReferral, rc, dbs, nil},
		{"a provider clinician may record a triage outcome", store.StateAwaitingTriage, spc, triage, []string{actionRecordReviewOutcome, actionCancelReferral}},
		{"a provider clinician may review a deferral", store.StateDeferredToProvider, spca, dbs, []string{actionRecordReviewOutcome, actionCancelReferral}},
		{"a provider clinician may cancel a booked referral", store.StateBooked, spc, dbs, []string{actionCancelReferral}},
		{"a provider clinician may cancel a referral it is to action", store.StateTriagedToAction, spc, triage, []string{actionCancelReferral}},
		{"a provider has nothing to do once it went back to the referrer", store.StateTriageResponse, spc, triage, nil},
		{"a provider has nothing to do with an unbooked referral", store.StateNotBooked, spc, nil, nil},
		{"a provider application gets the two actions APIM allows it", store.StateAwaitingTriage, app, triage, []string{actionRecordReviewOutcome, actionCancelReferral}},
		{"a referring admin gets nothing", store.StateNotBooked, ersclient.ReferringAdmin, nil, nil},
		{"a provider admin gets nothing", store.StateAwaitingTriage, ersclient.ServiceProviderAdmin, triage, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := referralActions(tc.state, tc.role, tc.svc)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for _, a := range tc.want {
				if !actionAllowed(tc.state, tc.role, tc.svc, a) {
					t.Errorf("actionAllowed(%s) = false", a)
				}
			}
		})
	}
	t.Run("an application is never offered more than APIM allows it", func(t *testing.T) {
		for _, state := range []string{store.StateNotBooked, store.StateBooked, store.StateDeferredToProvider, store.StateAwaitingTriage,
			store.StateTriagedToAction, store.StateTriageResponse, store.StateRejected, store.StateCancelledByPatient, store.StateDidNotAttend} {
			for _, a := range referralActions(state, app, dbs) {
				if a != actionRecordReviewOutcome && a != actionCancelReferral {
					t.Errorf("%s: offered %s", state, a)
				}
			}
		}
	})
}

func TestAvailableActionsAnswersForTheCurrentVersion(t *testing.T) {
	e := newTestEnv(t, h1World)
	cases := []struct {
		name    string
		client  *ersclient.Client
		ubrn    string
		version string
		want    []ersclient.ActionCode
		status  int
		code    string
	}{
		{"a referrer sees the actions of an unbooked referral", e.rc(), ubrnNotBooked, "1",
			[]ersclient.ActionCode{ersclient.ActionCreateAppointment, ersclient.ActionChangeShortlist, ersclient.ActionChangeShortlistAndSendForTriage, ersclient.ActionCancelReferral}, 200, ""},
		{"a referrer may cancel a directly booked appointment", e.rca(), ubrnBooked, "3",
			[]ersclient.ActionCode{ersclient.ActionCancelDirectlyBookedAppointment, ersclient.ActionCancelReferral}, 200, ""},
		{"a provider clinician may record a triage outcome", e.spc(), ubrnTriage, "2",
			[]ersclient.ActionCode{ersclient.ActionRecordReviewOutcome, ersclient.ActionCancelReferral}, 200, ""},
		{"a provider application gets its two actions", e.appClient(appProvider), ubrnTriage, "2",
			[]ersclient.ActionCode{ersclient.ActionRecordReviewOutcome, ersclient.ActionCancelReferral}, 200, ""},
		{"a provider clinician has nothing to do on a booked referral but cancel", e.spca(), ubrnBooked, "3",
			[]ersclient.ActionCode{ersclient.ActionCancelReferral}, 200, ""},
		{"an old version is refused", e.rc(), ubrnBooked, "2", nil, 400, "HISTORY_NOT_SUPPORTED"},
		{"an unknown UBRN is a bad reference", e.rc(), "000000079999", "1", nil, 400, "REFERENCE_NOT_FOUND"},
		{"an advice and guidance UBRN is the wrong kind of request", e.rc(), ubrnAdvice, "1", nil, 422, "INVALID_REQUEST_TYPE"},
		{"another practice has no relationship", e.client(userRC2, ersclient.ReferringClinician, orgGP2, ""), ubrnBooked, "3", nil, 422, "NO_RELATIONSHIP"},
		{"a referring admin is refused by role", e.client(userRA, ersclient.ReferringAdmin, orgGP, ""), ubrnBooked, "3", nil, 403, "NO_ACCESS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.client.AvailableActions(context.Background(), tc.ubrn, tc.version)
			if !h1Succeeded(t, err, tc.status, tc.code) {
				return
			}
			var codes []ersclient.ActionCode
			for _, a := range got.Actions {
				codes = append(codes, a.Code)
			}
			if !slices.Equal(codes, tc.want) {
				t.Errorf("got %v, want %v", codes, tc.want)
			}
		})
	}
}

func TestAvailableActionsQueryRules(t *testing.T) {
	e := newTestEnv(t, h1World)
	h := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	focus := "ReferralRequest/" + ubrnNotBooked + "/_history/1"
	cases := []struct {
		name   string
		query  string
		status int
		code   string
	}{
		{"all three parameters answer", "focus=" + focus + "&intent=proposal&status=ready", 200, ""},
		{"focus is mandatory", "intent=proposal&status=ready", 400, "MISSING_PARAMETER"},
		{"intent is mandatory", "focus=" + focus + "&status=ready", 400, "MISSING_PARAMETER"},
		{"status is mandatory", "focus=" + focus + "&intent=proposal", 400, "MISSING_PARAMETER"},
		{"only proposals are served", "focus=" + focus + "&intent=order&status=ready", 400, "INVALID_VALUE"},
		{"only ready tasks are served", "focus=" + focus + "&intent=proposal&status=draft", 400, "INVALID_VALUE"},
		{"the focus needs a version", "focus=ReferralRequest/" + ubrnNotBooked + "&intent=proposal&status=ready", 400, "INVALID_VALUE"},
		{"unknown parameters are refused", "focus=" + focus + "&intent=proposal&status=ready&owner=me", 400, "INVALID_VALUE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/Task?"+tc.query, "", h)
			if status != tc.status || (tc.code != "" && !strings.Contains(string(body), `"code":"`+tc.code+`"`)) {
				t.Errorf("got %d %s", status, body)
			}
		})
	}
	t.Run("the answer is shaped like the official examples", func(t *testing.T) {
		status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/Task?focus="+url.QueryEscape(focus)+"&intent=proposal&status=ready", "", h)
		if status != 200 {
			t.Fatalf("status %d", status)
		}
		var b struct {
			ResourceType, Type string
			Link               []struct{ Relation, URL string }
			Entry              []struct {
				FullURL  string
				Resource struct {
					ID, Status, Intent string
					Meta               struct{ Profile []string }
					Focus              struct{ Reference string }
					Code               struct {
						Coding []struct{ System, Code, Display string }
					}
				}
				Search struct{ Mode string }
			}
		}
		if err := json.Unmarshal(body, &b); err != nil {
			t.Fatal(err)
		}
		wantSelf := e.srv.URL + "/referrals/FHIR/STU3/Task?focus=" + focus + "&intent=proposal&status=ready"
		if b.ResourceType != "Bundle" || b.Type != "searchset" || len(b.Link) != 1 || b.Link[0].URL != wantSelf || len(b.Entry) != 4 {
			t.Fatalf("bundle %+v", b)
		}
		en := b.Entry[0]
		if en.FullURL != e.srv.URL+"/referrals/FHIR/STU3/Task/"+en.Resource.ID || en.Search.Mode != "match" || en.Resource.Status != "ready" ||
			en.Resource.Intent != "proposal" || en.Resource.Focus.Reference != focus || en.Resource.Meta.Profile[0] != profileTask ||
			en.Resource.Code.Coding[0].Code != actionCreateAppointment || en.Resource.Code.Coding[0].Display != "Create Appointment" {
			t.Errorf("entry %+v", en)
		}
	})
	t.Run("a state change shows in the next answer", func(t *testing.T) {
		if err := e.store.Write(store.ReferralKey(ubrnNotBooked), func(st *store.State) error {
			r := st.Referrals[ubrnNotBooked]
			r.State, r.Status, r.Version = store.StateCancelledReferral, "cancelled", 2
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		got, err := e.rc().AvailableActions(context.Background(), ubrnNotBooked, "2")
		if err != nil || len(got.Actions) != 0 {
			t.Errorf("got %v, %v", got, err)
		}
	})
}
