package ersclient

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

const (
	adviceSendFixtures    = "stu3/sendAdviceAndGuidanceResponse/"
	adviceConvertFixtures = "stu3/convertAdviceAndGuidanceToReferral/"
	adviceCreateFixtures  = "stu3/createAdviceAndGuidance/"
)

var adviceAsReferrerAdmin = UserContext{BusinessFunction: ReferringClinicianAdmin, Organisation: "D82106"}

// adviceIndexed is the "indexed" of an official example request,
// 2021-09-29T13:22:35.335000+00:00 and the like.
func adviceIndexed(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// adviceAssertWrite checks what every A&G write sends.
func adviceAssertWrite(t *testing.T, rec recorded, uc UserContext, path, ifMatch string) {
	t.Helper()
	if rec.Method != http.MethodPost || rec.Path != path {
		t.Errorf("request = %s %s, want POST %s", rec.Method, rec.Path, path)
	}
	if got := rec.Header.Get("Content-Type"); got != "application/fhir+json" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := rec.Header.Get("If-Match"); got != ifMatch {
		t.Errorf("If-Match = %q, want %q", got, ifMatch)
	}
	if len(rec.Query) != 0 {
		t.Errorf("unexpected query %v", rec.Query)
	}
	assertHeaders(t, rec, uc)
}

func TestSendAdviceResponseMatchesTheOfficialRequests(t *testing.T) {
	for _, tc := range []struct {
		name        string
		example     string
		req         AdviceResponseRequest
		wantStatus  AdviceStatus
		wantFiles   int
		wantMessage string
	}{
		{"asking for further information", "RequireFurtherInformation.json", AdviceResponseRequest{
			Outcome: AdviceRequireFurtherInfo, Guidance: "Please supply me with xxx test results", UpdatedPriority: PriorityTwoWeekWait,
		}, AdviceReferrerToSubmitMoreInfo, 0, "Please supply me with xxx test results"},
		{"returning advice with a recommendation", "ReturnToReferrerWithAdvice.json", AdviceResponseRequest{
			Outcome: AdviceReturnWithAdvice, Recommendation: RecommendAdviceOnly,
			Guidance: "No evidence of serious problem: patient can be advised to xxx", UpdatedPriority: PriorityRoutine,
		}, AdviceReferrerToReviewResponse, 0, "No evidence of serious problem"},
		{"returning advice with a file", "AttachmentIncluded.json", AdviceResponseRequest{
			Outcome: AdviceReturnWithAdvice, Recommendation: RecommendOther,
			Guidance: "Advise treatment as in attached document", UpdatedPriority: PriorityRoutine,
			Attachments: []FileLink{{BinaryID: "19eb7224-dff3-4730-a5cb-67eac811f1a5", Description: "Treatment Specification",
				Indexed: adviceIndexed(t, "2021-09-29T13:22:35.335+00:00")}},
		}, AdviceReferrerToReviewResponse, 1, "Advise treatment"},
	} {
		for _, uc := range []UserContext{asProviderClinician, asClinicianAdmin} {
			t.Run(tc.name+" as "+string(uc.BusinessFunction)+" sends the official body", func(t *testing.T) {
				ts := newTestServer(t, reply{Status: http.StatusOK, Body: fixture(t, adviceSendFixtures+"responses/"+tc.example)})
				req := tc.req
				req.UBRN, req.Version = "000000070000", "5"
				res, err := testClient(t, ts, uc).SendAdviceResponse(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				rec := ts.last()
				adviceAssertWrite(t, rec, uc, "/FHIR/STU3/CommunicationRequest/000000070000/$ers.sendCommunicationToRequester", `W/"5"`)
				assertJSONEqual(t, rec.Body, fixture(t, adviceSendFixtures+"requests/"+tc.example))
				if res.UBRN != "000000070000" || res.Version != "6" || res.Request == nil || res.Request.Version != "6" {
					t.Fatalf("result ubrn %q version %q request %v", res.UBRN, res.Version, res.Request)
				}
				if got := res.Request.Summary().Category; got != tc.wantStatus {
					t.Errorf("category = %s, want %s", got, tc.wantStatus)
				}
				m := res.Message
				if m == nil {
					t.Fatal("no created message")
				}
				if m.ID != "70001" || m.SentBy != SentByResponder || m.SenderSDS != "103264994981" || m.SenderOrg != "R69" ||
					m.SenderRole != "Service provider clinician" || !strings.HasPrefix(m.Text, tc.wantMessage) {
					t.Errorf("message = %+v", m)
				}
				if len(m.Attachments) != tc.wantFiles {
					t.Fatalf("message has %d files, want %d", len(m.Attachments), tc.wantFiles)
				}
				if tc.wantFiles > 0 {
					if a := m.Attachments[0]; a.ID != "19eb7224-dff3-4730-a5cb-67eac811f1a5" || a.Type != AttachmentGuidanceResponse || !a.Downloadable() {
						t.Errorf("file = %+v", a)
					}
				}
			})
		}
	}
}

func TestSendAdviceResponseRefusesBadInput(t *testing.T) {
	good := AdviceResponseRequest{UBRN: "000000070000", Version: "5", Outcome: AdviceReturnWithAdvice,
		Recommendation: RecommendReferral, Guidance: "Refer", UpdatedPriority: PriorityUrgent}
	for _, tc := range []struct {
		name   string
		change func(*AdviceResponseRequest)
	}{
		{"advice without a recommendation is refused", func(r *AdviceResponseRequest) { r.Recommendation = "" }},
		{"a recommendation with a request for information is refused", func(r *AdviceResponseRequest) { r.Outcome = AdviceRequireFurtherInfo }},
		{"an unknown outcome is refused", func(r *AdviceResponseRequest) { r.Outcome = "ACCEPT" }},
		{"no outcome is refused", func(r *AdviceResponseRequest) { r.Outcome = "" }},
		{"an unknown recommendation is refused", func(r *AdviceResponseRequest) { r.Recommendation = "MAYBE" }},
		{"empty guidance is refused", func(r *AdviceResponseRequest) { r.Guidance = "  \n" }},
		{"guidance over 8000 characters is refused", func(r *AdviceResponseRequest) { r.Guidance = strings.Repeat("é", 8001) }},
		{"guidance that is not text is refused", func(r *AdviceResponseRequest) { r.Guidance = "bad \xff byte" }},
		{"no priority is refused", func(r *AdviceResponseRequest) { r.UpdatedPriority = "" }},
		{"an unknown priority is refused", func(r *AdviceResponseRequest) { r.UpdatedPriority = "SOON" }},
		{"no version is refused", func(r *AdviceResponseRequest) { r.Version = "" }},
		{"a UBRN that is not digits is refused", func(r *AdviceResponseRequest) { r.UBRN = "0000/7" }},
		{"a file without an id is refused", func(r *AdviceResponseRequest) { r.Attachments = []FileLink{{Description: "x"}} }},
		{"a file id with a path is refused", func(r *AdviceResponseRequest) { r.Attachments = []FileLink{{BinaryID: "Binary/a/b"}} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			req := good
			tc.change(&req)
			_, err := testClient(t, ts, asProviderClinician).SendAdviceResponse(context.Background(), req)
			adviceAssertNoRequest(t, ts, err)
		})
	}
	t.Run("8000 characters of multi-byte text are allowed", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: fixture(t, adviceSendFixtures+"responses/ReturnToReferrerWithAdvice.json")})
		req := good
		req.Guidance = strings.Repeat("é", 8000)
		if _, err := testClient(t, ts, asProviderClinician).SendAdviceResponse(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a file without a time is indexed now", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: fixture(t, adviceSendFixtures+"responses/AttachmentIncluded.json")})
		req := good
		req.Attachments = []FileLink{{BinaryID: "Binary/19eb7224-dff3-4730-a5cb-67eac811f1a5"}}
		before := time.Now().Add(-time.Second)
		if _, err := testClient(t, ts, asProviderClinician).SendAdviceResponse(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		var sent fhir.Parameters
		if err := fhir.Unmarshal(ts.last().Body, &sent); err != nil {
			t.Fatal(err)
		}
		var doc fhir.DocumentReference
		if ok, err := sent.ResourceParam("guidanceAttachmentFile", &doc); !ok || err != nil {
			t.Fatalf("no guidanceAttachmentFile: %v", err)
		}
		indexed, ok := ParseFHIRTime(doc.Indexed)
		if !ok || indexed.Before(before) || indexed.After(time.Now().Add(time.Second)) {
			t.Errorf("indexed = %q", doc.Indexed)
		}
		if doc.Content[0].Attachment.URL != "Binary/19eb7224-dff3-4730-a5cb-67eac811f1a5" || doc.Description != "" {
			t.Errorf("document = %+v", doc)
		}
	})
}

func TestAdviceWritesReportTheDocumentedErrors(t *testing.T) {
	send := func(c *Client) error {
		_, err := c.SendAdviceResponse(context.Background(), AdviceResponseRequest{UBRN: "000000070000", Version: "5",
			Outcome: AdviceRequireFurtherInfo, Guidance: "More please", UpdatedPriority: PriorityRoutine})
		return err
	}
	convert := func(c *Client) error {
		_, err := c.ConvertAdviceToReferral(context.Background(), ConvertAdviceRequest{UBRN: "000000070000", Version: "3",
			Guidance: "Converted", NewReferralPriority: PriorityRoutine, ReviewComments: "Shortlist please"})
		return err
	}
	create := func(c *Client) error {
		_, err := c.CreateAdviceRequest(context.Background(), CreateAdviceRequest{NHSNumber: "9990000018", ServiceID: "11014",
			Request: "Advice please", Priority: PriorityRoutine})
		return err
	}
	type errCase struct {
		name  string
		reply reply
		check func(error) bool
	}
	conflict := errCase{"a stale version is a version conflict", reply{Status: http.StatusConflict}, IsVersionConflict}
	missingIfMatch := errCase{"a missing If-Match is a version conflict", reply{Status: http.StatusPreconditionFailed}, IsVersionConflict}
	locked := errCase{"a concurrent update is locked", reply{Status: http.StatusLocked}, IsLocked}
	notFound := errCase{"an unknown UBRN is not found", reply{Status: http.StatusNotFound}, IsNotFound}
	forbidden := errCase{"a role that may not is forbidden", reply{Status: http.StatusForbidden}, IsForbidden}
	rule := func(code string) errCase {
		return errCase{"422 " + code + " is a business rule",
			reply{Status: http.StatusUnprocessableEntity, Body: adviceOutcome(code, "business-rule")},
			func(err error) bool { return IsBusinessRule(err, code) }}
	}
	for _, tc := range []struct {
		op    string
		uc    UserContext
		run   func(*Client) error
		cases []errCase
	}{
		{"A026", asProviderClinician, send, []errCase{conflict, missingIfMatch, locked, notFound, forbidden,
			rule("UNSUPPORTED_PRIORITY"), rule("INVALID_REQUEST_STATE"), rule("INAPPROPRIATE_VALUE"), rule("DUPLICATE_FILENAME")}},
		{"A027", asClinicianAdmin, convert, []errCase{conflict, locked, notFound, forbidden,
			rule("INVALID_REQUEST_STATE"), rule("UNSUPPORTED_PRIORITY"), rule("INAPPROPRIATE_VALUE"), rule("NO_RELATIONSHIP")}},
		{"A044", asReferrer, create, []errCase{forbidden,
			rule("REFERENCED_USER_IS_NOT_RC"), rule("TOO_MANY_ITEMS"), rule("SHORTLISTED_SERVICE_NOT_IN_RESULTS"), rule("NO_REG_GP_PRACTICE")}},
	} {
		for _, ec := range tc.cases {
			t.Run(tc.op+": "+ec.name, func(t *testing.T) {
				if ec.reply.Status == http.StatusForbidden {
					ec.reply.Body = fixture(t, "stu3/STU3-Forbidden.json")
				}
				ts := newTestServer(t, ec.reply)
				err := tc.run(testClient(t, ts, tc.uc))
				if err == nil || !ec.check(err) {
					t.Errorf("err = %v", err)
				}
				if n := len(ts.Requests); n != 1 {
					t.Errorf("server saw %d requests, want 1", n)
				}
			})
		}
		t.Run(tc.op+": the official 422 example decodes with its code", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: http.StatusUnprocessableEntity, Body: fixture(t, "stu3/STU3-OperationOutcome.json")})
			err := tc.run(testClient(t, ts, tc.uc))
			if !IsBusinessRule(err, "UNEXPECTED_FIELD") {
				t.Errorf("err = %v", err)
			}
		})
		t.Run(tc.op+": a write is not retried after 503", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: http.StatusServiceUnavailable, Body: fixture(t, "stu3/STU3-ServiceUnavailable.json")})
			err := tc.run(testClient(t, ts, tc.uc))
			if e, ok := AsError(err); !ok || e.Status != http.StatusServiceUnavailable {
				t.Errorf("err = %v", err)
			}
			if n := len(ts.Requests); n != 1 {
				t.Errorf("server saw %d requests, want exactly 1", n)
			}
		})
	}
}

