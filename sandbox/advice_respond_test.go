package sandbox

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

func adviceRespondPath(ubrn string) string {
	return BasePath + "/STU3/CommunicationRequest/" + ubrn + "/$ers.sendCommunicationToRequester"
}

// adviceRespondBody is an A026 body; recommendation "" leaves it out.
func adviceRespondBody(t *testing.T, outcome, recommendation, guidance, priority string, extra ...fhir.Parameter) string {
	t.Helper()
	p := fhir.NewParameters("https://fhir.nhs.uk/STU3/StructureDefinition/eRS-SendCommunicationToRequester-Request-Parameters-1")
	p.Add(fhir.Parameter{Name: "guidanceOutcome", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSGuidanceResponseOutcome, Code: outcome}}})
	if recommendation != "" {
		p.Add(fhir.Parameter{Name: "guidanceIntendedRecommendation", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSGuidanceIntendedRecommendation, Code: recommendation}}})
	}
	if guidance != "" {
		p.Add(fhir.Parameter{Name: "guidance", Value: fhir.Value{ValueString: &guidance}})
	}
	if priority != "" {
		p.Add(fhir.Parameter{Name: "updatedPriority", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSPriority, Code: priority}}})
	}
	p.Parameter = append(p.Parameter, extra...)
	return encodeJSON(t, p)
}

func TestAdviceResponseReturnsTheRequestToTheReferrer(t *testing.T) {
	for _, tc := range []struct {
		name           string
		outcome        ersclient.AdviceOutcome
		recommendation ersclient.AdviceRecommendation
		priority       ersclient.Priority
		category       ersclient.AdviceStatus
	}{
		{"advice goes to the referrer to review", ersclient.AdviceReturnWithAdvice, ersclient.RecommendAdviceOnly, ersclient.PriorityRoutine, ersclient.AdviceReferrerToReviewResponse},
		{"a question goes to the referrer to answer", ersclient.AdviceRequireFurtherInfo, "", ersclient.PriorityTwoWeekWait, ersclient.AdviceReferrerToSubmitMoreInfo},
		{"a recorded conversion goes to the referrer to review", ersclient.AdviceProviderConverted, "", ersclient.PriorityRoutine, ersclient.AdviceReferrerToReviewResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, adviceWorld)
			sent, err := e.spc().SendAdviceResponse(adviceCtx(t), ersclient.AdviceResponseRequest{
				UBRN: adviceUBRN, Version: "1", Outcome: tc.outcome, Recommendation: tc.recommendation,
				Guidance: "Start a beta blocker.", UpdatedPriority: tc.priority,
			})
			if err != nil {
				t.Fatal(err)
			}
			if sent.Version != "2" || sent.UBRN != adviceUBRN {
				t.Errorf("got %s version %s, want version 2", sent.UBRN, sent.Version)
			}
			if s := sent.Request.Summary(); s.Category != tc.category || s.Priority != tc.priority {
				t.Errorf("got %s at %s, want %s at %s", s.Category, s.Priority, tc.category, tc.priority)
			}
			m := sent.Message
			if m.SentBy != ersclient.SentByResponder || m.Text != "Start a beta blocker." || m.Sender.SDSUserID != userSPC || m.RecipientOrg != orgGP {
				t.Errorf("got message %+v", m)
			}
			if m.BasedOn != "CommunicationRequest/"+adviceUBRN+"/_history/2" {
				t.Errorf("got basedOn %s", m.BasedOn)
			}
			// The referrer reads the answer.
			ar, err := e.rc().RetrieveAdviceRequest(adviceCtx(t), adviceUBRN)
			if err != nil {
				t.Fatal(err)
			}
			if s := ar.Summary(); s.Version != "2" || s.Category != tc.category {
				t.Errorf("the referrer reads %s at version %s", s.Category, s.Version)
			}
			thread, err := e.rc().RetrieveAdviceConversation(adviceCtx(t), adviceUBRN, "2")
			if err != nil {
				t.Fatal(err)
			}
			if n := len(thread.Messages); n != 2 || thread.Messages[1].SentBy != ersclient.SentByResponder {
				t.Errorf("got %d messages, want the question then the answer: %+v", n, thread.Messages)
			}
			a := e.adviceOf(adviceUBRN)
			last := a.Messages[len(a.Messages)-1]
			if last.Outcome != string(tc.outcome) || last.Recommendation != string(tc.recommendation) || last.Sent != testNow || a.Updated != testNow {
				t.Errorf("stored %+v", last)
			}
		})
	}
}

