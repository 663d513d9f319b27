package ersclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const adviceRequestFixtures = "stu3/retrieveAdviceAndGuidanceRequest/responses/"

// adviceOutcome is an STU3 OperationOutcome with one e-RS error code, for
// the error shapes the A&G endpoints document but the official examples do
// not carry.
func adviceOutcome(code, issueType string) []byte {
	return fmt.Appendf(nil, `{"resourceType":"OperationOutcome",
 "meta":{"profile":["https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1"]},
 "issue":[{"severity":"error","code":%q,
  "details":{"coding":[{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1","code":%q}]},
  "diagnostics":"synthetic diagnostics"}]}`, issueType, code)
}

// adviceAssertNoRequest fails when the server saw a request: input the client
// refuses must never reach e-RS.
func adviceAssertNoRequest(t *testing.T, ts *testServer, err error) {
	t.Helper()
	e, ok := AsError(err)
	if !ok || e.Kind != KindInvalid {
		t.Fatalf("err = %v, want a KindInvalid error", err)
	}
	if e.Message() == "" {
		t.Error("the refusal has no message")
	}
	if n := len(ts.Requests); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}

func TestRetrieveAdviceRequestSendsTheDocumentedRequest(t *testing.T) {
	for _, tc := range []struct {
		name     string
		uc       UserContext
		call     func(*Client) (*AdviceRequest, error)
		wantPath string
	}{
		{"the current request is read by UBRN", asProviderClinician,
			func(c *Client) (*AdviceRequest, error) {
				return c.RetrieveAdviceRequest(context.Background(), "000000070000")
			}, "/FHIR/STU3/CommunicationRequest/000000070000"},
		{"a versioned read goes to _history", asProviderClinician,
			func(c *Client) (*AdviceRequest, error) {
				return c.RetrieveAdviceRequestVersion(context.Background(), "000000070000", "5")
			}, "/FHIR/STU3/CommunicationRequest/000000070000/_history/5"},
		{"a clinician admin sends the on-behalf-of header", asClinicianAdmin,
			func(c *Client) (*AdviceRequest, error) {
				return c.RetrieveAdviceRequest(context.Background(), "000000070000")
			}, "/FHIR/STU3/CommunicationRequest/000000070000"},
		{"a referrer may read it too", asReferrer,
			func(c *Client) (*AdviceRequest, error) {
				return c.RetrieveAdviceRequest(context.Background(), "000000070000")
			}, "/FHIR/STU3/CommunicationRequest/000000070000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: http.StatusOK, Header: map[string]string{"ETag": `W/"5"`},
				Body: fixture(t, adviceRequestFixtures+"MinimalExample.json")})
			ar, err := tc.call(testClient(t, ts, tc.uc))
			if err != nil {
				t.Fatal(err)
			}
			rec := ts.last()
			if rec.Method != http.MethodGet || rec.Path != tc.wantPath {
				t.Errorf("request = %s %s, want GET %s", rec.Method, rec.Path, tc.wantPath)
			}
			if len(rec.Query) != 0 || len(rec.Body) != 0 {
				t.Errorf("unexpected query %v or body %q", rec.Query, rec.Body)
			}
			assertHeaders(t, rec, tc.uc)
			if ar.Version != "5" || ar.ETag != `W/"5"` || ar.UBRN() != "000000070000" {
				t.Errorf("version %q etag %q ubrn %q", ar.Version, ar.ETag, ar.UBRN())
			}
		})
	}
}

