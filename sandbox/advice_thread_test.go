package sandbox

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// adviceConversationWorld has a request with a question carrying a file,
// an answer from the provider carrying another, and a clinical-information
// note from e-RS, at version 3.
func adviceConversationWorld(st *store.State) {
	adviceWorld(st)
	a := st.Advice[adviceUBRN]
	a.Version, a.Category = 3, store.AdviceProviderResponseRequired
	a.Messages[0].Documents = []store.Document{adviceFile(st, "3816ca48-897a-4be0-907d-a4e830b4e213", adviceUBRN, "ADVICE_REQUEST", "testResultsA.txt")}
	a.Messages = append(a.Messages,
		store.Message{ID: "700021", SentBy: "RESPONDER", SenderID: userSPC, SenderOrg: orgTrust, SenderRole: ersclient.ServiceProviderClinician,
			Sent: testNow.AddDate(0, 0, -2), Text: "Please perform an ECG.", Outcome: "REQUIRE_FURTHER_INFORMATION", AtVersion: 2,
			Documents: []store.Document{adviceFile(st, "719f6045-e791-4029-8e0f-1201c02b0a55", adviceUBRN, "GUIDANCE_RESPONSE", "ecgRequest.txt")}},
		store.Message{ID: "700022", SentBy: "REFERRER_CLINICAL_INFORMATION_UPDATED", SenderID: userRC, SenderOrg: orgGP,
			Sent: testNow.AddDate(0, 0, -1), Text: "NOTE: Clinical Information has been added/amended", AtVersion: 3},
	)
	a.Updated = testNow.AddDate(0, 0, -1)
}

func adviceThreadPath(basedOn string, includes ...string) string {
	q := url.Values{}
	if basedOn != "" {
		q.Set("based-on", basedOn)
	}
	for _, inc := range includes {
		q.Add("_include", inc)
	}
	return BasePath + "/STU3/Communication?" + q.Encode()
}

func TestAdviceConversationIsReadByBothSides(t *testing.T) {
	e := newTestEnv(t, adviceConversationWorld)
	for _, tc := range []struct {
		name   string
		client *ersclient.Client
	}{
		{"the provider's clinician", e.spc()},
		{"the referring clinician", e.rc()},
		{"the provider's application", e.appClient(appProvider)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			thread, err := tc.client.RetrieveAdviceConversation(adviceCtx(t), adviceUBRN, "3")
			if err != nil {
				t.Fatal(err)
			}
			if thread.ResponseInfo.Version != "3" {
				t.Errorf("got ETag version %q, want the request's 3", thread.ResponseInfo.Version)
			}
			if len(thread.Messages) != 3 {
				t.Fatalf("got %d messages, want 3", len(thread.Messages))
			}
			q, answer, note := thread.Messages[0], thread.Messages[1], thread.Messages[2]
			if q.SentBy != ersclient.SentByRequester || q.Sender.Role != ersclient.ReferringClinician || q.RecipientServiceID != svcAdvice {
				t.Errorf("got question %+v", q)
			}
			if answer.SentBy != ersclient.SentByResponder || answer.Sender.SDSUserID != userSPC || answer.RecipientOrg != orgGP || answer.Text != "Please perform an ECG." {
				t.Errorf("got answer %+v", answer)
			}
			if note.SentBy != ersclient.SentByClinicalInfoUpdate || note.Sender.SDSUserID != userRC || note.Sender.Organisation != orgGP {
				t.Errorf("got note %+v", note)
			}
			if len(q.Attachments) != 1 || q.Attachments[0].Title != "testResultsA.txt" || q.Attachments[0].Availability != ersclient.Availability("AVAILABLE") {
				t.Errorf("got question files %+v", q.Attachments)
			}
			if len(answer.Attachments) != 1 || answer.Attachments[0].Type != ersclient.AttachmentGuidanceResponse {
				t.Errorf("got answer files %+v", answer.Attachments)
			}
			for _, m := range thread.Messages {
				if m.BasedOn != "CommunicationRequest/"+adviceUBRN+"/_history/3" {
					t.Errorf("message %s is based on %s, want the current version", m.ID, m.BasedOn)
				}
			}
			// The clinician of each side, and the referring clinician again
			// without a role for e-RS's note.
			if len(thread.Participants) != 3 {
				t.Errorf("got participants %+v", thread.Participants)
			}
		})
	}
}

func TestAdviceConversationBundleIsNewestFirstWithIncludesAfter(t *testing.T) {
	e := newTestEnv(t, adviceConversationWorld)
	status, _, body := e.raw(http.MethodGet, adviceThreadPath("CommunicationRequest/"+adviceUBRN+"/_history/3"), "", spcHeaders())
	if status != http.StatusOK {
		t.Fatalf("got %d: %s", status, body)
	}
	var b fhir.Bundle
	if err := fhir.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, en := range b.Entry {
		got = append(got, en.Search.Mode+" "+en.Resource.ResourceType()+"/"+en.Resource.ID())
	}
	want := []string{
		"match Communication/700022", "match Communication/700021", "match Communication/700001",
		"include PractitionerRole/" + userRC + "." + orgGP, // the note names no role
		"include PractitionerRole/" + userSPC + "." + orgTrust + ".SERVICE-PROVIDER-CLINICIAN",
		"include PractitionerRole/" + userRC + "." + orgGP + ".REFERRING-CLINICIAN",
		"include DocumentReference/719f6045", "include DocumentReference/3816ca48",
	}
	if len(got) != len(want) {
		t.Fatalf("got entries %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %s, want %s", i, got[i], want[i])
		}
	}
	if b.Total == nil || *b.Total != 3 || b.Type != "searchset" {
		t.Errorf("got total %v type %s", b.Total, b.Type)
	}
	self := b.LinkURL("self")
	if want := e.srv.URL + "/referrals/FHIR/STU3/Communication?based-on=CommunicationRequest/" + adviceUBRN + "/_history/3"; self != want {
		t.Errorf("got self link %s, want %s", self, want)
	}
}

