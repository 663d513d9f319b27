package sandbox

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const (
	pathCreateReferral = refSTU3 + "/ReferralRequest/$ers.createReferral"
	pathCreateTriage   = refSTU3 + "/ReferralRequest/$ers.createReferralAndSendForTriage"
)

func pathChangeShortlist(ubrn string) string {
	return refSTU3 + "/ReferralRequest/" + ubrn + "/$ers.changeShortlist"
}

func pathChangeShortlistTriage(ubrn string) string {
	return refSTU3 + "/ReferralRequest/" + ubrn + "/$ers.changeShortlistAndSendForTriage"
}

func TestCreateReferralRecordsANotBookedReferral(t *testing.T) {
	e := newReferrerEnv(t, nil)
	ref, err := e.rc().CreateReferral(context.Background(), ersclient.CreateReferralRequest{
		NHSNumber: refNHS, Criteria: cardiologyCriteria(), LetterIntention: ersclient.LetterToFollow, FirstReminderLetterFollowUpDays: 7,
		Services: []ersclient.ShortlistedService{{ID: svcDBS}, {ID: svcTriage}},
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if ref.Status != http.StatusCreated || ref.Version != "1" {
		t.Errorf("status %d version %q, want 201 and version 1", ref.Status, ref.Version)
	}
	if read := mustState(t, e.rc(), ref.UBRN(), "NOT_BOOKED"); read.Version != "1" {
		t.Errorf("read back at version %s, want 1", read.Version)
	}
	r := refReferral(t, e, ref.UBRN())
	if r.State != store.StateNotBooked || r.Status != "active" || r.Version != 1 {
		t.Errorf("referral %s %s v%d, want active NOT_BOOKED v1", r.Status, r.State, r.Version)
	}
	if len(r.UBRN) != 12 || len(r.RequestID) != 38 || r.RequestID[:2] != "r." {
		t.Errorf("UBRN %q request id %q", r.UBRN, r.RequestID)
	}
	checks := map[string][2]string{
		"priority":          {r.Priority, "ROUTINE"},
		"specialty":         {r.Specialty, "CARDIOLOGY"},
		"referrer":          {r.ReferrerID, userRC},
		"creator":           {r.CreatedBy, userRC},
		"organisation":      {r.ReferringOrg, orgGP},
		"comm rule org":     {r.CommissioningRuleOrg, "R68"},
		"letter intention":  {r.LetterIntention, "NEED_TO_ADD_LATER"},
		"reminder days":     {strconv.Itoa(r.ReminderDays), "7"},
		"shortlist":         {r.Shortlist[0] + "," + r.Shortlist[1], svcDBS + "," + svcTriage},
		"criteria priority": {r.Criteria.Priority, "ROUTINE"},
		"pathway start":     {r.PathwayStart.String(), testNow.String()},
	}
	for what, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", what, c[0], c[1])
		}
	}
}

