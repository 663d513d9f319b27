package ersclient

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Slot page sizes A015 allows.
const (
	MaxSlotPageSize     = 100
	DefaultSlotPageSize = 20
)

// SlotQuery is the input of A015.
type SlotQuery struct {
	// ServiceID is the directly bookable service (on the referral's shortlist).
	ServiceID string
	// Priority is the referral's priority, sent as appointmentType.
	Priority Priority
	// Practitioner, if set, is the SDS user id of a named clinician: only
	// their slots are returned.
	Practitioner string
	// Count is the page size, 1 to 100; zero means 20.
	Count int
	// Page starts at 1; zero means 1.
	Page int
	// CommRuleOrg is the referral's commissioning rule organisation (ODS
	// code from A005's Extension-eRS-Commissioning-Rule-Org-1), sent as
	// NHSD-eRS-Comm-Rule-Org. Without it e-RS may offer slots that cannot be
	// booked for this referral, so it is required.
	CommRuleOrg string
}

// SlotView is a free slot as a screen shows it. Build one by hand (ID,
// Start, End) to book a slot known by other means.
type SlotView struct {
	ID string
	// AlternateID is the slot's alternative identifier (USRN-...).
	AlternateID string
	Start, End  time.Time
	Status      string
	// ScheduleID is the schedule the slot belongs to ("{service}-{sds}").
	ScheduleID string
	ServiceID  string
	// ClinicianSDS is set when the slot's schedule has a named clinician;
	// booking such a slot names the clinician (CON participant).
	ClinicianSDS  string
	ClinicianName string
	// Location is a location actor's name, when the schedule has one.
	Location string
	// start and end are the times as e-RS wrote them; a booking sends them
	// back unchanged.
	start, end string
}

// SlotPage is one page of A015.
type SlotPage struct {
	ResponseInfo
	Slots []SlotView
	// Total is e-RS's count of free slots over all pages.
	Total   int
	HasNext bool
	Page    int
	Count   int
	// Resource is the raw Bundle.
	Resource *fhir.Bundle
}

