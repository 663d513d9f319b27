package ersclient

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

const adviceThreadFixtures = "stu3/retrieveAdviceAndGuidanceConversation/"

func TestRetrieveAdviceConversationSendsTheDocumentedQuery(t *testing.T) {
	for _, uc := range []UserContext{asProviderClinician, asClinicianAdmin, asReferrer} {
		t.Run("as "+string(uc.BusinessFunction)+" the query names the version and the includes", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: http.StatusOK, Body: fixture(t, adviceThreadFixtures+"SingleMessageFromReferrer.json")})
			th, err := testClient(t, ts, uc).RetrieveAdviceConversation(context.Background(), "000000070000", "1")
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			if rec.Method != http.MethodGet || rec.Path != "/FHIR/STU3/Communication" {
				t.Errorf("request = %s %s", rec.Method, rec.Path)
			}
			want := map[string][]string{
				"based-on": {"CommunicationRequest/000000070000/_history/1"},
				"_include": {
					"Communication:requester-practitionerrole:PractitionerRole",
					"Communication:sender-practitionerrole:PractionerRole",
					"Communication:content-reference:DocumentReference",
				},
			}
			if !reflect.DeepEqual(rec.Query, want) {
				t.Errorf("query = %v\nwant    %v", rec.Query, want)
			}
			if len(rec.Body) != 0 {
				t.Errorf("a GET sent a body: %q", rec.Body)
			}
			assertHeaders(t, rec, uc)
			if th.UBRN != "000000070000" || th.Version != "1" || th.Bundle == nil || th.Status != http.StatusOK {
				t.Errorf("thread ubrn %q version %q status %d", th.UBRN, th.Version, th.Status)
			}
		})
	}
}

// TestOfficialConversationsRead checks every official A025 example against
// the view: messages in sent order, who sent them, their text and files.
func TestOfficialConversationsRead(t *testing.T) {
	type msg struct {
		id     string
		sentBy AdviceSentBy
		sds    string
		org    string
		role   string
		text   string
		files  []Availability
	}
	for _, tc := range []struct {
		file         string
		ubrn, ver    string
		participants int
		messages     []msg
	}{
		{"SingleMessageFromReferrer.json", "000000070000", "1", 1, []msg{
			{"70000", SentByRequester, "103264992985", "R69", "Referring clinician", "Please advise me on this patient who ...(information about patient)", nil},
		}},
		{"OneMessageEachWay.json", "000000070000", "2", 2, []msg{
			{"70000", SentByRequester, "021600556514", "R68", "Referring clinician", "Please advise me", nil},
			{"70001", SentByResponder, "021600556514", "R68", "Service provider clinician", "Please perform xxx test", nil},
		}},
		{"AttachmentPresentInEachDirection.json", "000000070001", "6", 2, []msg{
			{"70000", SentByRequester, "921600556514", "R68", "Referring clinician", "Please advise me", []Availability{FileAvailable}},
			{"70001", SentByResponder, "103264994981", "R69", "Service provider clinician", "Please perform xxx test", []Availability{FileAvailable}},
		}},
		{"MultiWayConversation.json", "000000070002", "1", 2, []msg{
			{"70000", SentByRequester, "921600556514", "R68", "Referring clinician", "Please advise me", nil},
			{"70001", SentByRequester, "921600556514", "R68", "Referring clinician", "Patient is complaining of breathing difficulties", nil},
			{"70002", SentByResponder, "103264994981", "R69", "Service provider clinician", "Request xxx test results", nil},
			{"70003", SentByResponder, "103264994981", "R69", "Service provider clinician", "Also request yyy test results", nil},
		}},
		{"AttachmentUploadedFromRCS.json", "000000070003", "7", 2, []msg{
			{"70000", SentByRequester, "103264992985", "R69", "Referring clinician admin", "some notes", []Availability{FileAvailable}},
			{"70001", SentByClinicalInfoUpdate, "103264992985", "R69", "", "NOTE: Clinical Information has been added/amended", nil},
		}},
		{"UnavailableAttachments.json", "000000070004", "3", 2, []msg{
			{"70000", SentByRequester, "921600556514", "R68", "Referring clinician", "Please advise me", []Availability{FilePending}},
			{"70003", SentByResponder, "103264994981", "R69", "Service provider clinician", "Please perform xxx test", []Availability{FileThreatsFound, FileValidationFailed}},
		}},
	} {
		t.Run(tc.file+" reads in sent order with senders and files", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: http.StatusOK, Header: map[string]string{"ETag": `W/"` + tc.ver + `"`},
				Body: fixture(t, adviceThreadFixtures+tc.file)})
			th, err := testClient(t, ts, asProviderClinician).RetrieveAdviceConversation(context.Background(), tc.ubrn, tc.ver)
			if err != nil {
				t.Fatal(err)
			}
			if got := ts.last().Query["based-on"]; len(got) != 1 || got[0] != "CommunicationRequest/"+tc.ubrn+"/_history/"+tc.ver {
				t.Errorf("based-on = %v", got)
			}
			if len(th.Participants) != tc.participants {
				t.Errorf("%d participants, want %d", len(th.Participants), tc.participants)
			}
			for _, p := range th.Participants {
				if p.SDSUserID == "" || p.Organisation == "" {
					t.Errorf("participant %+v is not resolved", p)
				}
			}
			if len(th.Messages) != len(tc.messages) {
				t.Fatalf("%d messages, want %d", len(th.Messages), len(tc.messages))
			}
			for i, want := range tc.messages {
				m := th.Messages[i]
				if m.ID != want.id || m.SentBy != want.sentBy {
					t.Errorf("message %d = %s %s, want %s %s", i, m.ID, m.SentBy, want.id, want.sentBy)
				}
				if m.SenderSDS != want.sds || m.SenderOrg != want.org || m.SenderRole != want.role {
					t.Errorf("message %s sender = %s %s %q, want %s %s %q", m.ID, m.SenderSDS, m.SenderOrg, m.SenderRole, want.sds, want.org, want.role)
				}
				if !strings.HasPrefix(m.Text, want.text) {
					t.Errorf("message %s text = %q, want it to start %q", m.ID, m.Text, want.text)
				}
				if m.Sent.IsZero() {
					t.Errorf("message %s has no sent time", m.ID)
				}
				if i > 0 && m.Sent.Before(th.Messages[i-1].Sent) {
					t.Errorf("message %s is out of sent order", m.ID)
				}
				if len(m.Attachments) != len(want.files) {
					t.Errorf("message %s has %d files, want %d", m.ID, len(m.Attachments), len(want.files))
					continue
				}
				for j, a := range m.Attachments {
					if a.Availability != want.files[j] || a.ID == "" || a.Title == "" {
						t.Errorf("message %s file %d = %+v, want availability %s", m.ID, j, a, want.files[j])
					}
				}
				switch m.SentBy {
				case SentByResponder:
					if m.RecipientOrg == "" {
						t.Errorf("response %s names no recipient organisation", m.ID)
					}
				case SentByRequester:
					if m.RecipientServiceID == "" {
						t.Errorf("request %s names no recipient service", m.ID)
					}
				}
			}
		})
	}
}

