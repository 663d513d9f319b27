package sandbox

import (
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The official example messages, sent to a fresh simulator holding the
// examples data set (seed.Examples), get the status the specification
// documents for them: every request file of the official sandbox, and the
// reads and bodiless posts its tests make. This is the promise of
// "--seed examples": a supplier can replay the published examples against
// the simulator.

// exMocksDir is where the official example messages are, relative to
// this package; tests skip when it is absent.
var exMocksDir = filepath.Join("..", "..", "shared", "reference", "ers-api", "sandbox-mocks")

// exNow is the clock of the examples: A011's examples start
// their pathway on 2024-05-01, which must be at most 365 days ago.
var exNow = time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)

// exActor is who sends an example: the official tests' actors.
type exActor struct {
	user string
	bf   ersclient.BusinessFunction
	org  string
	obo  string
}

var (
	exRC   = exActor{seed.ExampleRC, ersclient.ReferringClinician, seed.ExampleReferringOrg, ""}
	exRCA  = exActor{seed.ExampleRCA, ersclient.ReferringClinicianAdmin, seed.ExampleReferringOrg, ""}
	exSPC  = exActor{seed.ExampleSPC, ersclient.ServiceProviderClinician, seed.ExampleProviderOrg, ""}
	exSPCA = exActor{seed.ExampleSPCA, ersclient.ServiceProviderClinicianAdmin, seed.ExampleProviderOrg, seed.ExampleSPCAActsFor}
	// exA030 is the user of the A030 example, who sends no context headers.
	exA030 = exActor{user: "000000000101"}
)

func (a exActor) headers() map[string]string {
	h := map[string]string{HeaderSandboxUser: a.user}
	if a.bf != "" {
		h[headerBusinessFunction], h[headerODS] = string(a.bf), a.org
	}
	if a.obo != "" {
		h[headerOnBehalfOf] = a.obo
	}
	return h
}

// exCase is one example request and what it must get.
type exCase struct {
	method string
	// path is under /referrals/FHIR. "{v}" is replaced by the current
	// version of the record named by version.
	path  string
	actor exActor
	// version names the record whose current version goes in If-Match
	// (when ifMatch is set) and in "{v}": "referral/<ubrn>",
	// "advice/<ubrn>" or "appointment/<id>".
	version string
	ifMatch bool
	headers map[string]string
	status  int
	// code is the error code an error example's outcome must carry.
	code string
}

func exPost(path string, actor exActor, status int) exCase {
	return exCase{method: http.MethodPost, path: path, actor: actor, status: status}
}

// exWrite is a write with If-Match to a referral.
func exWrite(ubrn, operation string, actor exActor) exCase {
	return exCase{method: http.MethodPost, path: "/STU3/ReferralRequest/" + ubrn + "/$ers." + operation, actor: actor,
		version: "referral/" + ubrn, ifMatch: true, status: http.StatusOK}
}

func exGet(path string, actor exActor, status int) exCase {
	return exCase{method: http.MethodGet, path: path, actor: actor, status: status}
}

func (x exCase) at(version string) exCase { x.version = version; return x }

