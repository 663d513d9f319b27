package sandbox

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
)

// Extensions SPECIALTY concepts carry besides the date properties.
const (
	extEffectiveFromDate = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-EffectivefromDate-1"
	extEffectiveToDate   = "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-EffectivetoDate-1"
)

// codeSystemExtra are the CodeSystem members every A004 answer carries
// that fhir.CodeSystem does not model.
var codeSystemExtra = map[string]string{
	"experimental":  `false`,
	"publisher":     `"e-Referral Service"`,
	"copyright":     `"Copyright (c) 2016 HL7 UK"`,
	"caseSensitive": `true`,
}

// retrieveReferenceData is A004: one code system of s.ref, whole (as e-RS
// answers it: retired codes included, the client filters by date). An
// unknown type is 404 with an empty body, as documented.
func (s *Server) retrieveReferenceData(c *call) {
	cs, ok := s.ref.System(c.r.PathValue("codeSystemType"))
	if !ok {
		c.fail(&problem{Status: http.StatusNotFound, Issue: "not-found", Code: "REFERENCE_NOT_FOUND", Empty: true,
			Diagnostics: "No such reference data type."})
		return
	}
	c.writeResource(http.StatusOK, c.codeSystemResource(cs), 0)
}

// codeSystemResource renders a code system as stu3/getCodeSystem/responses
// shows it.
func (c *call) codeSystemResource(cs *refdata.CodeSystem) *fhir.CodeSystem {
	res := &fhir.CodeSystem{
		DomainResource: fhir.DomainResource{ResourceType: "CodeSystem", ID: cs.Type, Meta: &fhir.Meta{Profile: []string{cs.Profile}}},
		URL:            c.localSystemURL(cs.Type),
		Version:        "1",
		Name:           cs.Name,
		Status:         "active",
		Content:        "complete",
		Date:           instantString(cs.Date),
		Description:    cs.Description,
		Extra:          fhir.Extra{},
	}
	for k, v := range codeSystemExtra {
		res.Extra[k] = []byte(v)
	}
	for _, d := range cs.Properties {
		res.Property = append(res.Property, fhir.CodeSystemPropertyDef{Code: d.Code, URI: refdata.PropertyURIBase + "#" + d.Code, Type: d.Type})
	}
	res.Concept = make([]fhir.Concept, 0, len(cs.Concepts))
	for _, con := range cs.Concepts {
		res.Concept = append(res.Concept, c.conceptResource(cs, con))
	}
	return res
}

// conceptResource renders one concept: its dates, then its properties in
// the order the code system declares them, a repeated property once per
// value.
func (c *call) conceptResource(cs *refdata.CodeSystem, con refdata.Concept) fhir.Concept {
	out := fhir.Concept{Code: con.Code, Display: con.Display}
	if cs.DateExtensions {
		out.Extension = append(out.Extension, fhir.Extension{URL: extEffectiveFromDate, Value: fhir.Value{ValueDate: fhir.Ptr(con.EffectiveFrom.UTC().Format("2006-01-02"))}})
		if con.Retired() {
			out.Extension = append(out.Extension, fhir.Extension{URL: extEffectiveToDate, Value: fhir.Value{ValueDate: fhir.Ptr(con.EffectiveTo.UTC().Format("2006-01-02"))}})
		}
	}
	for _, d := range cs.Properties {
		switch d.Code {
		case refdata.PropEffectiveFrom:
			out.Property = append(out.Property, fhir.ConceptProperty{Code: d.Code, Value: fhir.Value{ValueDateTime: fhir.Ptr(instantString(con.EffectiveFrom))}})
			continue
		case refdata.PropEffectiveTo:
			if con.Retired() {
				out.Property = append(out.Property, fhir.ConceptProperty{Code: d.Code, Value: fhir.Value{ValueDateTime: fhir.Ptr(instantString(con.EffectiveTo))}})
			}
			continue
		}
		for _, v := range con.Props(d.Code) {
			out.Property = append(out.Property, fhir.ConceptProperty{Code: d.Code, Value: c.propertyValue(d, v)})
		}
	}
	return out
}

// propertyValue types a property value as its definition says.
func (c *call) propertyValue(d refdata.PropertyDef, v string) fhir.Value {
	switch d.Type {
	case refdata.TypeCoding:
		system := d.System
		if !strings.Contains(system, "://") {
			system = c.localSystemURL(system)
		}
		return fhir.Value{ValueCoding: &fhir.Coding{System: system, Code: v}}
	case refdata.TypeBoolean:
		return fhir.Value{ValueBoolean: fhir.Ptr(v == "true")}
	case refdata.TypeInteger:
		n, _ := strconv.ParseInt(v, 10, 64)
		return fhir.Value{ValueInteger: &n}
	default:
		return fhir.Value{ValueString: fhir.Ptr(v)}
	}
}