func TestConversationFilesKeepTheirDirection(t *testing.T) {
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: fixture(t, adviceThreadFixtures+"AttachmentPresentInEachDirection.json")})
	th, err := testClient(t, ts, asProviderClinician).RetrieveAdviceConversation(context.Background(), "000000070001", "6")
	if err != nil {
		t.Fatal(err)
	}
	// Communication 70000 and DocumentReference 70000 share an id: the file
	// must come from the DocumentReference, not the message.
	req, resp := th.Messages[0].Attachments[0], th.Messages[1].Attachments[0]
	if req.Type != AttachmentAdviceRequest || req.Title != "testResultsA.pdf" || req.ID != "3816ca48-897a-4be0-907d-a4e830b4e213" {
		t.Errorf("request file = %+v", req)
	}
	if resp.Type != AttachmentGuidanceResponse || resp.Title != "testXXXInfo.pdf" || resp.AttachedBy != "103264994981" {
		t.Errorf("response file = %+v", resp)
	}
	if want := time.Date(2021, 9, 23, 14, 43, 45, 869000000, time.UTC); !th.Messages[0].Sent.Equal(want) {
		t.Errorf("sent = %v, want %v", th.Messages[0].Sent, want)
	}
	if th.Messages[0].BasedOn != "CommunicationRequest/000000070001/_history/6" {
		t.Errorf("based on %q", th.Messages[0].BasedOn)
	}
}