// exRequestCases maps every request file of the official sandbox
// (under sandbox-mocks) to how it is sent. Which referral a path-only write
// goes to is the examples data set's table (seed, addExampleReferrals).
func exRequestCases() map[string]exCase {
	const (
		notBooked = "000000070000"
		bookedDBS = "000000070001"
		bookedIBS = "000000070002"
		deferred  = "000000070003"
		triaged   = "000000070008"
	)
	searchServices := "/STU3/HealthcareService/$ers.searchHealthcareServicesForPatient"
	create, createTriage := "/STU3/ReferralRequest/$ers.createReferral", "/STU3/ReferralRequest/$ers.createReferralAndSendForTriage"
	worklist, adviceWorklist := "/STU3/ReferralRequest/$ers.fetchworklist", "/STU3/CommunicationRequest/$ers.fetchworklist"
	appointment := func(id string, status int, code string) exCase {
		return exCase{method: http.MethodPut, path: "/STU3/Appointment/" + id, actor: exRC,
			version: "appointment/" + id, ifMatch: true, status: status, code: code}
	}
	respond := exCase{method: http.MethodPost, path: "/STU3/CommunicationRequest/000000070000/$ers.sendCommunicationToRequester",
		actor: exSPC, version: "advice/000000070000", ifMatch: true, status: http.StatusOK}
	convert := exPost("/STU3/ReferralRequest/$ers.createFromCommunicationRequestActionLater", exSPC, http.StatusCreated)
	upload := exPost("/STU3/Binary", exRC, http.StatusCreated)
	upload.headers = map[string]string{"Content-Type": "text/plain", "NHSD-eRS-File-Name": "upload.txt", "NHSD-eRS-Referral-ID": notBooked}

	return map[string]exCase{
		"stu3/patientServiceSearch/requests/RcMinimal.json":                                 exPost(searchServices, exRC, 200),
		"stu3/patientServiceSearch/requests/RcSearchByClinicalTerm.json":                    exPost(searchServices, exRC, 200),
		"stu3/patientServiceSearch/requests/RcSearchByNamedClinician.json":                  exPost(searchServices, exRC, 200),
		"stu3/patientServiceSearch/requests/RcSearchForAdviceService.json":                  exPost(searchServices, exRC, 200),
		"stu3/patientServiceSearch/requests/RcSearchWithCommissioningRuleOrganisation.json": exPost(searchServices, exRC, 200),
		"stu3/patientServiceSearch/requests/RcaWithIWT.json":                                exPost(searchServices, exRCA, 200),

		"stu3/createReferral/requests/MinimalRequest.json":                               exPost(create, exRC, 201),
		"stu3/createReferral/requests/RequestTwentyServices.json":                        exPost(create, exRC, 201),
		"stu3/createReferral/requests/RequestMixedShortlist.json":                        exPost(create, exRC, 201),
		"stu3/createReferral/requests/MinimalRequestWithReferringClinician.json":         exPost(create, exRCA, 201),
		"stu3/createReferralAndSendForTriage/requests/Parameters.json":                   exPost(createTriage, exRC, 201),
		"stu3/createReferralAndSendForTriage/requests/ParametersWithNamedClinician.json": exPost(createTriage, exRCA, 201),

		"stu3/maintainReferralLetter/requests/SingleDocumentReference.json":    exWrite(notBooked, "maintainReferralLetter", exRC),
		"stu3/maintainReferralLetter/requests/MultipleDocumentReferences.json": exWrite(bookedDBS, "maintainReferralLetter", exRC),
		"stu3/maintainReferralLetter/requests/UpdateClinicalInfo.json":         exWrite(bookedDBS, "maintainReferralLetter", exRC),

		"stu3/changeShortlist/requests/UnbookedReferral.json":                 exWrite(notBooked, "changeShortlist", exRC),
		"stu3/changeShortlist/requests/UnbookedReferralMultipleServices.json": exWrite(notBooked, "changeShortlist", exRC),
		"stu3/changeShortlist/requests/UnbookedReferralMixedShortlist.json":   exWrite(notBooked, "changeShortlist", exRC),
		"stu3/changeShortlist/requests/NonMixedShortlistWithDocument.json":    exWrite(notBooked, "changeShortlist", exRC),
		"stu3/changeShortlistAndSendForTriage/requests/MinimalRequest.json":   exWrite(notBooked, "changeShortlistAndSendForTriage", exRC),

		"stu3/bookOrDeferAppointment/requests/MinimalBooking.json":                exPost("/STU3/Appointment", exRC, 201),
		"stu3/bookOrDeferAppointment/requests/BookingWithNamedClinician.json":     exPost("/STU3/Appointment", exRC, 201),
		"stu3/bookOrDeferAppointment/requests/MinimalDeferral.json":               exPost("/STU3/Appointment", exRC, 201),
		"stu3/bookOrDeferAppointment/requests/DeferralWithSlotReference.json":     exPost("/STU3/Appointment", exRC, 201),
		"stu3/bookOrDeferAppointment/requests/DeferralBookingAttemptProblem.json": exPost("/STU3/Appointment", exRC, 201),
		"stu3/bookOrDeferAppointment/requests/TriageDeferral.json":                exPost("/STU3/Appointment", exRC, 201),

		"stu3/updateAppointment/requests/MinimalCancellationReasonOnlyCommentNotMandatory.json": appointment("70003", 200, ""),
		"stu3/updateAppointment/requests/CancellationReasonAndMandatoryComment.json":            appointment("70004", 200, ""),
		"stu3/updateAppointment/requests/CancellationReasonOnlyCommentMandatory.json":           appointment("70005", 422, "MISSING_VALUE"),
		"stu3/updateAppointment/requests/CancellationInvalidReason.json":                        appointment("70006", 422, "INAPPROPRIATE_VALUE"),

		"stu3/uploadFileToDocumentStore/requests/upload.txt": upload,

		"stu3/rejectReferral/requests/BasicExampleDbs.json":                                   exWrite(bookedDBS, "rejectReferral", exSPC),
		"stu3/rejectReferral/requests/BasicExampleIbs.json":                                   exWrite(bookedIBS, "rejectReferral", exSPC),
		"stu3/cancelAppointmentActionLater/requests/MinimalExampleDBS.json":                   exWrite(bookedDBS, "cancelAppointmentActionLater", exSPC),
		"stu3/cancelAppointmentActionLater/requests/MinimalExampleIBS.json":                   exWrite(bookedIBS, "cancelAppointmentActionLater", exSPC),
		"stu3/cancelAppointmentActionLater/requests/PriorityChangeAndWithAttachmentsDBS.json": exWrite(bookedDBS, "cancelAppointmentActionLater", exSPC),
		"stu3/recordTriageOutcome/requests/ReturnToReferrerWithAdvice.json":                   exWrite(deferred, "recordReviewOutcome", exSPC),
		"stu3/recordTriageOutcome/requests/AcceptReferBookLater.json":                         exWrite(deferred, "recordReviewOutcome", exSPC),
		"stu3/recordTriageOutcome/requests/AttachmentIncluded.json":                           exWrite(deferred, "recordReviewOutcome", exSPC),

		"stu3/cancelReferral/requests/IntendPrivateWithoutComment.json":     exWrite(notBooked, "cancelReferral", exRC),
		"stu3/cancelReferral/requests/PatientRequestCancellationOther.json": exWrite(notBooked, "cancelReferral", exRC),
		"stu3/cancelReferral/requests/RaisedInError.json":                   exWrite(notBooked, "cancelReferral", exRC),
		"stu3/cancelReferral/requests/ReferrerCancellation.json":            exWrite(bookedIBS, "cancelReferral", exRC),
		"stu3/cancelReferral/requests/NoLongerRequired.json":                exWrite(bookedDBS, "cancelReferral", exRC),
		"stu3/cancelReferral/requests/IntendPrivateWithComment.json":        exWrite(deferred, "cancelReferral", exRC),
		"stu3/cancelReferral/requests/bookedOutsideCabWithoutComment.json":  exWrite(bookedDBS, "cancelReferral", exSPC),
		"stu3/cancelReferral/requests/outpatientService.json":               exWrite(triaged, "cancelReferral", exSPC),

		"stu3/retrieveWorklist/requests/MinimalReferralsForReview.json":                         exPost(worklist, exSPC, 200),
		"stu3/retrieveWorklist/requests/MinimalAppointmentSlotIssues.json":                      exPost(worklist, exSPC, 200),
		"stu3/retrieveWorklist/requests/FilteringBySpecialty.json":                              exPost(worklist, exSPC, 200),
		"stu3/retrieveWorklist/requests/FilteringByService.json":                                exPost(worklist, exSPC, 200),
		"stu3/retrieveWorklist/requests/FilteringByClinician.json":                              exPost(worklist, exSPC, 200),
		"stu3/retrieveWorklist/requests/MinimalRejectedTriageResponse.json":                     exPost(worklist, exRC, 200),
		"stu3/retrieveWorklist/requests/MinimalAssessmentReturnedCancelledDna.json":             exPost(worklist, exRC, 200),
		"stu3/retrieveWorklist/requests/MinimalAwaitingBooking.json":                            exPost(worklist, exRC, 200),
		"stu3/retrieveWorklist/requests/MinimalLettersOutstanding.json":                         exPost(worklist, exRC, 200),
		"stu3/retrieveAdviceAndGuidanceWorklist/requests/MinimalAdviceAndGuidanceRequests.json": exPost(adviceWorklist, exSPC, 200),

		"stu3/createAdviceAndGuidance/requests/ExampleRCAWithAttachments.json":        exPost("/STU3/CommunicationRequest/$ers.createAdviceAndGuidance", exRCA, 200),
		"stu3/createAdviceAndGuidance/requests/ExampleRCWithoutAttachments.json":      exPost("/STU3/CommunicationRequest/$ers.createAdviceAndGuidance", exRC, 200),
		"stu3/sendAdviceAndGuidanceResponse/requests/RequireFurtherInformation.json":  respond,
		"stu3/sendAdviceAndGuidanceResponse/requests/ReturnToReferrerWithAdvice.json": respond,
		"stu3/sendAdviceAndGuidanceResponse/requests/AttachmentIncluded.json":         respond,
		"stu3/convertAdviceAndGuidanceToReferral/requests/NoAttachments.json":         convert,
		"stu3/convertAdviceAndGuidanceToReferral/requests/WithAttachments.json":       convert,
	}
}

