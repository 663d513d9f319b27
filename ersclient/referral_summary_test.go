package ersclient

import (
	"reflect"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// referralSummaryOf decodes a referral body and summarises it.
func referralSummaryOf(t *testing.T, body []byte) ReferralSummary {
	t.Helper()
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal(body, &rr); err != nil {
		t.Fatal(err)
	}
	ref, err := newReferral(OpRetrieveReferral, ResponseInfo{Status: 200}, &rr)
	if err != nil {
		t.Fatal(err)
	}
	return ref.Summary()
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, ok := ParseFHIRTime(s)
	if !ok {
		t.Fatalf("bad time %q", s)
	}
	return tm
}

func TestReferralSummaryShowsTheKeyFactsOfEachOfficialExample(t *testing.T) {
	type attachmentFacts struct {
		id, title string
		kind      AttachmentType
		avail     Availability
	}
	cases := []struct {
		name         string
		fixture      string
		ubrn         string
		priority     Priority
		specialty    string
		state        string
		reason       string
		comments     string
		shortlist    []ShortlistedService
		apptStatus   string // "" means no contained appointment
		apptStart    string
		apptReason   string
		related      []string
		fromAdvice   string
		requirements []string
		attachments  []attachmentFacts
		pathwayStart string
		requestID    string
	}{
		{name: "an unbooked referral has a shortlist and a letter but no appointment", fixture: "Unbooked", ubrn: "000000070000",
			priority: PriorityRoutine, state: "NOT_BOOKED",
			shortlist:   []ShortlistedService{{"11002", "Good Cardiology Business Service"}},
			attachments: []attachmentFacts{{"19eb7224-dff3-4730-a5cb-67eac811f1a5", "referralletter.pdf", AttachmentReferrer, FileAvailable}},
			requestID:   "r.c18c4ec4-7d0a-480e-8506-347e0ec228b0"},
		{name: "a directly booked referral shows its appointment", fixture: "BookedDBS", ubrn: "000000070001",
			priority: PriorityRoutine, specialty: "CARDIOLOGY", state: "BOOKED",
			shortlist:  []ShortlistedService{{"11002", "Good Cardiology Business Service"}},
			apptStatus: "booked", apptStart: "2021-06-13T12:30:00.000Z",
			attachments:  []attachmentFacts{{"719f6045-e791-4029-8e0f-1201c02b0a55", "referralletter.pdf", AttachmentReferrer, FileAvailable}},
			pathwayStart: "2024-05-08T09:54:23.167Z"},
		{name: "an indirectly booked referral shows both shortlisted services", fixture: "BookedIBS", ubrn: "000000070002",
			priority: PriorityRoutine, specialty: "CARDIOLOGY", state: "BOOKED",
			shortlist:  []ShortlistedService{{"11016", "Triage-Related Indirect Business Service"}, {"11017", "Triage-Related Indirect Business Service 2"}},
			apptStatus: "booked", apptStart: "2021-07-05T10:00:00.000Z",
			attachments: []attachmentFacts{{"719f6045-e791-4029-8e0f-1201c02b0a55", "referralletter.pdf", AttachmentReferrer, FileAvailable}}},
		{name: "a deferred referral carries the review reason", fixture: "DeferredToProvider", ubrn: "000000070003",
			priority: PriorityUrgent, specialty: "CARDIOLOGY", state: "DEFERRED_TO_PROVIDER", reason: "NO_SLOTS_AT_SERVICE",
			shortlist:  []ShortlistedService{{"11010", "Excellent Cardiology Business Service"}},
			apptStatus: "proposed", apptReason: "NO_SLOTS_AT_SERVICE",
			attachments: []attachmentFacts{{"19eb7224-dff3-4730-a5cb-67eac811f1a5", "referralletter.pdf", AttachmentReferrer, FileAvailable}}},
		{name: "a converted A&G request shows every attachment type in supportingInfo order", fixture: "ConvertedFromAdviceAndGuidance", ubrn: "000000070004",
			priority: PriorityTwoWeekWait, specialty: "CARDIOLOGY", state: "TRIAGED_PROVIDER_TO_ACTION",
			reason: "PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER", comments: "Actually I'd rather not",
			shortlist:  []ShortlistedService{{"11014", "Advice Only"}},
			apptStatus: "proposed", apptReason: "PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER",
			fromAdvice: "000000070004",
			attachments: []attachmentFacts{
				{"d7f9fba4-3c57-4dec-a274-94dab9fd4518", "Advice and guidance conversation - 000000070004.pdf", AttachmentReferrer, FileAvailable},
				{"80245c92-d28a-4d1f-9b8d-c31f8ab9e322", "advice.png", AttachmentAdviceRequest, FileAvailable},
				{"19eb7224-dff3-4730-a5cb-67eac811f1a5", "provider.png", AttachmentGuidanceResponse, FileAvailable},
				{"719f6045-e791-4029-8e0f-1201c02b0a55", "triage.png", AttachmentProvider, FileAvailable},
			}},
		{name: "a referral in a pathway lists its related referral", fixture: "WithRelatedReferral", ubrn: "000000070005",
			priority: PriorityTwoWeekWait, specialty: "CARDIOLOGY", state: "BOOKED",
			shortlist:  []ShortlistedService{{"11002", "Good Cardiology Business Service"}},
			apptStatus: "booked", apptStart: "2021-06-14T00:13:46.106Z", related: []string{"000000070004"}},
		{name: "additional requirements are listed in order", fixture: "WithAdditionalRequirements", ubrn: "000000070011",
			priority: PriorityRoutine, specialty: "CARDIOLOGY", state: "BOOKED",
			shortlist:    []ShortlistedService{{"11002", "Good Cardiology Business Service"}},
			requirements: []string{"ADVOCACY", "INTERPRETER", "TRANSPORT"},
			attachments:  []attachmentFacts{{"19eb7224-dff3-4730-a5cb-67eac811f1a5", "referralletter.pdf", AttachmentReferrer, FileAvailable}}},
		{name: "unavailable attachments say why", fixture: "WithUnavailableAttachments", ubrn: "000000070012",
			priority: PriorityRoutine, state: "NOT_BOOKED",
			shortlist: []ShortlistedService{{"11002", "Good Cardiology Business Service"}},
			attachments: []attachmentFacts{
				{"19eb7224-dff3-4730-a5cb-67eac811f1a5", "referralletter1.pdf", AttachmentReferrer, FilePending},
				{"adda8c72-4a91-4dc7-a918-b6d12fb28085", "referralletter2.png", AttachmentReferrer, FileThreatsFound},
				{"9e554611-3378-425c-9cab-700b697e52d3", "referralletter3.doc", AttachmentReferrer, FileValidationFailed},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := referralSummaryOf(t, referralFixture(t, tc.fixture))
			if s.UBRN != tc.ubrn || s.Version != "5" || s.NHSNumber != "9912003888" || s.Status != "active" {
				t.Errorf("ubrn %q version %q nhs %q status %q", s.UBRN, s.Version, s.NHSNumber, s.Status)
			}
			if s.Priority != tc.priority || s.PriorityDisplay == "" {
				t.Errorf("priority %q (%q), want %q", s.Priority, s.PriorityDisplay, tc.priority)
			}
			if s.Specialty.Code != tc.specialty {
				t.Errorf("specialty %+v, want %q", s.Specialty, tc.specialty)
			}
			if s.State.Code != tc.state || s.State.Display == "" || s.StateReason.Code != tc.reason || s.StateComments != tc.comments {
				t.Errorf("state %+v reason %+v comments %q", s.State, s.StateReason, s.StateComments)
			}
			if !reflect.DeepEqual(s.Shortlist, tc.shortlist) {
				t.Errorf("shortlist %+v, want %+v", s.Shortlist, tc.shortlist)
			}
			if s.CommissioningRuleOrg != "R69" {
				t.Errorf("commissioning rule org %q", s.CommissioningRuleOrg)
			}
			if sc := s.SearchCriteria; sc == nil || sc.Priority != tc.priority || sc.Specialty.Code != "CARDIOLOGY" ||
				sc.ClinicType.Code != "HEART_FAILURE" || sc.Postcode != "LS1 2TW" || sc.DistanceLimit != 123 || !sc.AgeAndGenderAppropriate {
				t.Errorf("search criteria %+v", sc)
			}
			if tc.apptStatus == "" {
				if s.Appointment != nil || s.AppointmentID != "" {
					t.Errorf("unexpected appointment %+v (%q)", s.Appointment, s.AppointmentID)
				}
			} else {
				a := s.Appointment
				if a == nil || s.AppointmentID != "70009" || a.ID != "70009" || a.Status != tc.apptStatus || a.Reason.Code != tc.apptReason {
					t.Fatalf("appointment %+v (%q)", a, s.AppointmentID)
				}
				if tc.apptStart != "" && !a.Start.Equal(mustTime(t, tc.apptStart)) {
					t.Errorf("appointment start %v, want %s", a.Start, tc.apptStart)
				}
				if a.ServiceID != tc.shortlist[0].ID || a.ServiceName == "" {
					t.Errorf("appointment service %q %q", a.ServiceID, a.ServiceName)
				}
			}
			if !reflect.DeepEqual(s.RelatedReferrals, tc.related) || s.ConvertedFromAdvice != tc.fromAdvice {
				t.Errorf("related %v, from advice %q", s.RelatedReferrals, s.ConvertedFromAdvice)
			}
			if !reflect.DeepEqual(s.AdditionalRequirements, tc.requirements) {
				t.Errorf("requirements %v, want %v", s.AdditionalRequirements, tc.requirements)
			}
			if len(s.Attachments) != len(tc.attachments) {
				t.Fatalf("%d attachments, want %d: %+v", len(s.Attachments), len(tc.attachments), s.Attachments)
			}
			for i, want := range tc.attachments {
				got := s.Attachments[i]
				if got.ID != want.id || got.Title != want.title || got.Type != want.kind || got.Availability != want.avail {
					t.Errorf("attachment %d = %+v, want %+v", i, got, want)
				}
				if got.Downloadable() != (want.avail == FileAvailable) {
					t.Errorf("attachment %d downloadable = %v", i, got.Downloadable())
				}
				if got.AttachedBy == "" || got.AttachedByOrg == "" || got.ContentType == "" || got.Size == 0 || got.Created.IsZero() {
					t.Errorf("attachment %d lacks uploader or file facts: %+v", i, got)
				}
			}
			if s.ClinicalInfoFirstSubmitted.IsZero() != (tc.fixture == "WithRelatedReferral") {
				t.Errorf("clinical info first submitted %v", s.ClinicalInfoFirstSubmitted)
			}
			if tc.pathwayStart != "" && !s.PathwayStart.Equal(mustTime(t, tc.pathwayStart)) {
				t.Errorf("pathway start %v, want %s", s.PathwayStart, tc.pathwayStart)
			}
			if tc.requestID != "" && s.RequestID != tc.requestID {
				t.Errorf("request id %q", s.RequestID)
			}
		})
	}
}

func TestAttachmentSummaryReadsTheUploaderAndFileFacts(t *testing.T) {
	s := referralSummaryOf(t, referralFixture(t, "WithUnavailableAttachments"))
	a := s.Attachments[1]
	want := AttachmentSummary{
		ID: "adda8c72-4a91-4dc7-a918-b6d12fb28085", Title: "referralletter2.png", ContentType: "image/png", Size: 6,
		Created: mustTime(t, "2021-06-11"), Indexed: mustTime(t, "2021-06-11T12:09:09.459Z"),
		Type: AttachmentReferrer, Description: "referralletter png", Availability: FileThreatsFound,
		AttachedBy: "021600556514", AttachedByOrg: "R69", AttachedOnBehalfOf: "021600556514",
		DocumentID: "DocumentReference-80001",
	}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("attachment\n got %+v\nwant %+v", a, want)
	}
	if a.Availability.Label() == "" || a.Availability.Label() == string(a.Availability) {
		t.Errorf("availability label %q is not words", a.Availability.Label())
	}
}

