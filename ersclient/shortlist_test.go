package ersclient

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// journeyParametersInOrder reorders the top-level parameters of an example
// to the given names (e-RS does not depend on their order).
func journeyParametersInOrder(t *testing.T, body []byte, names ...string) []byte {
	t.Helper()
	var p fhir.Parameters
	if err := fhir.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	var out []fhir.Parameter
	for _, n := range names {
		for _, param := range p.All(n) {
			out = append(out, *param)
		}
	}
	if len(out) != len(p.Parameter) {
		t.Fatalf("reordering lost parameters: %d of %d", len(out), len(p.Parameter))
	}
	p.Parameter = out
	b, err := fhir.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestChangeShortlistSendsTheOfficialExamples(t *testing.T) {
	urgent := journeyHeartFailureCriteria()
	cases := []struct {
		name, example string
		req           ChangeShortlistRequest
		reorder       bool
	}{
		{name: "one service", example: "UnbookedReferral",
			req: ChangeShortlistRequest{Services: journeyServices("11002"), Criteria: urgent, LetterIntention: LetterToFollow}},
		{name: "several services", example: "UnbookedReferralMultipleServices",
			req: ChangeShortlistRequest{Services: journeyServices("11000", "11001", "11002", "11003", "11008"), Criteria: urgent, LetterIntention: LetterToFollow}},
		{name: "a bookable and a triage service", example: "UnbookedReferralMixedShortlist",
			req: ChangeShortlistRequest{Services: journeyServices("11002", "51002"), Criteria: urgent, LetterIntention: LetterToFollow}},
		{name: "criteria read back from the referral, with no letter to follow", example: "NonMixedShortlistWithDocument", reorder: true,
			req: ChangeShortlistRequest{Services: journeyServices("11004", "11002"), LetterIntention: NoLetterIntended, FirstReminderLetterFollowUpDays: 1,
				Criteria: SearchCriteria{Priority: PriorityCoding(PriorityRoutine), Specialty: journeySpecialty, ClinicType: fhir.Coding{Code: "HEART_FAILURE"},
					CommissioningProvisioning: fhir.Coding{System: "https://fhir.nhs.uk/STU3/CodeSystem/eRS-CommissioningProvisioning-1", Code: "ALL_AVAILABLE_FOR_BOOKING"},
					Order:                     []string{"priority", "specialty", "clinicType", "commissioningProvisioning"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := fixture(t, "stu3/changeShortlist/requests/"+c.example+".json")
			if c.reorder {
				// This example lists the shortlist last; the client always
				// sends it first.
				want = journeyParametersInOrder(t, want, "shortlist", "intentionToAddReferralLetter", "firstReminderLetterFollowUpDays")
			}
			ts := newTestServer(t, reply{Status: 200, Header: map[string]string{"ETag": `W/"3"`},
				Body: fixture(t, "stu3/changeShortlist/responses/"+c.example+".json")})
			req := c.req
			req.UBRN, req.Version = "000000070000", "2"
			ref, err := testClient(t, ts, asReferrer).ChangeShortlist(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			r := journeyRequestOf(t, ts, asReferrer, http.MethodPost, "/FHIR/STU3/ReferralRequest/000000070000/$ers.changeShortlist")
			if got := r.Header.Get("If-Match"); got != `W/"2"` {
				t.Errorf("If-Match %q", got)
			}
			assertJSONEqual(t, journeyFHIRBody(t, r), want)
			services, _, ok := ReferralShortlist(ref.Resource)
			if !ok || len(services) != len(req.Services) || ref.Version == "" {
				t.Errorf("updated referral version %q shortlist %+v", ref.Version, services)
			}
		})
	}
}

func TestAShortlistReadFromAReferralCanBeChanged(t *testing.T) {
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal(fixture(t, "stu3/changeShortlist/responses/UnbookedReferralMultipleServices.json"), &rr); err != nil {
		t.Fatal(err)
	}
	services, criteria, ok := ReferralShortlist(&rr)
	if !ok || len(services) != 5 {
		t.Fatalf("shortlist %+v", services)
	}
	ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/changeShortlist/responses/UnbookedReferral.json")})
	_, err := testClient(t, ts, asReferrer).ChangeShortlist(context.Background(), ChangeShortlistRequest{UBRN: rr.ID, Version: rr.Version(),
		Services: services[:1], Criteria: criteria, LetterIntention: LetterToFollow})
	if err != nil {
		t.Fatal(err)
	}
	var sent fhir.Parameters
	if err := fhir.Unmarshal(ts.last().Body, &sent); err != nil {
		t.Fatal(err)
	}
	var list fhir.List
	if ok, err := sent.ResourceParam("shortlist", &list); !ok || err != nil {
		t.Fatalf("no shortlist sent (%v)", err)
	}
	crit, ok := list.FindContained("#" + criteriaID)
	if !ok || len(list.Entry) != 1 || list.Entry[0].Item.Identifier.Value != services[0].ID {
		t.Fatalf("shortlist sent %s", ts.last().Body)
	}
	var p fhir.Parameters
	_ = crit.Decode(&p)
	if got := ParseSearchCriteria(&p); got.Priority.Code != criteria.Priority.Code || got.Specialty.Code != criteria.Specialty.Code || got.Specialty.System != criteria.Specialty.System {
		t.Errorf("criteria sent %+v, read %+v", got, criteria)
	}
}

func TestChangeShortlistRefusesBadInputBeforeSending(t *testing.T) {
	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, fmt.Sprint(11000+i))
	}
	cases := []struct {
		name   string
		change func(*ChangeShortlistRequest)
		code   string
	}{
		{name: "no version", change: func(r *ChangeShortlistRequest) { r.Version = "" }},
		{name: "a version that is not a number", change: func(r *ChangeShortlistRequest) { r.Version = `W/"3"` }},
		{name: "no UBRN", change: func(r *ChangeShortlistRequest) { r.UBRN = "" }},
		{name: "21 services", change: func(r *ChangeShortlistRequest) { r.Services = journeyServices(many...) }, code: "TOO_MANY_ITEMS"},
		{name: "a repeated service", change: func(r *ChangeShortlistRequest) { r.Services = journeyServices("11000", "11000") }, code: "DUPLICATE_SERVICE"},
		{name: "no services", change: func(r *ChangeShortlistRequest) { r.Services = nil }},
		{name: "no letter intention", change: func(r *ChangeShortlistRequest) { r.LetterIntention = "" }},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			req := ChangeShortlistRequest{UBRN: "000000070000", Version: "2", Services: journeyServices("11000"),
				Criteria: journeyHeartFailureCriteria(), LetterIntention: LetterToFollow}
			c.change(&req)
			_, err := testClient(t, ts, asReferrer).ChangeShortlist(context.Background(), req)
			journeyRefusedBeforeSending(t, ts, err)
			if c.code != "" && !HasCode(err, c.code) {
				t.Errorf("error %v, want code %s", err, c.code)
			}
		})
	}
}