func TestConversationCopesWithMissingIncludes(t *testing.T) {
	body := []byte(`{"resourceType":"Bundle","type":"searchset","entry":[
 {"resource":{"resourceType":"Communication","id":"2","sent":"2021-09-23T14:00:00Z",
   "category":[{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-CommunicationSentBy-1","code":"RESPONDER"}]}],
   "sender":{"extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-PractitionerRole-Reference-1",
     "valueReference":{"reference":"PractitionerRole/555032006106.RCD.SERVICE-PROVIDER-CLINICIAN"}}]},
   "payload":[{"contentReference":{"reference":"DocumentReference/9"}}],
   "note":[{"text":"first part"},{"text":"second part"}]}},
 {"resource":{"resourceType":"Communication","id":"10",
   "extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-Communication-Requester-1",
     "valueReference":{"reference":"PractitionerRole/555073103100.D82106"}}],
   "note":[{"text":"no time"}]}},
 {"resource":{"resourceType":"Communication","id":"1","sent":"2021-09-23T13:00:00Z","note":[{"text":"earliest"}]}}
]}`)
	ts := newTestServer(t, reply{Status: http.StatusOK, Body: body})
	th, err := testClient(t, ts, asProviderClinician).RetrieveAdviceConversation(context.Background(), "000000070000", "3")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range th.Messages {
		ids = append(ids, m.ID)
	}
	if !reflect.DeepEqual(ids, []string{"1", "2", "10"}) {
		t.Errorf("order = %v, want 1 2 10 (timed messages first, in time order)", ids)
	}
	t.Run("a sender that was not included is read from its id", func(t *testing.T) {
		m := th.Messages[1]
		if m.SenderSDS != "555032006106" || m.SenderOrg != "RCD" || m.SenderRole != "Service provider clinician" {
			t.Errorf("sender = %+v", m.Sender)
		}
	})
	t.Run("the requester extension stands in for a missing sender", func(t *testing.T) {
		if m := th.Messages[2]; m.SenderSDS != "555073103100" || m.SenderOrg != "D82106" {
			t.Errorf("sender = %+v", m.Sender)
		}
	})
	t.Run("a file that was not included still shows", func(t *testing.T) {
		if a := th.Messages[1].Attachments; len(a) != 1 || a[0].DocumentID != "9" || a[0].Downloadable() {
			t.Errorf("attachments = %+v", a)
		}
	})
	t.Run("notes are joined", func(t *testing.T) {
		if got := th.Messages[1].Text; got != "first part\n\nsecond part" {
			t.Errorf("text = %q", got)
		}
	})
}

func TestSortMessagesBreaksTiesByID(t *testing.T) {
	at := time.Date(2021, 9, 24, 16, 21, 16, 0, time.UTC)
	ms := []AdviceMessage{{ID: "70010", Sent: at}, {ID: "9", Sent: at}, {ID: "70003", Sent: at}, {ID: "b"}, {ID: "a"}}
	sortMessages(ms)
	var got []string
	for _, m := range ms {
		got = append(got, m.ID)
	}
	if want := []string{"9", "70003", "70010", "a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestRetrieveAdviceConversationErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{"a patient error is a 400 with its code",
			reply{Status: http.StatusBadRequest, Body: adviceOutcome("PATIENT_ERROR", "business-rule")},
			func(err error) bool { return HasCode(err, "PATIENT_ERROR") }},
		{"a referral UBRN is the wrong request type",
			reply{Status: http.StatusBadRequest, Body: adviceOutcome("INVALID_REQUEST_TYPE", "business-rule")},
			func(err error) bool { return HasCode(err, "INVALID_REQUEST_TYPE") }},
		{"no relationship is reported",
			reply{Status: http.StatusBadRequest, Body: adviceOutcome("NO_RELATIONSHIP", "business-rule")},
			func(err error) bool { return HasCode(err, "NO_RELATIONSHIP") }},
		{"a version that is not the latest is not found", reply{Status: http.StatusNotFound}, IsNotFound},
		{"a body that is not a bundle is a bad response",
			reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"CommunicationRequest","id":"000000070000"}`)},
			func(err error) bool { e, ok := AsError(err); return ok && e.Kind == KindBadResponse }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, tc.reply)
			_, err := testClient(t, ts, asProviderClinician).RetrieveAdviceConversation(context.Background(), "000000070000", "2")
			if err == nil || !tc.check(err) {
				t.Errorf("err = %v", err)
			}
		})
	}
	for _, tc := range []struct{ name, ubrn, version string }{
		{"a conversation without a version is refused", "000000070000", ""},
		{"a conversation with an ETag for a version is refused", "000000070000", `W/"2"`},
		{"a conversation without a UBRN is refused", "", "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			_, err := testClient(t, ts, asProviderClinician).RetrieveAdviceConversation(context.Background(), tc.ubrn, tc.version)
			adviceAssertNoRequest(t, ts, err)
		})
	}
}

func TestAdviceSentByLabels(t *testing.T) {
	for _, s := range []AdviceSentBy{SentByRequester, SentByResponder, SentByClinicalInfoUpdate} {
		if l := s.Label(); l == "" || strings.Contains(l, "_") {
			t.Errorf("%s has label %q", s, l)
		}
	}
}
