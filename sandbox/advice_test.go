package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

func TestAdviceRequestSummaryIsReadByBothSides(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	for _, tc := range []struct {
		name   string
		client *ersclient.Client
	}{
		{"the provider's clinician", e.spc()},
		{"the provider's clinician admin acting for a clinician", e.spca()},
		{"the referring clinician", e.rc()},
		{"the referring clinician admin", e.rca()},
		{"the provider's application", e.appClient(appProvider)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ar, err := tc.client.RetrieveAdviceRequest(adviceCtx(t), adviceUBRN)
			if err != nil {
				t.Fatal(err)
			}
			s := ar.Summary()
			if s.UBRN != adviceUBRN || s.Version != "1" || ar.ResponseInfo.Version != "1" {
				t.Errorf("got UBRN %s version %s (ETag %s), want %s version 1", s.UBRN, s.Version, ar.ResponseInfo.Version, adviceUBRN)
			}
			if s.Category != ersclient.AdviceProviderResponseRequired || !s.ConversionAuthorised || s.Status != "active" {
				t.Errorf("got category %s, authorised %v, status %s", s.Category, s.ConversionAuthorised, s.Status)
			}
			if s.ServiceID != svcAdvice || s.ServiceName != "Cardiology Advice" || s.ClinicType != "CARDIOLOGY_GENERAL" {
				t.Errorf("got service %s %q clinic type %s", s.ServiceID, s.ServiceName, s.ClinicType)
			}
			if s.Requester.SDSUserID != userRC || s.Requester.Organisation != orgGP || s.Requester.Role != ersclient.ReferringClinician {
				t.Errorf("got requester %+v, want the referring clinician", s.Requester)
			}
			if s.NHSNumber != adviceNHS || s.Priority != ersclient.PriorityRoutine || s.Specialty != "CARDIOLOGY" || s.SpecialtyName != "Cardiology" {
				t.Errorf("got patient %s priority %s specialty %s %q", s.NHSNumber, s.Priority, s.Specialty, s.SpecialtyName)
			}
			if s.RequestID != "a.00000000-0000-4000-8000-"+adviceUBRN {
				t.Errorf("got request id %s", s.RequestID)
			}
		})
	}
}

func TestAdviceRequestSummaryUsesTheSimulatorsBaseURL(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	status, h, body := e.raw(http.MethodGet, BasePath+"/STU3/CommunicationRequest/"+adviceUBRN, "", spcHeaders())
	if status != http.StatusOK || h.Get("ETag") != `W/"1"` {
		t.Fatalf("got %d ETag %s: %s", status, h.Get("ETag"), body)
	}
	want := e.srv.URL + "/referrals/FHIR/STU3/CodeSystem/SPECIALTY"
	if !strings.Contains(string(body), `"`+want+`"`) || strings.Contains(string(body), "_baseUrl_") {
		t.Errorf("the specialty system is not %s: %s", want, body)
	}
}

func TestAdviceRequestSummaryHasTheShapeOfTheOfficialExample(t *testing.T) {
	official := adviceOfficial(t, "retrieveAdviceAndGuidanceRequest", "responses", "WithAttachmentFileReference.json")
	e := newTestEnv(t, func(st *store.State) {
		adviceWorld(st)
		st.Advice[adviceUBRN].Documents = []store.Document{adviceFile(st, "719f6045-e791-4029-8e0f-1201c02b0a55", adviceUBRN, "REFERRER", "upload.png")}
	})
	_, _, body := e.raw(http.MethodGet, BasePath+"/STU3/CommunicationRequest/"+adviceUBRN, "", spcHeaders())
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	// The contained DocumentReference is H1's rendering, and the official
	// criteria carry the read-only commissioningProvisioning.
	skip := []string{"/contained[]{DocumentReference}", "/contained[]{Parameters}/parameter[]{commissioningProvisioning}"}
	if missing := adviceMissingShape(adviceShape(got), adviceShape(official), skip...); len(missing) > 0 {
		t.Errorf("the summary lacks what the official example has: %v", missing)
	}
}