func TestCreateReferralByAClinicianAdminIsForTheNamedClinician(t *testing.T) {
	e := newReferrerEnv(t, nil)
	ref, err := e.rca().CreateReferral(context.Background(), ersclient.CreateReferralRequest{
		NHSNumber: refNHS, ReferringClinician: userRC, Criteria: cardiologyCriteria(), LetterIntention: ersclient.NoLetterIntended,
		Services: []ersclient.ShortlistedService{{ID: svcDBS}},
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	r := refReferral(t, e, ref.UBRN())
	if r.ReferrerID != userRC || r.CreatedBy != userRCA {
		t.Errorf("referrer %s created by %s, want %s by %s", r.ReferrerID, r.CreatedBy, userRC, userRCA)
	}
}

func TestCreateReferralRefusesWhatTheRulesForbid(t *testing.T) {
	criteria := refCriteria("ROUTINE")
	many := make([]string, 21)
	for i := range many {
		many[i] = strconv.Itoa(12000 + i)
	}
	for _, tc := range []struct {
		name    string
		headers map[string]string
		body    func(t *testing.T) string
		status  int
		code    string
	}{
		{"a provider clinician may not create referrals", spcHeaders(), func(t *testing.T) string { return refCreateBody(t, svcDBS) }, http.StatusForbidden, "NO_ACCESS"},
		{"a clinician admin must name the referring clinician", rcaHeaders(), func(t *testing.T) string { return refCreateBody(t, svcDBS) }, 422, "VALUE_IS_REQUIRED"},
		{"the named clinician must be a referring clinician", rcaHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refSDS("referringClinician", userSPC), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS))
		}, 422, "REFERENCED_USER_IS_NOT_RC"},
		{"the named clinician must refer from the caller's practice", rcaHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refSDS("referringClinician", userRC2), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS))
		}, 422, "REFERENCED_USER_IS_NOT_RC_AT_ORG"},
		{"an unknown named clinician is not found", rcaHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refSDS("referringClinician", "999999999999"), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS))
		}, 422, "REFERENCE_NOT_FOUND"},
		{"more than twenty services are too many", rcHeaders(), func(t *testing.T) string { return refCreateBody(t, many...) }, 422, "TOO_MANY_ITEMS"},
		{"a service may be shortlisted once", rcHeaders(), func(t *testing.T) string { return refCreateBody(t, svcDBS, svcIBS, svcDBS) }, 422, "DUPLICATE_SERVICE"},
		{"an unknown service is not found", rcHeaders(), func(t *testing.T) string { return refCreateBody(t, "77777") }, 422, "REFERENCE_NOT_FOUND"},
		{"an advice service cannot take a referral", rcHeaders(), func(t *testing.T) string { return refCreateBody(t, svcAdvice) }, 422, "INAPPROPRIATE_VALUE"},
		{"a service of another specialty is not in the results", rcHeaders(), func(t *testing.T) string { return refCreateBody(t, svcDBS, svcDerm) }, 422, "SHORTLISTED_SERVICE_NOT_IN_RESULTS"},
		{"an invalid NHS number is an invalid value", rcHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient("9990001236"), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS))
		}, 422, "INVALID_VALUE"},
		{"the patient is mandatory", rcHeaders(), func(t *testing.T) string {
			return refBody(t, refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS))
		}, 422, "MISSING_VALUE"},
		{"the shortlist is mandatory", rcHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0))
		}, 422, "MISSING_VALUE"},
		{"the reminder days are mandatory", rcHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refShortlist(t, criteria, svcDBS))
		}, 422, "MISSING_VALUE"},
		{"an unknown letter intention is an invalid code", rcHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("MAYBE"), refReminderDays(0), refShortlist(t, criteria, svcDBS))
		}, 422, "INVALID_CODE"},
		{"the criteria need a priority", rcHeaders(), func(t *testing.T) string {
			c := refCriteria("ROUTINE")
			c.Parameter = c.Parameter[1:]
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, c, svcDBS))
		}, 422, "MISSING_VALUE"},
		{"an unknown specialty is an invalid code", rcHeaders(), func(t *testing.T) string {
			c := refCriteria("ROUTINE", refSpecialty("NO_SUCH_SPECIALTY"))
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, c, svcDBS))
		}, 422, "INVALID_CODE"},
		{"a pathway start in the future is invalid", rcHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS),
				fhir.Parameter{Name: "eReferralPathwayStart", Value: fhir.Value{ValueInstant: fhir.Ptr(testNow.AddDate(0, 0, 1).Format("2006-01-02T15:04:05.000Z"))}})
		}, 422, "INVALID_VALUE"},
		{"a pathway start over 365 days ago is invalid", rcHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS),
				fhir.Parameter{Name: "eReferralPathwayStart", Value: fhir.Value{ValueInstant: fhir.Ptr(testNow.AddDate(0, 0, -366).Format("2006-01-02T15:04:05.000Z"))}})
		}, 422, "INVALID_VALUE"},
		{"an unknown parameter is an unexpected field", rcHeaders(), func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS),
				fhir.Parameter{Name: "colour", Value: fhir.Value{ValueString: fhir.Ptr("blue")}})
		}, 422, "UNEXPECTED_FIELD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, nil)
			status, _, body := e.raw(http.MethodPost, pathCreateReferral, tc.body(t), tc.headers)
			refExpect(t, status, body, tc.status, tc.code)
			if n := refReferralCount(e); n != 0 {
				t.Errorf("a refused creation left %d referrals", n)
			}
		})
	}
}

func TestCreateReferralKeepsAPathwayStartWithinTheYear(t *testing.T) {
	e := newReferrerEnv(t, nil)
	start := testNow.AddDate(0, -2, 0)
	body := refBody(t, refPatient(refNHS), refLetterIntention("NOT_INTENDING_TO_ADD"), refReminderDays(0), refShortlist(t, refCriteria("URGENT"), svcDBS),
		fhir.Parameter{Name: "eReferralPathwayStart", Value: fhir.Value{ValueInstant: fhir.Ptr(start.Format("2006-01-02T15:04:05.000Z"))}})
	status, h, resp := e.raw(http.MethodPost, pathCreateReferral, body, rcHeaders())
	refExpect(t, status, resp, http.StatusCreated, "")
	if h.Get("ETag") != `W/"1"` {
		t.Errorf("ETag %q, want W/\"1\"", h.Get("ETag"))
	}
	ubrn, _ := refJSONPath(t, resp, "id").(string)
	r := refReferral(t, e, ubrn)
	if !r.PathwayStart.Equal(start) || r.Priority != "URGENT" {
		t.Errorf("pathway start %v priority %s, want %v URGENT", r.PathwayStart, r.Priority, start)
	}
}