func TestEveryOfficialExampleRequestGetsItsDocumentedStatus(t *testing.T) {
	if _, err := os.Stat(exMocksDir); err != nil {
		t.Skipf("the official example messages are not here (%s): %v", exMocksDir, err)
	}
	examples := exRequestCases()
	var files []string
	err := filepath.WalkDir(exMocksDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(filepath.Dir(path)) != "requests" {
			return err
		}
		rel, err := filepath.Rel(exMocksDir, path)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := examples[f]; !ok {
			t.Errorf("official example request %s is not sent by this test", f)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(examples)) {
		t.Run(strings.TrimSuffix(strings.Replace(f, "/requests/", "/", 1), filepath.Ext(f)), func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(exMocksDir, filepath.FromSlash(f)))
			if err != nil {
				t.Fatalf("read %s: %v", f, err)
			}
			exSend(t, examples[f], body)
		})
	}
}

// exReadCases are the examples the official sandbox tests send
// without a request file: reads, and posts without a body.
func exReadCases() map[string]exCase {
	ex := map[string]exCase{}
	for _, cs := range []string{"SPECIALTY", "CLINIC-TYPE", "APPOINTMENT-CANCELLATION-REASON", "REFERRAL-CANCELLATION-REASON",
		"APPOINTMENT-NON-ATTENDANCE-REASON", "PRIORITY"} {
		ex["A004 "+cs] = exGet("/STU3/CodeSystem/"+cs, exRC, 200)
	}
	for _, u := range []string{"000000070000", "000000070001", "000000070002", "000000070003", "000000070004", "000000070005", "000000070011", "000000070012"} {
		ex["A005 "+u] = exGet("/STU3/ReferralRequest/"+u, exRC, 200)
		ex["A005 "+u+" current version"] = exGet("/STU3/ReferralRequest/"+u+"/_history/{v}", exRC, 200).at("referral/" + u)
	}
	for _, u := range []string{"000000070000", "000000070001", "000000070002", "000000070003", "000000070004", "000000070005", "000000070006"} {
		ex["A029 "+u] = exGet("/STU3/Task?focus=ReferralRequest/"+u+"/_history/{v}&intent=proposal&status=ready", exRC, 200).at("referral/" + u)
	}
	ex["A006 attachment"] = exGet("/STU3/Binary/19eb7224-dff3-4730-a5cb-67eac811f1a5", exRC, 200)
	ex["A007 clinical information"] = exPost("/STU3/ReferralRequest/000000070000/$ers.generateCRI", exRC, 200)
	accept := exWrite("000000070001", "acceptReferral", exSPC)
	ex["A013 accept"] = accept
	slots := "/STU3/Slot?schedule.actor:HealthcareService=%s&appointmentType=ROUTINE&_count=%d&status=free&_include=Slot:schedule&page=%d"
	for name, q := range map[string]string{
		"Minimum":             fmt.Sprintf(slots, "12000", 20, 1),
		"NoSlots":             fmt.Sprintf(slots, "10000", 20, 1),
		"Page1PageSize5":      fmt.Sprintf(slots, "11000", 5, 1),
		"Page2PageSize5":      fmt.Sprintf(slots, "11000", 5, 2),
		"Page1With2Schedules": fmt.Sprintf(slots, "13000", 5, 1),
		"SlotClinicianSearch": "/STU3/Slot?schedule.actor:Practitioner=921600556514&" + strings.TrimPrefix(fmt.Sprintf(slots, "14000", 5, 1), "/STU3/Slot?"),
	} {
		x := exGet(q, exRC, 200)
		x.headers = map[string]string{"NHSD-eRS-Comm-Rule-Org": seed.ExampleCommRuleOrg}
		ex["A015 "+name] = x
	}
	page5 := exGet(fmt.Sprintf(slots, "11000", 5, 5), exRC, 400)
	page5.headers, page5.code = map[string]string{"NHSD-eRS-Comm-Rule-Org": seed.ExampleCommRuleOrg}, "INVALID_VALUE"
	ex["A015 ErrorPage5"] = page5
	ex["A019 patient letter"] = exPost("/STU3/ReferralRequest/000000070001/$ers.generatePatientLetter", exRC, 200)
	for _, u := range []string{"000000070000", "000000070001", "000000070002"} {
		ex["A024 "+u] = exGet("/STU3/CommunicationRequest/"+u, exRC, 200)
		ex["A024 "+u+" current version"] = exGet("/STU3/CommunicationRequest/"+u+"/_history/{v}", exRC, 200).at("advice/" + u)
	}
	for _, u := range []string{"000000070000", "000000070001", "000000070002", "000000070003", "000000070004"} {
		ex["A025 "+u] = exGet("/STU3/Communication?based-on=CommunicationRequest/"+u+"/_history/{v}", exRC, 200).at("advice/" + u)
	}
	ex["A025 with every include"] = exGet("/STU3/Communication?based-on=CommunicationRequest/000000070001/_history/{v}"+
		"&_include=Communication:requester-practitionerrole:PractitionerRole"+
		"&_include=Communication:sender-practitionerrole:PractionerRole"+
		"&_include=Communication:content-reference:DocumentReference", exSPC, 200).at("advice/000000070001")
	ex["A030 business functions"] = exGet("/R4/PractitionerRole", exA030, 200)
	ex["A033 minimal service"] = exGet("/R4/HealthcareService/1", exRC, 200)
	ex["A033 full service"] = exGet("/R4/HealthcareService/2", exRC, 200)
	for _, ids := range []string{"1,2", "3,4", "5,6"} {
		ex["A035 "+ids] = exGet("/R4/HealthcareService?_id="+ids, exRC, 200)
	}
	ex["A037 service version"] = exCase{method: http.MethodHead, path: "/R4/HealthcareService/1", actor: exRC, status: 200}
	for i := range 8 {
		id := fmt.Sprint(70000 + i)
		ex["A038 "+id] = exGet("/STU3/Appointment/"+id, exRC, 200)
		ex["A038 "+id+" current version"] = exGet("/STU3/Appointment/"+id+"/_history/{v}", exRC, 200).at("appointment/" + id)
	}
	ex["A040 on-behalf-of users"] = exGet("/R4/Practitioner?_query=onBehalfOf", exSPCA, 200)
	for _, u := range []string{"000000070000", "000000070001", "000000070002", "000000070003"} {
		ex["A041 "+u] = exGet("/R4/ServiceRequest?identifier="+u, exRC, 200)
	}
	ex["A041 with system"] = exGet("/R4/ServiceRequest?identifier=https://fhir.nhs.uk/Id/UBRN|000000070000", exRC, 200)
	ex["A042 attachment"] = exGet("/R4/Binary/19eb7224-dff3-4730-a5cb-67eac811f1a5", exRC, http.StatusTemporaryRedirect)
	ex["A043 advice overview"] = exPost("/STU3/CommunicationRequest/000000070000/$ers.generateCRI", exRC, 200)
	return ex
}

