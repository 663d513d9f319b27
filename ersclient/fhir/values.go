package fhir

import "strconv"

// Ptr returns a pointer to v; it builds the optional fields of requests.
func Ptr[T any](v T) *T { return &v }

// String renders whatever the value holds as text: a code, a date, a number, an
// identifier's value. It is for display and matching, never for re-encoding.
func (v Value) String() string {
	switch {
	case v.ValueString != nil:
		return *v.ValueString
	case v.ValueCode != nil:
		return *v.ValueCode
	case v.ValueDateTime != nil:
		return *v.ValueDateTime
	case v.ValueDate != nil:
		return *v.ValueDate
	case v.ValueInstant != nil:
		return *v.ValueInstant
	case v.ValueURI != nil:
		return *v.ValueURI
	case v.ValueID != nil:
		return *v.ValueID
	case v.ValueBoolean != nil:
		return strconv.FormatBool(*v.ValueBoolean)
	case v.ValueInteger != nil:
		return strconv.FormatInt(*v.ValueInteger, 10)
	case v.ValueUnsignedInt != nil:
		return strconv.FormatInt(*v.ValueUnsignedInt, 10)
	case v.ValuePositiveInt != nil:
		return strconv.FormatInt(*v.ValuePositiveInt, 10)
	case v.ValueCoding != nil:
		return v.ValueCoding.Code
	case v.ValueCodeableConcept != nil:
		return v.ValueCodeableConcept.FirstCode()
	case v.ValueIdentifier != nil:
		return v.ValueIdentifier.Value
	case v.ValueReference != nil:
		if v.ValueReference.Identifier != nil {
			return v.ValueReference.Identifier.Value
		}
		return v.ValueReference.Reference
	}
	return ""
}

// Int returns an integer value of any of the integer kinds.
func (v Value) Int() (int64, bool) {
	switch {
	case v.ValueInteger != nil:
		return *v.ValueInteger, true
	case v.ValueUnsignedInt != nil:
		return *v.ValueUnsignedInt, true
	case v.ValuePositiveInt != nil:
		return *v.ValuePositiveInt, true
	}
	return 0, false
}

// Bool returns a boolean value.
func (v Value) Bool() (value, ok bool) {
	if v.ValueBoolean == nil {
		return false, false
	}
	return *v.ValueBoolean, true
}

// Coding returns the value as a coding, from valueCoding or the first coding of
// valueCodeableConcept.
func (v Value) Coding() (Coding, bool) {
	switch {
	case v.ValueCoding != nil:
		return *v.ValueCoding, true
	case v.ValueCodeableConcept != nil && len(v.ValueCodeableConcept.Coding) > 0:
		return v.ValueCodeableConcept.Coding[0], true
	}
	return Coding{}, false
}

// FirstCode returns the code of the first coding, or "".
func (c CodeableConcept) FirstCode() string {
	if len(c.Coding) == 0 {
		return ""
	}
	return c.Coding[0].Code
}

// CodingIn returns the first coding whose system matches, as MatchSystem does.
func (c CodeableConcept) CodingIn(system string) (Coding, bool) {
	for _, cd := range c.Coding {
		if MatchSystem(cd.System, system) {
			return cd, true
		}
	}
	return Coding{}, false
}

// Label is the best human text for a concept: its text, else the first
// coding's display, else its code.
func (c CodeableConcept) Label() string {
	if c.Text != "" {
		return c.Text
	}
	for _, cd := range c.Coding {
		if cd.Display != "" {
			return cd.Display
		}
	}
	return c.FirstCode()
}

// NewConcept builds a one-coding CodeableConcept.
func NewConcept(system, code string) *CodeableConcept {
	return &CodeableConcept{Coding: []Coding{{System: system, Code: code}}}
}

// FindIdentifier returns the value of the first identifier whose system
// matches, as MatchSystem does.
func FindIdentifier(ids []Identifier, system string) string {
	for _, id := range ids {
		if MatchSystem(id.System, system) {
			return id.Value
		}
	}
	return ""
}
