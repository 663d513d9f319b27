package sandbox

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// UBRNs of H1's test referrals.
const (
	ubrnNotBooked = "000000071000" // NOT_BOOKED at the GP practice, no service yet
	ubrnBooked    = "000000071001" // BOOKED at the bookable service, with an appointment and a letter
	ubrnTriage    = "000000071002" // AWAITING_TRIAGE at the triage service
	ubrnAdvice    = "000000071003" // an A&G request only
	ubrnConverted = "000000071004" // an A&G request converted to a referral
	ubrnOtherGP   = "000000071005" // a referral of the other practice, booked at the other trust
	apptBooked    = "81000001"
	binLetter     = "3f8a1c2e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
	binAdvice     = "7d2c4b1a-9e8f-4a6b-b5c4-d3e2f1a0b9c8"
)

// h1World adds the referrals, advice requests and files H1's tests read.
func h1World(st *store.State) {
	addReferral(st, ubrnNotBooked, store.StateNotBooked, nil)
	h1AddBinary(st, binLetter, "letter.pdf", "application/pdf", []byte("%PDF-1.4 letter"), ubrnBooked, store.Available)
	st.Appointments[apptBooked] = &store.Appointment{ID: apptBooked, Version: 1, UBRN: ubrnBooked, ReferralVersion: 2,
		ServiceID: svcDBS, SlotID: "11000021", Status: "booked",
		Start: testNow.AddDate(0, 0, 7), End: testNow.AddDate(0, 0, 7).Add(15 * time.Minute), Created: testNow.AddDate(0, 0, -2)}
	addReferral(st, ubrnBooked, store.StateBooked, func(r *store.Referral) {
		r.Version = 3
		r.ServiceID, r.AppointmentID = svcDBS, apptBooked
		r.Criteria = store.SearchCriteria{Priority: "ROUTINE", Specialty: "CARDIOLOGY", ClinicType: "CARDIOLOGY_GENERAL",
			Postcode: "LS1 4HR", DistanceLimit: 20, NamedClinician: userSPC, AgeAndGenderAppropriate: true,
			ClinicalTerm: store.Coding{Code: "49436004"}}
		r.Shortlist = []string{svcDBS, svcIBS}
		r.AdditionalRequirements = []string{"INTERPRETER", "TRANSPORT"}
		r.RelatedUBRNs = []string{ubrnNotBooked}
		r.ClinicalInfoFirst, r.ClinicalInfoLast = testNow.AddDate(0, 0, -9), testNow.AddDate(0, 0, -3)
		r.Documents = []store.Document{{ID: "80001", BinaryID: binLetter, Type: "REFERRER", Description: "Referral letter",
			Indexed: testNow.AddDate(0, 0, -9), AttachedBy: userRC, AttachedOrg: orgGP}}
		r.History = append(r.History, store.StateChange{At: testNow.AddDate(0, 0, -2), State: store.StateBooked, By: userRC, Org: orgGP})
	})
	addReferral(st, ubrnTriage, store.StateAwaitingTriage, func(r *store.Referral) {
		r.Version = 2
		r.ServiceID = svcTriage
		r.Shortlist = []string{svcTriage}
		r.StateReason = store.Coding{System: fhir.CSReviewReason, Code: "TRIAGE"}
	})
	h1AddBinary(st, binAdvice, "question.txt", "text/plain", []byte("Is this angina?"), ubrnConverted, store.Available)
	st.Advice[ubrnAdvice] = &store.Advice{UBRN: ubrnAdvice, Version: 1, RequestID: "a.11111111-2222-4333-8444-555555555555",
		Status: "active", Category: store.AdviceProviderResponseRequired, NHSNumber: "9990001235", Priority: "ROUTINE",
		Specialty: "CARDIOLOGY", ServiceID: svcAdvice, ReferringOrg: orgGP, ReferrerID: userRC, CreatedBy: userRC,
		Created: testNow.AddDate(0, 0, -1), Updated: testNow.AddDate(0, 0, -1)}
	st.Advice[ubrnConverted] = &store.Advice{UBRN: ubrnConverted, Version: 4, RequestID: "a.66666666-7777-4888-8999-000000000000",
		Status: "completed", Category: store.AdviceConverted, Converted: true, NHSNumber: "9990001235", Priority: "URGENT",
		Specialty: "CARDIOLOGY", ServiceID: svcAdvice, ReferringOrg: orgGP, ReferrerID: userRC, CreatedBy: userRC,
		Messages: []store.Message{
			{ID: "90000001", SentBy: "REQUESTER", SenderID: userRC, SenderOrg: orgGP, Sent: testNow.AddDate(0, 0, -5),
				Text: "Chest pain on exertion.\nPlease advise.", AtVersion: 1,
				Documents: []store.Document{{ID: "80002", BinaryID: binAdvice, Type: "ADVICE_REQUEST", Indexed: testNow.AddDate(0, 0, -5), AttachedBy: userRC, AttachedOrg: orgGP}}},
			{ID: "90000002", SentBy: "RESPONDER", SenderID: userSPC, SenderOrg: orgTrust, Sent: testNow.AddDate(0, 0, -4),
				Text: "Refer to the rapid access clinic.", AtVersion: 2},
		}}
	addReferral(st, ubrnConverted, store.StateTriagedToAction, func(r *store.Referral) {
		r.RequestID = "r.66666666-7777-4888-8999-000000000001"
		r.Priority = "URGENT"
		r.ServiceID = svcAdvice
		r.Shortlist = []string{svcAdvice}
		r.FromAdvice = true
		r.StateReason = store.Coding{System: fhir.CSReviewOutcome, Code: "PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER"}
		r.StateComments = "Please book into the rapid access clinic"
	})
	addReferral(st, ubrnOtherGP, store.StateBooked, func(r *store.Referral) {
		r.ReferringOrg, r.ReferrerID, r.CreatedBy = orgGP2, userRC2, userRC2
		r.ServiceID = svcOther
		r.Shortlist = []string{svcOther}
	})
}

