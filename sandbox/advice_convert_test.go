package sandbox

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

const adviceConvertPath = BasePath + "/STU3/ReferralRequest/$ers.createFromCommunicationRequestActionLater"

// adviceConvertBody is an A027 body; an empty createFrom, guidance or
// reviewComments leaves the parameter out.
func adviceConvertBody(t *testing.T, createFrom, guidance, priority, reviewComments string, extra ...fhir.Parameter) string {
	t.Helper()
	p := fhir.NewParameters("https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateFromCommunicationRequestActionLater-Request-Parameters-1")
	if createFrom != "" {
		p.Add(fhir.Parameter{Name: "createFrom", Value: fhir.Value{ValueReference: &fhir.Reference{Reference: createFrom}}})
	}
	if guidance != "" {
		p.Add(fhir.Parameter{Name: "guidance", Value: fhir.Value{ValueString: &guidance}})
	}
	if priority != "" {
		p.Add(fhir.Parameter{Name: "newReferralPriority", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSPriority, Code: priority}}})
	}
	if reviewComments != "" {
		p.Add(fhir.Parameter{Name: "reviewComments", Value: fhir.Value{ValueString: &reviewComments}})
	}
	p.Parameter = append(p.Parameter, extra...)
	return encodeJSON(t, p)
}

