package refdata

import "strconv"

// priorityRow is a PRIORITY with the working days a provider has to
// contact the patient after a deferral and after a triage request.
type priorityRow struct {
	code, display string
	deferDays     int
	triageDays    int
}

// priorities carries the contact days of the official A004 example.
var priorities = []priorityRow{
	{"ROUTINE", "Routine", 40, 40},
	{"URGENT", "Urgent", 10, 5},
	{"TWO_WEEK_WAIT", "Two Week Wait", 5, 2},
}

func prioritySystem() *CodeSystem {
	cs := &CodeSystem{
		Type: Priority, Name: "e-RS Priority", Description: "e-RS Priority",
		Profile: shareableProfile,
		Date:    date("2022-02-19T15:30:48.538Z"),
		Properties: append(effectiveProps(),
			PropertyDef{Code: PropDeferToProviderContactDays, Type: TypeInteger},
			PropertyDef{Code: PropTriageContactDays, Type: TypeInteger},
		),
	}
	for _, p := range priorities {
		cs.Concepts = append(cs.Concepts, concept(p.code, p.display, since, "",
			prop(PropDeferToProviderContactDays, strconv.Itoa(p.deferDays)),
			prop(PropTriageContactDays, strconv.Itoa(p.triageDays))))
	}
	return cs
}