func refReferralCount(e *testEnv) int {
	n := 0
	e.store.Read(func(st *store.State) error { //nolint:errcheck // the callback cannot fail
		n = len(st.Referrals)
		return nil
	})
	return n
}

func TestCreateReferralAndSendForTriageLeavesItAwaitingTriage(t *testing.T) {
	e := newReferrerEnv(t, nil)
	ref, err := e.rc().CreateReferralAndSendForTriage(context.Background(), ersclient.CreateReferralRequest{
		NHSNumber: refNHS, Criteria: cardiologyCriteria(), LetterIntention: ersclient.LetterToFollow,
		Services: []ersclient.ShortlistedService{{ID: svcTriage}},
	})
	if err != nil {
		t.Fatalf("create and triage: %v", err)
	}
	r := refReferral(t, e, ref.UBRN())
	if r.State != store.StateAwaitingTriage || r.StateReason.Code != "TRIAGE" || r.ServiceID != svcTriage {
		t.Fatalf("referral %s (%s) at %q, want AWAITING_TRIAGE (TRIAGE) at %s", r.State, r.StateReason.Code, r.ServiceID, svcTriage)
	}
	a := refAppointment(t, e, r.AppointmentID)
	if a.Status != "proposed" || a.Reason.Code != "TRIAGE" || a.ReferralVersion != r.Version {
		t.Errorf("appointment %s %s at referral v%d, want proposed TRIAGE at v%d", a.Status, a.Reason.Code, a.ReferralVersion, r.Version)
	}
	if want := e.sb.ref.ContactBy("ROUTINE", true, testNow); !r.ContactBy.Equal(want) {
		t.Errorf("contact by %v, want %v", r.ContactBy, want)
	}
}

func TestCreateReferralAndSendForTriageNeedsOneTriageServiceAndNoReminder(t *testing.T) {
	criteria := refCriteria("ROUTINE")
	for _, tc := range []struct {
		name string
		body func(t *testing.T) string
		code string
	}{
		{"a bookable service cannot be sent for triage", func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcDBS))
		}, "INAPPROPRIATE_VALUE"},
		{"two services are one too many", func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcTriage, svcDBS))
		}, "INAPPROPRIATE_VALUE"},
		{"a reminder is pointless when nothing is to be booked", func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(3), refShortlist(t, criteria, svcTriage))
		}, "INVALID_VALUE"},
		{"a pathway start is not taken", func(t *testing.T) string {
			return refBody(t, refPatient(refNHS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0), refShortlist(t, criteria, svcTriage),
				fhir.Parameter{Name: "eReferralPathwayStart", Value: fhir.Value{ValueInstant: fhir.Ptr("2026-05-01T09:55:00.000Z")}})
		}, "UNEXPECTED_FIELD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, nil)
			status, _, body := e.raw(http.MethodPost, pathCreateTriage, tc.body(t), rcHeaders())
			refExpect(t, status, body, 422, tc.code)
		})
	}
}

func TestChangeShortlistReplacesTheShortlist(t *testing.T) {
	e := newReferrerEnv(t, nil)
	ubrn, version := refCreate(t, e, svcDBS)
	ref, err := e.rc().ChangeShortlist(context.Background(), ersclient.ChangeShortlistRequest{UBRN: ubrn, Version: version,
		Services: []ersclient.ShortlistedService{{ID: svcIBS}, {ID: svcDBSEmpty}}, Criteria: cardiologyCriteria(), LetterIntention: ersclient.NoLetterIntended})
	if err != nil {
		t.Fatalf("change shortlist: %v", err)
	}
	if ref.Version != "2" {
		t.Errorf("version %q, want 2", ref.Version)
	}
	r := refReferral(t, e, ubrn)
	if len(r.Shortlist) != 2 || r.Shortlist[0] != svcIBS || r.LetterIntention != "NOT_INTENDING_TO_ADD" || r.State != store.StateNotBooked {
		t.Errorf("shortlist %v intention %s state %s", r.Shortlist, r.LetterIntention, r.State)
	}
}

