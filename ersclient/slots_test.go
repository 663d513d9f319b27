package ersclient

import (
	"context"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"
)

func TestRetrieveSlotsAsksForTheSandboxScenarios(t *testing.T) {
	cases := []struct {
		name, response string
		query          SlotQuery
		wantQuery      map[string][]string
		slots, total   int
		hasNext        bool
	}{
		{name: "the minimum search", response: "Minimum", query: SlotQuery{ServiceID: "12000", Priority: PriorityRoutine, Count: 20, Page: 1},
			slots: 3, total: 3},
		{name: "a service with no slots", response: "NoSlots", query: SlotQuery{ServiceID: "10000", Priority: PriorityRoutine},
			slots: 0, total: 0},
		{name: "the first of several pages", response: "Page1PageSize5", query: SlotQuery{ServiceID: "11000", Priority: PriorityRoutine, Count: 5, Page: 1},
			slots: 5, total: 12, hasNext: true},
		{name: "the second page", response: "Page2PageSize5", query: SlotQuery{ServiceID: "11000", Priority: PriorityRoutine, Count: 5, Page: 2},
			slots: 5, total: 12, hasNext: true},
		{name: "slots from two schedules", response: "Page1With2Schedules", query: SlotQuery{ServiceID: "13000", Priority: PriorityRoutine, Count: 5, Page: 1},
			slots: 5, total: 5},
		{name: "one clinician's slots", response: "SlotClinicianSearch",
			query: SlotQuery{ServiceID: "14000", Priority: PriorityRoutine, Count: 5, Page: 1, Practitioner: "921600556514"}, slots: 4, total: 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/retrieveAppointmentSlots/responses/"+c.response+".json")})
			q := c.query
			q.CommRuleOrg = "R68"
			page, err := testClient(t, ts, asReferrer).RetrieveSlots(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			r := journeyRequestOf(t, ts, asReferrer, http.MethodGet, "/FHIR/STU3/Slot")
			count, pageNo := q.Count, q.Page
			if count == 0 {
				count = DefaultSlotPageSize
			}
			if pageNo == 0 {
				pageNo = 1
			}
			want := map[string][]string{
				"schedule.actor:HealthcareService": {q.ServiceID},
				"appointmentType":                  {"ROUTINE"},
				"status":                           {"free"},
				"_count":                           {strconv.Itoa(count)},
				"page":                             {strconv.Itoa(pageNo)},
				"_include":                         {"Slot:schedule"},
			}
			if q.Practitioner != "" {
				want["schedule.actor:Practitioner"] = []string{q.Practitioner}
			}
			if !reflect.DeepEqual(r.Query, want) {
				t.Errorf("query %v, want %v", r.Query, want)
			}
			if got := r.Header.Get("NHSD-eRS-Comm-Rule-Org"); got != "R68" {
				t.Errorf("NHSD-eRS-Comm-Rule-Org %q", got)
			}
			if len(page.Slots) != c.slots || page.Total != c.total || page.HasNext != c.hasNext {
				t.Errorf("%d slots of %d, next %v; want %d of %d, next %v", len(page.Slots), page.Total, page.HasNext, c.slots, c.total, c.hasNext)
			}
			for _, s := range page.Slots {
				if s.ID == "" || s.Start.IsZero() || !s.End.After(s.Start) || s.ScheduleID == "" || s.ServiceID == "" || s.Status != "free" {
					t.Errorf("slot %+v", s)
				}
			}
		})
	}
}

func TestSlotsKnowTheirServiceAndClinician(t *testing.T) {
	ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/retrieveAppointmentSlots/responses/Page1With2Schedules.json")})
	page, err := testClient(t, ts, asReferrer).RetrieveSlots(context.Background(),
		SlotQuery{ServiceID: "13000", Priority: PriorityRoutine, Count: 5, CommRuleOrg: "R68"})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]SlotView{}
	for _, s := range page.Slots {
		byID[s.ID] = s
	}
	withClinician, without := byID["11000021"], byID["11000012"]
	if withClinician.ClinicianSDS != "921600556514" || withClinician.ScheduleID != "11000" || withClinician.ServiceID != "13000" {
		t.Errorf("slot on the clinician's schedule %+v", withClinician)
	}
	if without.ClinicianSDS != "" || without.ScheduleID != "11000-921600556514" || without.AlternateID != "USRN-11000012" {
		t.Errorf("slot on the service's schedule %+v", without)
	}
	if want := time.Date(2021, 5, 23, 4, 59, 43, 956000000, time.UTC); !withClinician.Start.Equal(want) {
		t.Errorf("start %v, want %v", withClinician.Start, want)
	}
}

func TestRetrieveSlotsRefusesBadQueriesBeforeSending(t *testing.T) {
	cases := []struct {
		name   string
		change func(*SlotQuery)
	}{
		{"no service", func(q *SlotQuery) { q.ServiceID = "" }},
		{"no priority", func(q *SlotQuery) { q.Priority = "" }},
		{"an unknown priority", func(q *SlotQuery) { q.Priority = "SOON" }},
		{"a page of 101 slots", func(q *SlotQuery) { q.Count = 101 }},
		{"a negative page size", func(q *SlotQuery) { q.Count = -1 }},
		{"page -1", func(q *SlotQuery) { q.Page = -1 }},
		{"no commissioning rule organisation", func(q *SlotQuery) { q.CommRuleOrg = "" }},
		{"a clinician that is not an SDS id", func(q *SlotQuery) { q.Practitioner = "Dr Who" }},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			ts := newTestServer(t)
			q := SlotQuery{ServiceID: "12000", Priority: PriorityUrgent, CommRuleOrg: "R68"}
			c.change(&q)
			_, err := testClient(t, ts, asReferrer).RetrieveSlots(context.Background(), q)
			journeyRefusedBeforeSending(t, ts, err)
		})
	}
}

