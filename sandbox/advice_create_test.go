package sandbox

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// adviceCreateSpec describes an A044 body; the zero value is a valid
// request from a referring clinician, as in the official RC example.
type adviceCreateSpec struct {
	nhs         string
	auth        string
	services    []string
	request     *string
	clinician   string
	specialty   string
	criteria    []fhir.Parameter // replaces the default criteria when set
	noCriteria  bool
	extra       []fhir.Parameter
	dropRequest bool
}

func adviceCreateBody(t *testing.T, s adviceCreateSpec) string {
	t.Helper()
	if s.nhs == "" {
		s.nhs = adviceNHS
	}
	if s.auth == "" {
		s.auth = adviceConversionAllowed
	}
	if s.services == nil {
		s.services = []string{svcAdvice}
	}
	if s.specialty == "" {
		s.specialty = "CARDIOLOGY"
	}
	crit := fhir.NewParameters(adviceProfileCriteria)
	crit.ID = "ServiceSearchCriteria-1"
	crit.Parameter = s.criteria
	if crit.Parameter == nil {
		crit.Add(fhir.Parameter{Name: "priority", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSPriority, Code: "ROUTINE"}}})
		crit.Add(fhir.Parameter{Name: "specialty", Value: fhir.Value{ValueCoding: &fhir.Coding{System: "_baseUrl_/STU3/CodeSystem/SPECIALTY", Code: s.specialty}}})
		crit.Add(fhir.Parameter{Name: "clinicType", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSClinicTypeSearch, Code: "CARDIOLOGY_GENERAL"}}})
		crit.Add(fhir.Parameter{Name: "ageAndGenderAppropriate", Value: fhir.Value{ValueBoolean: fhir.Ptr(false)}})
	}
	list := fhir.List{DomainResource: fhir.DomainResource{ResourceType: "List", Meta: &fhir.Meta{Profile: []string{adviceProfileShortlist}}},
		Status: "current", Mode: "snapshot"}
	if !s.noCriteria {
		list.Contained = []fhir.RawResource{adviceRaw(crit)}
		list.Extension = fhir.Extensions{{URL: fhir.ExtShortlistCriteria, Value: fhir.Value{ValueReference: &fhir.Reference{Reference: "#ServiceSearchCriteria-1"}}}}
	}
	for _, id := range s.services {
		list.Entry = append(list.Entry, fhir.ListEntry{Item: fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: id}}})
	}
	p := fhir.NewParameters("https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CreateAdviceAndGuidance-Request-Parameters-1")
	p.Add(fhir.Parameter{Name: "patient", Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemNHSNumberSTU3, Value: s.nhs}}})
	p.Add(fhir.Parameter{Name: "providerConversionAuthorisation", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSProviderConversionAuth, Code: s.auth}}})
	p.Add(fhir.Parameter{Name: "shortlist", Resource: adviceRaw(list)})
	if !s.dropRequest {
		text := "Please advise on this patient's palpitations."
		if s.request != nil {
			text = *s.request
		}
		p.Add(fhir.Parameter{Name: "request", Value: fhir.Value{ValueString: &text}})
	}
	if s.clinician != "" {
		p.Add(fhir.Parameter{Name: "referringClinician", Value: fhir.Value{ValueIdentifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: s.clinician}}})
	}
	p.Parameter = append(p.Parameter, s.extra...)
	return encodeJSON(t, p)
}

const adviceCreatePath = BasePath + "/STU3/CommunicationRequest/$ers.createAdviceAndGuidance"

