package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The official example requests of the referrer's writes, each sent to a
// fresh simulator holding the records they name, get their documented
// status. The world below is the least the examples need; it also tells the
// examples data set (package seed) what the handlers expect of it.

// exampleNow is the examples' clock: A011's example pathway start
// (2024-05-01) must be at most 365 days ago.
var exampleNow = time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)

const exampleNHS = "9912003888"

// exampleWorld holds the services, slots, referrals, appointments and files
// the official examples name.
func exampleWorld() *store.State {
	st := baseWorld()
	referrerWorld(st)
	for _, s := range st.Services {
		s.ClinicTypes = append(s.ClinicTypes, "HEART_FAILURE")
	}
	add := func(id, flow, clinician string) {
		s := *st.Services[svcDBS]
		s.ID, s.Name, s.Flow, s.Clinicians = id, "Example service "+id, flow, nil
		if clinician != "" {
			s.Clinicians = []string{clinician}
		}
		st.Services[id] = &s
	}
	for _, id := range []string{"11002", "11003"} {
		add(id, store.FlowBookable, "")
	}
	for i := range 20 {
		add(fmt.Sprint(12000+i), store.FlowBookable, "")
	}
	add("11008", store.FlowBookable, refExampleRC)
	add("11004", store.FlowTriage, "")
	add("51002", store.FlowTriage, "")
	st.Slots["11000021"].ClinicianID = ""
	st.Slots["11000022"].Free = false
	start := exampleNow.AddDate(0, 0, 30)
	st.AddSlot(&store.Slot{ID: "11008006", ServiceID: "11008", ClinicianID: refExampleRC, Start: start, End: start.Add(time.Hour), Type: "ROUTINE", Free: true})

	referral := func(ubrn, state string, version int, change func(r *store.Referral)) {
		addReferral(st, ubrn, state, func(r *store.Referral) {
			r.NHSNumber, r.Version = exampleNHS, version
			r.Shortlist = []string{svcDBS, "11008", svcDBSEmpty, svcTriage}
			if change != nil {
				change(r)
			}
		})
	}
	referral("000000070000", store.StateNotBooked, 6, nil)
	referral("000000070001", store.StateNotBooked, 1, nil)
	booked := func(ubrn, appt, slot string) {
		start := exampleNow.AddDate(0, 0, 10)
		st.AddSlot(&store.Slot{ID: slot, ServiceID: svcDBS, Start: start, End: start.Add(time.Hour), Type: "ROUTINE"})
		referral(ubrn, store.StateBooked, 6, func(r *store.Referral) { r.ServiceID, r.AppointmentID = svcDBS, appt })
		st.Appointments[appt] = &store.Appointment{ID: appt, Version: 1, UBRN: ubrn, ReferralVersion: 6, ServiceID: svcDBS, SlotID: slot,
			Status: "booked", Start: start, End: start.Add(time.Hour), Created: exampleNow.AddDate(0, 0, -1)}
	}
	booked("000000070004", "70003", "90000003")
	booked("000000070005", "70004", "90000004")
	booked("000000070009", "70005", "90000005")
	booked("000000070006", "70006", "90000006")
	for i, id := range []string{"e1015896-92f4-4073-ad3c-5f30fca76448", "50f0c0d5-7ed1-4587-8fce-889c8685eb54"} {
		st.Binaries[id] = &store.Binary{ID: id, ContentType: "text/plain", FileName: fmt.Sprintf("result%d.txt", i), Data: []byte("results"),
			AnyRequest: true, Availability: store.Available, Created: exampleNow}
	}
	return st
}