func TestEveryOfficialReadExampleAnswersOnTheExamplesData(t *testing.T) {
	examples := exReadCases()
	for _, name := range slices.Sorted(maps.Keys(examples)) {
		t.Run(name, func(t *testing.T) { exSend(t, examples[name], nil) })
	}
}

// exSend sends one example to a fresh examples simulator and
// checks the status (and the error code of an error example).
func exSend(t *testing.T, x exCase, body []byte) {
	t.Helper()
	st := store.New(func() *store.State { return seed.Examples(exNow) }, func() time.Time { return exNow })
	e := newTestEnvWith(t, st, Options{})
	headers := x.actor.headers()
	for k, v := range x.headers {
		headers[k] = v
	}
	path := x.path
	if x.version != "" {
		v := exVersion(t, st, x.version)
		path = strings.ReplaceAll(path, "{v}", fmt.Sprint(v))
		if x.ifMatch {
			headers["If-Match"] = etag(v)
		}
	}
	// The examples write _baseUrl_ (or _baseurl_) where a client puts the
	// service's base URL.
	b := strings.NewReplacer("_baseUrl_", e.srv.URL+BasePath, "_baseurl_", e.srv.URL+BasePath).Replace(string(body))
	status, _, resp := e.raw(x.method, BasePath+path, b, headers)
	if status != x.status {
		t.Fatalf("%s %s as %s answered %d, want %d: %s", x.method, path, x.actor.bf, status, x.status, exSnippet(resp))
	}
	if x.code != "" {
		if code := outcomeCode(resp); code != x.code {
			t.Errorf("%s %s answered %d with code %q, want %q: %s", x.method, path, status, code, x.code, exSnippet(resp))
		}
	}
}

// exVersion is the version of a record ("referral/<ubrn>",
// "advice/<ubrn>", "appointment/<id>") in the store.
func exVersion(t *testing.T, s *store.Store, record string) int {
	t.Helper()
	kind, id, _ := strings.Cut(record, "/")
	v := 0
	s.Read(func(st *store.State) error { //nolint:errcheck // the callback returns nil
		switch kind {
		case "referral":
			if r := st.Referrals[id]; r != nil {
				v = r.Version
			}
		case "advice":
			if a := st.Advice[id]; a != nil {
				v = a.Version
			}
		case "appointment":
			if a := st.Appointments[id]; a != nil {
				v = a.Version
			}
		}
		return nil
	})
	if v == 0 {
		t.Fatalf("the examples data set has no %s", record)
	}
	return v
}

// exSnippet shortens a response body for a failure message.
func exSnippet(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}