// h1AddBinary puts an uploaded file in the world.
func h1AddBinary(st *store.State, id, name, contentType string, data []byte, ubrn, availability string) *store.Binary {
	b := &store.Binary{ID: id, ContentType: contentType, FileName: name, Data: data, IntendedUBRN: ubrn,
		UploadedBy: userRC, UploadedOrg: orgGP, Created: testNow.AddDate(0, 0, -9), Availability: availability}
	st.Binaries[id] = b
	return b
}

// h1Code is the e-RS error code of a client error, or "" when err is not an
// API error.
func h1Code(err error) (int, string) {
	var e *ersclient.Error
	if !errors.As(err, &e) {
		return 0, ""
	}
	return e.Status, e.Code
}

// h1Succeeded checks a call's error against the status and code a case
// wants (200: none). It reports whether the call succeeded as wanted, so
// that the case goes on to check the answer; an unwanted error is fatal.
func h1Succeeded(t *testing.T, err error, status int, code string) bool {
	t.Helper()
	if status != 200 {
		if got, gotCode := h1Code(err); got != status || gotCode != code {
			t.Errorf("got %d %s (%v), want %d %s", got, gotCode, err, status, code)
		}
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}

func TestRetrieveReferralAnswersWhoMaySeeIt(t *testing.T) {
	e := newTestEnv(t, h1World)
	cases := []struct {
		name   string
		client *ersclient.Client
		ubrn   string
		status int
		code   string
	}{
		{"the referring clinician reads their practice's referral", e.rc(), ubrnBooked, 200, ""},
		{"a referring clinician admin reads it too", e.rca(), ubrnBooked, 200, ""},
		{"the provider clinician of the booked service reads it", e.spc(), ubrnBooked, 200, ""},
		{"a clinician admin acting for a provider clinician reads it", e.spca(), ubrnBooked, 200, ""},
		{"the provider's application reads it", e.appClient(appProvider), ubrnBooked, 200, ""},
		{"a referring admin is refused by role", e.client(userRA, ersclient.ReferringAdmin, orgGP, ""), ubrnBooked, 403, "NO_ACCESS"},
		{"a provider admin is refused by role", e.spa(), ubrnBooked, 403, "NO_ACCESS"},
		{"another practice has no relationship", e.client(userRC2, ersclient.ReferringClinician, orgGP2, ""), ubrnBooked, 422, "NO_RELATIONSHIP"},
		{"a provider has no relationship with a referral not sent to it", e.spc(), ubrnNotBooked, 422, "NO_RELATIONSHIP"},
		{"a provider has no relationship with another trust's referral", e.spc(), ubrnOtherGP, 422, "NO_RELATIONSHIP"},
		{"an unknown UBRN is not found", e.rc(), "000000079999", 404, "REFERENCE_NOT_FOUND"},
		{"an advice and guidance UBRN is the wrong kind of request", e.rc(), ubrnAdvice, 422, "INVALID_REQUEST_TYPE"},
		{"a converted advice and guidance UBRN is a referral", e.rc(), ubrnConverted, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ref, err := tc.client.RetrieveReferral(context.Background(), tc.ubrn)
			if tc.status == 200 {
				if err != nil {
					t.Fatalf("RetrieveReferral: %v", err)
				}
				if ref.UBRN() != tc.ubrn || ref.Version == "" || ref.ETag != `W/"`+ref.Version+`"` {
					t.Errorf("got UBRN %q version %q ETag %q", ref.UBRN(), ref.Version, ref.ETag)
				}
				return
			}
			if status, code := h1Code(err); status != tc.status || code != tc.code {
				t.Errorf("got %d %s (%v), want %d %s", status, code, err, tc.status, tc.code)
			}
		})
	}
}