func TestReferrerWritesAnswerTheOfficialExamples(t *testing.T) {
	type want struct {
		path    string
		method  string
		headers map[string]string
		ifMatch string
		status  int
		code    string
	}
	rc, rca := rcHeaders(), rcaHeaders()
	ops := map[string]map[string]want{
		"createReferral": {
			"MinimalRequest":                       {pathCreateReferral, http.MethodPost, rc, "", http.StatusCreated, ""},
			"MinimalRequestWithReferringClinician": {pathCreateReferral, http.MethodPost, rca, "", http.StatusCreated, ""},
			"RequestMixedShortlist":                {pathCreateReferral, http.MethodPost, rc, "", http.StatusCreated, ""},
			"RequestTwentyServices":                {pathCreateReferral, http.MethodPost, rc, "", http.StatusCreated, ""},
		},
		"createReferralAndSendForTriage": {
			"Parameters":                   {pathCreateTriage, http.MethodPost, rc, "", http.StatusCreated, ""},
			"ParametersWithNamedClinician": {pathCreateTriage, http.MethodPost, rca, "", http.StatusCreated, ""},
		},
		"changeShortlist": {
			"UnbookedReferral":                 {pathChangeShortlist("000000070000"), http.MethodPost, rc, `W/"6"`, http.StatusOK, ""},
			"UnbookedReferralMixedShortlist":   {pathChangeShortlist("000000070000"), http.MethodPost, rc, `W/"6"`, http.StatusOK, ""},
			"UnbookedReferralMultipleServices": {pathChangeShortlist("000000070000"), http.MethodPost, rc, `W/"6"`, http.StatusOK, ""},
			"NonMixedShortlistWithDocument":    {pathChangeShortlist("000000070000"), http.MethodPost, rc, `W/"6"`, http.StatusOK, ""},
		},
		"changeShortlistAndSendForTriage": {
			"MinimalRequest": {pathChangeShortlistTriage("000000070000"), http.MethodPost, rc, `W/"6"`, http.StatusOK, ""},
		},
		"maintainReferralLetter": {
			"SingleDocumentReference":    {pathMaintainLetters("000000070000"), http.MethodPost, rc, `W/"6"`, http.StatusOK, ""},
			"MultipleDocumentReferences": {pathMaintainLetters("000000070001"), http.MethodPost, rc, `W/"1"`, http.StatusOK, ""},
			"UpdateClinicalInfo":         {pathMaintainLetters("000000070001"), http.MethodPost, rc, `W/"1"`, http.StatusOK, ""},
		},
		"bookOrDeferAppointment": {
			"MinimalBooking":                {pathBookOrDefer, http.MethodPost, rc, "", http.StatusCreated, ""},
			"BookingWithNamedClinician":     {pathBookOrDefer, http.MethodPost, rc, "", http.StatusCreated, ""},
			"MinimalDeferral":               {pathBookOrDefer, http.MethodPost, rc, "", http.StatusCreated, ""},
			"DeferralWithSlotReference":     {pathBookOrDefer, http.MethodPost, rc, "", http.StatusCreated, ""},
			"DeferralBookingAttemptProblem": {pathBookOrDefer, http.MethodPost, rc, "", http.StatusCreated, ""},
			"TriageDeferral":                {pathBookOrDefer, http.MethodPost, rc, "", http.StatusCreated, ""},
		},
		"updateAppointment": {
			"MinimalCancellationReasonOnlyCommentNotMandatory": {pathAppointment("70003"), http.MethodPut, rc, `W/"1"`, http.StatusOK, ""},
			"CancellationReasonAndMandatoryComment":            {pathAppointment("70004"), http.MethodPut, rc, `W/"1"`, http.StatusOK, ""},
			"CancellationReasonOnlyCommentMandatory":           {pathAppointment("70005"), http.MethodPut, rc, `W/"1"`, 422, "MISSING_VALUE"},
			"CancellationInvalidReason":                        {pathAppointment("70006"), http.MethodPut, rc, `W/"1"`, 422, "INAPPROPRIATE_VALUE"},
		},
	}
	for op, cases := range ops {
		examples := refExamples(t, op)
		for name, w := range cases {
			t.Run(op+"/"+name, func(t *testing.T) {
				body, ok := examples[name]
				if !ok {
					t.Fatalf("no official example %s/%s", op, name)
				}
				e := newTestEnvWith(t, store.New(exampleWorld, func() time.Time { return exampleNow }), Options{})
				h := w.headers
				if w.ifMatch != "" {
					h = withHeaders(h, "If-Match", w.ifMatch)
				}
				// The examples write _baseUrl_ where a client puts the
				// service's base URL.
				b := strings.ReplaceAll(string(body), "_baseUrl_", e.srv.URL+BasePath)
				status, _, resp := e.raw(w.method, w.path, b, h)
				refExpect(t, status, resp, w.status, w.code)
			})
		}
		for name := range examples {
			if _, ok := cases[name]; !ok {
				t.Errorf("official example %s/%s is not checked", op, name)
			}
		}
	}
}

// Malformed variants of the official example requests never get a 5xx:
// every JSON node of each example is replaced, in turn, by null, a number,
// a string, an empty array and an empty object.
func TestReferrerWritesNeverFailOnMalformedBodies(t *testing.T) {
	targets := map[string]struct{ path, method, ifMatch string }{
		"createReferral":                  {pathCreateReferral, http.MethodPost, ""},
		"createReferralAndSendForTriage":  {pathCreateTriage, http.MethodPost, ""},
		"changeShortlist":                 {pathChangeShortlist("000000070000"), http.MethodPost, `W/"6"`},
		"changeShortlistAndSendForTriage": {pathChangeShortlistTriage("000000070000"), http.MethodPost, `W/"6"`},
		"maintainReferralLetter":          {pathMaintainLetters("000000070001"), http.MethodPost, `W/"1"`},
		"bookOrDeferAppointment":          {pathBookOrDefer, http.MethodPost, ""},
		"updateAppointment":               {pathAppointment("70003"), http.MethodPut, `W/"1"`},
		"patientServiceSearch":            {pathServiceSearch, http.MethodPost, ""},
	}
	e := newTestEnvWith(t, store.New(exampleWorld, func() time.Time { return exampleNow }), Options{})
	for op, target := range targets {
		for name, body := range refExamples(t, op) {
			var doc any
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			for i, variant := range refMutations(doc) {
				b, _ := json.Marshal(variant)
				h := rcHeaders()
				if target.ifMatch != "" {
					h = withHeaders(h, "If-Match", target.ifMatch)
				}
				// A fresh world per variant, so that a variant that
				// succeeds does not move the versions the next one names.
				e.store.Reset()
				status, _, resp := e.raw(target.method, target.path, string(b), h)
				if status >= 500 {
					t.Errorf("%s/%s variant %d: %d %.300s\n%s", op, name, i, status, resp, b)
				}
			}
		}
	}
}

// refMutations returns copies of doc with one node replaced by each of a
// few values of the wrong kind.
func refMutations(doc any) []any {
	var out []any
	replacements := []any{nil, 1, "x", []any{}, map[string]any{}}
	var walk func(node any, set func(any))
	walk = func(node any, set func(any)) {
		for _, r := range replacements {
			set(r)
			out = append(out, refClone(doc))
		}
		set(node)
		switch n := node.(type) {
		case map[string]any:
			for k, v := range n {
				walk(v, func(x any) { n[k] = x })
			}
		case []any:
			for i, v := range n {
				walk(v, func(x any) { n[i] = x })
			}
		}
	}
	root := doc
	walk(root, func(x any) { doc = x })
	doc = root
	return out
}

func refClone(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out) //nolint:errcheck // v came from JSON
	return out
}