func TestAdviceRequestVersion(t *testing.T) {
	t.Run("meta.versionId wins over a different ETag", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusOK, Header: map[string]string{"ETag": `W/"9"`},
			Body: []byte(`{"resourceType":"CommunicationRequest","id":"000000070000","meta":{"versionId":"5"}}`)})
		ar, err := testClient(t, ts, asProviderClinician).RetrieveAdviceRequest(context.Background(), "000000070000")
		if err != nil {
			t.Fatal(err)
		}
		if ar.Version != "5" || ar.Summary().Version != "5" {
			t.Errorf("Version = %q, summary %q; want 5", ar.Version, ar.Summary().Version)
		}
	})
	t.Run("the ETag is used when the body has no version", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusOK, Header: map[string]string{"ETag": `W/"7"`},
			Body: []byte(`{"resourceType":"CommunicationRequest","id":"000000070000"}`)})
		ar, err := testClient(t, ts, asProviderClinician).RetrieveAdviceRequest(context.Background(), "000000070000")
		if err != nil {
			t.Fatal(err)
		}
		if ar.Version != "7" || ar.Summary().Version != "7" {
			t.Errorf("Version = %q, summary %q; want 7", ar.Version, ar.Summary().Version)
		}
	})
	t.Run("another resource type is a bad response", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: http.StatusOK, Body: []byte(`{"resourceType":"ReferralRequest","id":"000000070000"}`)})
		_, err := testClient(t, ts, asProviderClinician).RetrieveAdviceRequest(context.Background(), "000000070000")
		if e, ok := AsError(err); !ok || e.Kind != KindBadResponse {
			t.Errorf("err = %v, want KindBadResponse", err)
		}
	})
}

func TestRetrieveAdviceRequestRefusesBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(*Client) error
	}{
		{"an empty UBRN is refused", func(c *Client) error {
			_, err := c.RetrieveAdviceRequest(context.Background(), "")
			return err
		}},
		{"a UBRN with a slash is refused", func(c *Client) error {
			_, err := c.RetrieveAdviceRequest(context.Background(), "000000070000/_history/1")
			return err
		}},
		{"a versioned read without a version is refused", func(c *Client) error {
			_, err := c.RetrieveAdviceRequestVersion(context.Background(), "000000070000", "")
			return err
		}},
		{"a version that is not a number is refused", func(c *Client) error {
			_, err := c.RetrieveAdviceRequestVersion(context.Background(), "000000070000", `W/"5"`)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			adviceAssertNoRequest(t, ts, tc.call(testClient(t, ts, asProviderClinician)))
		})
	}
}

func TestRetrieveAdviceRequestErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{"an unknown UBRN is not found", reply{Status: http.StatusNotFound}, IsNotFound},
		{"a stale version is not found",
			reply{Status: http.StatusNotFound, Body: adviceOutcome("HISTORY_NOT_SUPPORTED", "not-found")},
			func(err error) bool { return IsNotFound(err) && HasCode(err, "HISTORY_NOT_SUPPORTED") }},
		{"a referral UBRN is the wrong request type",
			reply{Status: http.StatusUnprocessableEntity, Body: adviceOutcome("INVALID_REQUEST_TYPE", "business-rule")},
			func(err error) bool { return IsBusinessRule(err, "INVALID_REQUEST_TYPE") }},
		{"no relationship is a business rule",
			reply{Status: http.StatusUnprocessableEntity, Body: adviceOutcome("NO_RELATIONSHIP", "business-rule")},
			func(err error) bool { return IsBusinessRule(err, "NO_RELATIONSHIP") }},
		{"a patient error is a business rule",
			reply{Status: http.StatusUnprocessableEntity, Body: adviceOutcome("PATIENT_ERROR", "business-rule")},
			func(err error) bool { return IsBusinessRule(err, "PATIENT_ERROR") }},
		{"a forbidden role is reported as forbidden", reply{Status: http.StatusForbidden}, IsForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.reply.Status == http.StatusForbidden {
				tc.reply.Body = fixture(t, "stu3/STU3-Forbidden.json")
			}
			ts := newTestServer(t, tc.reply)
			_, err := testClient(t, ts, asProviderClinician).RetrieveAdviceRequestVersion(context.Background(), "000000070000", "4")
			if err == nil || !tc.check(err) {
				t.Errorf("err = %v", err)
			}
			if n := len(ts.Requests); n != 1 {
				t.Errorf("server saw %d requests, want 1 (client errors are not retried)", n)
			}
		})
	}
}

func TestRetrieveAdviceRequestRetriesAnUnavailableService(t *testing.T) {
	ts := newTestServer(t,
		reply{Status: http.StatusServiceUnavailable, Body: fixture(t, "stu3/STU3-ServiceUnavailable.json")},
		reply{Status: http.StatusOK, Body: fixture(t, adviceRequestFixtures+"MinimalExample.json")})
	if _, err := testClient(t, ts, asProviderClinician).RetrieveAdviceRequest(context.Background(), "000000070000"); err != nil {
		t.Fatal(err)
	}
	if n := len(ts.Requests); n != 2 {
		t.Errorf("server saw %d requests, want 2 (a read is retried after 503)", n)
	}
}

