package seed

import (
	"fmt"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/geo"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The slot grid of a directly bookable service: two clinic days a week
// over the coming six weeks, each with eight half-hour slots.
const (
	slotWeeks        = 6
	clinicsPerWeek   = 2
	slotsPerClinic   = 8
	slotLength       = 30 * time.Minute
	priorityRoutine  = "ROUTINE"
	priorityUrgent   = "URGENT"
	priorityTwoWeeks = "TWO_WEEK_WAIT"
)

// addServices adds the services, spread over the trusts, the reference
// data's specialties and every request flow.
func (g *generator) addServices() {
	specialties := g.ref.Specialties()
	for i := range g.services {
		t := g.trusts[i%len(g.trusts)]
		flow, bookable := g.flow(i)
		spec := pick(g, specialties)
		s := &store.Service{
			ID: fmt.Sprint(100_001 + i), Version: 1 + g.rng.IntN(4), Org: t.ods,
			Specialty: spec.Code, Flow: flow, Bookable: bookable,
			Priorities:    []string{priorityRoutine, priorityUrgent, priorityTwoWeeks},
			Clinicians:    someOf(g, t.spcs, 1+g.rng.IntN(3)),
			Commissioners: someOf(g, g.commissioners, 1+g.rng.IntN(min(3, len(g.commissioners)))),
			Active:        true,
			Updated:       g.now.AddDate(0, 0, -g.rng.IntN(365)),
		}
		site := 1 + g.rng.IntN(3)
		s.Site = fmt.Sprintf("%s%02d", t.ods, site)
		s.SiteName = fmt.Sprintf("%s %s", townNames[(i/len(g.trusts)+site)%len(townNames)], siteKinds[site%len(siteKinds)])
		s.Postcode = g.nearby(t.postcode)
		if p, ok := geo.Locate(s.Postcode); ok {
			s.X, s.Y = p.X, p.Y
		}
		clinics := g.ref.ClinicTypes(spec.Code)
		var clinicNames []string
		for _, c := range someOf(g, clinics, min(len(clinics), 1+g.rng.IntN(3))) {
			s.ClinicTypes = append(s.ClinicTypes, c.Code)
			clinicNames = append(clinicNames, c.Display)
		}
		g.describe(s, spec, clinicNames)
		g.st.Services[s.ID] = s
		t.services = append(t.services, s)
		switch {
		case flow == store.FlowAdvice:
			g.advice = append(g.advice, s)
		case flow == store.FlowTriage:
			g.triage = append(g.triage, s)
		case bookable == store.DirectlyBookable:
			g.dbs = append(g.dbs, s)
		default:
			g.ibs = append(g.ibs, s)
		}
		if flow != store.FlowAdvice {
			g.bySpecialty[s.Specialty] = append(g.bySpecialty[s.Specialty], s)
		}
	}
	g.referable = append(append(g.referable, g.dbs...), g.triage...)
}

// flow picks how referrals reach the i-th service. The first four cover
// every flow, so even a small data set has each.
func (g *generator) flow(i int) (flow, bookable string) {
	k := i
	if i >= 4 {
		k = g.weighted(55, 12, 18, 15)
	}
	switch k {
	case 0:
		return store.FlowBookable, store.DirectlyBookable
	case 1:
		return store.FlowBookable, store.IndirectlyBookable
	case 2:
		return store.FlowTriage, store.DirectlyBookable
	}
	return store.FlowAdvice, ""
}

// describe fills in what the directory says about a service: its name,
// waits, contact details, who it treats and what it needs.
func (g *generator) describe(s *store.Service, spec refdata.Concept, clinics []string) {
	switch s.Flow {
	case store.FlowAdvice:
		s.Name = spec.Display + " Advice and Guidance"
		s.AppointmentTypes = nil
	case store.FlowTriage:
		s.Name = spec.Display + " Referral Assessment Service"
		s.AppointmentTypes = []string{pick(g, []string{"ASSESSMENT_SERVICE", "TELEPHONE_ASSESSMENT"})}
		s.IndicativeWaitDays = 3 + g.rng.IntN(12)
	default:
		s.Name = spec.Display
		if len(clinics) > 0 {
			s.Name += " - " + clinics[0]
		}
		s.Name += " (" + s.SiteName + ")"
		s.AppointmentTypes = []string{pick(g, []string{"FIRST_OUTPATIENT", "FIRST_OUTPATIENT", "FIRST_OUTPATIENT", "DIAGNOSTIC", "NURSE_CLINIC", "AHP_CLINIC", "DAY_CASE"})}
		s.IndicativeWaitDays = 7 + g.rng.IntN(84)
		if g.chance(0.05) || s.Bookable == store.IndirectlyBookable && g.chance(0.5) {
			s.IndicativeWaitDays = -1 // limited availability
		}
		s.TreatmentWaitWeeks = 6 + g.rng.IntN(35)
		s.LetterRequired = g.chance(0.4)
	}
	code := strings.ToUpper(spec.Code)
	switch {
	case code == "2WW":
		s.Priorities = []string{priorityTwoWeeks}
	case g.chance(0.15):
		s.Priorities = []string{priorityRoutine, priorityUrgent}
	}
	switch {
	case strings.Contains(code, "GYNAE") || strings.Contains(code, "OBSTETRIC"):
		s.Gender = "FEMALE"
	case strings.Contains(code, "PAEDIATRIC") || strings.Contains(code, "CHILDREN"):
		s.AgeTo = 17
	}
	if g.chance(0.5) {
		s.AdditionalRequirementsSupported = []string{"ADVOCACY", "INTERPRETER", "TRANSPORT"}
	}
	s.Hours = pick(g, []string{"Monday to Friday 09:00-17:00", "Monday to Friday 08:30-18:00", "Tuesday and Thursday 09:00-13:00"})
	s.Phone = fmt.Sprintf("0113 496 %04d", g.rng.IntN(1000))
	s.Email = strings.ToLower(strings.ReplaceAll(spec.Code, "_", ".")) + "." + s.ID + "@example.nhs.uk"
	s.Instructions = "Please bring a list of current medication and any recent test results."
	s.ConditionsTreated = "Adult and paediatric " + strings.ToLower(spec.Display) + " conditions as listed in the local pathway."
	if s.AgeTo != 0 {
		s.ConditionsTreated = "Children and young people up to 17 with " + strings.ToLower(spec.Display) + " conditions."
	}
	if g.chance(0.3) {
		s.Exclusions = "Emergencies: refer to the on-call team."
	}
	if g.chance(0.3) {
		s.Investigations = "Recent full blood count, renal function and relevant imaging."
	}
	if g.chance(0.1) {
		s.ReferrerAlert = "Reduced capacity this month: expect longer waits."
	}
}

// someOf returns n distinct elements of s (all of them when n is larger),
// in s's order from a random start.
func someOf[T any](g *generator, s []T, n int) []T {
	if n >= len(s) {
		return append([]T(nil), s...)
	}
	start := g.rng.IntN(len(s))
	out := make([]T, 0, n)
	for k := range n {
		out = append(out, s[(start+k)%len(s)])
	}
	return out
}

// addFreeSlots gives every directly bookable service its free slots over
// the coming six weeks.
func (g *generator) addFreeSlots() {
	tomorrow := clinicTime(g.now, 0, 0).AddDate(0, 0, 1)
	for _, s := range g.dbs {
		// Two clinic weekdays (Monday to Friday), morning or afternoon.
		first := g.rng.IntN(5)
		days := [clinicsPerWeek]int{first, (first + 1 + g.rng.IntN(4)) % 5}
		hour := 9
		if g.chance(0.4) {
			hour = 13
		}
		for week := range slotWeeks {
			for _, wd := range days {
				day := mondayOf(tomorrow).AddDate(0, 0, 7*week+wd)
				if !day.After(g.now) {
					continue
				}
				clinician := ""
				if g.chance(0.7) {
					clinician = pick(g, s.Clinicians)
				}
				for k := range slotsPerClinic {
					start := day.Add(time.Duration(hour)*time.Hour + time.Duration(k)*slotLength)
					g.newSlot(s, start, g.slotType(s), clinician, true)
				}
			}
		}
	}
}

// mondayOf is the Monday of t's week.
func mondayOf(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// slotType picks the priority a slot is for, among those the service takes.
func (g *generator) slotType(s *store.Service) string {
	for {
		p := [...]string{priorityRoutine, priorityUrgent, priorityTwoWeeks}[g.weighted(70, 20, 10)]
		if accepts(s, p) {
			return p
		}
	}
}

// accepts reports whether a service takes referrals of a priority.
func accepts(s *store.Service, priority string) bool {
	for _, p := range s.Priorities {
		if p == priority {
			return true
		}
	}
	return false
}

// newSlot makes a slot of a service, numbered after the service's others.
// A free future slot can later be taken by a booking.
func (g *generator) newSlot(s *store.Service, start time.Time, priority, clinician string, free bool) *store.Slot {
	n := len(g.slots)
	sl := &store.Slot{
		ID: fmt.Sprintf("%s%06d", s.ID, n), AltID: fmt.Sprintf("USRN-%s%06d", s.ID, n),
		ServiceID: s.ID, ClinicianID: clinician, Start: start, End: start.Add(slotLength), Type: priority, Free: free,
	}
	g.slots = append(g.slots, sl)
	if free && start.After(g.now) {
		byType := g.free[s.ID]
		if byType == nil {
			byType = map[string][]*store.Slot{}
			g.free[s.ID] = byType
		}
		byType[priority] = append(byType[priority], sl)
	}
	return sl
}

// takeSlot books a free future slot of the service for the priority, or
// makes one beyond the grid when all are taken.
func (g *generator) takeSlot(s *store.Service, priority string) *store.Slot {
	free := g.free[s.ID][priority]
	if len(free) > 0 {
		i := g.rng.IntN(len(free))
		sl := free[i]
		free[i] = free[len(free)-1]
		g.free[s.ID][priority] = free[:len(free)-1]
		sl.Free = false
		return sl
	}
	start := clinicTime(g.now, 16, 0).AddDate(0, 0, 7*slotWeeks+1+g.rng.IntN(28))
	clinician := ""
	if len(s.Clinicians) > 0 && g.chance(0.5) {
		clinician = pick(g, s.Clinicians)
	}
	return g.newSlot(s, start, priority, clinician, false)
}
