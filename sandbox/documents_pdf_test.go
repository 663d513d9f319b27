package sandbox

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/pdf"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// h1PDFText is the text of a generated PDF, one string.
func h1PDFText(t *testing.T, doc []byte) string {
	t.Helper()
	lines, err := pdf.Text(doc)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// h1WantText checks that text (what names it in a failure) holds every
// string of want.
func h1WantText(t *testing.T, what, text string, want []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func TestRetrieveClinicalInfoIsAPDFOfTheReferral(t *testing.T) {
	e := newTestEnv(t, h1World)
	cases := []struct {
		name   string
		client *ersclient.Client
		ubrn   string
		want   []string
		status int
		code   string
	}{
		{"the referrer gets the summary of a booked referral", e.rc(), ubrnBooked,
			[]string{ubrnBooked, "9990001235", "Routine", "Booked", "Dr Rachel Clinician (555073103100), Test Surgery (D82106)",
				"Cardiology Outpatients (11000)", "letter.pdf", "Referral letter", "INTERPRETER, TRANSPORT", ubrnNotBooked}, 200, ""},
		{"the provider gets it too", e.spc(), ubrnBooked, []string{ubrnBooked}, 200, ""},
		{"the provider's application gets it", e.appClient(appProvider), ubrnBooked, []string{ubrnBooked}, 200, ""},
		{"a converted referral includes the conversation", e.spca(), ubrnConverted,
			[]string{ubrnConverted, "Provider Converted Advice and Guidance, Admin to Refer", "Please book into the rapid access clinic",
				"Advice and guidance conversation", "Chest pain on exertion.", "Please advise.", "Refer to the rapid access clinic.", "question.txt"}, 200, ""},
		{"an unknown UBRN is not found", e.rc(), "000000079999", nil, 404, "REFERENCE_NOT_FOUND"},
		{"an advice and guidance UBRN is the wrong kind of request", e.rc(), ubrnAdvice, nil, 422, "INVALID_REQUEST_TYPE"},
		{"another practice has no relationship", e.client(userRC2, ersclient.ReferringClinician, orgGP2, ""), ubrnBooked, nil, 422, "NO_RELATIONSHIP"},
		{"a provider admin is refused by role", e.spa(), ubrnBooked, nil, 403, "NO_ACCESS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			d, err := tc.client.RetrieveClinicalInformation(context.Background(), tc.ubrn, &buf)
			if !h1Succeeded(t, err, tc.status, tc.code) {
				return
			}
			if want := tc.ubrn + "_Clinical_Information_Summary_20260601090000.pdf"; d.FileName != want || d.ContentType != "application/pdf" {
				t.Errorf("got %q %q", d.FileName, d.ContentType)
			}
			h1WantText(t, "the PDF", h1PDFText(t, buf.Bytes()), tc.want)
		})
	}
}

func TestRetrieveClinicalInfoMarksItPrintedForTheProvider(t *testing.T) {
	e := newTestEnv(t, h1World)
	printed := func() bool {
		var p bool
		e.store.Read(func(st *store.State) error { p = st.Referrals[ubrnBooked].ClinicalInfoPrinted; return nil })
		return p
	}
	var buf bytes.Buffer
	if _, err := e.rc().RetrieveClinicalInformation(context.Background(), ubrnBooked, &buf); err != nil || printed() {
		t.Fatalf("after the referrer's copy: printed %v, %v", printed(), err)
	}
	if _, err := e.spc().RetrieveClinicalInformation(context.Background(), ubrnBooked, &buf); err != nil || !printed() {
		t.Fatalf("after the provider's copy: printed %v, %v", printed(), err)
	}
	ref, err := e.spc().RetrieveReferral(context.Background(), ubrnBooked)
	if err != nil || ref.Version != "3" {
		t.Errorf("printing made a new version: %v %v", ref, err)
	}
}

func TestClinicalInfoAndLetterTakeNoBody(t *testing.T) {
	e := newTestEnv(t, h1World)
	for _, op := range []string{"$ers.generateCRI", "$ers.generatePatientLetter"} {
		t.Run(op, func(t *testing.T) {
			status, _, body := e.raw(http.MethodPost, BasePath+"/STU3/ReferralRequest/"+ubrnBooked+"/"+op, `{"resourceType":"Parameters"}`,
				userHeaders(userRC, ersclient.ReferringClinician, orgGP))
			if status != 422 || !strings.Contains(string(body), "UNEXPECTED_FIELD") {
				t.Errorf("got %d %s", status, body)
			}
		})
	}
}

func TestGeneratePatientLetter(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		h1World(st)
		st.Services[svcIBS].Phone = "0113 000 0000"
		st.Services[svcDBS].Phone = "0113 111 1111"
		st.Referrals[ubrnNotBooked].Shortlist = []string{svcDBS, svcIBS}
		st.Referrals[ubrnTriage].ContactBy = testNow.AddDate(0, 0, 14)
		addReferral(st, "000000071010", store.StateNotBooked, func(r *store.Referral) { r.PatientHasAccessCode = false })
		addReferral(st, "000000071011", store.StateCancelledReferral, func(r *store.Referral) { r.Status = "cancelled" })
	})
	cases := []struct {
		name   string
		client *ersclient.Client
		ubrn   string
		want   []string
		status int
		code   string
	}{
		{"a booked referral's letter confirms the appointment", e.rc(), ubrnBooked,
			[]string{ubrnBooked, "Your appointment", "booked, 08 Jun 2026 09:00 UTC to 09:15", "Cardiology Outpatients (11000)", "call 0113 111 1111"}, 200, ""},
		{"an unbooked referral's letter says how to book", e.rca(), ubrnNotBooked,
			[]string{ubrnNotBooked, "How to book your appointment", "Cardiology Outpatients (11000)", "Cardiology Community Clinic (11001), Test Hospitals NHS Trust: call the service on 0113 000 0000 to book"}, 200, ""},
		{"a referral with the provider says who will call", e.rc(), ubrnTriage,
			[]string{"What happens next", "Cardiology Referral Assessment (50001)", "contact you by 15 Jun 2026"}, 200, ""},
		{"a patient without an access code gets no letter", e.rc(), "000000071010", nil, 422, "NO_ACCESS_CODE"},
		{"a cancelled referral has no letter", e.rc(), "000000071011", nil, 422, "INVALID_REQUEST_STATE"},
		{"an advice and guidance UBRN is the wrong kind of request", e.rc(), ubrnAdvice, nil, 422, "INVALID_REQUEST_TYPE"},
		{"another practice has no relationship", e.client(userRC2, ersclient.ReferringClinician, orgGP2, ""), ubrnBooked, nil, 422, "NO_RELATIONSHIP"},
		{"an unknown UBRN is not found", e.rc(), "000000079999", nil, 404, "REFERENCE_NOT_FOUND"},
		{"a provider clinician is refused by role", e.spc(), ubrnBooked, nil, 403, "NO_ACCESS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			d, err := tc.client.GeneratePatientLetter(context.Background(), tc.ubrn, &buf)
			if !h1Succeeded(t, err, tc.status, tc.code) {
				return
			}
			if want := tc.ubrn + "_Appointment_Confirmation_Summary_20260601090000.pdf"; d.FileName != want {
				t.Errorf("file name %q", d.FileName)
			}
			h1WantText(t, "the letter", h1PDFText(t, buf.Bytes()), tc.want)
		})
	}
}