func TestAdviceCreatedByAReferringClinicianAwaitsTheProvider(t *testing.T) {
	e := newTestEnv(t, nil)
	sent, err := e.rc().CreateAdviceRequest(adviceCtx(t), ersclient.CreateAdviceRequest{
		NHSNumber: adviceNHS, ConversionAuthorised: true, ServiceID: svcAdvice, Request: "Is an echo needed?",
		Priority: ersclient.PriorityUrgent, Specialty: fhir.Coding{System: "_baseUrl_/STU3/CodeSystem/SPECIALTY", Code: "CARDIOLOGY"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Status != http.StatusOK || sent.Version != "1" || len(sent.UBRN) != 12 {
		t.Fatalf("got status %d, UBRN %q, version %s", sent.Status, sent.UBRN, sent.Version)
	}
	s := sent.Request.Summary()
	if s.Category != ersclient.AdviceProviderResponseRequired || s.Priority != ersclient.PriorityUrgent || !s.ConversionAuthorised || s.ServiceID != svcAdvice {
		t.Errorf("got %+v", s)
	}
	if !strings.HasPrefix(s.RequestID, "a.") {
		t.Errorf("got request id %q, want a.<uuid>", s.RequestID)
	}
	m := sent.Message
	if m == nil || m.SentBy != ersclient.SentByRequester || m.Text != "Is an echo needed?" || m.Sender.SDSUserID != userRC || m.RecipientServiceID != svcAdvice {
		t.Fatalf("got message %+v", m)
	}
	if m.BasedOn != "CommunicationRequest/"+sent.UBRN+"/_history/1" {
		t.Errorf("got basedOn %s", m.BasedOn)
	}

	// The provider sees it.
	ar, err := e.spc().RetrieveAdviceRequest(adviceCtx(t), sent.UBRN)
	if err != nil {
		t.Fatal(err)
	}
	if got := ar.Summary(); got.Requester.SDSUserID != userRC || got.Version != "1" || got.NHSNumber != adviceNHS {
		t.Errorf("the provider reads %+v", got)
	}
	a := e.adviceOf(sent.UBRN)
	if a.ReferringOrg != orgGP || a.CreatedBy != userRC || len(a.Messages) != 1 || a.Criteria.Priority != "URGENT" || a.Created != testNow {
		t.Errorf("stored %+v", a)
	}
}

func TestAdviceCreatedByAnAdminIsInTheClinicianName(t *testing.T) {
	e := newTestEnv(t, nil)
	sent, err := e.rca().CreateAdviceRequest(adviceCtx(t), ersclient.CreateAdviceRequest{
		NHSNumber: adviceNHS, ServiceID: svcAdvice, Request: "Advice please.", ReferringClinician: userRC,
		Priority: ersclient.PriorityRoutine,
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := sent.Request.Summary(); s.Requester.SDSUserID != userRC || s.Sender.SDSUserID != userRC || s.ConversionAuthorised {
		t.Errorf("the request is in the name of %+v / %+v (authorised %v), want the referring clinician", s.Requester, s.Sender, s.ConversionAuthorised)
	}
	m := sent.Message
	if m.Sender.SDSUserID != userRCA || m.Sender.Role != ersclient.ReferringClinicianAdmin {
		t.Errorf("the message was sent by %+v, want the admin", m.Sender)
	}
	// The message speaks for the clinician (Extension-Communication-Requester-1).
	cm := sent.Parameters
	var comm fhir.Communication
	if ok, err := cm.ResourceParam("createdCommunication", &comm); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if v, ok := comm.Extension.Value(fhir.ExtCommunicationReqstr); !ok || v.ValueReference.Reference != "#PractitionerRole."+userRC+"."+orgGP+".REFERRING-CLINICIAN" {
		t.Errorf("got requester extension %+v", v)
	}
	if len(comm.Contained) != 2 {
		t.Errorf("got %d contained resources, want the admin's and the clinician's roles", len(comm.Contained))
	}
}

func TestAdviceCreateHasTheShapeOfTheOfficialExample(t *testing.T) {
	official := adviceOfficial(t, "createAdviceAndGuidance", "responses", "ExampleRCWithoutAttachments.json")
	e := newTestEnv(t, nil)
	status, h, body := e.raw(http.MethodPost, adviceCreatePath, adviceCreateBody(t, adviceCreateSpec{}), rcHeaders())
	if status != http.StatusOK || h.Get("Content-Type") != fhirJSON {
		t.Fatalf("got %d %s: %s", status, h.Get("Content-Type"), body)
	}
	var got map[string]any
	if err := fhir.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if missing := adviceMissingShape(adviceShape(got), adviceShape(official)); len(missing) > 0 {
		t.Errorf("the answer lacks what the official example has: %v", missing)
	}
}

func TestAdviceCreateRefusesOtherRoles(t *testing.T) {
	e := newTestEnv(t, nil)
	for _, tc := range []struct {
		name    string
		headers map[string]string
	}{
		{"a provider clinician", spcHeaders()},
		{"a referring admin", userHeaders(userRA, ersclient.ReferringAdmin, orgGP)},
		{"an application", map[string]string{HeaderSandboxApp: appReferrer, HeaderSandboxAppRestricted: "true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodPost, adviceCreatePath, adviceCreateBody(t, adviceCreateSpec{}), tc.headers)
			if status != http.StatusForbidden {
				t.Errorf("got %d, want 403: %s", status, body)
			}
		})
	}
	if n := len(e.adviceAll()); n != 0 {
		t.Errorf("%d requests were created", n)
	}
}

func TestAdviceCreateRefusesWhatTheRulesForbid(t *testing.T) {
	long := strings.Repeat("é", adviceTextLimit+1)
	blank := "   "
	exact := strings.Repeat("é", adviceTextLimit)
	for _, tc := range []struct {
		name    string
		spec    adviceCreateSpec
		headers map[string]string
		code    string
	}{
		{"a referring clinician may not name a clinician", adviceCreateSpec{clinician: userRC}, rcHeaders(), "FIELD_NOT_PERMITTED"},
		{"an admin must name the clinician", adviceCreateSpec{}, rcaHeaders(), "VALUE_IS_REQUIRED"},
		{"the named user must be a referring clinician", adviceCreateSpec{clinician: userSPC}, rcaHeaders(), "REFERENCED_USER_IS_NOT_RC"},
		{"the named clinician must work at the organisation", adviceCreateSpec{clinician: userRC2}, rcaHeaders(), "REFERENCED_USER_IS_NOT_RC_AT_ORG"},
		{"the named clinician must exist", adviceCreateSpec{clinician: "555000000999"}, rcaHeaders(), "REFERENCE_NOT_FOUND"},
		{"the shortlist takes one service only", adviceCreateSpec{services: []string{svcAdvice, svcDBS}}, rcHeaders(), "TOO_MANY_ITEMS"},
		{"a service may not be listed twice", adviceCreateSpec{services: []string{svcAdvice, svcAdvice}}, rcHeaders(), "DUPLICATE_SERVICE"},
		{"the shortlist may not be empty", adviceCreateSpec{services: []string{}}, rcHeaders(), "MISSING_VALUE"},
		{"the service must exist", adviceCreateSpec{services: []string{"99999"}}, rcHeaders(), "REFERENCE_NOT_FOUND"},
		{"the service must take advice requests", adviceCreateSpec{services: []string{svcDBS}}, rcHeaders(), "INAPPROPRIATE_VALUE"},
		{"the service must match the search", adviceCreateSpec{specialty: "DERMATOLOGY"}, rcHeaders(), "SHORTLISTED_SERVICE_NOT_IN_RESULTS"},
		{"the specialty must be a known code", adviceCreateSpec{specialty: "ASTROLOGY"}, rcHeaders(), "INVALID_CODE"},
		{"the clinic type must be a known code", adviceCreateSpec{criteria: []fhir.Parameter{
			{Name: "priority", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSPriority, Code: "ROUTINE"}}},
			{Name: "clinicType", Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSClinicTypeSearch, Code: "PALMISTRY"}}},
			{Name: "ageAndGenderAppropriate", Value: fhir.Value{ValueBoolean: fhir.Ptr(false)}},
		}}, rcHeaders(), "INVALID_CODE"},
		{"the shortlist needs its search criteria", adviceCreateSpec{noCriteria: true}, rcHeaders(), "MISSING_VALUE"},
		{"the criteria need a priority", adviceCreateSpec{criteria: []fhir.Parameter{{Name: "ageAndGenderAppropriate", Value: fhir.Value{ValueBoolean: fhir.Ptr(true)}}}}, rcHeaders(), "MISSING_VALUE"},
		{"the criteria may not carry unknown parameters", adviceCreateSpec{criteria: []fhir.Parameter{{Name: "colour", Value: fhir.Value{ValueString: fhir.Ptr("blue")}}}}, rcHeaders(), "UNEXPECTED_FIELD"},
		{"the request text is mandatory", adviceCreateSpec{dropRequest: true}, rcHeaders(), "MISSING_VALUE"},
		{"the request text may not be blank", adviceCreateSpec{request: &blank}, rcHeaders(), "MISSING_VALUE"},
		{"the request text has at most 8000 characters", adviceCreateSpec{request: &long}, rcHeaders(), "INVALID_VALUE"},
		{"the NHS number must be valid", adviceCreateSpec{nhs: "9990001234"}, rcHeaders(), "INVALID_VALUE"},
		{"the conversion authorisation must be a known code", adviceCreateSpec{auth: "MAYBE"}, rcHeaders(), "INVALID_CODE"},
		{"unknown parameters are refused", adviceCreateSpec{extra: []fhir.Parameter{{Name: "colour", Value: fhir.Value{ValueString: fhir.Ptr("blue")}}}}, rcHeaders(), "UNEXPECTED_FIELD"},
		{"a parameter may not be repeated", adviceCreateSpec{extra: []fhir.Parameter{{Name: "request", Value: fhir.Value{ValueString: &exact}}}}, rcHeaders(), "INVALID_VALUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			status, _, body := e.raw(http.MethodPost, adviceCreatePath, adviceCreateBody(t, tc.spec), tc.headers)
			if status != http.StatusUnprocessableEntity || outcomeCode(body) != tc.code {
				t.Errorf("got %d %s, want 422 %s: %s", status, outcomeCode(body), tc.code, body)
			}
			if n := len(e.adviceAll()); n != 0 {
				t.Errorf("a refused request created %d records", n)
			}
		})
	}
}