func TestAdviceConversationIncludesOnlyWhatIsAsked(t *testing.T) {
	e := newTestEnv(t, adviceConversationWorld)
	for _, tc := range []struct {
		name     string
		includes []string
		roles    int
		docs     int
	}{
		{"documents only", []string{adviceIncludeDocuments}, 0, 2},
		{"senders only", []string{adviceIncludeSender}, 3, 0},
		{"senders under the correct spelling", []string{adviceIncludeSenderFix}, 3, 0},
		{"requesters only", []string{adviceIncludeRequester}, 3, 0},
		{"everything", []string{adviceIncludeRequester, adviceIncludeSender, adviceIncludeDocuments}, 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, adviceThreadPath("CommunicationRequest/"+adviceUBRN+"/_history/3", tc.includes...), "", spcHeaders())
			if status != http.StatusOK {
				t.Fatalf("got %d: %s", status, body)
			}
			var b fhir.Bundle
			if err := fhir.Unmarshal(body, &b); err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, en := range b.Entry {
				count[en.Resource.ResourceType()]++
			}
			if count["Communication"] != 3 || count["PractitionerRole"] != tc.roles || count["DocumentReference"] != tc.docs {
				t.Errorf("got %v, want 3 messages, %d roles, %d documents", count, tc.roles, tc.docs)
			}
		})
	}
}

func TestAdviceConversationHasTheShapeOfTheOfficialExample(t *testing.T) {
	official := adviceOfficial(t, "retrieveAdviceAndGuidanceConversation", "AttachmentPresentInEachDirection.json")
	e := newTestEnv(t, adviceConversationWorld)
	_, _, body := e.raw(http.MethodGet, adviceThreadPath("CommunicationRequest/"+adviceUBRN+"/_history/3",
		adviceIncludeRequester, adviceIncludeSender, adviceIncludeDocuments), "", spcHeaders())
	var got map[string]any
	if err := fhir.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	// The official example's files were attached on behalf of a clinician.
	skip := []string{"/entry[]/resource/content[]/attachment/extension[]{" + fhir.ExtAttachedOnBehalfOf + "}"}
	if missing := adviceMissingShape(adviceShape(got), adviceShape(official), skip...); len(missing) > 0 {
		t.Errorf("the conversation lacks what the official example has: %v", missing)
	}
}

func TestAdviceConversationRefusals(t *testing.T) {
	e := newTestEnv(t, adviceConversationWorld)
	current := "CommunicationRequest/" + adviceUBRN + "/_history/3"
	for _, tc := range []struct {
		name    string
		path    string
		headers map[string]string
		status  int
		code    string
	}{
		{"a referring admin's role is refused", adviceThreadPath(current), userHeaders(userRA, ersclient.ReferringAdmin, orgGP), http.StatusForbidden, "NO_ACCESS"},
		{"a provider admin's role is refused", adviceThreadPath(current), userHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust), http.StatusForbidden, "NO_ACCESS"},
		{"based-on is required", adviceThreadPath(""), spcHeaders(), http.StatusBadRequest, "MISSING_PARAMETER"},
		{"based-on must name a version", adviceThreadPath("CommunicationRequest/" + adviceUBRN), spcHeaders(), http.StatusBadRequest, "INVALID_VALUE"},
		{"based-on must name a CommunicationRequest", adviceThreadPath("ReferralRequest/" + adviceUBRN + "/_history/3"), spcHeaders(), http.StatusBadRequest, "INVALID_VALUE"},
		{"an unknown include is refused", adviceThreadPath(current, "Communication:subject:Patient"), spcHeaders(), http.StatusBadRequest, "INVALID_VALUE"},
		{"an unknown search parameter is refused", adviceThreadPath(current) + "&status=completed", spcHeaders(), http.StatusBadRequest, "INVALID_VALUE"},
		{"an earlier version is not served", adviceThreadPath("CommunicationRequest/" + adviceUBRN + "/_history/2"), spcHeaders(), http.StatusNotFound, "HISTORY_NOT_SUPPORTED"},
		{"a referral's UBRN is the wrong type of request", adviceThreadPath("CommunicationRequest/" + adviceReferral + "/_history/1"), spcHeaders(), http.StatusBadRequest, "INVALID_REQUEST_TYPE"},
		{"another trust's request is refused", adviceThreadPath("CommunicationRequest/" + adviceUBRNOther + "/_history/1"), spcHeaders(), http.StatusBadRequest, "NO_RELATIONSHIP"},
		{"another practice's request is refused", adviceThreadPath(current), userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), http.StatusBadRequest, "NO_RELATIONSHIP"},
		{"an unknown UBRN is not found", adviceThreadPath("CommunicationRequest/000000099999/_history/1"), spcHeaders(), http.StatusNotFound, "REFERENCE_NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, tc.path, "", tc.headers)
			if status != tc.status || outcomeCode(body) != tc.code {
				t.Errorf("got %d %s, want %d %s: %s", status, outcomeCode(body), tc.status, tc.code, body)
			}
		})
	}
}
