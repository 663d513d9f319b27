package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Services the service tests add to the base world.
const (
	svcFull       = "2"     // the official full example's attributes
	svcMinimal    = "1"     // the official minimal example's attributes
	svcRestricted = "31000" // visible to the other practice only
)

func h5ServiceWorld(st *store.State) {
	st.Services[svcMinimal] = &store.Service{ID: svcMinimal, Version: 1, Name: "Direct Service With Minimal", Org: orgTrust2, Site: "R6901", Active: true}
	st.Services[svcFull] = &store.Service{ID: svcFull, Version: 1, Name: "Direct SVC 1", Org: orgTrust2, Site: "R6901",
		AppointmentTypes: []string{"DAY_CASE"}, Flow: store.FlowBookable, Bookable: store.DirectlyBookable,
		Hours: "9-5 Mon-Fri", Instructions: "Instructions", Phone: "01234567890", Email: "service@email.com", Active: true}
	st.Services[svcRestricted] = &store.Service{ID: svcRestricted, Version: 3, Name: "Restricted Clinic", Org: orgTrust, Site: "RCD02",
		Flow: store.FlowBookable, Bookable: store.DirectlyBookable, RestrictedTo: []string{orgGP2}, Active: true}
}

func h5ServiceEnv(t *testing.T) *testEnv { return newTestEnv(t, h5ServiceWorld) }

func TestRetrieveServiceDescribesTheService(t *testing.T) {
	e := h5ServiceEnv(t)
	s, err := e.rc().RetrieveService(h5Ctx(t), svcDBS)
	if err != nil {
		t.Fatal(err)
	}
	d := s.Detail()
	if s.Version != "1" || s.ETag != `W/"1"` || d.ID != svcDBS || d.Name != "Cardiology Outpatients" || !d.Active {
		t.Errorf("version %q etag %q detail %+v", s.Version, s.ETag, d)
	}
	if !d.DirectlyBookable() || !d.Supports(ersclient.ServiceFlowBookable) || !slices.Equal(d.Locations, []string{orgTrust + "01"}) {
		t.Errorf("bookable %v flows %v locations %v", d.BookableType, d.RequestFlowTypes, d.Locations)
	}
	if len(d.AppointmentTypes) != 1 || d.AppointmentTypes[0].Code != "FIRST_OUTPATIENT" || d.AppointmentTypes[0].Display != "First Outpatient" {
		t.Errorf("appointment types %+v", d.AppointmentTypes)
	}
	triage, err := e.rca().RetrieveService(h5Ctx(t), svcTriage)
	if err != nil || !triage.Detail().Supports(ersclient.ServiceFlowReview) {
		t.Errorf("triage service: %v %+v", err, triage.Detail())
	}
	full, err := e.rc().RetrieveService(h5Ctx(t), svcFull)
	if err != nil {
		t.Fatal(err)
	}
	fd := full.Detail()
	if fd.HoursOfOperation != "9-5 Mon-Fri" || fd.Instructions != "Instructions" || len(fd.Contacts) != 2 ||
		fd.Contacts[0].PurposeCode != "PATINF" || fd.Contacts[0].Value != "01234567890" ||
		fd.Contacts[1].PurposeCode != "HEALTHCARE_PROFESSIONALS" || fd.Contacts[1].System != "email" {
		t.Errorf("full service detail %+v", fd)
	}
}

func TestRetrieveServiceHeaders(t *testing.T) {
	e := h5ServiceEnv(t)
	status, h, _ := e.raw(http.MethodGet, BasePath+"/R4/HealthcareService/"+svcRestricted, "", userHeaders(userRC2, ersclient.ReferringClinician, orgGP2))
	if status != 200 || h.Get("ETag") != `W/"3"` || h.Get("Cache-Control") != "no-cache" || h.Get("Content-Type") != fhirJSON {
		t.Errorf("status %d ETag %q Cache-Control %q Content-Type %q", status, h.Get("ETag"), h.Get("Cache-Control"), h.Get("Content-Type"))
	}
}