func TestRetrieveSlotsErrors(t *testing.T) {
	q := SlotQuery{ServiceID: "11000", Priority: PriorityRoutine, Count: 5, Page: 5, CommRuleOrg: "R68"}
	t.Run("a page beyond the last is an invalid value", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 400, Body: fixture(t, "stu3/retrieveAppointmentSlots/responses/ErrorPage5.json")})
		_, err := testClient(t, ts, asReferrer).RetrieveSlots(context.Background(), q)
		e, ok := AsError(err)
		if !ok || e.Status != 400 || !HasCode(err, "INVALID_VALUE") || e.Diagnostics != "'Page Number' (5) is invalid." {
			t.Errorf("error %v", err)
		}
	})
	t.Run("a role that may not see slots is forbidden", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 403, Body: fixture(t, "stu3/STU3-Forbidden.json")})
		_, err := testClient(t, ts, asReferrer).RetrieveSlots(context.Background(), q)
		if !IsForbidden(err) {
			t.Errorf("error %v", err)
		}
	})
	t.Run("slots are a read and are asked for again after a 503", func(t *testing.T) {
		ts := newTestServer(t, reply{Status: 503}, reply{Status: 200, Body: fixture(t, "stu3/retrieveAppointmentSlots/responses/NoSlots.json")})
		if _, err := testClient(t, ts, asReferrer).RetrieveSlots(context.Background(), q); err != nil {
			t.Fatal(err)
		}
		if len(ts.Requests) != 2 {
			t.Errorf("%d requests, want 2", len(ts.Requests))
		}
	})
}

func TestMergeSlotPagesDropsRepeats(t *testing.T) {
	fetch := func(name string) *SlotPage {
		ts := newTestServer(t, reply{Status: 200, Body: fixture(t, "stu3/retrieveAppointmentSlots/responses/"+name+".json")})
		p, err := testClient(t, ts, asReferrer).RetrieveSlots(context.Background(),
			SlotQuery{ServiceID: "11000", Priority: PriorityRoutine, Count: 5, CommRuleOrg: "R68"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1, p2 := fetch("Page1PageSize5"), fetch("Page2PageSize5")
	// The clinician search repeats four of page 1's slots.
	repeat := fetch("SlotClinicianSearch")
	merged := MergeSlotPages(p1, p2, repeat, nil)
	if len(merged) != 10 {
		t.Fatalf("%d slots after merging, want 10", len(merged))
	}
	for i := 1; i < len(merged); i++ {
		if merged[i].Start.Before(merged[i-1].Start) {
			t.Errorf("slot %s starts before the one listed before it", merged[i].ID)
		}
	}
	if merged[0].ID != "11000001" || merged[9].ID != "11000010" {
		t.Errorf("merged from %s to %s", merged[0].ID, merged[9].ID)
	}
}

func TestGroupSlotsByDayAndSession(t *testing.T) {
	london := time.FixedZone("BST", 3600)
	at := func(id string, day, hour, min int) SlotView {
		start := time.Date(2026, 6, day, hour, min, 0, 0, time.UTC)
		return SlotView{ID: id, Start: start, End: start.Add(30 * time.Minute)}
	}
	slots := []SlotView{
		at("e", 2, 17, 0),  // 18:00 local: evening
		at("a", 1, 8, 0),   // 09:00 local: morning
		at("b", 1, 10, 59), // 11:59 local: morning
		at("c", 1, 11, 0),  // 12:00 local: afternoon
		at("d", 1, 23, 30), // 00:30 local on the 2nd: morning of the next day
	}
	days := GroupSlotsByDay(slots, london)
	if len(days) != 2 {
		t.Fatalf("%d days, want 2", len(days))
	}
	ids := func(s []SlotView) (out []string) {
		for _, v := range s {
			out = append(out, v.ID)
		}
		return out
	}
	if d := days[0]; d.Date.Day() != 1 || !reflect.DeepEqual(ids(d.Sessions[SessionMorning]), []string{"a", "b"}) ||
		!reflect.DeepEqual(ids(d.Sessions[SessionAfternoon]), []string{"c"}) || len(d.Sessions[SessionEvening]) != 0 || d.Count() != 3 {
		t.Errorf("first day %+v", d)
	}
	if d := days[1]; d.Date.Day() != 2 || !reflect.DeepEqual(ids(d.Sessions[SessionMorning]), []string{"d"}) ||
		!reflect.DeepEqual(ids(d.Sessions[SessionEvening]), []string{"e"}) {
		t.Errorf("second day %+v", d)
	}
	page := &SlotPage{Slots: slots}
	if got := page.GroupByDay(london); len(got) != 2 {
		t.Errorf("the page groups into %d days", len(got))
	}
	if SessionEvening.String() != "Evening" || SessionOf(time.Date(2026, 1, 1, 16, 59, 0, 0, time.UTC)) != SessionAfternoon {
		t.Error("session names or bounds are wrong")
	}
}