func TestRetrieveReferralRendersEveryFact(t *testing.T) {
	e := newTestEnv(t, h1World)
	ref, err := e.rc().RetrieveReferral(context.Background(), ubrnBooked)
	if err != nil {
		t.Fatal(err)
	}
	s := ref.Summary()
	checks := []struct {
		name      string
		got, want any
	}{
		{"version", s.Version, "3"},
		{"request id", s.RequestID, "r.00000000-0000-4000-8000-" + ubrnBooked},
		{"NHS number", s.NHSNumber, "9990001235"},
		{"priority", string(s.Priority), "ROUTINE"},
		{"priority display", s.PriorityDisplay, "Routine"},
		{"specialty", s.Specialty.Code, "CARDIOLOGY"},
		{"specialty display", s.Specialty.Display, e.sb.ref.Display("SPECIALTY", "CARDIOLOGY")},
		{"state", s.State, ersclient.CodeText{Code: "BOOKED", Display: "Booked"}},
		{"status", s.Status, "active"},
		{"pathway start", s.PathwayStart, testNow.AddDate(0, 0, -10)},
		{"referrer", s.Referrer, &ersclient.ReferrerSummary{UserID: userRC, Organisation: orgGP, Display: "Dr Rachel Clinician"}},
		{"shortlist size", len(s.Shortlist), 2},
		{"first shortlisted service", s.Shortlist[0], ersclient.ShortlistedService{ID: svcDBS, Name: "Cardiology Outpatients"}},
		{"criteria postcode", s.SearchCriteria.Postcode, "LS1 4HR"},
		{"criteria clinic type", s.SearchCriteria.ClinicType.Code, "CARDIOLOGY_GENERAL"},
		{"criteria distance", s.SearchCriteria.DistanceLimit, int64(20)},
		{"criteria named clinician", s.SearchCriteria.NamedClinician, userSPC},
		{"criteria clinical term", s.SearchCriteria.ClinicalTerm.Code, "49436004"},
		{"criteria age and gender", s.SearchCriteria.AgeAndGenderAppropriate, true},
		{"commissioning rule org", s.CommissioningRuleOrg, "R68"},
		{"additional requirements", strings.Join(s.AdditionalRequirements, ","), "INTERPRETER,TRANSPORT"},
		{"related referrals", strings.Join(s.RelatedReferrals, ","), ubrnNotBooked},
		{"appointment id", s.AppointmentID, apptBooked},
		{"contained appointment", s.Appointment != nil && s.Appointment.ID == apptBooked, true},
		{"clinical info first", s.ClinicalInfoFirstSubmitted, testNow.AddDate(0, 0, -9)},
		{"clinical info last", s.ClinicalInfoLastUpdated, testNow.AddDate(0, 0, -3)},
		{"attachments", len(s.Attachments), 1},
	}
	for _, ck := range checks {
		if !h1Equal(ck.got, ck.want) {
			t.Errorf("%s: got %#v, want %#v", ck.name, ck.got, ck.want)
		}
	}
	a := s.Attachments[0]
	want := ersclient.AttachmentSummary{ID: binLetter, Title: "letter.pdf", ContentType: "application/pdf", Size: 15,
		Created: testNow.AddDate(0, 0, -9).Truncate(24 * time.Hour), Indexed: testNow.AddDate(0, 0, -9), Type: ersclient.AttachmentReferrer,
		Description: "Referral letter", Availability: ersclient.FileAvailable, AttachedBy: userRC, AttachedByOrg: orgGP,
		DocumentID: "DocumentReference-80001"}
	if a != want {
		t.Errorf("attachment:\n got %+v\nwant %+v", a, want)
	}
	rr := ref.Resource
	if rr.Meta == nil || len(rr.Meta.Profile) != 1 || rr.Meta.Profile[0] != profileReferralRequest || rr.Intent != "plan" {
		t.Errorf("meta %+v intent %q", rr.Meta, rr.Intent)
	}
	if want := e.srv.URL + "/referrals/FHIR/STU3/CodeSystem/SPECIALTY"; rr.Specialty.Coding[0].System != want {
		t.Errorf("specialty system %q, want %q", rr.Specialty.Coding[0].System, want)
	}
}

