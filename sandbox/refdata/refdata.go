// Package refdata is the simulator's reference data: the local code systems
// A004 serves (SPECIALTY, CLINIC-TYPE, PRIORITY and the cancellation and
// non-attendance reasons), with the effective dates and usage properties the
// business rules read, and the rules themselves (which reason is valid for
// which action, how many working days a provider has to contact a patient).
//
// The data are authored here as Go tables. They hold every code the official
// example messages use, with properties that give each example request its
// documented status, plus a realistic set of specialties and clinic types.
// It is not the live e-RS reference data, and it does not render FHIR: the
// A004 handler does that.
package refdata

import (
	"slices"
	"strconv"
	"time"
)

// The code system types A004 serves.
const (
	Specialty                     = "SPECIALTY"
	ClinicType                    = "CLINIC-TYPE"
	AppointmentCancellationReason = "APPOINTMENT-CANCELLATION-REASON"
	ReferralCancellationReason    = "REFERRAL-CANCELLATION-REASON"
	AppointmentNonAttendance      = "APPOINTMENT-NON-ATTENDANCE-REASON"
	Priority                      = "PRIORITY"
)

// Property names the rules read.
const (
	PropSpecialty                  = "specialty"
	PropBookingCancellationType    = "appointmentBookingCancellationReasonType"
	PropWillCancelWholeRequest     = "willCancelWholeRequest"
	PropCommentIsMandatory         = "commentIsMandatory"
	PropBusinessFunction           = "businessFunction"
	PropUsage                      = "usage"
	PropRequestCancellationType    = "appointmentRequestCancellationReasonType"
	PropCanCancelAppointment       = "canCancelAppointment"
	PropReferrerUsage              = "referrerUsage"
	PropDeferToProviderContactDays = "deferToProviderContactDays"
	PropTriageContactDays          = "triageContactDays"
)

// Concept is one code with its display, its period of validity and its
// properties as text: a coding property holds its code, a boolean "true" or
// "false", an integer its digits. A property may repeat (businessFunction).
type Concept struct {
	Code    string
	Display string
	// EffectiveFrom and EffectiveTo bound the period the code may be used
	// in; a zero EffectiveTo is open.
	EffectiveFrom, EffectiveTo time.Time
	Properties                 map[string][]string
}

// Prop returns the first value of a property, or "".
func (c Concept) Prop(name string) string {
	if vs := c.Properties[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Props returns every value of a property.
func (c Concept) Props(name string) []string { return c.Properties[name] }

// Has reports whether a (repeating) property has the value.
func (c Concept) Has(name, value string) bool { return slices.Contains(c.Properties[name], value) }

// Bool reads a boolean property; absent is false.
func (c Concept) Bool(name string) bool { return c.Prop(name) == "true" }

// Int reads an integer property; absent or malformed is 0.
func (c Concept) Int(name string) int {
	n, _ := strconv.Atoi(c.Prop(name))
	return n
}

// EffectiveAt reports whether the code may be used at t:
// effectiveFrom <= t < effectiveTo, as e-RS filters reasons ("effectiveFrom
// must be in the past, effectiveTo must not be in the past").
func (c Concept) EffectiveAt(t time.Time) bool {
	if !c.EffectiveFrom.IsZero() && t.Before(c.EffectiveFrom) {
		return false
	}
	return c.EffectiveTo.IsZero() || t.Before(c.EffectiveTo)
}

// Retired reports whether the code has an end date: it stays in the code
// system (old records use it) but new records should not.
func (c Concept) Retired() bool { return !c.EffectiveTo.IsZero() }

// Property types, as the CodeSystem declares them.
const (
	TypeDateTime = "dateTime"
	TypeCoding   = "Coding"
	TypeBoolean  = "boolean"
	TypeInteger  = "integer"
)

// PropertyDef declares a property the concepts of a code system may carry.
type PropertyDef struct {
	Code string
	Type string
	// System is the code system of a Coding property's values: a full URL,
	// or a local code system type (SPECIALTY) that the server puts its own
	// base URL in front of.
	System string
}

// CodeSystem is one code system type with its concepts in the order A004
// lists them. A CodeSystem obtained from a Set is shared: treat it as
// read-only.
type CodeSystem struct {
	Type        string // SPECIALTY, PRIORITY...
	Name        string // "e-RS Specialty"
	Description string
	// Profile is the StructureDefinition the CodeSystem claims.
	Profile string
	// Date is when the code system was last published.
	Date time.Time
	// Properties are the property definitions, effectiveFrom and
	// effectiveTo first.
	Properties []PropertyDef
	// DateExtensions marks code systems whose concepts also carry their
	// dates as Extension-eRS-EffectivefromDate-1/EffectivetoDate-1 (SPECIALTY).
	DateExtensions bool
	Concepts       []Concept

	index map[string]int
}

// Lookup returns the concept with the code.
func (cs *CodeSystem) Lookup(code string) (Concept, bool) {
	i, ok := cs.index[code]
	if !ok {
		return Concept{}, false
	}
	return cs.Concepts[i], true
}

// Set is every code system the simulator serves. It is immutable once built
// and safe for concurrent use.
type Set struct {
	systems map[string]*CodeSystem
	order   []string
}

// Default returns the simulator's reference data.
func Default() *Set {
	return NewSet(
		specialtySystem(),
		clinicTypeSystem(),
		appointmentCancellationSystem(),
		referralCancellationSystem(),
		nonAttendanceSystem(),
		prioritySystem(),
	)
}

// NewSet builds a set from code systems (tests build small ones). A later
// concept with the same code as an earlier one in the same system is ignored
// by Lookup.
func NewSet(systems ...*CodeSystem) *Set {
	s := &Set{systems: make(map[string]*CodeSystem, len(systems))}
	for _, cs := range systems {
		cs.index = make(map[string]int, len(cs.Concepts))
		for i, c := range cs.Concepts {
			if _, dup := cs.index[c.Code]; !dup {
				cs.index[c.Code] = i
			}
		}
		s.systems[cs.Type] = cs
		s.order = append(s.order, cs.Type)
	}
	return s
}

// Types lists the code system types in the set, in A004's order.
func (s *Set) Types() []string { return slices.Clone(s.order) }

// System returns a code system by type (SPECIALTY...). It is shared:
// read-only.
func (s *Set) System(codeSystemType string) (*CodeSystem, bool) {
	cs, ok := s.systems[codeSystemType]
	return cs, ok
}

// Lookup returns a concept of a code system.
func (s *Set) Lookup(codeSystemType, code string) (Concept, bool) {
	cs, ok := s.systems[codeSystemType]
	if !ok {
		return Concept{}, false
	}
	return cs.Lookup(code)
}

// Display is a code's display, or the code itself when unknown.
func (s *Set) Display(codeSystemType, code string) string {
	if c, ok := s.Lookup(codeSystemType, code); ok && c.Display != "" {
		return c.Display
	}
	return code
}

// Specialties returns the specialties in use: those without an end date, in
// code order. Retired ones stay in System and Lookup for old records.
func (s *Set) Specialties() []Concept { return s.current(Specialty, "") }

// ClinicTypes returns the clinic types in use under a specialty, in code
// order.
func (s *Set) ClinicTypes(specialty string) []Concept { return s.current(ClinicType, specialty) }

func (s *Set) current(codeSystemType, specialty string) []Concept {
	cs, ok := s.systems[codeSystemType]
	if !ok {
		return nil
	}
	var out []Concept
	for _, c := range cs.Concepts {
		if c.Retired() || (specialty != "" && c.Prop(PropSpecialty) != specialty) {
			continue
		}
		out = append(out, c)
	}
	return out
}