func TestRetrieveServiceHasTheShapeOfTheOfficialExamples(t *testing.T) {
	e := h5ServiceEnv(t)
	for _, tc := range []struct{ id, file string }{
		{svcMinimal, "sampleServiceWithMinimumAttributes.json"},
		{svcFull, "sampleServiceWithFullAttributes.json"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			want := h5Fixture(t, e, "r4", "getService", "responses", tc.file)
			_, _, body := e.raw(http.MethodGet, BasePath+"/R4/HealthcareService/"+tc.id, "", userHeaders(userRC, ersclient.ReferringClinician, orgGP))
			got := h5JSON(t, body)
			// The single-service examples leave out `active`, the search
			// examples have it; the simulator always says.
			if got["active"] != true {
				t.Errorf("active = %v", got["active"])
			}
			h5SameJSON(t, "service "+tc.id, got, want, "active")
		})
	}
}

func TestRetrieveServiceRefusals(t *testing.T) {
	e := h5ServiceEnv(t)
	cases := []struct {
		name    string
		id      string
		headers map[string]string
		status  int
		code    string
	}{
		{"an unknown service is 404", "99999", userHeaders(userRC, ersclient.ReferringClinician, orgGP), 404, "REC_NOT_FOUND"},
		{"a malformed id is 404", "abc", userHeaders(userRC, ersclient.ReferringClinician, orgGP), 404, "REC_NOT_FOUND"},
		{"a restricted service is hidden from other referrers", svcRestricted, userHeaders(userRC, ersclient.ReferringClinician, orgGP), 403, "NO_RELATIONSHIP"},
		{"a provider clinician may not read services", svcDBS, userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust), 403, "ACCESS_DENIED"},
		{"a referring admin may not read services", svcDBS, userHeaders(userRA, ersclient.ReferringAdmin, orgGP), 403, "ACCESS_DENIED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, BasePath+"/R4/HealthcareService/"+tc.id, "", tc.headers)
			if status != tc.status || outcomeCode(body) != tc.code {
				t.Errorf("status %d %s, want %d %s", status, body, tc.status, tc.code)
			}
		})
	}
	if _, err := e.rc().RetrieveService(h5Ctx(t), "99999"); !ersclient.IsNotFound(err) {
		t.Errorf("client error %v, want not found", err)
	}
	if _, err := e.appClient(appReferrer).RetrieveService(h5Ctx(t), svcDBS); err != nil {
		t.Errorf("a referrer application was refused: %v", err)
	}
}

func TestServiceVersionIsAHeadWithTheETagOnly(t *testing.T) {
	e := h5ServiceEnv(t)
	status, h, body := e.raw(http.MethodHead, BasePath+"/R4/HealthcareService/"+svcRestricted, "", userHeaders(userRC2, ersclient.ReferringClinician, orgGP2))
	if status != 200 || h.Get("ETag") != `W/"3"` || len(body) != 0 || h.Get("Cache-Control") != "no-cache" {
		t.Errorf("status %d ETag %q body %q", status, h.Get("ETag"), body)
	}
	v, _, err := e.rca().RetrieveServiceVersion(h5Ctx(t), svcDBS)
	if err != nil || v != "1" {
		t.Errorf("version %q, %v", v, err)
	}
	cases := []struct {
		name    string
		id      string
		headers map[string]string
		status  int
	}{
		{"an unknown service is 404", "99999", userHeaders(userRC, ersclient.ReferringClinician, orgGP), 404},
		{"a restricted service is 403", svcRestricted, userHeaders(userRC, ersclient.ReferringClinician, orgGP), 403},
		{"a provider clinician is refused", svcDBS, userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust), 403},
		{"a referrer application may ask", svcDBS, map[string]string{HeaderSandboxApp: appReferrer, HeaderSandboxAppRestricted: "true"}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodHead, BasePath+"/R4/HealthcareService/"+tc.id, "", tc.headers)
			if status != tc.status || len(body) != 0 {
				t.Errorf("status %d body %q, want %d and no body", status, body, tc.status)
			}
		})
	}
}