// h1Equal compares values, times by instant and pointers by what they
// point at.
func h1Equal(got, want any) bool {
	switch w := want.(type) {
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w)
	case *ersclient.ReferrerSummary:
		g, ok := got.(*ersclient.ReferrerSummary)
		return ok && g != nil && *g == *w
	}
	return got == want
}

func TestRetrieveReferralRendersStateReasonsAndConversions(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		h1World(st)
		st.Referrals[ubrnOtherGP].State = store.StateRejected
		st.Referrals[ubrnOtherGP].StateReason = store.Coding{System: "APPOINTMENT-CANCELLATION-REASON", Code: "SERVICE_INAPPROPRIATE"}
		st.Referrals[ubrnOtherGP].StateComments = "Wrong clinic"
	})
	conv, err := e.rc().RetrieveReferral(context.Background(), ubrnConverted)
	if err != nil {
		t.Fatal(err)
	}
	s := conv.Summary()
	if s.State.Code != store.StateTriagedToAction || s.StateReason.Code != "PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER" ||
		s.StateReason.Display != "Provider Converted Advice and Guidance, Admin to Refer" || s.StateComments != "Please book into the rapid access clinic" {
		t.Errorf("state %+v reason %+v comments %q", s.State, s.StateReason, s.StateComments)
	}
	if s.ConvertedFromAdvice != ubrnConverted {
		t.Errorf("converted from %q", s.ConvertedFromAdvice)
	}
	if len(s.Attachments) != 1 || s.Attachments[0].ID != binAdvice || s.Attachments[0].Type != ersclient.AttachmentAdviceRequest {
		t.Errorf("a converted referral shows the conversation's files: %+v", s.Attachments)
	}

	rej, err := e.client(userRC2, ersclient.ReferringClinician, orgGP2, "").RetrieveReferral(context.Background(), ubrnOtherGP)
	if err != nil {
		t.Fatal(err)
	}
	reason, ok := rej.Resource.Extension.Find(fhir.ExtReferralState)
	if !ok {
		t.Fatal("no state extension")
	}
	sub, _ := reason.Sub("reason")
	if want := e.srv.URL + "/referrals/FHIR/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON"; sub == nil || sub.ValueCoding.System != want ||
		sub.ValueCoding.Code != "SERVICE_INAPPROPRIATE" {
		t.Errorf("a local reason is rendered with the simulator's code system address: %+v", sub)
	}
}