func TestAdviceResponseByAnAdminSpeaksForTheClinician(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	sent, err := e.spca().SendAdviceResponse(adviceCtx(t), ersclient.AdviceResponseRequest{
		UBRN: adviceUBRN, Version: "1", Outcome: ersclient.AdviceRequireFurtherInfo, Guidance: "Please send the ECG.", UpdatedPriority: ersclient.PriorityRoutine,
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := sent.Message.Sender; s.SDSUserID != userRCA || s.Role != ersclient.ServiceProviderClinicianAdmin || s.Organisation != orgTrust {
		t.Errorf("sent by %+v, want the clinician admin", s)
	}
	var comm fhir.Communication
	if ok, err := sent.Parameters.ResourceParam("createdCommunication", &comm); !ok || err != nil {
		t.Fatal(ok, err)
	}
	want := "#PractitionerRole." + userSPC2 + "." + orgTrust + ".SERVICE-PROVIDER-CLINICIAN"
	if v, ok := comm.Extension.Value(fhir.ExtCommunicationReqstr); !ok || v.ValueReference.Reference != want {
		t.Errorf("the message speaks for %+v, want %s", v.ValueReference, want)
	}
}

func TestAdviceResponseHasTheShapeOfTheOfficialExample(t *testing.T) {
	official := adviceOfficial(t, "sendAdviceAndGuidanceResponse", "responses", "ReturnToReferrerWithAdvice.json")
	e := newTestEnv(t, adviceWorld)
	status, h, body := e.raw(http.MethodPost, adviceRespondPath(adviceUBRN),
		adviceRespondBody(t, "RETURN_TO_REFERRER_WITH_ADVICE", "ADVICE_ONLY_NO_REFERRAL_RECOMMENDED", "Advice.", "ROUTINE"),
		withHeaders(spcHeaders(), "If-Match", `W/"1"`))
	if status != http.StatusOK || h.Get("ETag") != "" {
		t.Fatalf("got %d ETag %q: %s", status, h.Get("ETag"), body)
	}
	var got map[string]any
	if err := fhir.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	// The official criteria carry a postcode and distance this request's
	// search did not use.
	skip := []string{"/parameter[]{updatedCommunicationRequest}/resource/contained[]{Parameters}/parameter[]{postcode}",
		"/parameter[]{updatedCommunicationRequest}/resource/contained[]{Parameters}/parameter[]{distanceLimit}"}
	if missing := adviceMissingShape(adviceShape(got), adviceShape(official), skip...); len(missing) > 0 {
		t.Errorf("the answer lacks what the official example has: %v", missing)
	}
}

func TestAdviceResponseRefusals(t *testing.T) {
	long := strings.Repeat("x", adviceTextLimit+1)
	valid := func(t *testing.T) string {
		return adviceRespondBody(t, "RETURN_TO_REFERRER_WITH_ADVICE", "OTHER", "Advice.", "ROUTINE")
	}
	for _, tc := range []struct {
		name    string
		ubrn    string
		headers map[string]string
		body    func(t *testing.T) string
		build   func(st *store.State)
		status  int
		code    string
	}{
		{"a referring clinician may not respond", adviceUBRN, withHeaders(rcHeaders(), "If-Match", `W/"1"`), valid, nil, http.StatusForbidden, "NO_ACCESS"},
		{"a provider admin may not respond", adviceUBRN, withHeaders(userHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust), "If-Match", `W/"1"`), valid, nil, http.StatusForbidden, "NO_ACCESS"},
		{"the version is required", adviceUBRN, spcHeaders(), valid, nil, http.StatusPreconditionFailed, ""},
		{"a stale version conflicts", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"0"`), valid, nil, http.StatusConflict, ""},
		{"a malformed version is a bad request", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `"1"`), valid, nil, http.StatusBadRequest, "INVALID_VALUE"},
		{"advice needs a recommendation", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string {
				return adviceRespondBody(t, "RETURN_TO_REFERRER_WITH_ADVICE", "", "Advice.", "ROUTINE")
			}, nil,
			http.StatusUnprocessableEntity, "VALUE_IS_REQUIRED"},
		{"a question takes no recommendation", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string {
				return adviceRespondBody(t, "REQUIRE_FURTHER_INFORMATION", "OTHER", "Why?", "ROUTINE")
			}, nil,
			http.StatusUnprocessableEntity, "INAPPROPRIATE_VALUE"},
		{"the outcome must be a known code", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string { return adviceRespondBody(t, "SHRUG", "", "Hm.", "ROUTINE") }, nil,
			http.StatusUnprocessableEntity, "INVALID_CODE"},
		{"the recommendation must be a known code", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string {
				return adviceRespondBody(t, "RETURN_TO_REFERRER_WITH_ADVICE", "MAYBE", "Hm.", "ROUTINE")
			}, nil,
			http.StatusUnprocessableEntity, "INVALID_CODE"},
		{"the guidance is mandatory", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string {
				return adviceRespondBody(t, "REQUIRE_FURTHER_INFORMATION", "", "", "ROUTINE")
			}, nil,
			http.StatusUnprocessableEntity, "MISSING_VALUE"},
		{"the guidance has at most 8000 characters", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string {
				return adviceRespondBody(t, "REQUIRE_FURTHER_INFORMATION", "", long, "ROUTINE")
			}, nil,
			http.StatusUnprocessableEntity, "INVALID_VALUE"},
		{"the updated priority is mandatory", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string { return adviceRespondBody(t, "REQUIRE_FURTHER_INFORMATION", "", "Why?", "") }, nil,
			http.StatusUnprocessableEntity, "MISSING_VALUE"},
		{"the updated priority must be one the service takes", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`), valid,
			func(st *store.State) { st.Services[svcAdvice].Priorities = []string{"URGENT"} },
			http.StatusUnprocessableEntity, "UNSUPPORTED_PRIORITY"},
		{"unknown parameters are refused", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string {
				return adviceRespondBody(t, "REQUIRE_FURTHER_INFORMATION", "", "Why?", "ROUTINE", fhir.Parameter{Name: "mood", Value: fhir.Value{ValueString: fhir.Ptr("calm")}})
			}, nil, http.StatusUnprocessableEntity, "UNEXPECTED_FIELD"},
		{"a request with the referrer cannot be answered again", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`), valid,
			func(st *store.State) { st.Advice[adviceUBRN].Category = store.AdviceReferrerToReview },
			http.StatusUnprocessableEntity, "INVALID_REQUEST_STATE"},
		{"a converted request cannot be answered", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`), valid,
			func(st *store.State) {
				a := st.Advice[adviceUBRN]
				a.Category, a.Status, a.Converted = store.AdviceConverted, "completed", true
			}, http.StatusUnprocessableEntity, "INVALID_REQUEST_STATE"},
		{"another trust's request is refused", adviceUBRNOther, withHeaders(spcHeaders(), "If-Match", `W/"1"`), valid, nil,
			http.StatusUnprocessableEntity, "NO_RELATIONSHIP"},
		{"a referral's UBRN is the wrong type of request", adviceReferral, withHeaders(spcHeaders(), "If-Match", `W/"1"`), valid, nil,
			http.StatusUnprocessableEntity, "INVALID_REQUEST_TYPE"},
		{"an unknown UBRN is not found", "000000099999", withHeaders(spcHeaders(), "If-Match", `W/"1"`), valid, nil,
			http.StatusNotFound, "REFERENCE_NOT_FOUND"},
		{"a file not uploaded for the request is refused", adviceUBRN, withHeaders(spcHeaders(), "If-Match", `W/"1"`),
			func(t *testing.T) string {
				return adviceRespondBody(t, "REQUIRE_FURTHER_INFORMATION", "", "See file.", "ROUTINE", adviceFileParam(t, "guidanceAttachmentFile", "GUIDANCE_RESPONSE", "19eb7224-dff3-4730-a5cb-67eac811f1a5"))
			},
			func(st *store.State) {
				adviceFile(st, "19eb7224-dff3-4730-a5cb-67eac811f1a5", adviceUBRNOther, "GUIDANCE_RESPONSE", "plan.txt")
			},
			http.StatusUnprocessableEntity, "INAPPROPRIATE_VALUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			adviceWantRefused(t, tc.build, tc.ubrn, adviceRespondPath(tc.ubrn), tc.body(t), tc.headers, tc.status, tc.code)
		})
	}
}