func TestConvertAdviceToReferralMatchesTheOfficialRequests(t *testing.T) {
	for _, tc := range []struct {
		name, example string
		req           ConvertAdviceRequest
		wantComments  string
	}{
		{"converting without files", "NoAttachments.json", ConvertAdviceRequest{
			Guidance:            "I have converted this to send the patient to one of our services",
			NewReferralPriority: PriorityRoutine,
			ReviewComments:      "Refer this patient to our 'xxx' service please as soon as possible",
		}, "Refer this patient"},
		{"converting with a file each way", "WithAttachments.json", ConvertAdviceRequest{
			Guidance:            "Patient booked into our service. See attachment for best initial medication",
			NewReferralPriority: PriorityRoutine,
			ReviewComments:      "Book patient to 'xxx' service to include attached file as referral letter",
			GuidanceAttachments: []FileLink{{BinaryID: "badaf6fc-90f4-411d-999f-04ccd79fa166", Description: "Initial medication",
				Indexed: adviceIndexed(t, "2021-10-01T14:06:14.915+00:00")}},
			ReviewAttachments: []FileLink{{BinaryID: "Binary/38dc19ab-893f-47ca-8db0-2d0a07c0e387", Description: "Referral letter",
				Indexed: adviceIndexed(t, "2021-10-01T14:06:14.919+00:00")}},
		}, "Book patient"},
	} {
		for _, uc := range []UserContext{asProviderClinician, asClinicianAdmin} {
			t.Run(tc.name+" as "+string(uc.BusinessFunction)+" sends the official body", func(t *testing.T) {
				ts := newTestServer(t, reply{Status: http.StatusCreated, Body: fixture(t, adviceConvertFixtures+"responses/"+tc.example)})
				req := tc.req
				req.UBRN, req.Version = "000000070000", "3"
				ref, err := testClient(t, ts, uc).ConvertAdviceToReferral(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				rec := ts.last()
				// The version travels in the body (createFrom), never in If-Match.
				adviceAssertWrite(t, rec, uc, "/FHIR/STU3/ReferralRequest/$ers.createFromCommunicationRequestActionLater", "")
				assertJSONEqual(t, rec.Body, fixture(t, adviceConvertFixtures+"requests/"+tc.example))
				if ref.Status != http.StatusCreated || ref.UBRN() != "000000070000" || ref.Version != "4" {
					t.Errorf("referral status %d ubrn %q version %q", ref.Status, ref.UBRN(), ref.Version)
				}
				state, ok := ref.Resource.Extension.Find(fhir.ExtReferralState)
				if !ok || state.SubString("state") != "TRIAGED_PROVIDER_TO_ACTION" ||
					state.SubString("reason") != "PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER" ||
					!strings.HasPrefix(state.SubString("comments"), tc.wantComments) {
					t.Errorf("referral state = %+v", state)
				}
			})
		}
	}
}

func TestConvertAdviceToReferralRefusesBadInput(t *testing.T) {
	good := ConvertAdviceRequest{UBRN: "000000070000", Version: "3", Guidance: "Converted", NewReferralPriority: PriorityUrgent, ReviewComments: "Shortlist"}
	for _, tc := range []struct {
		name   string
		change func(*ConvertAdviceRequest)
	}{
		{"no version is refused", func(r *ConvertAdviceRequest) { r.Version = "" }},
		{"no UBRN is refused", func(r *ConvertAdviceRequest) { r.UBRN = "" }},
		{"empty guidance is refused", func(r *ConvertAdviceRequest) { r.Guidance = "" }},
		{"guidance over 8000 characters is refused", func(r *ConvertAdviceRequest) { r.Guidance = strings.Repeat("x", 8001) }},
		{"no priority is refused", func(r *ConvertAdviceRequest) { r.NewReferralPriority = "" }},
		{"no review comments are refused", func(r *ConvertAdviceRequest) { r.ReviewComments = " " }},
		{"a review file without an id is refused", func(r *ConvertAdviceRequest) { r.ReviewAttachments = []FileLink{{}} }},
		{"a guidance file without an id is refused", func(r *ConvertAdviceRequest) { r.GuidanceAttachments = []FileLink{{BinaryID: "Binary/"}} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			req := good
			tc.change(&req)
			_, err := testClient(t, ts, asProviderClinician).ConvertAdviceToReferral(context.Background(), req)
			adviceAssertNoRequest(t, ts, err)
		})
	}
}

// officialCreateRequest is the typed equivalent of the official A044
// examples' common part.
func officialCreateRequest() CreateAdviceRequest {
	return CreateAdviceRequest{
		NHSNumber: "9912003888",
		ServiceID: "11014",
		Request:   "Request text.",
		Priority:  PriorityRoutine,
		Specialty: fhir.Coding{System: "_baseUrl_/STU3/CodeSystem/SPECIALTY", Code: "CARDIOLOGY"},
		ClinicType: fhir.Coding{System: "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ClinicType-1",
			Code: "HEART_FAILURE"},
	}
}

func TestCreateAdviceRequestMatchesTheOfficialRequests(t *testing.T) {
	rca := officialCreateRequest()
	rca.ConversionAuthorised = true
	rca.ReferringClinician = "021600556514"
	rca.Attachments = []FileLink{{BinaryID: "e1015896-92f4-4073-ad3c-5f30fca76448", Description: "Treatment Specification",
		Indexed: time.Date(2021, 9, 29, 13, 22, 35, 335000000, time.UTC)}}
	for _, tc := range []struct {
		name, example string
		uc            UserContext
		req           CreateAdviceRequest
		wantSender    string
		wantFiles     int
	}{
		{"a referring clinician without files", "ExampleRCWithoutAttachments.json", asReferrer, officialCreateRequest(), "103264992985", 0},
		{"a referring clinician admin with a file", "ExampleRCAWithAttachments.json", adviceAsReferrerAdmin, rca, "103264992985", 1},
	} {
		t.Run(tc.name+" sends the official body", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: http.StatusOK, Body: fixture(t, adviceCreateFixtures+"responses/"+tc.example)})
			res, err := testClient(t, ts, tc.uc).CreateAdviceRequest(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			adviceAssertWrite(t, rec, tc.uc, "/FHIR/STU3/CommunicationRequest/$ers.createAdviceAndGuidance", "")
			assertJSONEqual(t, rec.Body, fixture(t, adviceCreateFixtures+"requests/"+tc.example))
			if res.Status != http.StatusOK || res.UBRN != "000000070000" || res.Version != "1" {
				t.Errorf("result status %d ubrn %q version %q", res.Status, res.UBRN, res.Version)
			}
			s := res.Request.Summary()
			if s.Category != AdviceProviderResponseRequired || s.ServiceID == "" || s.NHSNumber == "" {
				t.Errorf("summary = %+v", s)
			}
			m := res.Message
			if m == nil || m.ID != "70000" || m.SentBy != SentByRequester || m.Text != "Request text" || m.SenderSDS != tc.wantSender {
				t.Fatalf("message = %+v", m)
			}
			if len(m.Attachments) != tc.wantFiles {
				t.Errorf("message has %d files, want %d", len(m.Attachments), tc.wantFiles)
			}
		})
	}
}

