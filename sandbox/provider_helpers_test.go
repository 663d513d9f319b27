package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Referrals in the states the provider actions start from, in the base
// world. Each has its appointment; slots are taken from the bookable
// service's ten.

// provBooked adds a referral booked into a slot of the bookable service,
// awaiting the provider's review.
func provBooked(st *store.State, ubrn, slotID string) *store.Referral {
	slot := st.Slots[slotID]
	slot.Free = false
	id := "8" + ubrn[len(ubrn)-6:]
	st.Appointments[id] = &store.Appointment{ID: id, Version: 1, UBRN: ubrn, ReferralVersion: 1, ServiceID: slot.ServiceID,
		SlotID: slotID, ClinicianID: slot.ClinicianID, Status: "booked", Start: slot.Start, End: slot.End, Created: testNow.AddDate(0, 0, -2)}
	return addReferral(st, ubrn, store.StateBooked, func(r *store.Referral) {
		r.ServiceID, r.AppointmentID = slot.ServiceID, id
		r.ClinicalInfoFirst = testNow.AddDate(0, 0, -3)
	})
}

// provBookedIBS adds a referral booked at the indirectly bookable service
// (no slot: the booking is in the provider's own system).
func provBookedIBS(st *store.State, ubrn string) *store.Referral {
	id := "8" + ubrn[len(ubrn)-6:]
	start := testNow.AddDate(0, 0, 10)
	st.Appointments[id] = &store.Appointment{ID: id, Version: 1, UBRN: ubrn, ReferralVersion: 1, ServiceID: svcIBS,
		Status: "booked", Start: start, End: start.Add(30 * time.Minute), Created: testNow.AddDate(0, 0, -2)}
	return addReferral(st, ubrn, store.StateBooked, func(r *store.Referral) {
		r.ServiceID, r.AppointmentID, r.Shortlist = svcIBS, id, []string{svcIBS}
	})
}

// provProposed adds a referral whose proposed appointment is a deferral
// (DEFERRED_TO_PROVIDER, NO_SLOTS_AT_SERVICE) or a triage request
// (AWAITING_TRIAGE, TRIAGE).
func provProposed(st *store.State, ubrn, state string) *store.Referral {
	id := "8" + ubrn[len(ubrn)-6:]
	svc, reason := svcDBSEmpty, "NO_SLOTS_AT_SERVICE"
	if state == store.StateAwaitingTriage {
		svc, reason = svcTriage, "TRIAGE"
	}
	st.Appointments[id] = &store.Appointment{ID: id, Version: 1, UBRN: ubrn, ReferralVersion: 1, ServiceID: svc,
		Status: "proposed", Created: testNow.AddDate(0, 0, -1),
		Reason: store.Coding{System: "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewReason-1", Code: reason}}
	return addReferral(st, ubrn, state, func(r *store.Referral) {
		r.ServiceID, r.AppointmentID, r.Shortlist = svc, id, []string{svc}
		r.ContactBy = testNow.AddDate(0, 0, 5)
	})
}

// provBinary adds an uploaded file intended for the UBRN.
func provBinary(st *store.State, id, ubrn string) {
	st.Binaries[id] = &store.Binary{ID: id, ContentType: "text/plain", FileName: "triage.txt", Data: []byte("triage notes"),
		IntendedUBRN: ubrn, UploadedBy: userSPC, UploadedOrg: orgTrust, Created: testNow, Availability: store.Available}
}

// provPath is the path of a referral operation.
func provPath(ubrn, operation string) string {
	return BasePath + "/STU3/ReferralRequest/" + ubrn + "/" + operation
}

// provHeaders are a user's context headers with If-Match (omitted when
// version is "").
func provHeaders(user string, bf ersclient.BusinessFunction, org, version string) map[string]string {
	h := userHeaders(user, bf, org)
	if version != "" {
		h["If-Match"] = `W/"` + version + `"`
	}
	return h
}

// provParams builds a Parameters body from JSON parameter objects.
func provParams(params ...string) string {
	return `{"resourceType":"Parameters","parameter":[` + strings.Join(params, ",") + `]}`
}

func provString(name, v string) string { return fmt.Sprintf(`{"name":%q,"valueString":%q}`, name, v) }

func provCoding(name, system, code string) string {
	return fmt.Sprintf(`{"name":%q,"valueCoding":{"system":%q,"code":%q}}`, name, system, code)
}

func provBool(name string, v bool) string {
	return fmt.Sprintf(`{"name":%q,"valueBoolean":%t}`, name, v)
}

// provFile is a DocumentReference parameter linking an uploaded file.
func provFile(name, binaryID, docType string) string {
	return fmt.Sprintf(`{"name":%q,"resource":{"resourceType":"DocumentReference","type":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-AttachmentType-1","code":%q}]},"status":"current","indexed":"2026-06-01T08:00:00Z","description":"notes","content":[{"attachment":{"url":"Binary/%s"}}]}}`,
		name, docType, binaryID)
}

// provCase is one raw call and the status and e-RS code it must get.
type provCase struct {
	name    string
	build   func(st *store.State)
	path    string
	headers map[string]string
	body    string
	status  int
	code    string
}

// runProvCases runs each case on a fresh world and checks its answer.
func runProvCases(t *testing.T, cases []provCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, tc.build)
			status, _, body := e.raw(http.MethodPost, tc.path, tc.body, tc.headers)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, body)
			}
			if tc.code == "" {
				return
			}
			if got := outcomeCode(body); got != tc.code {
				t.Errorf("code %q, want %q: %s", got, tc.code, body)
			}
		})
	}
}

// provRead returns a copy of a referral and its appointment as the store
// holds them now.
func provRead(t *testing.T, e *testEnv, ubrn string) (store.Referral, store.Appointment) {
	t.Helper()
	var r store.Referral
	var a store.Appointment
	e.store.Read(func(st *store.State) error { //nolint:errcheck // never fails
		if got := st.Referrals[ubrn]; got != nil {
			r = *got
			if appt := st.Appointments[got.AppointmentID]; appt != nil {
				a = *appt
			}
		}
		return nil
	})
	return r, a
}