func TestAdviceRequestSummaryCarriesTheRequestsOwnFiles(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		adviceWorld(st)
		st.Advice[adviceUBRN].Documents = []store.Document{adviceFile(st, "719f6045-e791-4029-8e0f-1201c02b0a55", adviceUBRN, "REFERRER", "upload.png")}
	})
	ar, err := e.spc().RetrieveAdviceRequest(adviceCtx(t), adviceUBRN)
	if err != nil {
		t.Fatal(err)
	}
	cr := ar.Resource
	if len(cr.Payload) != 1 || cr.Payload[0].ContentReference == nil || cr.Payload[0].ContentReference.Reference != "#DocumentReference-719f6045" {
		t.Fatalf("got payload %+v, want the contained file", cr.Payload)
	}
	if _, ok := cr.FindContained("#DocumentReference-719f6045"); !ok {
		t.Errorf("the payload's DocumentReference is not contained")
	}
}

func TestAdviceRequestSummaryRefusals(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	for _, tc := range []struct {
		name    string
		path    string
		headers map[string]string
		status  int
		code    string
	}{
		{"a referring admin's role is refused", adviceUBRN, userHeaders(userRA, ersclient.ReferringAdmin, orgGP), http.StatusForbidden, "NO_ACCESS"},
		{"a provider admin's role is refused", adviceUBRN, userHeaders(userSPA, ersclient.ServiceProviderAdmin, orgTrust), http.StatusForbidden, "NO_ACCESS"},
		{"another trust has no relationship", adviceUBRN, userHeaders(userSPCR69, ersclient.ServiceProviderClinician, orgTrust2), http.StatusUnprocessableEntity, "NO_RELATIONSHIP"},
		{"another practice has no relationship", adviceUBRN, userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), http.StatusUnprocessableEntity, "NO_RELATIONSHIP"},
		{"a request sent to another trust is not this trust's", adviceUBRNOther, spcHeaders(), http.StatusUnprocessableEntity, "NO_RELATIONSHIP"},
		{"a referral's UBRN is the wrong type of request", adviceReferral, spcHeaders(), http.StatusUnprocessableEntity, "INVALID_REQUEST_TYPE"},
		{"an unknown UBRN is not found", "000000099999", spcHeaders(), http.StatusNotFound, "REFERENCE_NOT_FOUND"},
		{"an earlier version is not served", adviceUBRN + "/_history/0", spcHeaders(), http.StatusNotFound, "HISTORY_NOT_SUPPORTED"},
		{"a later version is not served", adviceUBRN + "/_history/2", spcHeaders(), http.StatusNotFound, "HISTORY_NOT_SUPPORTED"},
		{"a version that is no number is not served", adviceUBRN + "/_history/x", spcHeaders(), http.StatusNotFound, "HISTORY_NOT_SUPPORTED"},
		{"the version of someone else's request is not disclosed", adviceUBRNOther + "/_history/1", spcHeaders(), http.StatusUnprocessableEntity, "NO_RELATIONSHIP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, BasePath+"/STU3/CommunicationRequest/"+tc.path, "", tc.headers)
			if status != tc.status || outcomeCode(body) != tc.code {
				t.Errorf("got %d %s, want %d %s: %s", status, outcomeCode(body), tc.status, tc.code, body)
			}
		})
	}
}

func TestAdviceRequestCurrentVersionIsServed(t *testing.T) {
	e := newTestEnv(t, adviceWorld)
	ar, err := e.spc().RetrieveAdviceRequestVersion(adviceCtx(t), adviceUBRN, "1")
	if err != nil {
		t.Fatal(err)
	}
	if ar.Version != "1" || ar.UBRN() != adviceUBRN {
		t.Errorf("got %s version %s", ar.UBRN(), ar.Version)
	}
	_, err = e.spc().RetrieveAdviceRequestVersion(adviceCtx(t), adviceUBRN, "2")
	if !ersclient.IsNotFound(err) {
		t.Errorf("a version that does not exist yet: got %v, want 404", err)
	}
}

func TestAdviceRequestOfAConvertedRequestIsStillReadable(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		adviceWorld(st)
		a := st.Advice[adviceUBRN]
		a.Category, a.Status, a.Converted, a.Version = store.AdviceConverted, "completed", true, 2
		addReferral(st, adviceUBRN, store.StateTriagedToAction, func(r *store.Referral) { r.FromAdvice, r.ServiceID = true, svcAdvice })
	})
	ar, err := e.spc().RetrieveAdviceRequest(adviceCtx(t), adviceUBRN)
	if err != nil {
		t.Fatal(err)
	}
	if s := ar.Summary(); s.Category != ersclient.AdviceConvertedToReferral || s.Status != "completed" {
		t.Errorf("got %s %s, want the converted request", s.Category, s.Status)
	}
}
