package ersclient

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// ReferenceDataTypes are the code system types A004 serves.
func ReferenceDataTypes() []string {
	return []string{
		fhir.LocalSpecialty, fhir.LocalClinicType,
		fhir.LocalAppointmentCancellationReason, fhir.LocalReferralCancellationReason,
		fhir.LocalAppointmentNonAttendance, fhir.LocalPriority,
	}
}

func isReferenceDataType(t string) bool {
	for _, known := range ReferenceDataTypes() {
		if t == known {
			return true
		}
	}
	return false
}

// Extension URLs some specialty concepts carry besides the effectiveFrom /
// effectiveTo properties.
const (
	extEffectiveFromDate = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-EffectivefromDate-1"
	extEffectiveToDate   = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-EffectivetoDate-1"
)

// ReferenceData is one e-RS code system (A004) in plain values.
type ReferenceData struct {
	ResponseInfo
	// Type is the code system type asked for (SPECIALTY, PRIORITY...).
	Type string
	// System is the CodeSystem's url, with the service's own base URL in
	// front; codings sent back to e-RS use it as their system.
	System   string
	Name     string
	Concepts []ReferenceConcept
	// CodeSystem is the raw response.
	CodeSystem *fhir.CodeSystem
}

// ReferenceConcept is one code with its display, its period of validity and
// its properties as text (a coding property gives its code; a repeated
// property, such as businessFunction, gives several values).
type ReferenceConcept struct {
	Code    string
	Display string
	// System is the code system's url, as in ReferenceData.System.
	System string
	// EffectiveFrom and EffectiveTo bound the period in which the code may
	// be used; either is zero when open.
	EffectiveFrom time.Time
	EffectiveTo   time.Time
	Properties    map[string][]string
}

// RetrieveReferenceData is A004: one code system (specialties, clinic types,
// cancellation and non-attendance reasons, priorities). An unknown type is
// 404 at e-RS and refused here before sending.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes.
func (c *Client) RetrieveReferenceData(ctx context.Context, codeSystemType string) (*ReferenceData, error) {
	o := op(OpRetrieveReferenceData)
	if !isReferenceDataType(codeSystemType) {
		return nil, invalid(o.ID, "%q is not an e-RS reference data type: use one of %s",
			codeSystemType, strings.Join(ReferenceDataTypes(), ", "))
	}
	resp, err := fetch[fhir.CodeSystem](ctx, c, call{op: o, pathValues: []string{codeSystemType}})
	if err != nil {
		return nil, err
	}
	cs := resp.Resource
	if cs.ResourceType != "CodeSystem" {
		return nil, &Error{Op: o.ID, Status: resp.Status, CorrelationID: resp.CorrelationID, RequestID: resp.RequestID,
			Kind: KindBadResponse, Err: fmt.Errorf("expected a CodeSystem, got %q", cs.ResourceType)}
	}
	d := NewReferenceData(cs)
	d.ResponseInfo = resp.ResponseInfo
	if d.Type == "" {
		d.Type = codeSystemType
	}
	return d, nil
}

// NewReferenceData builds the view of a CodeSystem (nested concepts are
// flattened, parents first).
func NewReferenceData(cs *fhir.CodeSystem) *ReferenceData {
	d := &ReferenceData{System: cs.URL, Name: cs.Name, CodeSystem: cs}
	if i := strings.LastIndex(cs.URL, "/CodeSystem/"); i >= 0 {
		d.Type = cs.URL[i+len("/CodeSystem/"):]
	}
	if d.Type == "" {
		d.Type = cs.ID
	}
	var walk func([]fhir.Concept)
	walk = func(concepts []fhir.Concept) {
		for i := range concepts {
			d.Concepts = append(d.Concepts, newReferenceConcept(cs.URL, &concepts[i]))
			walk(concepts[i].Concept)
		}
	}
	walk(cs.Concept)
	return d
}

func newReferenceConcept(system string, c *fhir.Concept) ReferenceConcept {
	rc := ReferenceConcept{Code: c.Code, Display: c.Display, System: system}
	if len(c.Property) > 0 {
		rc.Properties = make(map[string][]string, len(c.Property))
	}
	for _, p := range c.Property {
		rc.Properties[p.Code] = append(rc.Properties[p.Code], p.Value.String())
	}
	rc.EffectiveFrom = conceptTime(rc.Properties, "effectiveFrom", c.Extension, extEffectiveFromDate)
	rc.EffectiveTo = conceptTime(rc.Properties, "effectiveTo", c.Extension, extEffectiveToDate)
	return rc
}

// conceptTime reads a date property, falling back to the equivalent
// extension.
func conceptTime(props map[string][]string, name string, exts fhir.Extensions, extURL string) time.Time {
	if vs := props[name]; len(vs) > 0 {
		if t, ok := ParseFHIRTime(vs[0]); ok {
			return t
		}
	}
	if t, ok := ParseFHIRTime(exts.String(extURL)); ok {
		return t
	}
	return time.Time{}
}

// EffectiveAt reports whether the code may be used at t:
// effectiveFrom <= t < effectiveTo, with an open end when absent.
func (c ReferenceConcept) EffectiveAt(t time.Time) bool {
	if !c.EffectiveFrom.IsZero() && t.Before(c.EffectiveFrom) {
		return false
	}
	return c.EffectiveTo.IsZero() || t.Before(c.EffectiveTo)
}

// Strings returns every value of the property.
func (c ReferenceConcept) Strings(name string) []string { return c.Properties[name] }

// Value returns the first value of the property, or "".
func (c ReferenceConcept) Value(name string) string {
	if vs := c.Properties[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Has reports whether the property has the value among its values (for
// repeated properties such as businessFunction).
func (c ReferenceConcept) Has(name, value string) bool {
	for _, v := range c.Properties[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Bool returns a boolean property; ok is false when it is absent or not a
// boolean.
func (c ReferenceConcept) Bool(name string) (value, ok bool) {
	b, err := strconv.ParseBool(c.Value(name))
	return b, err == nil
}

// Int returns an integer property; ok is false when it is absent or not an
// integer.
func (c ReferenceConcept) Int(name string) (value int, ok bool) {
	n, err := strconv.Atoi(c.Value(name))
	return n, err == nil
}

// Coding is the concept as a coding to send back to e-RS: the code system's
// own url and the code, nothing else, as the service issued them.
func (c ReferenceConcept) Coding() fhir.Coding {
	return fhir.Coding{System: c.System, Code: c.Code}
}

// Effective returns the concepts usable at now, in order.
func (d *ReferenceData) Effective(now time.Time) []ReferenceConcept {
	return d.Filter(func(c ReferenceConcept) bool { return c.EffectiveAt(now) })
}

// Filter returns the concepts keep accepts, in order.
func (d *ReferenceData) Filter(keep func(ReferenceConcept) bool) []ReferenceConcept {
	var out []ReferenceConcept
	for _, c := range d.Concepts {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// Lookup returns the concept with the code.
func (d *ReferenceData) Lookup(code string) (ReferenceConcept, bool) {
	for _, c := range d.Concepts {
		if c.Code == code {
			return c, true
		}
	}
	return ReferenceConcept{}, false
}

// Display is the display of the code, or the code itself when unknown: a
// worklist or referral shows codes, and this turns them into words.
func (d *ReferenceData) Display(code string) string {
	if c, ok := d.Lookup(code); ok && c.Display != "" {
		return c.Display
	}
	return code
}
