package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// These tests rebuild the records behind each official worklist example
// and check that the simulator's answer is that example: the same items,
// each with the same sub-extensions in the same order and the same
// contained resources. Item order is e-RS's own (the simulator's is UBRN
// order), "_baseUrl_" stands for the simulator's address, and the
// examples' NHS numbers are swapped for synthetic 999 ones.

// wlNHS maps the examples' NHS numbers to synthetic ones.
var wlNHS = map[string]string{"9462979626": "9990010005", "1000000001": "9990010013", "9312201101": "9990010021"}

func wlTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// wlFixture reads an official example, or skips the test when the
// reference material is not there.
func wlFixture(t *testing.T, rel string) []byte {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "reference", "ers-api", "sandbox-mocks", "stu3", rel)
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("the official examples are not available (%s)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wlNormalise parses a worklist with entries keyed by their item reference
// and contained resources by id, so that the comparison ignores their
// order.
func wlNormalise(t *testing.T, body string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if entries, ok := v["entry"].([]any); ok {
		byRef := map[string]any{}
		for _, e := range entries {
			byRef[e.(map[string]any)["item"].(map[string]any)["reference"].(string)] = e
		}
		v["entry"] = byRef
	}
	if contained, ok := v["contained"].([]any); ok {
		byID := map[string]any{}
		for _, c := range contained {
			byID[c.(map[string]any)["id"].(string)] = c
		}
		v["contained"] = byID
	}
	return v
}

// wlService adds a service of the trust with an official example's id and
// name.
func wlService(st *store.State, id, name string) {
	s := *st.Services[svcDBS]
	s.ID, s.Name = id, name
	st.Services[id] = &s
}

// wlReferral adds a referral of the practice in a state with an official
// example's dates.
func wlReferral(st *store.State, ubrn, state, nhs string, created time.Time, change func(r *store.Referral)) *store.Referral {
	return addReferral(st, ubrn, state, func(r *store.Referral) {
		r.NHSNumber = wlNHS[nhs]
		r.Created, r.Updated, r.PathwayStart = created, created, created
		r.ReferrerID, r.LetterIntention, r.ReminderDays = "021600556514", "NOT_INTENDING_TO_ADD", 0
		r.Specialty, r.ClinicType = "ORTHAPEDICS", "KNEE"
		r.History = nil
		if change != nil {
			change(r)
		}
	})
}

func TestWorklistsMatchTheOfficialExamples(t *testing.T) {
	t1 := func(s string) time.Time { return wlTime(t, s) }
	rtrTime := t1("2021-09-03T14:19:04.702Z")
	providerSide := func(r *store.Referral) { r.Specialty, r.ClinicType = "CARDIOLOGY", "" }
	cases := []struct {
		name    string
		fixture string
		list    ersclient.WorklistType
		build   func(st *store.State)
	}{
		{"referrals for review", "retrieveWorklist/responses/ReferralsForReview.json", ersclient.WorklistReferralsForReview, func(st *store.State) {
			wlService(st, "11012", "Excellent Cardiology Business Service 12")
			wlService(st, "21012", "Another Excellent Cardiology Business Service 13")
			wlReferral(st, "000000070002", store.StateAwaitingTriage, "9462979626", t1("2021-09-03T14:09:15.297Z"), func(r *store.Referral) {
				providerSide(r)
				r.ServiceID, r.Version, r.ClinicalInfoFirst = "11012", 7, t1("2021-09-03T14:09:15.297Z")
			})
			wlReferral(st, "000000070001", store.StateBooked, "1000000001", t1("2021-09-03T14:09:11.381Z"), func(r *store.Referral) {
				providerSide(r)
				r.ServiceID, r.Version, r.AllocatedClinician = "21012", 12, "021600556514"
				r.ClinicalInfoFirst, r.ClinicalInfoLast = t1("2021-09-03T14:09:11.022Z"), t1("2021-09-03T14:09:12.573Z")
				r.AppointmentID = "70009"
				st.Appointments["70009"] = &store.Appointment{ID: "70009", Version: 1, UBRN: r.UBRN, ServiceID: "21012", Status: "booked",
					Start: t1("2021-09-05T15:09:03.971Z"), End: t1("2021-09-05T15:24:03.971Z")}
			})
		}},
		{"appointment slot issues", "retrieveWorklist/responses/AppointmentSlotIssues.json", ersclient.WorklistAppointmentSlotIssues, func(st *store.State) {
			wlService(st, "11013", "Excellent Cardiology Business Service 13")
			wlService(st, "11010", "Excellent Cardiology Business Service 10")
			for _, d := range []struct{ ubrn, svc, at, contact string }{
				{"000000070001", "11013", "2021-09-03T14:16:53.119Z", "2021-09-07T00:00:00Z"},
				{"000000070000", "11010", "2021-09-03T14:16:51.648Z", "2021-09-13T00:00:00Z"},
			} {
				wlReferral(st, d.ubrn, store.StateDeferredToProvider, "1000000001", t1(d.at), func(r *store.Referral) {
					providerSide(r)
					r.ServiceID, r.ContactBy, r.AppointmentID = d.svc, t1(d.contact), "7"+d.ubrn[7:]
					r.Documents = []store.Document{{ID: "DocumentReference-1", Type: "REFERRER"}}
					st.Appointments[r.AppointmentID] = &store.Appointment{ID: r.AppointmentID, Version: 1, UBRN: r.UBRN, ServiceID: d.svc,
						Status: "proposed", Created: t1(d.at), Reason: store.Coding{System: "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewReason-1", Code: "NO_SLOTS_AT_SERVICE"}}
				})
			}
		}},
		{"rejected or triage response", "retrieveWorklist/responses/RejectedTriageResponse.json", ersclient.WorklistRejectedTriageResponse, func(st *store.State) {
			wlReferral(st, "000000070001", store.StateRejected, "9462979626", rtrTime, func(r *store.Referral) {
				r.StateReason = store.Coding{System: "APPOINTMENT-CANCELLATION-REASON", Code: "FURTHER_INFORMATION_REQUIRED"}
			})
			wlReferral(st, "000000070000", store.StateTriageResponse, "9462979626", rtrTime, func(r *store.Referral) {
				r.StateReason = store.Coding{System: "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewOutcome-1", Code: reviewReturnToReferrer}
			})
		}},
		{"assessment returned, cancelled or did not attend", "retrieveWorklist/responses/AssessmentReturnedCancelledDna.json", ersclient.WorklistAssessmentReturnedCancelledDNA, func(st *store.State) {
			wlReferral(st, "000000070001", store.StateCancelledReferral, "9462979626", rtrTime, func(r *store.Referral) {
				r.Status = "cancelled"
				r.StateReason = store.Coding{System: "REFERRAL-CANCELLATION-REASON", Code: "INTEND_PRIVATE"}
				r.History = []store.StateChange{{At: rtrTime, State: store.StateCancelledReferral, By: userSPC, Org: orgTrust}}
			})
			wlReferral(st, "000000070000", store.StateDidNotAttend, "9462979626", rtrTime, nil)
		}},
		{"awaiting booking", "retrieveWorklist/responses/AwaitingBooking.json", ersclient.WorklistAwaitingBooking, func(st *store.State) {
			wlReferral(st, "000000070001", store.StateNotBooked, "9462979626", rtrTime, nil)
			wlReferral(st, "000000070000", store.StateCancelledByPatient, "9462979626", rtrTime, func(r *store.Referral) {
				r.StateReason = store.Coding{System: "APPOINTMENT-CANCELLATION-REASON", Code: "PATIENT_HOLIDAY"}
			})
		}},
		{"letters outstanding", "retrieveWorklist/responses/LettersOutstanding.json", ersclient.WorklistLettersOutstanding, func(st *store.State) {
			wlReferral(st, "000000070001", store.StateNotBooked, "9462979626", rtrTime, func(r *store.Referral) { r.LetterIntention = letterToFollow })
			wlReferral(st, "000000068002", store.StateNotBooked, "9312201101", t1("2021-01-25T08:45:31.219Z"), func(r *store.Referral) {
				r.LetterIntention, r.Specialty, r.ClinicType, r.ReferrerID = letterToFollow, "EAR_NOSE_THROAT", "EAR", "021600556513"
			})
		}},
		{"advice and guidance requests", "retrieveAdviceAndGuidanceWorklist/responses/AdviceAndGuidanceRequests.json", ersclient.WorklistAdviceAndGuidanceRequests, func(st *store.State) {
			st.Services[svcAdvice].Name = "Advice Only"
			for _, d := range []struct{ ubrn, priority, nhs, category, referrer, first, last string }{
				{"000000070000", "ROUTINE", "1000000001", store.AdviceProviderResponseRequired, "021600556514", "2021-09-08T13:17:27.655Z", "2021-09-08T13:17:27.655Z"},
				{"000000070002", "TWO_WEEK_WAIT", "9462979626", store.AdviceReferrerToSubmitInfo, "921600556514", "2021-09-08T13:17:29.248Z", "2021-09-08T13:17:29.860Z"},
			} {
				st.Advice[d.ubrn] = &store.Advice{UBRN: d.ubrn, Version: 10, Status: "active", Category: d.category, NHSNumber: wlNHS[d.nhs],
					Priority: d.priority, Specialty: "CARDIOLOGY", ClinicType: "HEART_FAILURE", ServiceID: svcAdvice, ReferringOrg: orgGP,
					ReferrerID: d.referrer, Created: t1(d.first), Updated: t1(d.last)}
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := string(wlFixture(t, tc.fixture))
			e := newTestEnv(t, tc.build)
			headers := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
			path := BasePath + "/STU3/ReferralRequest/$ers.fetchworklist"
			system := "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralListSelector-1"
			switch {
			case tc.list == ersclient.WorklistAdviceAndGuidanceRequests:
				headers = userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
				path = BasePath + "/STU3/CommunicationRequest/$ers.fetchworklist"
				system = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-CommunicationListSelector-1"
			case tc.list.ForProvider():
				headers = userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust)
			}
			status, _, body := e.raw(http.MethodPost, path, wlRequest(system, string(tc.list)), headers)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			got := strings.ReplaceAll(string(body), e.srv.URL+"/referrals/FHIR", "_baseUrl_")
			pairs := []string{"_baseurl_", "_baseUrl_"}
			for from, to := range wlNHS {
				pairs = append(pairs, from, to)
			}
			want = strings.NewReplacer(pairs...).Replace(want)
			g, w := wlNormalise(t, got), wlNormalise(t, want)
			if reflect.DeepEqual(g, w) {
				return
			}
			for ref, we := range w["entry"].(map[string]any) {
				ge := g["entry"].(map[string]any)[ref]
				if !reflect.DeepEqual(ge, we) {
					gb, _ := json.Marshal(ge)
					wb, _ := json.Marshal(we)
					t.Errorf("entry %s:\n got %s\nwant %s", ref, gb, wb)
				}
			}
			gb, _ := json.Marshal(g)
			wb, _ := json.Marshal(w)
			t.Errorf("worklist differs from the official example:\n got %s\nwant %s", gb, wb)
		})
	}
}

// wlRequest is a minimal eRS-FetchWorklist-Parameters-1 body.
func wlRequest(system, list string, extra ...string) string {
	params := append([]string{fmt.Sprintf(`{"name":"listType","valueCodeableConcept":{"coding":[{"system":%q,"code":%q}]}}`, system, list)}, extra...)
	return `{"resourceType":"Parameters","meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-Parameters-1"]},"parameter":[` +
		strings.Join(params, ",") + `]}`
}
