package ersclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

func TestRetrieveServiceShowsTheServiceInformation(t *testing.T) {
	t.Run("a service with every attribute", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Header: map[string]string{"ETag": `W/"1"`, "Cache-Control": "no-cache"},
			Body: fixture(t, "r4/getService/responses/sampleServiceWithFullAttributes.json")})
		s, err := testClient(t, ts, asReferrer).RetrieveService(context.Background(), "2")
		if err != nil {
			t.Fatal(err)
		}
		journeyRequestOf(t, ts, asReferrer, http.MethodGet, "/FHIR/R4/HealthcareService/2")
		d := s.Detail()
		if d.ID != "2" || d.Version != "1" || d.Name != "Direct SVC 1" || !d.Active || s.Version != "1" {
			t.Errorf("detail %+v", d)
		}
		if len(d.AppointmentTypes) != 1 || d.AppointmentTypes[0].Code != "DAY_CASE" || d.AppointmentTypes[0].Display != "Day Case" {
			t.Errorf("appointment types %+v", d.AppointmentTypes)
		}
		if !reflect.DeepEqual(d.RequestFlowTypes, []string{ServiceFlowBookable}) || !d.Supports(ServiceFlowBookable) || d.Supports(ServiceFlowReview) ||
			!d.DirectlyBookable() {
			t.Errorf("flows %v bookable %q", d.RequestFlowTypes, d.BookableType)
		}
		if !reflect.DeepEqual(d.Locations, []string{"R6901"}) || d.HoursOfOperation != "9-5 Mon-Fri" || d.Instructions != "Instructions" {
			t.Errorf("locations %v hours %q instructions %q", d.Locations, d.HoursOfOperation, d.Instructions)
		}
		want := []ServiceContact{
			{Purpose: "Patient", PurposeCode: "PATINF", System: "phone", Value: "01234567890"},
			{Purpose: "Healthcare Professionals", PurposeCode: "HEALTHCARE_PROFESSIONALS", System: "email", Value: "service@email.com"},
		}
		if !reflect.DeepEqual(d.Contacts, want) {
			t.Errorf("contacts %+v", d.Contacts)
		}
	})
	t.Run("a service with the fewest attributes", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Header: map[string]string{"ETag": `W/"1"`},
			Body: fixture(t, "r4/getService/responses/sampleServiceWithMinimumAttributes.json")})
		s, err := testClient(t, ts, asReferrer).RetrieveService(context.Background(), "1")
		if err != nil {
			t.Fatal(err)
		}
		d := s.Detail()
		if d.Name != "Direct Service With Minimal" || d.BookableType != "" || len(d.Contacts) != 0 || !reflect.DeepEqual(d.Locations, []string{"R6901"}) {
			t.Errorf("detail %+v", d)
		}
	})
	t.Run("a service type sent as a single object", func(t *testing.T) {
		body := []byte(`{"resourceType":"HealthcareService","id":"9","meta":{"versionId":"4"},"name":"X","active":false,
			"type":{"coding":[{"system":"https://fhir.nhs.uk/CodeSystem/eRS-AppointmentType","code":"DIAGNOSTIC","display":"Diagnostic"}]}}`)
		ts := newTestServer(t, reply{Status: 200, Body: body})
		s, err := testClient(t, ts, asReferrer).RetrieveService(context.Background(), "9")
		if err != nil {
			t.Fatal(err)
		}
		if d := s.Detail(); len(d.AppointmentTypes) != 1 || d.AppointmentTypes[0].Code != "DIAGNOSTIC" || d.Active || d.Version != "4" {
			t.Errorf("detail %+v", d)
		}
	})
	errs := []struct {
		name  string
		reply reply
		check func(error) bool
	}{
		{"an unknown service", reply{Status: 404, Body: fixture(t, "r4/NHSDigital-OperationOutcome-404.json")}, IsNotFound},
		{"no relationship with the service", reply{Status: 403, Body: fixture(t, "r4/NHSDigital-OperationOutcome-403.json")}, IsForbidden},
		{"an expired sign-in", reply{Status: 401, Body: fixture(t, "r4/NHSDigital-OperationOutcome-401.json")}, NeedsReauthentication},
	}
	for _, c := range errs {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.reply)
			_, err := testClient(t, ts, asReferrer).RetrieveService(context.Background(), "2")
			if !c.check(err) {
				t.Errorf("error %v does not match", err)
			}
		})
	}
	t.Run("an id with a slash is refused", func(t *testing.T) {
		ts := newTestServer(t)
		_, err := testClient(t, ts, asReferrer).RetrieveService(context.Background(), "2/_history")
		journeyRefusedBeforeSending(t, ts, err)
	})
}