func TestOfficialAdviceRequestsSummarise(t *testing.T) {
	type att struct {
		id, title string
		avail     Availability
	}
	for _, tc := range []struct {
		file          string
		ubrn          string
		requester     AdviceParticipant
		attachments   []att
		wantRequestID string
	}{
		{"MinimalExample.json", "000000070000",
			AdviceParticipant{SDSUserID: "921600556514", Organisation: "R68", Role: ReferringClinician}, nil,
			"a.c18c4ec4-7d0a-480e-8506-347e0ec228b0"},
		{"WithAttachmentFileReference.json", "000000070001",
			AdviceParticipant{SDSUserID: "103264992985", Organisation: "R69", Role: ReferringClinician},
			[]att{{"719f6045-e791-4029-8e0f-1201c02b0a55", "upload.png", FileAvailable}},
			"a.c18c4ec4-7d0a-480e-8506-347e0ec228b1"},
		{"WithUnavailableAttachments.json", "000000070002",
			AdviceParticipant{SDSUserID: "103264992985", Organisation: "R69", Role: ReferringClinician},
			[]att{
				{"9eb7224-dff3-4730-a5cb-67eac811f1a5", "upload2.png", FileThreatsFound},
				{"2a8b042f-e12e-4249-9478-37b2426a4d65", "upload3.png", FileValidationFailed},
				{"719f6045-e791-4029-8e0f-1201c02b0a55", "upload1.png", FilePending},
			},
			"a.c18c4ec4-7d0a-480e-8506-347e0ec228b2"},
	} {
		t.Run(tc.file+" shows its key facts", func(t *testing.T) {
			ts := newTestServer(t, reply{Status: http.StatusOK, Header: map[string]string{"ETag": `W/"5"`},
				Body: fixture(t, adviceRequestFixtures+tc.file)})
			ar, err := testClient(t, ts, asProviderClinician).RetrieveAdviceRequest(context.Background(), tc.ubrn)
			if err != nil {
				t.Fatal(err)
			}
			s := ar.Summary()
			checks := []struct {
				what      string
				got, want any
			}{
				{"UBRN", s.UBRN, tc.ubrn},
				{"RequestID", s.RequestID, tc.wantRequestID},
				{"NHSNumber", s.NHSNumber, "9912003888"},
				{"Status", s.Status, "active"},
				{"Category", s.Category, AdviceProviderResponseRequired},
				{"Priority", s.Priority, PriorityRoutine},
				{"Specialty", s.Specialty, "CARDIOLOGY"},
				{"SpecialtyName", s.SpecialtyName, "Cardiology"},
				{"ClinicType", s.ClinicType, "HEART_FAILURE"},
				{"ConversionAuthorised", s.ConversionAuthorised, true},
				{"ServiceID", s.ServiceID, "11014"},
				{"ServiceName", s.ServiceName, "Cardiology Advice Service"},
				{"Version", s.Version, "5"},
				{"Requester.SDS", s.Requester.SDSUserID, tc.requester.SDSUserID},
				{"Requester.Org", s.Requester.Organisation, tc.requester.Organisation},
				{"Requester.Role", s.Requester.Role, tc.requester.Role},
				{"Requester.RoleLabel", s.Requester.RoleLabel(), "Referring clinician"},
				{"Sender.SDS", s.Sender.SDSUserID, tc.requester.SDSUserID},
				{"attachments", len(s.Attachments), len(tc.attachments)},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
			if ok, why := s.CanConvert(); !ok {
				t.Errorf("CanConvert = false (%s), want true", why)
			}
			for i, a := range tc.attachments {
				if i >= len(s.Attachments) {
					break
				}
				got := s.Attachments[i]
				if got.ID != a.id || got.Title != a.title || got.Availability != a.avail {
					t.Errorf("attachment %d = %s %q %s, want %s %q %s", i, got.ID, got.Title, got.Availability, a.id, a.title, a.avail)
				}
				if got.Type != AttachmentReferrer || got.AttachedBy != "103264992985" || got.AttachedByOrg != "R69" {
					t.Errorf("attachment %d type %s by %s at %s", i, got.Type, got.AttachedBy, got.AttachedByOrg)
				}
			}
		})
	}
}

func TestAdviceSummaryCanConvert(t *testing.T) {
	ok := AdviceSummary{Status: "active", Category: AdviceProviderResponseRequired, ConversionAuthorised: true, ConversionCode: "AUTHORISED_TO_CONVERT"}
	for _, tc := range []struct {
		name     string
		change   func(*AdviceSummary)
		want     bool
		wantWord string
	}{
		{"an authorised request with the provider can be converted", func(*AdviceSummary) {}, true, ""},
		{"a request the referrer did not authorise cannot", func(s *AdviceSummary) {
			s.ConversionAuthorised, s.ConversionCode = false, "NOT_AUTHORISED_TO_CONVERT"
		}, false, "not allowed"},
		{"a request without an authorisation cannot", func(s *AdviceSummary) {
			s.ConversionAuthorised, s.ConversionCode = false, ""
		}, false, "does not say"},
		{"a cancelled request cannot", func(s *AdviceSummary) { s.Status = "cancelled" }, false, "cancelled"},
		{"a converted request cannot be converted again", func(s *AdviceSummary) { s.Category = AdviceConvertedToReferral }, false, "already"},
		{"a closed conversation cannot", func(s *AdviceSummary) { s.Category = AdviceConversationEndedClosed }, false, "ended"},
		{"a request with the referrer cannot", func(s *AdviceSummary) { s.Category = AdviceReferrerToReviewResponse }, false, "referrer to review response"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.change(&s)
			got, why := s.CanConvert()
			if got != tc.want {
				t.Fatalf("CanConvert = %v (%q), want %v", got, why, tc.want)
			}
			if !got && (why == "" || !strings.Contains(why, tc.wantWord)) {
				t.Errorf("reason %q does not mention %q", why, tc.wantWord)
			}
			if got && why != "" {
				t.Errorf("reason %q given although conversion is allowed", why)
			}
		})
	}
}

