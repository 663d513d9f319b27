package sandbox

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// slotsPath is an A015 query with the documented parameters; change
// overrides or (with "") removes them.
func slotsPath(change map[string]string) string {
	q := url.Values{
		"schedule.actor:HealthcareService": {svcDBS}, "appointmentType": {"ROUTINE"}, "status": {"free"},
		"_count": {"5"}, "page": {"1"}, "_include": {"Slot:schedule"},
	}
	for k, v := range change {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return refSTU3 + "/Slot?" + q.Encode()
}

func slotHeaders() map[string]string {
	return withHeaders(rcHeaders(), "NHSD-eRS-Comm-Rule-Org", "R68")
}

func TestRetrieveSlotsPagesTheFreeFutureSlots(t *testing.T) {
	ctx := context.Background()
	e := newReferrerEnv(t, nil)
	first, err := e.rc().RetrieveSlots(ctx, ersclient.SlotQuery{ServiceID: svcDBS, Priority: ersclient.PriorityRoutine, Count: 4, CommRuleOrg: "R68"})
	if err != nil {
		t.Fatalf("page 1: %v", err)
	}
	if first.Total != 10 || len(first.Slots) != 4 || !first.HasNext {
		t.Fatalf("page 1: total %d, %d slots, next %v; want 10, 4, true (the past slot left out)", first.Total, len(first.Slots), first.HasNext)
	}
	s := first.Slots[0]
	if s.ID != "11000021" || s.AlternateID != "USRN-12000001" || s.ClinicianSDS != userSPC || s.ClinicianName == "" || s.ScheduleID != svcDBS+"-"+userSPC || s.ServiceID != svcDBS {
		t.Errorf("first slot read back as %+v", s)
	}
	if sv := first.Slots[1]; sv.ClinicianSDS != "" || sv.ScheduleID != svcDBS {
		t.Errorf("second slot read back as %+v", sv)
	}
	if self := first.Resource.LinkURL("self"); !strings.HasPrefix(self, e.srv.URL+BasePath+"/STU3/Slot?") || !strings.Contains(self, "page=1") {
		t.Errorf("self link %q", self)
	}
	last, err := e.rc().RetrieveSlots(ctx, ersclient.SlotQuery{ServiceID: svcDBS, Priority: ersclient.PriorityRoutine, Count: 4, Page: 3, CommRuleOrg: "R68"})
	if err != nil {
		t.Fatalf("page 3: %v", err)
	}
	if len(last.Slots) != 2 || last.HasNext || last.Resource.LinkURL("previous") == "" {
		t.Errorf("page 3: %d slots, next %v, previous %q; want 2, false, a link", len(last.Slots), last.HasNext, last.Resource.LinkURL("previous"))
	}
	schedules, _ := fhir.Resources[fhir.Schedule](first.Resource, "Schedule")
	if len(schedules) != 2 {
		t.Errorf("%d schedules included, want 2 (with and without the clinician)", len(schedules))
	}
}

func TestRetrieveSlotsFiltersByClinicianPriorityAndCommissioner(t *testing.T) {
	e := newReferrerEnv(t, nil)
	for _, tc := range []struct {
		name    string
		change  map[string]string
		commOrg string
		total   float64
	}{
		{"a named clinician's slots only", map[string]string{"schedule.actor:Practitioner": userSPC}, "R68", 1},
		{"no urgent slots", map[string]string{"appointmentType": "URGENT"}, "R68", 0},
		{"a commissioner that does not commission the service sees none", nil, "R99", 0},
		{"the _include may be left out", map[string]string{"_include": ""}, "R68", 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := e.raw(http.MethodGet, slotsPath(tc.change), "", withHeaders(rcHeaders(), "NHSD-eRS-Comm-Rule-Org", tc.commOrg))
			refExpect(t, status, body, http.StatusOK, "")
			if got := refJSONPath(t, body, "total"); got != tc.total {
				t.Errorf("total %v, want %v", got, tc.total)
			}
		})
	}
}

func TestRetrieveSlotsRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		path    string
		headers map[string]string
		status  int
		code    string
		diag    string
	}{
		{"a page beyond the last is invalid", slotsPath(map[string]string{"page": "5"}), slotHeaders(), 400, "INVALID_VALUE", "'Page Number' (5) is invalid."},
		{"the commissioning rule organisation header is required", slotsPath(nil), rcHeaders(), 400, "MISSING_HEADER", ""},
		{"the service is required", slotsPath(map[string]string{"schedule.actor:HealthcareService": ""}), slotHeaders(), 400, "MISSING_PARAMETER", ""},
		{"the page size is required", slotsPath(map[string]string{"_count": ""}), slotHeaders(), 400, "MISSING_PARAMETER", ""},
		{"the page is required", slotsPath(map[string]string{"page": ""}), slotHeaders(), 400, "MISSING_PARAMETER", ""},
		{"a page size over 100 is invalid", slotsPath(map[string]string{"_count": "101"}), slotHeaders(), 400, "INVALID_VALUE", ""},
		{"a page size of 0 is invalid", slotsPath(map[string]string{"_count": "0"}), slotHeaders(), 400, "INVALID_VALUE", ""},
		{"page 0 is invalid", slotsPath(map[string]string{"page": "0"}), slotHeaders(), 400, "INVALID_VALUE", ""},
		{"an unknown priority is an invalid code", slotsPath(map[string]string{"appointmentType": "SOON"}), slotHeaders(), 400, "INVALID_CODE", ""},
		{"only free slots can be searched", slotsPath(map[string]string{"status": "busy"}), slotHeaders(), 400, "INVALID_CODE", ""},
		{"an unknown service is not found", slotsPath(map[string]string{"schedule.actor:HealthcareService": "77777"}), slotHeaders(), 400, "REFERENCE_NOT_FOUND", ""},
		{"an indirectly bookable service has no slots to book", slotsPath(map[string]string{"schedule.actor:HealthcareService": svcIBS}), slotHeaders(), 400, "INVALID_STATE", ""},
		{"a clinician of another service is invalid", slotsPath(map[string]string{"schedule.actor:Practitioner": userSPCR69}), slotHeaders(), 400, "INVALID_VALUE", ""},
		{"an unknown parameter is refused", slotsPath(map[string]string{"colour": "blue"}), slotHeaders(), 400, "", ""},
		{"a provider may not search slots", slotsPath(nil), withHeaders(spcHeaders(), "NHSD-eRS-Comm-Rule-Org", "R68"), http.StatusForbidden, "NO_ACCESS", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newReferrerEnv(t, nil)
			status, _, body := e.raw(http.MethodGet, tc.path, "", tc.headers)
			refExpect(t, status, body, tc.status, tc.code)
			if tc.diag != "" {
				if _, diag := refOutcome(t, body); diag != tc.diag {
					t.Errorf("diagnostics %q, want %q", diag, tc.diag)
				}
			}
		})
	}
}

func TestRetrieveSlotsNoLongerOffersABookedSlot(t *testing.T) {
	e := newReferrerEnv(t, func(st *store.State) { st.Slots["11000021"].Free = false })
	status, _, body := e.raw(http.MethodGet, slotsPath(map[string]string{"_count": "100"}), "", slotHeaders())
	refExpect(t, status, body, http.StatusOK, "")
	if strings.Contains(string(body), `"id":"11000021"`) || refJSONPath(t, body, "total") != float64(9) {
		t.Errorf("the booked slot is still offered: %.300s", body)
	}
}