func TestAdviceCreateAcceptsTheLongestRequest(t *testing.T) {
	e := newTestEnv(t, nil)
	text := strings.Repeat("é", adviceTextLimit)
	status, _, body := e.raw(http.MethodPost, adviceCreatePath, adviceCreateBody(t, adviceCreateSpec{request: &text}), rcHeaders())
	if status != http.StatusOK {
		t.Errorf("got %d, want 200: %.300s", status, body)
	}
}

func TestAdviceCreateRefusesMalformedBodies(t *testing.T) {
	for _, tc := range []struct {
		name        string
		body        string
		contentType string
		status      int
	}{
		{"JSON that is not FHIR", `{"resourceType":`, fhirJSON, http.StatusUnprocessableEntity},
		{"a resource that is not Parameters", `{"resourceType":"List"}`, fhirJSON, http.StatusUnprocessableEntity},
		{"a shortlist that is not a List", `{"resourceType":"Parameters","parameter":[{"name":"shortlist","resource":{"resourceType":"Patient"}}]}`, fhirJSON, http.StatusUnprocessableEntity},
		{"a body that is not JSON", `hello`, "text/plain", http.StatusUnsupportedMediaType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			status, _, body := e.raw(http.MethodPost, adviceCreatePath, tc.body, withHeaders(rcHeaders(), "Content-Type", tc.contentType))
			if status != tc.status {
				t.Errorf("got %d, want %d: %s", status, tc.status, body)
			}
		})
	}
}

