package ersclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestTheCatalogueHasFortyOperations(t *testing.T) {
	ops := Catalogue()
	if len(ops) != 40 {
		t.Fatalf("%d operations, want 40", len(ops))
	}
	seen := map[OperationID]bool{}
	for _, o := range ops {
		if seen[o.ID] {
			t.Errorf("%s listed twice", o.ID)
		}
		seen[o.ID] = true
		if !strings.HasPrefix(o.Path, "/"+string(o.Version)+"/") {
			t.Errorf("%s: path %q is not under /%s/", o.ID, o.Path, o.Version)
		}
		if o.IfMatch && !o.Write {
			t.Errorf("%s needs If-Match but is not a write", o.ID)
		}
		for _, r := range o.Roles {
			if !r.Valid() {
				t.Errorf("%s: role %q is not a header role", o.ID, r)
			}
		}
	}
	for _, missing := range []OperationID{"A009", "A017", "A018", "A039"} {
		if seen[missing] {
			t.Errorf("%s does not exist in the API", missing)
		}
	}
}

func TestOnlyTheDocumentedWritesAreAllowedToApplications(t *testing.T) {
	var appWrites []string
	for _, o := range Catalogue() {
		if o.AppRestricted && o.Write {
			appWrites = append(appWrites, string(o.ID))
		}
	}
	if got := strings.Join(appWrites, ","); got != "A013,A028,A036" {
		t.Errorf("application-restricted writes = %s, want A013,A028,A036", got)
	}
}

// The gateway's allow-list and the simulator route by these patterns, so
// every one must register in a ServeMux and route to itself.
func TestEveryPathRoutesToItsOwnOperation(t *testing.T) {
	mux := http.NewServeMux()
	for _, o := range Catalogue() {
		pattern := o.Method + " /FHIR" + o.Path
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Op", string(o.ID))
		})
	}
	for _, o := range Catalogue() {
		path := "/FHIR" + o.expand("000000070000", "5")
		req := httptest.NewRequest(o.Method, path, nil)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if got := rec.Header().Get("X-Op"); got != string(o.ID) {
			t.Errorf("%s %s routed to %q, want %s", o.Method, path, got, o.ID)
		}
	}
}

func TestRolesFollowTheDigest(t *testing.T) {
	cases := []struct {
		op      OperationID
		role    BusinessFunction
		allowed bool
	}{
		{OpRetrieveWorklist, ReferringAdmin, true},
		{OpRetrieveWorklist, ServiceProviderAdmin, true},
		{OpAcceptReferral, ServiceProviderAdmin, false},
		{OpAcceptReferral, ServiceProviderClinicianAdmin, true},
		{OpCreateReferral, ServiceProviderClinician, false},
		{OpRetrieveOnBehalfOfUsers, ServiceProviderClinician, false},
		{OpRetrieveOnBehalfOfUsers, ServiceProviderClinicianAdmin, true},
		{OpRetrieveBusinessFunctions, Commissioner, true},
		{OpAdviceWorklist, ReferringClinician, false},
	}
	for _, c := range cases {
		o, _ := LookupOperation(c.op)
		if got := o.Allows(c.role); got != c.allowed {
			t.Errorf("%s allows %s = %v, want %v", c.op, c.role, got, c.allowed)
		}
	}
}

// operationMethods names the Client method that performs each operation.
var operationMethods = map[OperationID]string{
	OpRetrieveReferenceData: "RetrieveReferenceData", OpRetrieveReferral: "RetrieveReferral",
	OpRetrieveReferralVersion: "RetrieveReferralVersion", OpRetrieveAttachmentLegacy: "RetrieveAttachmentLegacy",
	OpRetrieveClinicalInfo: "RetrieveClinicalInformation", OpRetrieveWorklist: "RetrieveWorklist",
	OpPatientServiceSearch: "SearchServicesForPatient", OpCreateReferral: "CreateReferral",
	OpMaintainReferralLetter: "MaintainReferralLetters", OpAcceptReferral: "AcceptReferral",
	OpRejectReferral: "RejectReferral", OpRetrieveSlots: "RetrieveSlots", OpBookOrDefer: "BookAppointment",
	OpGeneratePatientLetter: "GeneratePatientLetter", OpUploadFile: "UploadFile",
	OpCreateReferralAndTriage: "CreateReferralAndSendForTriage", OpCancelApptActionLater: "CancelAppointmentActionLater",
	OpAdviceWorklist: "RetrieveAdviceWorklist", OpRetrieveAdviceRequest: "RetrieveAdviceRequest",
	OpRetrieveAdviceRequestVer: "RetrieveAdviceRequestVersion", OpRetrieveAdviceThread: "RetrieveAdviceConversation",
	OpSendAdviceResponse: "SendAdviceResponse", OpConvertAdviceToReferral: "ConvertAdviceToReferral",
	OpRecordReviewOutcome: "RecordReviewOutcome", OpAvailableActions: "AvailableActions",
	OpRetrieveBusinessFunctions: "RetrieveBusinessFunctions", OpChangeShortlist: "ChangeShortlist",
	OpChangeShortlistAndTriage: "ChangeShortlistAndSendForTriage", OpRetrieveService: "RetrieveService",
	OpCancelAppointment: "CancelAppointment", OpSearchServices: "SearchServices", OpCancelReferral: "CancelReferral",
	OpRetrieveServiceVersion: "RetrieveServiceVersion", OpRetrieveAppointment: "RetrieveAppointment",
	OpRetrieveAppointmentVer: "RetrieveAppointmentVersion", OpRetrieveOnBehalfOfUsers: "RetrieveOnBehalfOfUsers",
	OpSearchServiceRequest: "SearchServiceRequests", OpRetrieveAttachment: "RetrieveAttachment",
	OpRetrieveAdviceOverviewPDF: "RetrieveAdviceOverview", OpCreateAdviceRequest: "CreateAdviceRequest",
}

func TestEveryOperationHasATypedMethod(t *testing.T) {
	client := reflect.TypeOf(&Client{})
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	for _, o := range Catalogue() {
		name, ok := operationMethods[o.ID]
		if !ok {
			t.Errorf("%s has no method listed", o.ID)
			continue
		}
		m, ok := client.MethodByName(name)
		if !ok {
			t.Errorf("%s: Client has no method %s", o.ID, name)
			continue
		}
		// Receiver, then ctx first; an error last.
		if m.Type.NumIn() < 2 || m.Type.In(1) != ctxType {
			t.Errorf("%s: %s does not take a context first", o.ID, name)
		}
		if out := m.Type.NumOut(); out == 0 || m.Type.Out(out-1) != reflect.TypeOf((*error)(nil)).Elem() {
			t.Errorf("%s: %s does not return an error last", o.ID, name)
		}
	}
	if len(operationMethods) != len(Catalogue()) {
		t.Errorf("%d methods listed for %d operations", len(operationMethods), len(Catalogue()))
	}
}