func TestChangeShortlistErrors(t *testing.T) {
	req := ChangeShortlistRequest{UBRN: "000000070000", Version: "2", Services: journeyServices("11000"),
		Criteria: journeyHeartFailureCriteria(), LetterIntention: LetterToFollow}
	cases := []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{"a stale version is a conflict", reply{Status: 409}, IsVersionConflict},
		{"a missing version is a conflict", reply{Status: 412}, IsVersionConflict},
		{"a locked referral", reply{Status: 423}, IsLocked},
		{"a referral in the wrong state", reply{Status: 422, Body: journeyOutcome("INVALID_REQUEST_STATE", "business-rule", "referral is booked")},
			func(err error) bool { return IsBusinessRule(err, "INVALID_REQUEST_STATE") }},
		{"too many services by e-RS's count", reply{Status: 422, Body: journeyOutcome("TOO_MANY_ITEMS", "business-rule", "")},
			func(err error) bool { return IsBusinessRule(err, "TOO_MANY_ITEMS") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			_, err := testClient(t, ts, asReferrer).ChangeShortlist(context.Background(), req)
			if err == nil || !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
		})
	}
	t.Run("a shortlist change is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error { _, err := c.ChangeShortlist(context.Background(), req); return err })
	})
}

func TestChangeShortlistAndSendForTriage(t *testing.T) {
	req := ChangeShortlistRequest{UBRN: "000000070000", Version: "2", Services: journeyServices("11004"), LetterIntention: NoLetterIntended,
		Criteria: SearchCriteria{Priority: PriorityCoding(PriorityRoutine), Specialty: journeySpecialty, ClinicType: fhir.Coding{Code: "HEART_FAILURE"}}}
	t.Run("the official example is sent and its answer read", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/changeShortlistAndSendForTriage/responses/MinimalRequest.json")})
		res, err := testClient(t, ts, asReferrer).ChangeShortlistAndSendForTriage(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		r := journeyRequestOf(t, ts, asReferrer, http.MethodPost, "/FHIR/STU3/ReferralRequest/000000070000/$ers.changeShortlistAndSendForTriage")
		if got := r.Header.Get("If-Match"); got != `W/"2"` {
			t.Errorf("If-Match %q", got)
		}
		assertJSONEqual(t, journeyFHIRBody(t, r), fixture(t, "stu3/changeShortlistAndSendForTriage/requests/MinimalRequest.json"))
		if res.Referral.UBRN() != "000000070000" || res.Referral.Version == "" {
			t.Errorf("referral %s version %q", res.Referral.UBRN(), res.Referral.Version)
		}
		a := res.Appointment
		if a.ID != "70001" || a.Version != "1" || !a.IsTriage() || a.ServiceID != "11004" || a.UBRN != "000000070000" || a.ReferralVersion != "3" {
			t.Errorf("appointment %+v", a)
		}
	})
	refusals := []struct {
		name   string
		change func(*ChangeShortlistRequest)
	}{
		{"two services", func(r *ChangeShortlistRequest) { r.Services = journeyServices("11004", "11002") }},
		{"a reminder", func(r *ChangeShortlistRequest) { r.FirstReminderLetterFollowUpDays = 2 }},
		{"no version", func(r *ChangeShortlistRequest) { r.Version = "" }},
	}
	for _, c := range refusals {
		t.Run("triage with "+c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			r := req
			c.change(&r)
			_, err := testClient(t, ts, asReferrer).ChangeShortlistAndSendForTriage(context.Background(), r)
			journeyRefusedBeforeSending(t, ts, err)
		})
	}
	t.Run("an answer without the appointment is a bad response", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Body: []byte(`{"resourceType":"Parameters","parameter":[]}`)})
		_, err := testClient(t, ts, asReferrer).ChangeShortlistAndSendForTriage(context.Background(), req)
		if e, ok := AsError(err); !ok || e.Kind != KindBadResponse {
			t.Errorf("error %v", err)
		}
	})
	for _, c := range []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{"a stale version is a conflict", reply{Status: 409}, IsVersionConflict},
		{"a locked referral", reply{Status: 423}, IsLocked},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			_, err := testClient(t, ts, asReferrer).ChangeShortlistAndSendForTriage(context.Background(), req)
			if !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
		})
	}
	t.Run("a change and send is never retried", func(t *testing.T) {
		journeyNotRetried(t, asReferrer, func(c *Client) error {
			_, err := c.ChangeShortlistAndSendForTriage(context.Background(), req)
			return err
		})
	})
}
