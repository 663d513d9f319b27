package sandbox

import (
	"context"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const (
	wlReferralSelector = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralListSelector-1"
	wlAdviceSelector   = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-CommunicationListSelector-1"
	wlPath             = BasePath + "/STU3/ReferralRequest/$ers.fetchworklist"
	wlAdvicePath       = BasePath + "/STU3/CommunicationRequest/$ers.fetchworklist"
)

// wlUBRNs are the UBRNs of a worklist, in its order.
func wlUBRNs(t *testing.T, c *ersclient.Client, q ersclient.WorklistQuery) []string {
	t.Helper()
	wl, err := c.RetrieveWorklist(context.Background(), q)
	if err != nil {
		t.Fatalf("worklist %s: %v", q.ListType, err)
	}
	var out []string
	for _, r := range wl.Rows {
		out = append(out, r.UBRN)
	}
	return out
}

// wlMembershipWorld holds a referral in every situation that decides a
// list: the comment says where each must appear for the base world's
// practice (D82106) and trust (RCD).
func wlMembershipWorld(st *store.State) {
	provBooked(st, "000000090001", "11000022")                                                    // REFERRALS_FOR_REVIEW
	provBooked(st, "000000090002", "11000023").ContextStatus = ""                                 // accepted: none
	provProposed(st, "000000090003", store.StateAwaitingTriage)                                   // REFERRALS_FOR_REVIEW, AWAITING_BOOKING
	provProposed(st, "000000090004", store.StateDeferredToProvider)                               // APPOINTMENT_SLOT_ISSUES, AWAITING_BOOKING
	provBooked(st, "000000090005", "11000024").State = store.StateRejected                        // REJECTED_TRIAGE_RESPONSE
	provProposed(st, "000000090006", store.StateAwaitingTriage).State = store.StateTriageResponse // REJECTED_TRIAGE_RESPONSE
	r := provProposed(st, "000000090007", store.StateAwaitingTriage)                              // AWAITING_BOOKING
	r.State, r.StateReason = store.StateTriagedToAction, store.Coding{Code: reviewAcceptBookLater}
	r = provProposed(st, "000000090008", store.StateAwaitingTriage) // REJECTED_TRIAGE_RESPONSE (as the A028 example records it)
	r.State, r.StateReason = store.StateTriagedToAction, store.Coding{Code: reviewReturnToReferrer}
	addReferral(st, "000000090009", store.StateAssessmentResult, nil) // ASSESSMENT_RETURNED_CANCELLED_DNA
	addReferral(st, "000000090010", store.StateDidNotAttend, nil)     // ASSESSMENT_RETURNED_CANCELLED_DNA
	for ubrn, org := range map[string]string{"000000090011": orgTrust, "000000090012": orgGP} {
		addReferral(st, ubrn, store.StateCancelledReferral, func(r *store.Referral) { // by the trust: ASSESSMENT_RETURNED_CANCELLED_DNA
			r.Status = "cancelled"
			r.History = append(r.History, store.StateChange{At: testNow, State: store.StateCancelledReferral, Org: org})
		})
	}
	addReferral(st, "000000090013", store.StateNotBooked, func(r *store.Referral) { r.LetterIntention = letterToFollow }) // AWAITING_BOOKING, LETTERS_OUTSTANDING
	addReferral(st, "000000090014", store.StateNotBooked, func(r *store.Referral) {                                       // AWAITING_BOOKING
		r.LetterIntention = letterToFollow
		r.Documents = []store.Document{{ID: "DocumentReference-1", Type: "REFERRER"}}
	})
	addReferral(st, "000000090015", store.StateCancelledByProvider, nil)            // AWAITING_BOOKING
	addReferral(st, "000000090016", store.StateNotBooked, func(r *store.Referral) { // another practice's: none
		r.ReferringOrg, r.LetterIntention = orgGP2, letterToFollow
	})
	addReferral(st, "000000090017", store.StateBooked, func(r *store.Referral) { r.ServiceID = svcOther }) // another trust's: none
}

func TestWorklistsHoldTheReferralsTheirStatesPutThere(t *testing.T) {
	e := newTestEnv(t, wlMembershipWorld)
	provider := e.spa()
	referrer := e.client(userRA, ersclient.ReferringAdmin, orgGP, "")
	for _, tc := range []struct {
		list   ersclient.WorklistType
		client *ersclient.Client
		want   []string
	}{
		{ersclient.WorklistReferralsForReview, provider, []string{"000000090001", "000000090003"}},
		{ersclient.WorklistAppointmentSlotIssues, provider, []string{"000000090004"}},
		{ersclient.WorklistRejectedTriageResponse, referrer, []string{"000000090005", "000000090006", "000000090008"}},
		{ersclient.WorklistAssessmentReturnedCancelledDNA, referrer, []string{"000000090009", "000000090010", "000000090011"}},
		{ersclient.WorklistAwaitingBooking, referrer, []string{"000000090003", "000000090004", "000000090007", "000000090013", "000000090014", "000000090015"}},
		{ersclient.WorklistLettersOutstanding, referrer, []string{"000000090013"}},
	} {
		t.Run(string(tc.list), func(t *testing.T) {
			if got := wlUBRNs(t, tc.client, ersclient.WorklistQuery{ListType: tc.list}); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("another practice sees only its own referrals", func(t *testing.T) {
		other := e.client(userRC2, ersclient.ReferringClinician, orgGP2, "")
		if got := wlUBRNs(t, other, ersclient.WorklistQuery{ListType: ersclient.WorklistLettersOutstanding}); !slices.Equal(got, []string{"000000090016"}) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("another trust sees only the referrals at its services", func(t *testing.T) {
		other := e.client(userSPCR69, ersclient.ServiceProviderClinician, orgTrust2, "")
		if got := wlUBRNs(t, other, ersclient.WorklistQuery{ListType: ersclient.WorklistReferralsForReview}); !slices.Equal(got, []string{"000000090017"}) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("an empty list is a List with no entries", func(t *testing.T) {
		wl, err := e.client(userRC2, ersclient.ReferringClinician, orgGP2, "").RetrieveWorklist(context.Background(), ersclient.WorklistQuery{ListType: ersclient.WorklistRejectedTriageResponse})
		if err != nil || len(wl.Rows) != 0 || wl.List.Status != "current" || wl.List.Mode != "snapshot" {
			t.Errorf("empty list: %v %+v", err, wl)
		}
	})
}

func TestReferralsForReviewRowsCarryWhatTheProviderActsOn(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		provBooked(st, "000000090001", "11000021").AllocatedClinician = userSPC
		provProposed(st, "000000090003", store.StateAwaitingTriage).Version = 4
	})
	wl, err := e.spc().RetrieveWorklist(context.Background(), ersclient.WorklistQuery{ListType: ersclient.WorklistReferralsForReview})
	if err != nil {
		t.Fatal(err)
	}
	booked, _ := wl.Row("000000090001")
	if booked.ReferralType != ersclient.ReferralTypeAppointment || booked.Version != "1" || booked.NHSNumber != "9990001235" ||
		booked.AllocatedClinician != userSPC || booked.ServiceID != svcDBS || booked.AppointmentStart.IsZero() ||
		booked.RequestContextStatus != ersclient.ContextNeverReviewed {
		t.Errorf("booked row: %+v", booked)
	}
	triage, _ := wl.Row("000000090003")
	if triage.ReferralType != ersclient.ReferralTypeTriageDeferral || triage.Version != "4" || triage.ServiceID != svcTriage {
		t.Errorf("triage row: %+v", triage)
	}
}

func TestProviderWorklistFilters(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		provBooked(st, "000000091001", "11000021").AllocatedClinician = userSPC // A: bookable, cardiology, allocated
		provProposed(st, "000000091002", store.StateAwaitingTriage)             // B: triage, cardiology
		st.Services[svcIBS].Site = "RCD02"
		provBookedIBS(st, "000000091003").Specialty = "DERMATOLOGY"                // C: another site and specialty
		provProposed(st, "000000091004", store.StateAwaitingTriage).Specialty = "" // D: no specialty
	})
	spc := e.spc()
	cardiology := fhir.Coding{System: fhir.LocalSystemPrefix + fhir.LocalSpecialty, Code: "CARDIOLOGY"}
	for _, tc := range []struct {
		name string
		q    ersclient.WorklistQuery
		want []string
	}{
		{"no filter", ersclient.WorklistQuery{}, []string{"000000091001", "000000091002", "000000091003", "000000091004"}},
		{"by service", ersclient.WorklistQuery{Service: svcTriage}, []string{"000000091002", "000000091004"}},
		{"by specialty", ersclient.WorklistQuery{Specialty: cardiology}, []string{"000000091001", "000000091002"}},
		{"with any specialty", ersclient.WorklistQuery{SpecialtyAssigned: fhir.Ptr(true)}, []string{"000000091001", "000000091002", "000000091003"}},
		{"without a specialty", ersclient.WorklistQuery{SpecialtyAssigned: fhir.Ptr(false)}, []string{"000000091004"}},
		{"by location", ersclient.WorklistQuery{Location: "RCD02"}, []string{"000000091003"}},
		{"by clinician", ersclient.WorklistQuery{Clinician: userSPC}, []string{"000000091001"}},
		{"with any clinician", ersclient.WorklistQuery{ClinicianAssigned: fhir.Ptr(true)}, []string{"000000091001"}},
		{"without a clinician", ersclient.WorklistQuery{ClinicianAssigned: fhir.Ptr(false)}, []string{"000000091002", "000000091003", "000000091004"}},
		{"by service and clinician", ersclient.WorklistQuery{Service: svcDBS, Clinician: userSPC}, []string{"000000091001"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.ListType = ersclient.WorklistReferralsForReview
			if got := wlUBRNs(t, spc, tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWorklistRefusals(t *testing.T) {
	rc := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	spc := userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
	list := func(code string, extra ...string) string { return wlRequest(wlReferralSelector, code, extra...) }
	service := func(id string) string {
		return `{"name":"service","valueIdentifier":{"system":"http://fhir.nhs.net/Id/ers-service","value":"` + id + `"}}`
	}
	indicator := func(name, code string) string {
		return `{"name":"` + name + `","valueCodeableConcept":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AssignedIndicator-1","code":"` + code + `"}]}}`
	}
	clinician := func(id string) string {
		return `{"name":"clinician","valueIdentifier":{"system":"http://fhir.nhs.net/Id/sds-user-id","value":"` + id + `"}}`
	}
	specialty := func(code string) string {
		return `{"name":"specialty","valueCodeableConcept":{"coding":[{"system":"_baseUrl_/STU3/CodeSystem/SPECIALTY","code":"` + code + `"}]}}`
	}
	runProvCases(t, []provCase{
		{name: "referrer lists take no filters", path: wlPath, headers: rc, body: list("AWAITING_BOOKING", service(svcDBS)),
			status: http.StatusUnprocessableEntity, code: "UNEXPECTED_FIELD"},
		{name: "a referrer may not fetch a provider list", path: wlPath, headers: rc, body: list("REFERRALS_FOR_REVIEW"), status: http.StatusForbidden},
		{name: "a provider may not fetch a referrer list", path: wlPath, headers: spc, body: list("LETTERS_OUTSTANDING"), status: http.StatusForbidden},
		{name: "an unknown list is an invalid code", path: wlPath, headers: spc, body: list("EVERYTHING"),
			status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "the advice list is fetched with A023", path: wlPath, headers: spc, body: wlRequest(wlAdviceSelector, "ADVICE_AND_GUIDANCE_REQUESTS"),
			status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "a list code needs the list selector system", path: wlPath, headers: spc, body: wlRequest("http://example.org/lists", "REFERRALS_FOR_REVIEW"),
			status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "the list type is mandatory", path: wlPath, headers: spc, body: `{"resourceType":"Parameters","parameter":[` + service(svcDBS) + `]}`,
			status: http.StatusUnprocessableEntity, code: "MISSING_VALUE"},
		{name: "a clinician needs the ASSIGNED indicator", path: wlPath, headers: spc,
			body:   list("REFERRALS_FOR_REVIEW", indicator("clinicianAssignedIndicator", "NOT_ASSIGNED"), clinician(userSPC)),
			status: http.StatusUnprocessableEntity, code: "INVALID_VALUE"},
		{name: "an indicator must be ASSIGNED or NOT_ASSIGNED", path: wlPath, headers: spc,
			body: list("REFERRALS_FOR_REVIEW", indicator("specialtyAssignedIndicator", "SOMETIMES")), status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "an unknown service is not found", path: wlPath, headers: spc, body: list("REFERRALS_FOR_REVIEW", service("99999")),
			status: http.StatusUnprocessableEntity, code: "REFERENCE_NOT_FOUND"},
		{name: "another trust's service has no relationship", path: wlPath, headers: spc, body: list("REFERRALS_FOR_REVIEW", service(svcOther)),
			status: http.StatusUnprocessableEntity, code: "NO_RELATIONSHIP"},
		{name: "an unknown clinician is not found", path: wlPath, headers: spc, body: list("REFERRALS_FOR_REVIEW", clinician("999999999999")),
			status: http.StatusUnprocessableEntity, code: "REFERENCE_NOT_FOUND"},
		{name: "an unknown specialty is an invalid code", path: wlPath, headers: spc, body: list("REFERRALS_FOR_REVIEW", specialty("ASTROLOGY")),
			status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "an unknown parameter is refused", path: wlPath, headers: spc, body: list("REFERRALS_FOR_REVIEW", `{"name":"page","valueInteger":2}`),
			status: http.StatusUnprocessableEntity, code: "UNEXPECTED_FIELD"},
		{name: "a repeated parameter is refused", path: wlPath, headers: spc, body: list("REFERRALS_FOR_REVIEW", service(svcDBS), service(svcTriage)),
			status: http.StatusUnprocessableEntity, code: "INVALID_VALUE"},
		{name: "a service identifier of another system is refused", path: wlPath, headers: spc,
			body:   list("REFERRALS_FOR_REVIEW", `{"name":"service","valueIdentifier":{"system":"http://example.org","value":"11000"}}`),
			status: http.StatusUnprocessableEntity, code: "INVALID_VALUE"},
		{name: "an application may not fetch a referrer list", path: wlPath, headers: provAppHeaders(""), body: list("AWAITING_BOOKING"),
			status: http.StatusForbidden},
		{name: "an application must name a service", path: wlPath, headers: provAppHeaders(""), body: list("APPOINTMENT_SLOT_ISSUES"),
			status: http.StatusUnprocessableEntity, code: "MISSING_VALUE"},
		{name: "without the organisation header the call is refused", path: wlPath,
			headers: map[string]string{HeaderSandboxUser: userSPC, headerBusinessFunction: string(ersclient.ServiceProviderClinician)},
			body:    list("REFERRALS_FOR_REVIEW"), status: http.StatusBadRequest, code: "MISSING_HEADER"},
	})
}

func TestAnApplicationFetchesAServicesWorklistTwiceADay(t *testing.T) {
	var now atomic.Pointer[time.Time]
	now.Store(&testNow)
	seed := func() *store.State { st := baseWorld(); provBooked(st, "000000090001", "11000021"); return st }
	e := newTestEnvWith(t, store.New(seed, func() time.Time { return *now.Load() }), Options{})
	app := e.appClient(appProvider)
	fetch := func(service string) error {
		_, err := app.RetrieveWorklist(context.Background(), ersclient.WorklistQuery{ListType: ersclient.WorklistReferralsForReview, Service: service})
		return err
	}
	for i := range 2 {
		if err := fetch(svcDBS); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if err := fetch(svcDBS); !ersclient.IsForbidden(err) {
		t.Fatalf("a third call the same day: %v, want 403", err)
	}
	if err := fetch(svcTriage); err != nil {
		t.Errorf("another service the same day: %v", err)
	}
	tomorrow := testNow.AddDate(0, 0, 1)
	now.Store(&tomorrow)
	if err := fetch(svcDBS); err != nil {
		t.Errorf("the next day: %v", err)
	}
}

func TestAWorklistOverTenMegabytesIsRefused(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		big := wlBenchWorld(7_000, 7_000, ersclient.WorklistReferralsForReview)
		for ubrn, r := range big.Referrals {
			st.Referrals[ubrn] = r
		}
		for id, a := range big.Appointments {
			st.Appointments[id] = a
		}
	})
	status, _, body := e.raw(http.MethodPost, wlPath, wlRequest(wlReferralSelector, "REFERRALS_FOR_REVIEW"),
		userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust))
	if status != http.StatusUnprocessableEntity || outcomeCode(body) != "TOO_MANY_ITEMS" {
		t.Fatalf("status %d %.300s, want 422 TOO_MANY_ITEMS", status, body)
	}
	wl, err := e.spc().RetrieveWorklist(context.Background(), ersclient.WorklistQuery{ListType: ersclient.WorklistReferralsForReview, Clinician: "555000000000"})
	if !ersclient.HasCode(err, "REFERENCE_NOT_FOUND") {
		t.Fatalf("a filter naming an unknown clinician: %v %v", wl, err)
	}
	wl, err = e.spc().RetrieveWorklist(context.Background(), ersclient.WorklistQuery{ListType: ersclient.WorklistReferralsForReview, ClinicianAssigned: fhir.Ptr(false)})
	if err != nil || len(wl.Rows) != 0 {
		t.Errorf("narrowed by a filter the list is served: %v (%d rows)", err, len(wl.Rows))
	}
}

func TestAdviceWorklist(t *testing.T) {
	advice := func(st *store.State, ubrn, category, service string, converted bool) {
		st.Advice[ubrn] = &store.Advice{UBRN: ubrn, Version: 3, Status: "active", Category: category, NHSNumber: "9990010005",
			Priority: "ROUTINE", Specialty: "CARDIOLOGY", ClinicType: "CARDIOLOGY_GENERAL", ServiceID: service, ReferringOrg: orgGP,
			ReferrerID: userRC, Converted: converted, Created: testNow.AddDate(0, 0, -3), Updated: testNow.AddDate(0, 0, -1)}
	}
	e := newTestEnv(t, func(st *store.State) {
		advice(st, "000000092001", store.AdviceProviderResponseRequired, svcAdvice, false)
		advice(st, "000000092002", store.AdviceReferrerToReview, svcAdvice, false)
		advice(st, "000000092003", store.AdviceEndedClosed, svcAdvice, false)
		advice(st, "000000092004", store.AdviceConverted, svcAdvice, true)
		advice(st, "000000092005", store.AdviceProviderResponseRequired, svcOther, false)
	})
	ctx := context.Background()
	wl, err := e.spca().RetrieveAdviceWorklist(ctx, ersclient.AdviceWorklistQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range wl.Rows {
		got = append(got, r.UBRN)
	}
	if want := []string{"000000092001", "000000092002"}; !slices.Equal(got, want) {
		t.Fatalf("advice worklist %v, want %v", got, want)
	}
	row := wl.Rows[0]
	if row.Kind != ersclient.RequestKindAdvice || row.Version != "3" || row.AdviceCategory != store.AdviceProviderResponseRequired ||
		row.ServiceID != svcAdvice || row.ClinicTypeCode != "CARDIOLOGY_GENERAL" || row.Referrer != userRC {
		t.Errorf("row: %+v", row)
	}
	if wl, err := e.spa().RetrieveAdviceWorklist(ctx, ersclient.AdviceWorklistQuery{Clinician: userSPC}); err != nil || len(wl.Rows) != 0 {
		t.Errorf("advice requests have no assigned clinician: %v, %d rows", err, len(wl.Rows))
	}
	if wl, err := e.spa().RetrieveAdviceWorklist(ctx, ersclient.AdviceWorklistQuery{Service: svcAdvice}); err != nil || len(wl.Rows) != 2 {
		t.Errorf("by service: %v, %d rows", err, len(wl.Rows))
	}

	spc := userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
	runProvCases(t, []provCase{
		{name: "a referrer may not fetch the advice worklist", path: wlAdvicePath, headers: userHeaders(userRC, ersclient.ReferringClinician, orgGP),
			body: wlRequest(wlAdviceSelector, "ADVICE_AND_GUIDANCE_REQUESTS"), status: http.StatusForbidden},
		{name: "an application may not fetch the advice worklist", path: wlAdvicePath, headers: provAppHeaders(""),
			body: wlRequest(wlAdviceSelector, "ADVICE_AND_GUIDANCE_REQUESTS"), status: http.StatusForbidden},
		{name: "a referral list is not an advice list", path: wlAdvicePath, headers: spc,
			body: wlRequest(wlReferralSelector, "REFERRALS_FOR_REVIEW"), status: http.StatusUnprocessableEntity, code: "INVALID_CODE"},
		{name: "another trust's service has no relationship", path: wlAdvicePath, headers: spc,
			body:   wlRequest(wlAdviceSelector, "ADVICE_AND_GUIDANCE_REQUESTS", `{"name":"service","valueIdentifier":{"value":"`+svcOther+`"}}`),
			status: http.StatusUnprocessableEntity, code: "NO_RELATIONSHIP"},
	})
}
