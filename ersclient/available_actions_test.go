package ersclient

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestAvailableActionsReadsEveryOfficialExample(t *testing.T) {
	cases := []struct {
		fixture string
		ubrn    string
		want    ActionCode // "" for none
		op      OperationID
		uc      UserContext
	}{
		{"Empty", "000000070000", "", "", asProviderClinician},
		{"WithRecordReviewOutcome", "000000070001", ActionRecordReviewOutcome, OpRecordReviewOutcome, asClinicianAdmin},
		{"WithCreateAppointment", "000000070002", ActionCreateAppointment, OpBookOrDefer, asReferrer},
		{"WithChangeShortlist", "000000070003", ActionChangeShortlist, OpChangeShortlist, asReferrer},
		{"WithChangeShortlistAndSendForTriage", "000000070004", ActionChangeShortlistAndSendForTriage, OpChangeShortlistAndTriage, asReferrer},
		{"WithCancelReferral", "000000070005", ActionCancelReferral, OpCancelReferral, asProviderClinician},
		{"WithCancelDBAppointment", "000000070006", ActionCancelDirectlyBookedAppointment, OpCancelAppointment, asReferrer},
	}
	all := []ActionCode{ActionRecordReviewOutcome, ActionCreateAppointment, ActionChangeShortlist,
		ActionChangeShortlistAndSendForTriage, ActionCancelReferral, ActionCancelDirectlyBookedAppointment}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/availableActionsForUserList/"+tc.fixture+".json")})
			got, err := testClient(t, ts, tc.uc).AvailableActions(context.Background(), tc.ubrn, "6")
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			if rec.Method != http.MethodGet || rec.Path != "/FHIR/STU3/Task" || len(rec.Body) != 0 {
				t.Errorf("sent %s %s with body %q", rec.Method, rec.Path, rec.Body)
			}
			wantQuery := map[string][]string{"focus": {"ReferralRequest/" + tc.ubrn + "/_history/6"}, "intent": {"proposal"}, "status": {"ready"}}
			if !reflect.DeepEqual(rec.Query, wantQuery) {
				t.Errorf("query %v, want %v", rec.Query, wantQuery)
			}
			assertHeaders(t, rec, tc.uc)
			if rec.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("Cache-Control = %q; the answer must never come from a cache", rec.Header.Get("Cache-Control"))
			}
			if got.UBRN != tc.ubrn || got.Version != "6" || got.Bundle == nil {
				t.Errorf("result for %q v%q", got.UBRN, got.Version)
			}
			for _, code := range all {
				if got.Has(code) != (code == tc.want) {
					t.Errorf("Has(%s) = %v", code, got.Has(code))
				}
			}
			if tc.want == "" {
				if len(got.Actions) != 0 {
					t.Errorf("actions %+v, want none", got.Actions)
				}
				return
			}
			if len(got.Actions) != 1 {
				t.Fatalf("actions %+v", got.Actions)
			}
			a := got.Actions[0]
			if a.Code != tc.want || a.Operation != tc.op || a.Label == "" || strings.Contains(a.Label, "_") {
				t.Errorf("action %+v", a)
			}
		})
	}
}

func TestAvailableActionsAreAskedAfreshEachTime(t *testing.T) {
	ts := newTestServer(t,
		reply{Status: 200, Body: fixture(t, "stu3/availableActionsForUserList/WithCancelReferral.json")},
		reply{Status: 200, Body: fixture(t, "stu3/availableActionsForUserList/Empty.json")})
	c := testClient(t, ts, asProviderClinician)
	first, err := c.AvailableActions(context.Background(), "000000070005", "6")
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.AvailableActions(context.Background(), "000000070005", "6")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Requests) != 2 || !first.Has(ActionCancelReferral) || second.Has(ActionCancelReferral) {
		t.Errorf("%d requests; first %v, second %v", len(ts.Requests), first.Actions, second.Actions)
	}
}

func TestAvailableActionsKeepsActionsItDoesNotKnow(t *testing.T) {
	body := []byte(`{"resourceType":"Bundle","type":"searchset","entry":[
{"resource":{"resourceType":"Task","status":"ready","intent":"proposal","focus":{"reference":"ReferralRequest/000000070000/_history/6"},
 "code":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AvailableActionsForUser-1","code":"RECORD_OUTCOME_LATER","display":"Record outcome later"}]}}},
{"resource":{"resourceType":"Task","status":"ready","intent":"proposal",
 "code":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AvailableActionsForUser-1","code":"CANCEL_REFERRAL"}]}}},
{"resource":{"resourceType":"Task","status":"ready","intent":"proposal",
 "code":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AvailableActionsForUser-1","code":"CANCEL_REFERRAL"}]}}},
{"resource":{"resourceType":"Task","status":"ready","intent":"proposal"}},
{"resource":{"resourceType":"OperationOutcome","issue":[]}}]}`)
	ts := newTestServer(t, reply{Status: 200, Body: body})
	got, err := testClient(t, ts, asProviderClinician).AvailableActions(context.Background(), "000000070000", "6")
	if err != nil {
		t.Fatal(err)
	}
	want := []Action{
		{Code: "RECORD_OUTCOME_LATER", Label: "Record outcome later"},
		{Code: ActionCancelReferral, Label: "Cancel referral", Operation: OpCancelReferral},
	}
	if !reflect.DeepEqual(got.Actions, want) {
		t.Errorf("actions %+v, want %+v", got.Actions, want)
	}
	if (&AvailableActions{}).Has(ActionCancelReferral) || (*AvailableActions)(nil).Has(ActionCancelReferral) {
		t.Error("an empty result offers an action")
	}
}

func TestAvailableActionsErrors(t *testing.T) {
	cases := []referralErrorCase{
		{name: "a version that is not current is refused", status: 400, body: referralOutcome("HISTORY_NOT_SUPPORTED", "invalid"),
			is: func(err error) bool {
				return HasCode(err, "HISTORY_NOT_SUPPORTED") && strings.Contains(err.Error(), "reload")
			}},
		{name: "an unknown referral is a reference not found", status: 400, body: referralOutcome("REFERENCE_NOT_FOUND", "invalid"),
			is: func(err error) bool { return HasCode(err, "REFERENCE_NOT_FOUND") }},
		{name: "a refused role is forbidden", status: 403, fixture: "stu3/STU3-Forbidden.json", is: IsForbidden},
		{name: "an expired sign-in needs reauthentication", status: 401, fixture: "stu3/STU3-Unauthorised.json", is: NeedsReauthentication},
	}
	runReferralErrorCases(t, asProviderClinician, cases, func(c *Client) error {
		_, err := c.AvailableActions(context.Background(), "000000070000", "5")
		return err
	})
	for name, args := range map[string][2]string{"no version": {"000000070000", ""}, "no UBRN": {"", "6"}, "a version that is not a number": {"000000070000", "6&status=x"}} {
		t.Run(name+" is refused before sending", func(t *testing.T) {
			assertRefusedBeforeSending(t, func(c *Client) error {
				_, err := c.AvailableActions(context.Background(), args[0], args[1])
				return err
			}, "")
		})
	}
}