func TestRetrieveServiceVersionReadsTheETag(t *testing.T) {
	t.Run("the version is the ETag's number", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200, Header: map[string]string{"ETag": `W/"1"`}})
		v, info, err := testClient(t, ts, asReferrer).RetrieveServiceVersion(context.Background(), "1")
		if err != nil {
			t.Fatal(err)
		}
		journeyRequestOf(t, ts, asReferrer, http.MethodHead, "/FHIR/R4/HealthcareService/1")
		if v != "1" || info.ETag != `W/"1"` {
			t.Errorf("version %q, ETag %q", v, info.ETag)
		}
	})
	t.Run("an answer without an ETag is a bad response", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 200})
		_, _, err := testClient(t, ts, asReferrer).RetrieveServiceVersion(context.Background(), "1")
		if e, ok := AsError(err); !ok || e.Kind != KindBadResponse {
			t.Errorf("error %v", err)
		}
	})
	t.Run("an unknown service", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 404})
		_, _, err := testClient(t, ts, asReferrer).RetrieveServiceVersion(context.Background(), "77")
		if !IsNotFound(err) {
			t.Errorf("error %v", err)
		}
	})
	t.Run("no id is refused", func(t *testing.T) {
		ts := newTestServer(t)
		_, _, err := testClient(t, ts, asReferrer).RetrieveServiceVersion(context.Background(), "")
		journeyRefusedBeforeSending(t, ts, err)
	})
}

func TestSearchServicesByID(t *testing.T) {
	cases := []struct {
		name, example string
		ids           []string
		names         []string
	}{
		{"two services with few attributes", "searchServiceWithMinmumalAttributes", []string{"1", "2"}, []string{"Direct SVC 1", "Direct SVC 2"}},
		{"services with many and few attributes", "searchServiceWithMaxAndMinAttributes", []string{"3", "4"}, []string{"Direct SVC 1", "Direct SVC 2"}},
		{"ids e-RS does not know", "searchServiceWithEmptyResponse", []string{"5", "6"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "r4/searchForServices/responses/"+c.example+".json")})
			list, err := testClient(t, ts, asReferrer).SearchServices(context.Background(), c.ids)
			if err != nil {
				t.Fatal(err)
			}
			r := journeyRequestOf(t, ts, asReferrer, http.MethodGet, "/FHIR/R4/HealthcareService")
			if want := map[string][]string{"_id": {c.ids[0] + "," + c.ids[1]}}; !reflect.DeepEqual(r.Query, want) {
				t.Errorf("query %v, want %v", r.Query, want)
			}
			var names []string
			for _, s := range list.Services {
				names = append(names, s.Name)
			}
			if !reflect.DeepEqual(names, c.names) || list.Total != len(c.names) {
				t.Errorf("services %v (total %d), want %v", names, list.Total, c.names)
			}
		})
	}
	var twentyOne []string
	for i := 0; i < 21; i++ {
		twentyOne = append(twentyOne, fmt.Sprint(i+1))
	}
	for _, c := range []struct {
		name string
		ids  []string
	}{{"no ids", nil}, {"21 ids", twentyOne}, {"an id twice", []string{"1", "1"}}, {"an id with a comma", []string{"1,2"}}, {"an empty id", []string{""}}} {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			_, err := testClient(t, ts, asReferrer).SearchServices(context.Background(), c.ids)
			journeyRefusedBeforeSending(t, ts, err)
		})
	}
	t.Run("too many ids by e-RS's count is a bad request", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 400, Body: fixture(t, "r4/NHSDigital-OperationOutcome-400.json")})
		_, err := testClient(t, ts, asReferrer).SearchServices(context.Background(), []string{"1"})
		if !HasCode(err, "REC_BAD_REQUEST") {
			t.Errorf("error %v", err)
		}
	})
}