func TestRetrieveReferralVersionServesOnlyTheCurrentVersion(t *testing.T) {
	e := newTestEnv(t, h1World)
	cases := []struct {
		name    string
		version string
		status  int
		code    string
	}{
		{"the current version is served", "3", 200, ""},
		{"an older version is not kept", "2", 404, "HISTORY_NOT_SUPPORTED"},
		{"a future version does not exist", "4", 404, "HISTORY_NOT_SUPPORTED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ref, err := e.spc().RetrieveReferralVersion(context.Background(), ubrnBooked, tc.version)
			if tc.status == 200 {
				if err != nil || ref.Version != tc.version || ref.ETag != `W/"3"` {
					t.Fatalf("got %v, %v", ref, err)
				}
				return
			}
			if status, code := h1Code(err); status != tc.status || code != tc.code {
				t.Errorf("got %d %s (%v)", status, code, err)
			}
		})
	}
	t.Run("a referring admin is refused by role", func(t *testing.T) {
		_, err := e.client(userRA, ersclient.ReferringAdmin, orgGP, "").RetrieveReferralVersion(context.Background(), ubrnBooked, "3")
		if status, code := h1Code(err); status != 403 || code != "NO_ACCESS" {
			t.Errorf("got %d %s", status, code)
		}
	})
	t.Run("a stranger learns nothing about versions", func(t *testing.T) {
		_, err := e.client(userRC2, ersclient.ReferringClinician, orgGP2, "").RetrieveReferralVersion(context.Background(), ubrnBooked, "2")
		if status, code := h1Code(err); status != 422 || code != "NO_RELATIONSHIP" {
			t.Errorf("got %d %s", status, code)
		}
	})
}

func TestRetrieveReferralSeesALaterWrite(t *testing.T) {
	e := newTestEnv(t, h1World)
	err := e.store.Write(store.ReferralKey(ubrnBooked), func(st *store.State) error {
		r := st.Referrals[ubrnBooked]
		r.State, r.Version = store.StateCancelledReferral, r.Version+1
		r.Status = "cancelled"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := e.rc().RetrieveReferral(context.Background(), ubrnBooked)
	if err != nil {
		t.Fatal(err)
	}
	if s := ref.Summary(); s.Version != "4" || !s.IsCancelled() || ref.ETag != `W/"4"` {
		t.Errorf("got version %s cancelled %v ETag %s", s.Version, s.IsCancelled(), ref.ETag)
	}
}

func TestRetrieveReferralHeaders(t *testing.T) {
	e := newTestEnv(t, h1World)
	h := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	h["X-Correlation-ID"] = "corr-1"
	status, hdr, body := e.raw(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+ubrnBooked, "", h)
	if status != 200 || hdr.Get("ETag") != `W/"3"` || hdr.Get("Content-Type") != fhirJSON || hdr.Get("X-Correlation-ID") != "corr-1" {
		t.Errorf("status %d headers %v", status, hdr)
	}
	if strings.Contains(string(body), "_baseUrl_") {
		t.Error("the body still holds the examples' base URL placeholder")
	}
}