func TestChangeShortlistRefusals(t *testing.T) {
	body := func(t *testing.T) string {
		return refBody(t, refShortlist(t, refCriteria("ROUTINE"), svcIBS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0))
	}
	for _, tc := range []struct {
		name    string
		ubrn    string
		headers map[string]string
		ifMatch string
		status  int
		code    string
	}{
		{"without If-Match the precondition fails", "000000000001", rcHeaders(), "", http.StatusPreconditionFailed, ""},
		{"a stale version conflicts", "000000000001", rcHeaders(), `W/"1"`, http.StatusConflict, ""},
		{"a booked referral keeps its shortlist", "000000000002", rcHeaders(), `W/"3"`, 422, "INVALID_REQUEST_STATE"},
		{"another practice has no relationship", "000000000001", userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), `W/"3"`, 422, "NO_RELATIONSHIP"},
		{"an unknown UBRN is not found", "000000000099", rcHeaders(), `W/"3"`, http.StatusNotFound, ""},
		{"an advice request is the wrong type", "000000000003", rcHeaders(), `W/"1"`, 422, "INVALID_REQUEST_TYPE"},
		{"a provider may not change it", "000000000001", spcHeaders(), `W/"3"`, http.StatusForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, func(st *store.State) {
				addReferral(st, "000000000001", store.StateNotBooked, func(r *store.Referral) { r.Version = 3 })
				addReferral(st, "000000000002", store.StateBooked, func(r *store.Referral) { r.Version = 3 })
				st.Advice["000000000003"] = &store.Advice{UBRN: "000000000003", Version: 1, ReferringOrg: orgGP}
			})
			h := tc.headers
			if tc.ifMatch != "" {
				h = withHeaders(h, "If-Match", tc.ifMatch)
			}
			status, _, resp := e.raw(http.MethodPost, pathChangeShortlist(tc.ubrn), body(t), h)
			refExpect(t, status, resp, tc.status, tc.code)
		})
	}
}

func TestChangeShortlistAfterACancelledAppointmentMakesItBookableAgain(t *testing.T) {
	e := newReferrerEnv(t, func(st *store.State) {
		addReferral(st, "000000000001", store.StateCancelledByPatient, func(r *store.Referral) {
			r.Version, r.ServiceID, r.AppointmentID = 4, svcDBS, "80000001"
		})
	})
	body := refBody(t, refShortlist(t, refCriteria("ROUTINE"), svcDBS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0))
	status, h, resp := e.raw(http.MethodPost, pathChangeShortlist("000000000001"), body, withHeaders(rcHeaders(), "If-Match", `W/"4"`))
	refExpect(t, status, resp, http.StatusOK, "")
	if h.Get("ETag") != `W/"5"` {
		t.Errorf("ETag %q, want W/\"5\"", h.Get("ETag"))
	}
	r := refReferral(t, e, "000000000001")
	if r.State != store.StateNotBooked || r.AppointmentID != "" || r.ServiceID != "" {
		t.Errorf("referral %s appointment %q service %q, want NOT_BOOKED with neither", r.State, r.AppointmentID, r.ServiceID)
	}
}

func TestChangeShortlistAndSendForTriageReturnsReferralAndAppointment(t *testing.T) {
	e := newReferrerEnv(t, nil)
	ubrn, version := refCreate(t, e, svcDBS)
	res, err := e.rc().ChangeShortlistAndSendForTriage(context.Background(), ersclient.ChangeShortlistRequest{UBRN: ubrn, Version: version,
		Services: []ersclient.ShortlistedService{{ID: svcTriage}}, Criteria: cardiologyCriteria(), LetterIntention: ersclient.LetterToFollow})
	if err != nil {
		t.Fatalf("change shortlist and triage: %v", err)
	}
	if res.Appointment == nil || res.Appointment.Status != "proposed" || !res.Appointment.IsTriage() || res.Appointment.ServiceID != svcTriage {
		t.Fatalf("created appointment %+v, want a proposed triage at %s", res.Appointment, svcTriage)
	}
	mustState(t, e.rc(), ubrn, "AWAITING_TRIAGE")
	r := refReferral(t, e, ubrn)
	if r.State != store.StateAwaitingTriage || r.Version != 2 || r.AppointmentID != res.Appointment.ID {
		t.Errorf("referral %s v%d appointment %s, want AWAITING_TRIAGE v2 with %s", r.State, r.Version, r.AppointmentID, res.Appointment.ID)
	}
	if res.Appointment.ReferralVersion != "2" {
		t.Errorf("appointment made against referral v%s, want v2", res.Appointment.ReferralVersion)
	}
}

func TestChangeShortlistAndSendForTriageRefusesABookableService(t *testing.T) {
	e := newReferrerEnv(t, func(st *store.State) {
		addReferral(st, "000000000001", store.StateNotBooked, nil)
	})
	body := refBody(t, refShortlist(t, refCriteria("ROUTINE"), svcDBS), refLetterIntention("NEED_TO_ADD_LATER"), refReminderDays(0))
	status, _, resp := e.raw(http.MethodPost, pathChangeShortlistTriage("000000000001"), body, withHeaders(rcHeaders(), "If-Match", `W/"1"`))
	refExpect(t, status, resp, 422, "INAPPROPRIATE_VALUE")
	if r := refReferral(t, e, "000000000001"); r.Version != 1 || r.Shortlist[0] != svcDBS {
		t.Errorf("a refused change altered the referral: v%d %v", r.Version, r.Shortlist)
	}
}