// RetrieveSlots is A015: one page of free slots of a directly bookable
// service for a priority. Pages are not a stable snapshot: slots may appear
// twice or be missed between pages (MergeSlotPages removes the repeats).
//
// Roles: RC, RCA. Application-restricted: no.
func (c *Client) RetrieveSlots(ctx context.Context, q SlotQuery) (*SlotPage, error) {
	o := op(OpRetrieveSlots)
	if q.ServiceID == "" {
		return nil, invalid(o.ID, "no service given: slots are searched for one directly bookable service")
	}
	switch q.Priority {
	case PriorityRoutine, PriorityUrgent, PriorityTwoWeekWait:
	default:
		return nil, invalid(o.ID, "%q is not a priority: use ROUTINE, URGENT or TWO_WEEK_WAIT", q.Priority)
	}
	if q.Count == 0 {
		q.Count = DefaultSlotPageSize
	}
	if q.Count < 1 || q.Count > MaxSlotPageSize {
		return nil, invalid(o.ID, "a page holds 1 to %d slots, not %d", MaxSlotPageSize, q.Count)
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 {
		return nil, invalid(o.ID, "pages are numbered from 1, not %d", q.Page)
	}
	if q.CommRuleOrg == "" {
		return nil, invalid(o.ID, "no commissioning rule organisation given: take it from the referral (A005)")
	}
	if q.Practitioner != "" && !allDigits(q.Practitioner) {
		return nil, invalid(o.ID, "%q is not an SDS user id: it is digits only", q.Practitioner)
	}
	query := url.Values{
		"schedule.actor:HealthcareService": {q.ServiceID},
		"appointmentType":                  {string(q.Priority)},
		"status":                           {"free"},
		"_count":                           {strconv.Itoa(q.Count)},
		"page":                             {strconv.Itoa(q.Page)},
		"_include":                         {"Slot:schedule"},
	}
	if q.Practitioner != "" {
		query.Set("schedule.actor:Practitioner", q.Practitioner)
	}
	h := http.Header{}
	h.Set("NHSD-eRS-Comm-Rule-Org", q.CommRuleOrg)
	resp, err := fetch[fhir.Bundle](ctx, c, call{op: o, query: query, header: h})
	if err != nil {
		return nil, err
	}
	b := resp.Resource
	if b.ResourceType != "Bundle" {
		return nil, badResponse(o.ID, resp.ResponseInfo, "expected a Bundle, got %q", b.ResourceType)
	}
	page := &SlotPage{ResponseInfo: resp.ResponseInfo, Page: q.Page, Count: q.Count, Resource: b,
		HasNext: b.LinkURL("next") != ""}
	slots, err := slotViews(b, q.ServiceID)
	if err != nil {
		return nil, badResponse(o.ID, resp.ResponseInfo, "reading the slots: %v", err)
	}
	page.Slots = slots
	if b.Total != nil {
		page.Total = int(*b.Total)
	}
	return page, nil
}

// slotViews joins each slot to its schedule for the service and clinician.
func slotViews(b *fhir.Bundle, serviceID string) ([]SlotView, error) {
	schedules, err := fhir.Resources[fhir.Schedule](b, "Schedule")
	if err != nil {
		return nil, err
	}
	byID := map[string]fhir.Schedule{}
	for _, s := range schedules {
		byID[s.ID] = s
	}
	slots, err := fhir.Resources[fhir.Slot](b, "Slot")
	if err != nil {
		return nil, err
	}
	out := make([]SlotView, 0, len(slots))
	for _, s := range slots {
		v := SlotView{ID: s.ID, Status: s.Status, start: s.Start, end: s.End, ServiceID: serviceID,
			AlternateID: fhir.FindIdentifier(s.Identifier, fhir.SystemAlternateSlot)}
		v.Start, _ = ParseFHIRTime(s.Start)
		v.End, _ = ParseFHIRTime(s.End)
		v.ScheduleID = strings.TrimPrefix(s.Schedule.Reference, "Schedule/")
		if sch, ok := byID[v.ScheduleID]; ok {
			for _, a := range sch.Actor {
				switch {
				case a.Identifier != nil && fhir.MatchSystem(a.Identifier.System, fhir.SystemERSService):
					v.ServiceID = a.Identifier.Value
				case a.Identifier != nil && (a.Identifier.System == fhir.SystemSDSUserSTU3 || a.Identifier.System == fhir.SystemSDSUserR4):
					v.ClinicianSDS, v.ClinicianName = a.Identifier.Value, a.Display
				case strings.HasPrefix(a.Reference, "Location/") || (a.Identifier != nil && a.Identifier.System == fhir.SystemODSSiteCode):
					v.Location = a.Display
					if v.Location == "" && a.Identifier != nil {
						v.Location = a.Identifier.Value
					}
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// MergeSlotPages joins pages into one list in time order, keeping the first
// of any slot that appears on more than one page (pages may repeat slots as
// availability changes between calls).
func MergeSlotPages(pages ...*SlotPage) []SlotView {
	seen := map[string]bool{}
	var out []SlotView
	for _, p := range pages {
		if p == nil {
			continue
		}
		for _, s := range p.Slots {
			if seen[s.ID] {
				continue
			}
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	sortSlots(out)
	return out
}

func sortSlots(slots []SlotView) {
	sort.SliceStable(slots, func(i, j int) bool {
		if !slots[i].Start.Equal(slots[j].Start) {
			return slots[i].Start.Before(slots[j].Start)
		}
		return slots[i].ID < slots[j].ID
	})
}

// SlotSession is the part of the day a slot starts in.
type SlotSession int

// The sessions: morning before noon, afternoon until 17:00, evening after.
const (
	SessionMorning SlotSession = iota
	SessionAfternoon
	SessionEvening
)

// String names the session.
func (s SlotSession) String() string {
	switch s {
	case SessionMorning:
		return "Morning"
	case SessionAfternoon:
		return "Afternoon"
	}
	return "Evening"
}

// SessionOf is the session a time falls in, in its own location.
func SessionOf(t time.Time) SlotSession {
	switch h := t.Hour(); {
	case h < 12:
		return SessionMorning
	case h < 17:
		return SessionAfternoon
	}
	return SessionEvening
}

// SlotDay is the slots of one calendar day, by session.
type SlotDay struct {
	// Date is midnight of the day, in the location grouped by.
	Date time.Time
	// Sessions holds the slots of the morning, afternoon and evening
	// (index by SessionMorning, SessionAfternoon, SessionEvening), each in
	// time order.
	Sessions [3][]SlotView
}

// Count is the number of slots on the day.
func (d SlotDay) Count() int { return len(d.Sessions[0]) + len(d.Sessions[1]) + len(d.Sessions[2]) }

// GroupByDay groups the page's slots by calendar day and session in loc
// (nil means time.Local); patients think in local time.
func (p *SlotPage) GroupByDay(loc *time.Location) []SlotDay {
	if p == nil {
		return nil
	}
	return GroupSlotsByDay(p.Slots, loc)
}

// GroupSlotsByDay groups slots by calendar day and session in loc (nil
// means time.Local), days in order.
func GroupSlotsByDay(slots []SlotView, loc *time.Location) []SlotDay {
	if loc == nil {
		loc = time.Local
	}
	sorted := append([]SlotView(nil), slots...)
	sortSlots(sorted)
	var days []SlotDay
	for _, s := range sorted {
		t := s.Start.In(loc)
		date := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		if n := len(days); n == 0 || !days[n-1].Date.Equal(date) {
			days = append(days, SlotDay{Date: date})
		}
		d := &days[len(days)-1]
		sess := SessionOf(t)
		d.Sessions[sess] = append(d.Sessions[sess], s)
	}
	return days
}