func TestCreateAdviceRequestBuildsWhatTheCallerGives(t *testing.T) {
	send := func(t *testing.T, req CreateAdviceRequest) fhir.Parameters {
		t.Helper()
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: fixture(t, adviceCreateFixtures+"responses/ExampleRCWithoutAttachments.json")})
		if _, err := testClient(t, ts, asReferrer).CreateAdviceRequest(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		var p fhir.Parameters
		if err := fhir.Unmarshal(ts.last().Body, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	shortlistOf := func(t *testing.T, p fhir.Parameters) fhir.List {
		t.Helper()
		var l fhir.List
		if ok, err := p.ResourceParam("shortlist", &l); !ok || err != nil {
			t.Fatalf("no shortlist: %v", err)
		}
		return l
	}
	t.Run("a service name goes in the shortlist entry's display", func(t *testing.T) {
		req := officialCreateRequest()
		req.ServiceName = "Cardiology Advice Service"
		l := shortlistOf(t, send(t, req))
		if len(l.Entry) != 1 || l.Entry[0].Item.Display != "Cardiology Advice Service" || l.Entry[0].Item.Identifier.Value != "11014" {
			t.Errorf("entries = %+v", l.Entry)
		}
	})
	t.Run("a caller's own search criteria are kept and linked", func(t *testing.T) {
		req := officialCreateRequest()
		crit := fhir.NewParameters("https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ServiceSearchCriteria-Parameters-1")
		crit.Add(fhir.Parameter{Name: "priority", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSPriority, Code: "URGENT"}}})
		crit.Add(fhir.Parameter{Name: "postcode", Value: fhir.Value{ValueString: fhir.Ptr("LS1 4HY")}})
		req.SearchCriteria = crit
		l := shortlistOf(t, send(t, req))
		ref := l.Extension.String(fhir.ExtShortlistCriteria)
		raw, ok := l.FindContained(ref)
		if ref != "#ServiceSearchCriteria-1" || !ok {
			t.Fatalf("criteria reference %q does not resolve", ref)
		}
		var got fhir.Parameters
		if err := raw.Decode(&got); err != nil {
			t.Fatal(err)
		}
		if pc, ok := got.Get("postcode"); !ok || pc.Value.String() != "LS1 4HY" {
			t.Errorf("criteria = %+v", got.Parameter)
		}
		if crit.ID != "" {
			t.Error("the caller's criteria were changed")
		}
	})
	t.Run("a clinic type without a system gets the search clinic-type system", func(t *testing.T) {
		req := officialCreateRequest()
		req.ClinicType = fhir.Coding{Code: "HEART_FAILURE"}
		l := shortlistOf(t, send(t, req))
		raw, _ := l.FindContained("ServiceSearchCriteria-1")
		var got fhir.Parameters
		if err := raw.Decode(&got); err != nil {
			t.Fatal(err)
		}
		ct, ok := got.Get("clinicType")
		if !ok {
			t.Fatal("no clinicType in the criteria")
		}
		if cd, ok := ct.Value.Coding(); !ok || cd.System != fhir.CSClinicTypeSearch || cd.Code != "HEART_FAILURE" {
			t.Errorf("clinicType = %+v", ct)
		}
	})
}

func TestCreateAdviceRequestRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		uc     UserContext
		change func(*CreateAdviceRequest)
	}{
		{"an NHS number with a wrong check digit is refused", asReferrer, func(r *CreateAdviceRequest) { r.NHSNumber = "9990000019" }},
		{"an NHS number that is too short is refused", asReferrer, func(r *CreateAdviceRequest) { r.NHSNumber = "999000001" }},
		{"no service is refused", asReferrer, func(r *CreateAdviceRequest) { r.ServiceID = "" }},
		{"two services are refused", asReferrer, func(r *CreateAdviceRequest) { r.ServiceID = "11014,11015" }},
		{"an empty request is refused", asReferrer, func(r *CreateAdviceRequest) { r.Request = "" }},
		{"a request over 8000 characters is refused", asReferrer, func(r *CreateAdviceRequest) { r.Request = strings.Repeat("ü", 8001) }},
		{"a referring clinician naming another clinician is refused", asReferrer, func(r *CreateAdviceRequest) { r.ReferringClinician = "021600556514" }},
		{"a clinician admin naming no clinician is refused", adviceAsReferrerAdmin, func(*CreateAdviceRequest) {}},
		{"an SDS id that is not digits is refused", adviceAsReferrerAdmin, func(r *CreateAdviceRequest) { r.ReferringClinician = "dr-smith" }},
		{"criteria without a priority are refused", asReferrer, func(r *CreateAdviceRequest) { r.Priority = "" }},
		{"a file without an id is refused", asReferrer, func(r *CreateAdviceRequest) { r.Attachments = []FileLink{{Description: "x"}} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			req := officialCreateRequest()
			req.NHSNumber = "9990000018"
			tc.change(&req)
			_, err := testClient(t, ts, tc.uc).CreateAdviceRequest(context.Background(), req)
			adviceAssertNoRequest(t, ts, err)
		})
	}
	t.Run("without a configured role the clinician rule is left to e-RS", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: fixture(t, adviceCreateFixtures+"responses/ExampleRCAWithAttachments.json")})
		req := officialCreateRequest()
		req.ReferringClinician = "021600556514"
		if _, err := testClient(t, ts, UserContext{}).CreateAdviceRequest(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if len(ts.Requests) != 1 {
			t.Errorf("server saw %d requests, want 1", len(ts.Requests))
		}
	})
}