func TestBinaryIDsAreTakenFromEveryURLShape(t *testing.T) {
	cases := map[string]string{
		"Binary/19eb7224-dff3-4730-a5cb-67eac811f1a5":                           "19eb7224-dff3-4730-a5cb-67eac811f1a5",
		"https://api.service.nhs.uk/referrals/FHIR/STU3/Binary/att-70000-70001": "att-70000-70001",
		"_baseUrl_/R4/Binary/abc?x=1":                                           "abc",
		"DocumentReference/1":                                                   "",
		"":                                                                      "",
	}
	for url, want := range cases {
		if got := binaryID(url); got != want {
			t.Errorf("binaryID(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestReferralSummaryOfASyntheticReferralWithARequester(t *testing.T) {
	body := []byte(`{
 "resourceType":"ReferralRequest","id":"000000990001","meta":{"versionId":"12"},"status":"cancelled","intent":"plan",
 "subject":{"identifier":{"system":"http://fhir.nhs.net/Id/nhs-number","value":"9990000026"}},
 "specialty":{"coding":[{"system":"https://ers.example/referrals/FHIR/STU3/CodeSystem/SPECIALTY","code":"DERMATOLOGY","display":"Dermatology"}]},
 "requester":{"agent":{"reference":"#role"},"onBehalfOf":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"B82001"}}},
 "contained":[{"resourceType":"PractitionerRole","id":"role",
   "practitioner":{"identifier":{"system":"http://fhir.nhs.net/Id/sds-user-id","value":"555000000017"}},
   "organization":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A81001"}}}],
 "extension":[
  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralState-1","extension":[
   {"url":"state","valueCoding":{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1","code":"CANCELLED_REFERRAL"}},
   {"url":"reason","valueCoding":{"system":"https://ers.example/referrals/FHIR/STU3/CodeSystem/REFERRAL-CANCELLATION-REASON","code":"RAISED_IN_ERROR","display":"Raised in error"}}]},
  {"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ClinicalInfoLastUpdated-1","valueDateTime":"2025-01-02T03:04:05Z"}],
 "supportingInfo":[{"reference":"ReferralRequest/000000990002/_history/3"},{"reference":"#missing"}]
}`)
	s := referralSummaryOf(t, body)
	if s.Referrer == nil || *s.Referrer != (ReferrerSummary{UserID: "555000000017", Organisation: "A81001"}) {
		t.Errorf("referrer %+v", s.Referrer)
	}
	if !s.IsCancelled() || s.StateReason.Label() != "Raised in error" {
		t.Errorf("cancelled %v, reason %q", s.IsCancelled(), s.StateReason.Label())
	}
	if s.Specialty != (CodeText{"DERMATOLOGY", "Dermatology"}) {
		t.Errorf("specialty %+v", s.Specialty)
	}
	if !reflect.DeepEqual(s.RelatedReferrals, []string{"000000990002"}) {
		t.Errorf("related %v", s.RelatedReferrals)
	}
	if !s.ClinicalInfoLastUpdated.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("last updated %v", s.ClinicalInfoLastUpdated)
	}
	if s.Shortlist != nil || s.SearchCriteria != nil || s.Attachments != nil || s.Appointment != nil {
		t.Errorf("absent parts should be zero: %+v", s)
	}
}

func TestAnEmptyReferralSummarisesToZeroValues(t *testing.T) {
	var r *Referral
	if s := r.Summary(); !reflect.DeepEqual(s, ReferralSummary{}) {
		t.Errorf("summary of nil = %+v", s)
	}
	s := referralSummaryOf(t, []byte(`{"resourceType":"ReferralRequest","id":"000000990003","requester":{"agent":{}}}`))
	if s.UBRN != "000000990003" || s.Referrer != nil {
		t.Errorf("summary %+v", s)
	}
}