func TestAdviceResponseLinksGuidanceFiles(t *testing.T) {
	const file = "19eb7224-dff3-4730-a5cb-67eac811f1a5"
	e := newTestEnv(t, func(st *store.State) {
		adviceWorld(st)
		adviceFile(st, file, adviceUBRN, "GUIDANCE_RESPONSE", "TreatmentSpecification.txt")
	})
	sent, err := e.spc().SendAdviceResponse(adviceCtx(t), ersclient.AdviceResponseRequest{
		UBRN: adviceUBRN, Version: "1", Outcome: ersclient.AdviceReturnWithAdvice, Recommendation: ersclient.RecommendOther,
		Guidance: "Advise treatment as in attached document", UpdatedPriority: ersclient.PriorityRoutine,
		Attachments: []ersclient.FileLink{{BinaryID: file, Description: "Treatment Specification"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if att := sent.Message.Attachments; len(att) != 1 || att[0].ID != file || att[0].Type != ersclient.AttachmentGuidanceResponse {
		t.Errorf("got attachments %+v", att)
	}
	// The conversation includes the file.
	thread, err := e.rc().RetrieveAdviceConversation(adviceCtx(t), adviceUBRN, "2")
	if err != nil {
		t.Fatal(err)
	}
	answer := thread.Messages[len(thread.Messages)-1]
	if len(answer.Attachments) != 1 || answer.Attachments[0].Title != "TreatmentSpecification.txt" {
		t.Errorf("the conversation shows %+v", answer.Attachments)
	}
}

func TestAdviceResponseWhileTheRequestIsLockedIsRefused(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	e.store.SetWriteHold(200 * time.Millisecond)
	body := adviceRespondBody(t, "REQUIRE_FURTHER_INFORMATION", "", "Why?", "ROUTINE")
	statuses := make([]int, 4)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _, _ = e.raw(http.MethodPost, adviceRespondPath(adviceUBRN), body, withHeaders(spcHeaders(), "If-Match", `W/"1"`))
		}()
	}
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	if counts[http.StatusOK] != 1 || counts[http.StatusOK]+counts[http.StatusLocked]+counts[http.StatusConflict] != len(statuses) {
		t.Errorf("got %v, want one 200 and the others 423 or 409", statuses)
	}
	if a := e.adviceOf(adviceUBRN); a.Version != 2 || len(a.Messages) != 2 {
		t.Errorf("got version %d with %d messages, want one answer applied", a.Version, len(a.Messages))
	}
}

// adviceFileParam is a file parameter linking an uploaded Binary.
func adviceFileParam(t *testing.T, name, docType, binaryID string) fhir.Parameter {
	t.Helper()
	dr := fhir.DocumentReference{
		DomainResource: fhir.DomainResource{ResourceType: "DocumentReference"},
		Type:           &fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.CSAttachmentType, Code: docType}}},
		Status:         "current",
		Indexed:        adviceInstant(testNow),
		Description:    "A file",
		Content:        []fhir.DocumentContent{{Attachment: fhir.Attachment{URL: "Binary/" + binaryID}}},
	}
	return fhir.Parameter{Name: name, Resource: adviceRaw(dr)}
}