// TestAServiceCacheSeesAServiceChange is the A037/A033 revalidation a
// client does: the HEAD tells it the cached copy is stale after a change.
func TestAServiceCacheSeesAServiceChange(t *testing.T) {
	e := h5ServiceEnv(t)
	cache := ersclient.NewServiceCache(e.rc())
	d, err := cache.Get(h5Ctx(t), svcDBS)
	if err != nil || d.Name != "Cardiology Outpatients" {
		t.Fatalf("first get: %+v %v", d, err)
	}
	e.store.Write("", func(st *store.State) error { //nolint:errcheck // cannot fail
		svc := st.Services[svcDBS]
		svc.Name, svc.Version = "Cardiology Outpatients (moved)", svc.Version+1
		return nil
	})
	d, err = cache.Get(h5Ctx(t), svcDBS)
	if err != nil || d.Name != "Cardiology Outpatients (moved)" || d.Version != "2" {
		t.Errorf("after the change: %+v %v", d, err)
	}
}

func TestSearchServicesByID(t *testing.T) {
	e := h5ServiceEnv(t)
	list, err := e.rc().SearchServices(h5Ctx(t), []string{svcIBS, svcDBS, "99999"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range list.Services {
		ids = append(ids, s.ID)
	}
	if list.Total != 2 || !slices.Equal(ids, []string{svcIBS, svcDBS}) || list.Services[0].BookableType != store.IndirectlyBookable {
		t.Errorf("total %d ids %v", list.Total, ids)
	}
	b := list.Resource
	if b.Type != "searchset" || b.LinkURL("self") != e.srv.URL+BasePath+"/R4/HealthcareService?_id=11001,11000,99999" ||
		b.Entry[0].FullURL != e.srv.URL+BasePath+"/R4/HealthcareService/11001" || b.Entry[0].Search.Mode != "match" {
		t.Errorf("bundle type %q self %q entry %q", b.Type, b.LinkURL("self"), b.Entry[0].FullURL)
	}
	none, err := e.rca().SearchServices(h5Ctx(t), []string{"5", "6"})
	if err != nil || none.Total != 0 || len(none.Services) != 0 || none.Resource.Total == nil {
		t.Errorf("unknown ids: %+v %v", none, err)
	}
	app, err := e.appClient(appReferrer).SearchServices(h5Ctx(t), []string{svcDBS})
	if err != nil || app.Total != 1 {
		t.Errorf("referrer application: %v", err)
	}
}

func TestSearchServicesRefusals(t *testing.T) {
	e := h5ServiceEnv(t)
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprint(100 + i)
	}
	rc := userHeaders(userRC, ersclient.ReferringClinician, orgGP)
	cases := []struct {
		name    string
		query   string
		headers map[string]string
		status  int
		code    string
	}{
		{"twenty ids are allowed", "_id=" + strings.Join(many[:20], ","), rc, 200, ""},
		{"twenty-one ids are too many", "_id=" + strings.Join(many, ","), rc, 400, "REC_BAD_REQUEST"},
		{"_id is required", "", rc, 400, "REC_BAD_REQUEST"},
		{"an empty _id is refused", "_id=", rc, 400, "REC_BAD_REQUEST"},
		{"an empty id in the list is refused", "_id=1,,2", rc, 400, "REC_BAD_REQUEST"},
		{"a non-numeric id is refused", "_id=1,abc", rc, 400, "REC_BAD_REQUEST"},
		{"a repeated _id is refused", "_id=1&_id=2", rc, 400, "REC_BAD_REQUEST"},
		{"an unknown parameter is refused", "_id=1&name=x", rc, 400, "REC_BAD_REQUEST"},
		{"a restricted service in the list is 403", "_id=" + svcDBS + "," + svcRestricted, rc, 403, "NO_RELATIONSHIP"},
		{"the referrer it is restricted to sees it", "_id=" + svcRestricted, userHeaders(userRC2, ersclient.ReferringClinician, orgGP2), 200, ""},
		{"a provider clinician is refused", "_id=1", userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust), 403, "ACCESS_DENIED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, BasePath+"/R4/HealthcareService?"+tc.query, "", tc.headers)
			if status != tc.status || (tc.code != "" && outcomeCode(body) != tc.code) {
				t.Errorf("status %d %s, want %d %s", status, body, tc.status, tc.code)
			}
		})
	}
}