func TestServiceCacheRevalidatesWithOneHead(t *testing.T) {
	full := fixture(t, "r4/getService/responses/sampleServiceWithFullAttributes.json")
	ts := newTestServer(t,
		reply{Status: 200, Header: map[string]string{"ETag": `W/"1"`}, Body: full}, // first Get: A033
		reply{Status: 200, Header: map[string]string{"ETag": `W/"1"`}},             // second Get: A037, unchanged
		reply{Status: 200, Header: map[string]string{"ETag": `W/"2"`}},             // third Get: A037, changed
		reply{Status: 200, Header: map[string]string{"ETag": `W/"2"`}, Body: []byte(`{"resourceType":"HealthcareService","id":"2","meta":{"versionId":"2"},"name":"Renamed"}`)},
	)
	cache := NewServiceCache(testClient(t, ts, asReferrer))
	ctx := context.Background()
	first, err := cache.Get(ctx, "2")
	if err != nil || first.Name != "Direct SVC 1" || len(ts.Requests) != 1 || ts.Requests[0].Method != http.MethodGet {
		t.Fatalf("first get %+v, %v, requests %d", first, err, len(ts.Requests))
	}
	t.Run("an unchanged version costs one HEAD and no GET", func(t *testing.T) {
		again, err := cache.Get(ctx, "2")
		if err != nil {
			t.Fatal(err)
		}
		if len(ts.Requests) != 2 || ts.Requests[1].Method != http.MethodHead || ts.Requests[1].Path != "/FHIR/R4/HealthcareService/2" {
			t.Fatalf("requests after the second get: %+v", ts.Requests)
		}
		if again.Name != "Direct SVC 1" || again.Version != "1" {
			t.Errorf("cached detail %+v", again)
		}
	})
	t.Run("a changed version fetches the service again", func(t *testing.T) {
		changed, err := cache.Get(ctx, "2")
		if err != nil {
			t.Fatal(err)
		}
		if len(ts.Requests) != 4 || ts.Requests[2].Method != http.MethodHead || ts.Requests[3].Method != http.MethodGet {
			t.Fatalf("requests %d", len(ts.Requests))
		}
		if changed.Name != "Renamed" || changed.Version != "2" {
			t.Errorf("detail %+v", changed)
		}
	})
}

// journeyServiceSource is an in-memory ServiceSource that counts calls.
type journeyServiceSource struct {
	mu            sync.Mutex
	version       string
	heads, gets   int
	missing       bool
	failNextHeads bool
}

func (s *journeyServiceSource) RetrieveService(_ context.Context, id string) (*Service, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gets++
	if s.missing {
		return nil, &Error{Op: OpRetrieveService, Kind: KindAPI, Status: 404}
	}
	hs := &fhir.HealthcareService{Name: "Service " + id}
	hs.ResourceType, hs.ID, hs.Meta = "HealthcareService", id, &fhir.Meta{VersionID: s.version}
	return &Service{Resource: hs, Version: s.version}, nil
}

func (s *journeyServiceSource) RetrieveServiceVersion(context.Context, string) (string, ResponseInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.heads++
	if s.missing {
		return "", ResponseInfo{}, &Error{Op: OpRetrieveServiceVersion, Kind: KindAPI, Status: 404}
	}
	if s.failNextHeads {
		return "", ResponseInfo{}, errors.New("connection reset")
	}
	return s.version, ResponseInfo{}, nil
}

func TestServiceCacheIsSafeForConcurrentUse(t *testing.T) {
	src := &journeyServiceSource{version: "3"}
	cache := NewServiceCache(src)
	if _, err := cache.Get(context.Background(), "11002"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := cache.Get(context.Background(), "11002")
			if err != nil || d.Name != "Service 11002" {
				t.Errorf("get %+v, %v", d, err)
			}
		}()
	}
	wg.Wait()
	if src.gets != 1 || src.heads != 20 {
		t.Errorf("%d fetches and %d version checks, want 1 and 20", src.gets, src.heads)
	}
	t.Run("a failed version check is reported, not hidden behind the cached copy", func(t *testing.T) {
		src.failNextHeads = true
		if _, err := cache.Get(context.Background(), "11002"); err == nil {
			t.Error("no error")
		}
		src.failNextHeads = false
	})
	t.Run("a service that has gone is dropped", func(t *testing.T) {
		src.missing = true
		if _, err := cache.Get(context.Background(), "11002"); !IsNotFound(err) {
			t.Fatalf("error %v", err)
		}
		src.missing = false
		gets := src.gets
		if _, err := cache.Get(context.Background(), "11002"); err != nil || src.gets != gets+1 {
			t.Errorf("after the service came back: %v, fetches %d", err, src.gets-gets)
		}
	})
}
