package seed

import (
	"fmt"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/geo"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The specialty and clinic types of the examples: every official example is
// cardiology.
const (
	exampleSpecialty = "CARDIOLOGY"
	clinicGeneral    = "CARDIOLOGY_GENERAL"
	clinicHeart      = "HEART_FAILURE"
	clinicLipid      = "LIPID_MANAGEMENT"
)

// exampleService is a cardiology service of the examples with sensible
// defaults; change adjusts it.
func exampleService(now time.Time, id, name, org string, flow string, change func(s *store.Service)) *store.Service {
	s := &store.Service{
		ID: id, Version: 1, Name: name, Org: org, Site: org + "01", SiteName: name,
		Postcode: "LS9 7TF", Specialty: exampleSpecialty,
		ClinicTypes: []string{clinicGeneral, clinicHeart}, AppointmentTypes: []string{"DIAGNOSTIC"},
		Flow: flow, Priorities: []string{"ROUTINE", "URGENT", "TWO_WEEK_WAIT"},
		IndicativeWaitDays: 28, TreatmentWaitWeeks: 12,
		Hours: "Monday to Friday 09:00-17:00", Phone: "0113 496 0000", Email: "cardiology.bookings@example.nhs.uk",
		Instructions:      "Please bring a list of current medication.",
		ConditionsTreated: "Chest pain, palpitations, heart failure, raised cholesterol.",
		Clinicians:        []string{"921600556514"}, Commissioners: []string{ExampleCommRuleOrg, "R68"},
		Active: true, Updated: now.AddDate(0, -2, 0),
	}
	switch flow {
	case store.FlowBookable:
		s.Bookable = store.DirectlyBookable
	case store.FlowTriage:
		s.Bookable = store.DirectlyBookable
		s.AppointmentTypes = []string{"ASSESSMENT_SERVICE"}
	case store.FlowAdvice:
		s.AppointmentTypes = nil
	}
	if org == "R69" {
		s.Site, s.Postcode = "R6901", "LS1 3EX"
	}
	if change != nil {
		change(s)
	}
	if p, ok := geo.Locate(s.Postcode); ok {
		s.X, s.Y = p.X, p.Y
	}
	return s
}

// addExampleServices adds the services the examples name, and their slots.
func addExampleServices(st *store.State, now time.Time) {
	rcd, dbs, ibs, triage, advice := ExampleProviderOrg, store.FlowBookable, store.FlowBookable, store.FlowTriage, store.FlowAdvice
	indirect := func(s *store.Service) { s.Bookable = store.IndirectlyBookable; s.IndicativeWaitDays = -1 }
	lipid := func(s *store.Service) { s.ClinicTypes = append(s.ClinicTypes, clinicLipid) }
	services := []*store.Service{
		exampleService(now, "10000", "Cardiology Direct Access Clinic", rcd, dbs, nil),
		exampleService(now, "11000", "Cardiology Outpatients", rcd, dbs, nil),
		exampleService(now, "11001", "Cardiology Community Clinic", rcd, ibs, indirect),
		// The service of the single-result searches: the only lipid clinic
		// whose wait is within 15 days.
		exampleService(now, "11002", "Good Cardiology Business Service", rcd, dbs, func(s *store.Service) {
			lipid(s)
			s.IndicativeWaitDays, s.LetterRequired, s.SiteName = 10, true, "Cicero Clinic"
		}),
		exampleService(now, "11003", "Cardiology Day Unit", rcd, dbs, func(s *store.Service) { s.AppointmentTypes = []string{"DAY_CASE"} }),
		exampleService(now, "11004", "Cardiology Referral Assessment Service", rcd, triage, func(s *store.Service) {
			s.Clinicians = []string{ExampleClinician, "921600556514"}
		}),
		exampleService(now, "11007", "Exceptional Cardiology Business Service", rcd, dbs, func(s *store.Service) {
			lipid(s)
			s.IndicativeWaitDays, s.LetterRequired = 35, true
		}),
		exampleService(now, "11008", "FIRST Cardiology Business Service", rcd, dbs, func(s *store.Service) {
			lipid(s)
			s.Clinicians = []string{ExampleClinician}
		}),
		exampleService(now, "11010", "Excellent Cardiology Business Service", rcd, dbs, func(s *store.Service) {
			lipid(s)
			s.IndicativeWaitDays = 42
		}),
		exampleService(now, "11012", "Cardiology Heart Failure Clinic", rcd, dbs, nil),
		exampleService(now, "11013", "Cardiology Rhythm Clinic", rcd, dbs, nil),
		exampleService(now, "11014", "Cardiology Advice and Guidance", rcd, advice, func(s *store.Service) {
			s.Clinicians = []string{ExampleSPC, ExampleSPCAActsFor}
		}),
		exampleService(now, "11016", "Cardiology Community Service (telephone booking)", rcd, ibs, indirect),
		exampleService(now, "11017", "Cardiology Outreach Clinic (telephone booking)", rcd, ibs, indirect),
		exampleService(now, "11021", "Cardiology Business Service - Requires Referral Letter, No Slots", rcd, dbs, func(s *store.Service) {
			lipid(s)
			s.LetterRequired, s.IndicativeWaitDays = true, -1
		}),
		exampleService(now, "11030", "A Locally Commissionable Cardiology Service", rcd, dbs, func(s *store.Service) {
			lipid(s)
			s.IndicativeWaitDays = 21
		}),
		exampleService(now, "13000", "Cardiology Chest Pain Clinic", rcd, dbs, nil),
		exampleService(now, "14000", "Cardiology Named Consultant Clinic", rcd, dbs, nil),
		exampleService(now, "21012", "Cardiology Outpatients - St Mary's", rcd, dbs, func(s *store.Service) {
			s.Clinicians = []string{ExampleClinician, "921600556514"}
		}),
		// The service of the A034 (update appointment) examples.
		exampleService(now, "50", "Direct SVC 1", rcd, dbs, nil),
		exampleService(now, "50001", "Cardiology Triage Service", rcd, triage, nil),
		exampleService(now, "51002", "Cardiology Rapid Access Triage", rcd, triage, nil),
		// The R4 HealthcareService examples (A033, A035, A037): 1 has the
		// minimum of attributes, 2 all of them; 5 and 6 do not exist.
		exampleService(now, "1", "Direct Service With Minimal", "R69", dbs, func(s *store.Service) {
			s.AppointmentTypes, s.Hours, s.Phone, s.Email, s.Instructions, s.ConditionsTreated = nil, "", "", "", "", ""
		}),
		exampleService(now, "2", "Direct SVC 1", "R69", dbs, func(s *store.Service) {
			s.AppointmentTypes, s.Hours, s.Instructions = []string{"DAY_CASE"}, "9-5 Mon-Fri", "Instructions"
			s.Phone, s.Email = "01234567890", "service@email.com"
		}),
		exampleService(now, "3", "Direct SVC 3", "R69", dbs, nil),
		exampleService(now, "4", "Direct SVC 4", "R69", dbs, nil),
	}
	// The twenty services of RequestTwentyServices, at the organisation its
	// criteria name, with the named clinician it names.
	for i := range 20 {
		services = append(services, exampleService(now, fmt.Sprint(12000+i), fmt.Sprintf("Calder Valley Cardiology Clinic %d", i+1), "R69", dbs, func(s *store.Service) {
			s.Clinicians = []string{ExampleClinician, "921600556514"}
			s.IndicativeWaitDays = 14 + i
		}))
	}
	for _, s := range services {
		st.Services[s.ID] = s
	}
}

// exampleSlots are the free slots of the A015 and A016 examples, in the
// coming weeks; the booked ones come with their appointments
// (addExampleReferrals).
func exampleSlots(now time.Time) []*store.Slot {
	var slots []*store.Slot
	// series adds n consecutive hour-long slots a day apart from day
	// (relative to now), numbered from first.
	series := func(service string, first, n, day int, clinician string, free bool) {
		for i := range n {
			start := clinicTime(now.AddDate(0, 0, day+i), 9+i%6, 0)
			slots = append(slots, &store.Slot{
				ID: fmt.Sprintf("%s%03d", service, first+i), AltID: fmt.Sprintf("USRN-%s%03d", service, first+i),
				ServiceID: service, ClinicianID: clinician, Start: start, End: start.Add(time.Hour), Type: "ROUTINE", Free: free,
			})
		}
	}
	// A015: twelve free slots at 11000 make pages 1 and 2 of five and
	// leave page 5 out of range.
	series("11000", 1, 12, 7, "921600556514", true)
	// A016 MinimalBooking, DeferralWithSlotReference (a slot taken by
	// someone else) and BookingWithNamedClinician. The examples give them
	// times on 2022-07-11, long past: here they lie in the coming weeks, and
	// a booking takes its times from the slot, not from the request.
	fixed := func(id, service string, day, h, m int, clinician string, free bool) {
		start := clinicTime(now.AddDate(0, 0, day), h, m)
		slots = append(slots, &store.Slot{ID: id, AltID: "USRN-" + id, ServiceID: service, ClinicianID: clinician,
			Start: start, End: start.Add(time.Hour), Type: "ROUTINE", Free: free})
	}
	fixed("11000021", "11000", 7, 12, 0, "", true)
	fixed("11000022", "11000", 7, 15, 0, "", false)
	fixed("11008006", "11008", 10, 13, 15, ExampleClinician, true)
	series("11008", 1, 5, 10, ExampleClinician, true)
	// A015 Minimum: three free slots with one clinician (12000002 is taken).
	series("12000", 1, 4, 5, "921600556514", true)
	// A015 Page1With2Schedules: one schedule with a clinician, one without.
	series("13000", 1, 3, 6, "921600556514", true)
	series("13000", 4, 2, 9, "", true)
	// A015 SlotClinicianSearch: four slots with the clinician searched for,
	// one with none.
	series("14000", 1, 4, 8, "921600556514", true)
	series("14000", 5, 1, 12, "", true)
	// Free slots at the other bookable services, so they can be booked
	// after a change of shortlist.
	for _, s := range []string{"11002", "11003", "11012", "11013", "11030", "21012", "50"} {
		series(s, 100, 6, 14, "", true)
	}
	for _, s := range slots {
		if s.ID == "12000002" {
			s.Free = false
		}
	}
	return slots
}