func TestAdviceSentToleratesAPartialAnswer(t *testing.T) {
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"Parameters","parameter":[]}`)})
	res, err := testClient(t, ts, asProviderClinician).SendAdviceResponse(context.Background(), AdviceResponseRequest{
		UBRN: "000000070000", Version: "5", Outcome: AdviceRequireFurtherInfo, Guidance: "More", UpdatedPriority: PriorityRoutine})
	if err != nil {
		t.Fatalf("a successful write must not be reported as failed: %v", err)
	}
	if res.Request != nil || res.Message != nil || res.Version != "" {
		t.Errorf("result = %+v", res)
	}
}

func TestAdviceChoicesHaveLabels(t *testing.T) {
	t.Run("every outcome has its own label", func(t *testing.T) {
		seen := map[string]bool{}
		for _, o := range AdviceOutcomes() {
			l := o.Label()
			if l == "" || strings.Contains(l, "_") || seen[l] {
				t.Errorf("%s has label %q", o, l)
			}
			seen[l] = true
		}
		if len(seen) != 3 {
			t.Errorf("%d outcomes, want 3", len(seen))
		}
	})
	t.Run("every recommendation has its own label", func(t *testing.T) {
		seen := map[string]bool{}
		for _, r := range AdviceRecommendations() {
			l := r.Label()
			if l == "" || strings.Contains(l, "_") || seen[l] {
				t.Errorf("%s has label %q", r, l)
			}
			seen[l] = true
		}
		if len(seen) != 4 {
			t.Errorf("%d recommendations, want 4", len(seen))
		}
	})
	t.Run("only returning advice needs a recommendation", func(t *testing.T) {
		for _, o := range AdviceOutcomes() {
			if o.NeedsRecommendation() != (o == AdviceReturnWithAdvice) {
				t.Errorf("%s NeedsRecommendation = %v", o, o.NeedsRecommendation())
			}
		}
	})
}