func TestSearchServicesHasTheShapeOfTheOfficialExamples(t *testing.T) {
	e := newTestEnv(t, func(st *store.State) {
		h5ServiceWorld(st)
		// Services 3 and 4 of the official example.
		st.Services["3"] = &store.Service{ID: "3", Version: 1, Name: "Direct SVC 1", Site: "R6901", AppointmentTypes: []string{"DAY_CASE"},
			Flow: store.FlowBookable, Bookable: store.IndirectlyBookable, Hours: "9-5 Mon-Fri", Instructions: "Instructions",
			Phone: "01234567890", Email: "service@email.com", Active: true}
		st.Services["4"] = &store.Service{ID: "4", Version: 1, Name: "Direct SVC 2", Site: "R6901", AppointmentTypes: []string{"DAY_CASE"},
			Flow: store.FlowBookable, Bookable: store.DirectlyBookable, Active: true}
	})
	for _, tc := range []struct{ ids, file string }{
		{"3,4", "searchServiceWithMaxAndMinAttributes.json"},
		{"5,6", "searchServiceWithEmptyResponse.json"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			want := h5Fixture(t, e, "r4", "searchForServices", "responses", tc.file)
			_, _, body := e.raw(http.MethodGet, BasePath+"/R4/HealthcareService?_id="+tc.ids, "", userHeaders(userRC, ersclient.ReferringClinician, orgGP))
			got := h5JSON(t, body)
			h5SameJSON(t, "bundle", got, want, "id", "meta", "timestamp", "entry")
			gotEntries, _ := got["entry"].([]any)
			wantEntries, _ := want["entry"].([]any)
			if len(gotEntries) != len(wantEntries) {
				t.Fatalf("%d entries, want %d", len(gotEntries), len(wantEntries))
			}
			for i := range wantEntries {
				g, w := gotEntries[i].(map[string]any), wantEntries[i].(map[string]any)
				h5SameJSON(t, "entry", g, w, "resource")
				// The example's resources carry ids 1 and 2 under fullUrls 3
				// and 4, a slip of the example; the simulator's agree.
				h5SameJSON(t, "entry resource", g["resource"].(map[string]any), w["resource"].(map[string]any), "id")
			}
		})
	}
}

func TestHealthcareServiceLeavesOutWhatTheServiceLacks(t *testing.T) {
	e := h5ServiceEnv(t)
	s, err := e.rc().RetrieveService(h5Ctx(t), svcMinimal)
	if err != nil {
		t.Fatal(err)
	}
	hs := s.Resource
	if len(hs.Extension) != 0 || !hs.Type.IsZero() || len(hs.Characteristic) != 0 || hs.Location[0].Identifier.Value != "R6901" {
		t.Errorf("minimal service rendered with %+v", hs)
	}
	advice, err := e.rc().RetrieveService(h5Ctx(t), svcAdvice)
	if err != nil {
		t.Fatal(err)
	}
	if ch := advice.Resource.Characteristic; len(ch) != 1 || ch[0].Coding[0].Code != store.FlowAdvice || ch[0].Coding[0].System != fhir.CSRequestFlowTypeR4 {
		t.Errorf("advice service characteristics %+v", ch)
	}
}
