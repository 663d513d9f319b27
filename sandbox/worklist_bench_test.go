package sandbox

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The worklist benchmarks build their state directly (no seed package) and
// call the handler through httptest.NewRecorder, so that they measure the
// simulator, not the network.

// wlBenchWorld is the base world with n referrals: every nth/onList of them
// on the list, the others spread over states and organisations that keep
// them off it (other practices' and other trusts' referrals, other states).
func wlBenchWorld(n, onList int, list ersclient.WorklistType) *store.State {
	st := baseWorld()
	every := max(n/max(onList, 1), 1)
	created := testNow.AddDate(0, -1, 0)
	for i := range n {
		ubrn := fmt.Sprintf("%012d", 500_000_000+i)
		r := &store.Referral{
			UBRN: ubrn, Version: 1 + i%7, RequestID: "r.00000000-0000-4000-8000-" + ubrn, Status: "active",
			NHSNumber: fmt.Sprintf("999%07d", i), Priority: "ROUTINE", Specialty: "CARDIOLOGY", ClinicType: "CARDIOLOGY_GENERAL",
			ReferringOrg: orgGP, ReferrerID: userRC, CreatedBy: userRC, CommissioningRuleOrg: "R68", Shortlist: []string{svcDBS},
			LetterIntention: "NOT_INTENDING_TO_ADD", ContextStatus: "NEVER_REVIEWED", PatientHasAccessCode: true,
			PathwayStart: created, Created: created, Updated: created, ClinicalInfoFirst: created,
		}
		if i%every == 0 && i/every < onList {
			wlBenchOnList(st, r, list)
		} else {
			// Off the list: another practice's unbooked referral, or
			// another trust's booking.
			r.State, r.ReferringOrg = store.StateNotBooked, orgGP2
			if i%2 == 0 {
				r.State, r.ServiceID, r.ReferringOrg = store.StateBooked, svcOther, orgGP2
			}
		}
		st.Referrals[ubrn] = r
	}
	return st
}

// wlBenchOnList puts a referral in the state of a list.
func wlBenchOnList(st *store.State, r *store.Referral, list ersclient.WorklistType) {
	switch list {
	case ersclient.WorklistReferralsForReview:
		r.State, r.ServiceID, r.AllocatedClinician = store.StateBooked, svcDBS, userSPC
		r.AppointmentID = "9" + r.UBRN
		start := testNow.AddDate(0, 0, 14)
		st.Appointments[r.AppointmentID] = &store.Appointment{ID: r.AppointmentID, Version: 1, UBRN: r.UBRN, ServiceID: svcDBS, Status: "booked", Start: start, End: start.Add(15 * time.Minute)}
	case ersclient.WorklistAppointmentSlotIssues:
		r.State, r.ServiceID, r.ContactBy = store.StateDeferredToProvider, svcDBSEmpty, testNow.AddDate(0, 0, 5)
	default:
		r.State, r.LetterIntention = store.StateNotBooked, letterToFollow
	}
}

// wlBenchRequest is one A008 call of a list for the user.
func wlBenchRequest(list ersclient.WorklistType, headers map[string]string) *http.Request {
	body := wlRequest("https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralListSelector-1", string(list))
	req := httptest.NewRequest(http.MethodPost, BasePath+"/STU3/ReferralRequest/$ers.fetchworklist", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer bench")
	req.Header.Set("Content-Type", fhirJSON)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return req
}

func benchWorklist(b *testing.B, n, onList int, list ersclient.WorklistType, headers map[string]string) {
	st := wlBenchWorld(n, onList, list)
	s := New(Options{Store: store.New(func() *store.State { return st }, func() time.Time { return testNow })})
	var size int
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, wlBenchRequest(list, headers))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %.300s", w.Code, w.Body.String())
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size)/(1<<20), "MB/list")
	b.ReportMetric(float64(onList), "items")
}

// BenchmarkWorklist10000 serves a 10,000-item worklist. The referrer's
// AWAITING_BOOKING list is used: 10,000 REFERRALS_FOR_REVIEW items are over
// e-RS's 10 MB response limit, and refused (a test covers that).
func BenchmarkWorklist10000(b *testing.B) {
	benchWorklist(b, 20_000, 10_000, ersclient.WorklistAwaitingBooking, userHeaders(userRC, ersclient.ReferringClinician, orgGP))
}

// BenchmarkWorklist10000Of100000Referrals serves the same list from a store
// of 100,000 referrals.
func BenchmarkWorklist10000Of100000Referrals(b *testing.B) {
	benchWorklist(b, 100_000, 10_000, ersclient.WorklistAwaitingBooking, userHeaders(userRC, ersclient.ReferringClinician, orgGP))
}

// BenchmarkWorklistForReview5000 serves a large provider list, with its
// contained patients and clinicians.
func BenchmarkWorklistForReview5000(b *testing.B) {
	benchWorklist(b, 10_000, 5_000, ersclient.WorklistReferralsForReview, userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust))
}

// BenchmarkWorklistOf100000Referrals serves a small list (50 items) from a
// store of 100,000 referrals.
func BenchmarkWorklistOf100000Referrals(b *testing.B) {
	benchWorklist(b, 100_000, 50, ersclient.WorklistReferralsForReview, userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust))
}