func TestAdviceCreateLinksTheAttachedFiles(t *testing.T) {
	const file = "3816ca48-897a-4be0-907d-a4e830b4e213"
	e := newTestEnv(t, func(st *store.State) { adviceFile(st, file, "", "ADVICE_REQUEST", "ecg.txt") })
	sent, err := e.rc().CreateAdviceRequest(adviceCtx(t), ersclient.CreateAdviceRequest{
		NHSNumber: adviceNHS, ServiceID: svcAdvice, Request: "ECG attached.", Priority: ersclient.PriorityRoutine,
		Attachments: []ersclient.FileLink{{BinaryID: file, Description: "ECG"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent.Message.Attachments) != 1 || sent.Message.Attachments[0].ID != file {
		t.Errorf("got attachments %+v, want the ECG", sent.Message.Attachments)
	}
	a := e.adviceOf(sent.UBRN)
	if docs := a.Messages[0].Documents; len(docs) != 1 || docs[0].BinaryID != file || docs[0].Type != "ADVICE_REQUEST" {
		t.Errorf("stored documents %+v", docs)
	}
}

// adviceAll lists the UBRNs of every A&G request in the store.
func (e *testEnv) adviceAll() []string {
	var out []string
	e.store.Read(func(st *store.State) error { //nolint:errcheck // the callback cannot fail
		for u := range st.Advice {
			out = append(out, u)
		}
		return nil
	})
	return out
}
