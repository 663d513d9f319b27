package refdata

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// The property names every code system declares first.
const (
	PropEffectiveFrom = "effectiveFrom"
	PropEffectiveTo   = "effectiveTo"
)

// PropertyURIBase is where e-RS defines its concept properties: a
// definition's uri is this plus "#" and the property code.
const PropertyURIBase = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-Concept-Properties-1"

// shareableProfile is the profile of every code system but SPECIALTY.
const shareableProfile = "http://hl7.org/fhir/StructureDefinition/shareablecodesystem"

func effectiveProps() []PropertyDef {
	return []PropertyDef{{Code: PropEffectiveFrom, Type: TypeDateTime}, {Code: PropEffectiveTo, Type: TypeDateTime}}
}

// property is one named property with its values, for building concepts.
type property struct {
	name   string
	values []string
}

func prop(name string, values ...string) property {
	return property{name: name, values: slices.Clone(values)}
}

func boolText(b bool) string { return strconv.FormatBool(b) }

// concept builds a concept from a table row; properties without values are
// left out.
func concept(code, display, from, to string, props ...property) Concept {
	c := Concept{Code: code, Display: display, EffectiveFrom: date(from), EffectiveTo: date(to)}
	for _, p := range props {
		if len(p.values) == 0 {
			continue
		}
		if c.Properties == nil {
			c.Properties = map[string][]string{}
		}
		c.Properties[p.name] = append(c.Properties[p.name], p.values...)
	}
	return c
}

// date reads a table date: "2006-01-02" (midnight UTC) or RFC 3339; ""
// is the zero time. The tables are constants, so a bad one is a
// programming error that the package tests catch.
func date(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	panic(fmt.Sprintf("refdata: bad table date %q", s))
}