func TestAdviceParticipantFromID(t *testing.T) {
	for _, tc := range []struct {
		name, ref      string
		sds, org, role string
	}{
		{"a contained reference carries SDS, ODS and role", "#PractitionerRole.921600556514.R68.REFERRING-CLINICIAN",
			"921600556514", "R68", "REFERRING_CLINICIAN"},
		{"a bundle reference carries them too", "PractitionerRole/103264994981.R69.SERVICE-PROVIDER-CLINICIAN",
			"103264994981", "R69", "SERVICE_PROVIDER_CLINICIAN"},
		{"an absolute reference is read from its last part", "https://example.test/STU3/PractitionerRole/103264992985.R69.REFERRING-CLINICIAN-ADMIN",
			"103264992985", "R69", "REFERRING_CLINICIAN_ADMIN"},
		{"a reference without a role gives SDS and ODS only", "PractitionerRole/103264992985.R69",
			"103264992985", "R69", ""},
		{"a reference with the SDS id alone gives that", "PractitionerRole/103264992985", "103264992985", "", ""},
		{"an id of another shape is not guessed at", "PractitionerRole/PractitionerRole-R69-000000000101", "", "", ""},
		{"an empty reference gives nothing", "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := participantFromID(tc.ref)
			if p.SDSUserID != tc.sds || p.Organisation != tc.org || string(p.Role) != tc.role || p.Reference != tc.ref {
				t.Errorf("got %+v, want %s %s %s", p, tc.sds, tc.org, tc.role)
			}
		})
	}
}

func TestAdviceStatusLabels(t *testing.T) {
	seen := map[string]AdviceStatus{}
	for _, s := range []AdviceStatus{AdviceProviderResponseRequired, AdviceReferrerToSubmitMoreInfo, AdviceReferrerToReviewResponse,
		AdviceConversationEndedCancel, AdviceConversationEndedClosed, AdviceConvertedToReferral} {
		l := s.Label()
		if l == "" || strings.Contains(l, "_") {
			t.Errorf("%s has label %q", s, l)
		}
		if other, dup := seen[l]; dup {
			t.Errorf("%s and %s share the label %q", s, other, l)
		}
		seen[l] = s
	}
	if got := AdviceStatus("SOMETHING_NEW").Label(); got != "Something new" {
		t.Errorf("unknown status label = %q", got)
	}
}