func TestAdviceConversionMakesAReferralWithTheSameUBRN(t *testing.T) {
	const guidanceFile, reviewFile = "badaf6fc-90f4-411d-999f-04ccd79fa166", "38dc19ab-893f-47ca-8db0-2d0a07c0e387"
	e := newTestEnv(t, func(st *store.State) {
		adviceConversationWorld(st)
		adviceFile(st, guidanceFile, adviceUBRN, "GUIDANCE_RESPONSE", "InitialMedication.txt")
		adviceFile(st, reviewFile, adviceUBRN, "PROVIDER", "ReferralLetter.txt")
	})
	ref, err := e.spc().ConvertAdviceToReferral(adviceCtx(t), ersclient.ConvertAdviceRequest{
		UBRN: adviceUBRN, Version: "3", Guidance: "Patient booked into our service.", NewReferralPriority: ersclient.PriorityUrgent,
		ReviewComments:      "Book into the heart failure clinic.",
		GuidanceAttachments: []ersclient.FileLink{{BinaryID: guidanceFile, Description: "Initial medication"}},
		ReviewAttachments:   []ersclient.FileLink{{BinaryID: reviewFile, Description: "Referral letter"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Status != http.StatusCreated || ref.UBRN() != adviceUBRN || ref.Version != "4" || ref.ResponseInfo.Version != "4" {
		t.Errorf("got %d %s version %s (ETag %s), want 201 %s version 4", ref.Status, ref.UBRN(), ref.Version, ref.ResponseInfo.Version, adviceUBRN)
	}

	r, ok := e.adviceReferralOf(adviceUBRN)
	if !ok {
		t.Fatal("no referral was stored")
	}
	if r.State != store.StateTriagedToAction || r.StateReason.Code != adviceConvertedReason || r.StateComments != "Book into the heart failure clinic." {
		t.Errorf("got state %s %s %q", r.State, r.StateReason.Code, r.StateComments)
	}
	if !r.FromAdvice || r.Priority != "URGENT" || r.ServiceID != svcAdvice || r.ReferringOrg != orgGP || r.ReferrerID != userRC || r.NHSNumber != adviceNHS {
		t.Errorf("got referral %+v", r)
	}
	if !strings.HasPrefix(r.RequestID, "r.") || r.Status != "active" || r.Version != 4 {
		t.Errorf("got request id %s status %s version %d", r.RequestID, r.Status, r.Version)
	}
	types := map[string]int{}
	var letter store.Document
	for _, d := range r.Documents {
		types[d.Type]++
		if d.Description == "Advice and guidance conversation" {
			letter = d
		}
	}
	if types["PROVIDER"] != 1 || types["ADVICE_REQUEST"] != 1 || types["GUIDANCE_RESPONSE"] != 2 || types["REFERRER"] != 1 {
		t.Errorf("got documents by type %v, want the review file, every conversation file and the conversation letter", types)
	}
	var appt store.Appointment
	var pdf []byte
	e.store.Read(func(st *store.State) error { //nolint:errcheck // the callback cannot fail
		if a := st.Appointments[r.AppointmentID]; a != nil {
			appt = *a
		}
		if b := st.Binaries[letter.BinaryID]; b != nil {
			pdf = b.Data
		}
		return nil
	})
	if appt.Status != "proposed" || appt.Reason.Code != adviceConvertedReason || appt.ReferralVersion != 4 || appt.ServiceID != svcAdvice || appt.Comment != r.StateComments {
		t.Errorf("got appointment %+v", appt)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte(adviceUBRN)) || !bytes.Contains(pdf, []byte("Patient booked into our service.")) {
		t.Errorf("the conversation letter is not a PDF of the conversation with the final guidance")
	}

	// The request is converted, with the guidance as its last message.
	ar, err := e.rc().RetrieveAdviceRequest(adviceCtx(t), adviceUBRN)
	if err != nil {
		t.Fatal(err)
	}
	if s := ar.Summary(); s.Category != ersclient.AdviceConvertedToReferral || s.Status != "completed" || s.Version != "4" {
		t.Errorf("the referrer reads %s %s version %s", s.Category, s.Status, s.Version)
	}
	thread, err := e.rc().RetrieveAdviceConversation(adviceCtx(t), adviceUBRN, "4")
	if err != nil {
		t.Fatal(err)
	}
	last := thread.Messages[len(thread.Messages)-1]
	if last.SentBy != ersclient.SentByResponder || last.Text != "Patient booked into our service." || len(last.Attachments) != 1 {
		t.Errorf("got last message %+v", last)
	}
}

func TestAdviceConversionReplacesAnExamplesReferralUnderTheSameUBRN(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		adviceWorld(st)
		addReferral(st, adviceUBRN, store.StateNotBooked, nil)
	})
	status, _, body := e.raw(http.MethodPost, adviceConvertPath,
		adviceConvertBody(t, "CommunicationRequest/"+adviceUBRN+"/_history/1", "Converted.", "ROUTINE", "Shortlist please."), spcHeaders())
	if status != http.StatusCreated {
		t.Fatalf("got %d: %s", status, body)
	}
	if r, _ := e.adviceReferralOf(adviceUBRN); r.State != store.StateTriagedToAction || !r.FromAdvice {
		t.Errorf("the referral is %s (from advice %v), want the converted one", r.State, r.FromAdvice)
	}
}

func TestAdviceConversionByAnAdminIsRecordedForTheClinician(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	_, err := e.spca().ConvertAdviceToReferral(adviceCtx(t), ersclient.ConvertAdviceRequest{
		UBRN: adviceUBRN, Version: "1", Guidance: "Converted.", NewReferralPriority: ersclient.PriorityRoutine, ReviewComments: "Shortlist please.",
	})
	if err != nil {
		t.Fatal(err)
	}
	a := e.adviceOf(adviceUBRN)
	last := a.Messages[len(a.Messages)-1]
	if last.SenderID != userRCA || last.SenderRole != ersclient.ServiceProviderClinicianAdmin || last.OnBehalfOf != userSPC2 {
		t.Errorf("got guidance from %s as %s for %s", last.SenderID, last.SenderRole, last.OnBehalfOf)
	}
	r, _ := e.adviceReferralOf(adviceUBRN)
	if h := r.History[len(r.History)-1]; h.By != userSPC2 || h.Org != orgTrust || h.State != store.StateTriagedToAction {
		t.Errorf("got history %+v", h)
	}
}

func TestAdviceConversionRefusals(t *testing.T) {
	current := "CommunicationRequest/" + adviceUBRN + "/_history/1"
	valid := func(t *testing.T) string {
		return adviceConvertBody(t, current, "Converted.", "ROUTINE", "Shortlist please.")
	}
	for _, tc := range []struct {
		name    string
		headers map[string]string
		body    func(t *testing.T) string
		build   func(st *store.State)
		status  int
		code    string
	}{
		{"a referring clinician may not convert", rcHeaders(), valid, nil, http.StatusForbidden, "NO_ACCESS"},
		{"a provider admin may not convert", userHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust), valid, nil, http.StatusForbidden, "NO_ACCESS"},
		{"a stale version conflicts", spcHeaders(), valid,
			func(st *store.State) { st.Advice[adviceUBRN].Version = 2 },
			http.StatusConflict, ""},
		{"a request the referrer did not authorise cannot be converted", spcHeaders(), valid,
			func(st *store.State) { st.Advice[adviceUBRN].ConversionAuthorisation = adviceConversionForbidden },
			http.StatusUnprocessableEntity, "INAPPROPRIATE_VALUE"},
		{"a request with the referrer cannot be converted", spcHeaders(), valid,
			func(st *store.State) { st.Advice[adviceUBRN].Category = store.AdviceReferrerToSubmitInfo },
			http.StatusUnprocessableEntity, "INVALID_REQUEST_STATE"},
		{"a converted request cannot be converted again", spcHeaders(), valid,
			func(st *store.State) {
				a := st.Advice[adviceUBRN]
				a.Category, a.Status, a.Converted = store.AdviceConverted, "completed", true
			}, http.StatusUnprocessableEntity, "INVALID_REQUEST_STATE"},
		{"the new priority must be one the service takes", spcHeaders(), valid,
			func(st *store.State) { st.Services[svcAdvice].Priorities = []string{"URGENT"} },
			http.StatusUnprocessableEntity, "UNSUPPORTED_PRIORITY"},
		{"createFrom is mandatory", spcHeaders(),
			func(t *testing.T) string { return adviceConvertBody(t, "", "C.", "ROUTINE", "S.") }, nil,
			http.StatusUnprocessableEntity, "MISSING_VALUE"},
		{"createFrom must name a version", spcHeaders(),
			func(t *testing.T) string {
				return adviceConvertBody(t, "CommunicationRequest/"+adviceUBRN, "C.", "ROUTINE", "S.")
			}, nil,
			http.StatusUnprocessableEntity, "INVALID_VALUE"},
		{"the guidance is mandatory", spcHeaders(),
			func(t *testing.T) string { return adviceConvertBody(t, current, "", "ROUTINE", "S.") }, nil,
			http.StatusUnprocessableEntity, "MISSING_VALUE"},
		{"the guidance has at most 8000 characters", spcHeaders(),
			func(t *testing.T) string {
				return adviceConvertBody(t, current, strings.Repeat("g", adviceTextLimit+1), "ROUTINE", "S.")
			}, nil, http.StatusUnprocessableEntity, "INVALID_VALUE"},
		{"the review comments are mandatory", spcHeaders(),
			func(t *testing.T) string { return adviceConvertBody(t, current, "C.", "ROUTINE", "") }, nil,
			http.StatusUnprocessableEntity, "MISSING_VALUE"},
		{"the new priority is mandatory", spcHeaders(),
			func(t *testing.T) string { return adviceConvertBody(t, current, "C.", "", "S.") }, nil,
			http.StatusUnprocessableEntity, "MISSING_VALUE"},
		{"the new priority must be a known code", spcHeaders(),
			func(t *testing.T) string { return adviceConvertBody(t, current, "C.", "SOON", "S.") }, nil,
			http.StatusUnprocessableEntity, "INVALID_CODE"},
		{"another trust's request is refused", spcHeaders(),
			func(t *testing.T) string {
				return adviceConvertBody(t, "CommunicationRequest/"+adviceUBRNOther+"/_history/1", "C.", "ROUTINE", "S.")
			}, nil,
			http.StatusUnprocessableEntity, "NO_RELATIONSHIP"},
		{"a referral's UBRN is the wrong type of request", spcHeaders(),
			func(t *testing.T) string {
				return adviceConvertBody(t, "CommunicationRequest/"+adviceReferral+"/_history/1", "C.", "ROUTINE", "S.")
			}, nil,
			http.StatusUnprocessableEntity, "INVALID_REQUEST_TYPE"},
		{"an unknown UBRN is not found", spcHeaders(),
			func(t *testing.T) string {
				return adviceConvertBody(t, "CommunicationRequest/000000099999/_history/1", "C.", "ROUTINE", "S.")
			}, nil,
			http.StatusNotFound, "REFERENCE_NOT_FOUND"},
		{"a review file not uploaded for the request is refused", spcHeaders(),
			func(t *testing.T) string {
				return adviceConvertBody(t, current, "C.", "ROUTINE", "S.", adviceFileParam(t, "reviewAttachmentFile", "PROVIDER", "38dc19ab-893f-47ca-8db0-2d0a07c0e387"))
			},
			func(st *store.State) {
				adviceFile(st, "38dc19ab-893f-47ca-8db0-2d0a07c0e387", "", "PROVIDER", "letter.txt")
			},
			http.StatusUnprocessableEntity, "INAPPROPRIATE_VALUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := adviceWantRefused(t, tc.build, adviceUBRN, adviceConvertPath, tc.body(t), tc.headers, tc.status, tc.code)
			if _, ok := e.adviceReferralOf(adviceUBRN); ok {
				t.Errorf("a refused conversion made a referral")
			}
		})
	}
}
