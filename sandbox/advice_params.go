package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// adviceTextLimit bounds the A044 request and the A026/A027 guidance, in
// characters as a user counts them.
const adviceTextLimit = 8000

// advicePriorities are the codes of eRS-Priority-1.
var advicePriorities = []string{"ROUTINE", "URGENT", "TWO_WEEK_WAIT"}

// adviceParams reads the parameters of an A&G write. readParameters has
// already refused unknown names; these checks are the cardinalities and
// value types of the operation's profile.
type adviceParams struct{ p *fhir.Parameters }

// one returns the single parameter of a name: 422 MISSING_VALUE when a
// required one is absent, INVALID_VALUE when it is repeated. An optional
// absent parameter is nil.
func (ap adviceParams) one(name string, required bool) (*fhir.Parameter, *problem) {
	all := ap.p.All(name)
	switch {
	case len(all) > 1:
		return nil, invalidValue("'%s' may be given only once.", name)
	case len(all) == 0 && required:
		return nil, missingValue(name)
	case len(all) == 0:
		return nil, nil
	}
	return all[0], nil
}

// text reads a mandatory valueString of at most max characters.
func (ap adviceParams) text(name string, max int) (string, *problem) {
	prm, p := ap.one(name, true)
	if p != nil {
		return "", p
	}
	if prm.ValueString == nil || strings.TrimSpace(*prm.ValueString) == "" {
		return "", missingValue(name)
	}
	s := *prm.ValueString
	if n := utf8.RuneCountInString(s); n > max {
		return "", invalidValue("'%s' is %d characters long; at most %d are allowed.", name, n, max)
	}
	return s, nil
}

// coding reads a valueCoding whose code must be one of allowed; a system,
// when given, must be the operation's. Absent and optional gives "".
func (ap adviceParams) coding(name string, required bool, system string, allowed []string) (string, *problem) {
	prm, p := ap.one(name, required)
	if p != nil || prm == nil {
		return "", p
	}
	return adviceCode(name, prm.ValueCoding, system, allowed)
}

func adviceCode(name string, cd *fhir.Coding, system string, allowed []string) (string, *problem) {
	if cd == nil || cd.Code == "" {
		return "", missingValue(name)
	}
	if cd.System != "" && !fhir.MatchSystem(cd.System, system) {
		return "", adviceInvalidCode("'%s' system %q is not %s.", name, cd.System, system)
	}
	if !slices.Contains(allowed, cd.Code) {
		return "", adviceInvalidCode("'%s' code %q is not one of %s.", name, cd.Code, strings.Join(allowed, ", "))
	}
	return cd.Code, nil
}

// adviceInvalidCode is the 422 for a code outside its value set.
func adviceInvalidCode(format string, args ...any) *problem {
	return &problem{Status: http.StatusUnprocessableEntity, Issue: "code-invalid", Code: "INVALID_CODE", Diagnostics: fmt.Sprintf(format, args...)}
}

// adviceAs400 turns the 422 of a lookup into the 400 A025 documents for the
// same codes (INVALID_REQUEST_TYPE, NO_RELATIONSHIP, PATIENT_ERROR).
func adviceAs400(p *problem) *problem {
	if p.Status != http.StatusUnprocessableEntity {
		return p
	}
	q := *p
	q.Status, q.Issue, q.R4Code = http.StatusBadRequest, "invalid", "REC_BAD_REQUEST"
	return &q
}

// adviceShortlistIn reads the A044 shortlist (eRS-Shortlist-List-1): its
// service ids and the search criteria it links to
// (Extension-eRS-Shortlist-SearchCriteria-1, a contained Parameters).
// index is the parameter's position, for diagnostics that point at it.
func adviceShortlistIn(prm *fhir.Parameter, index int) ([]string, store.SearchCriteria, *problem) {
	var crit store.SearchCriteria
	if prm.Resource.IsZero() || prm.Resource.ResourceType() != "List" {
		return nil, crit, invalidValue("'shortlist' must be an eRS-Shortlist-List-1 List resource.")
	}
	var list fhir.List
	if err := prm.Resource.Decode(&list); err != nil {
		return nil, crit, &problem{Status: http.StatusUnprocessableEntity, Issue: "structure", Code: "INVALID_FHIR_STRUCTURE",
			Diagnostics: "'shortlist' does not match the List structure: " + jsonProblem(err)}
	}
	var ids []string
	for i, e := range list.Entry {
		id := e.Item.Identifier
		if id == nil || id.Value == "" {
			return nil, crit, missingValue(fmt.Sprintf("shortlist.entry[%d].item.identifier", i))
		}
		if id.System != "" && id.System != fhir.SystemERSService {
			return nil, crit, invalidValue("'shortlist.entry[%d]' identifier system %q is not %s.", i, id.System, fhir.SystemERSService)
		}
		ids = append(ids, id.Value)
	}
	ext, ok := list.Extension.Find(fhir.ExtShortlistCriteria)
	if !ok || ext.ValueReference == nil || ext.ValueReference.Reference == "" {
		return nil, crit, missingValue("shortlist.searchCriteria")
	}
	raw, ok := list.FindContained(ext.ValueReference.Reference)
	if !ok || raw.ResourceType() != "Parameters" {
		return nil, crit, &problem{Status: http.StatusUnprocessableEntity, Issue: "value", Code: "REFERENCE_NOT_FOUND",
			Diagnostics: fmt.Sprintf("'shortlist' search criteria %q are not a contained Parameters resource.", ext.ValueReference.Reference)}
	}
	containedIndex := slices.IndexFunc(list.Contained, func(r fhir.RawResource) bool { return r.ID() == raw.ID() })
	var params fhir.Parameters
	if err := raw.Decode(&params); err != nil {
		return nil, crit, &problem{Status: http.StatusUnprocessableEntity, Issue: "structure", Code: "INVALID_FHIR_STRUCTURE",
			Diagnostics: "the shortlist's search criteria do not match the Parameters structure: " + jsonProblem(err)}
	}
	crit, p := adviceCriteriaIn(&params, fmt.Sprintf("parameter[%d]/resource/contained[%d]", index, containedIndex))
	return ids, crit, p
}

// adviceCriteriaIn reads eRS-ServiceSearchCriteria-Parameters-1. path locates
// the criteria in the request for UNEXPECTED_FIELD diagnostics, in the form
// e-RS uses.
func adviceCriteriaIn(p *fhir.Parameters, path string) (store.SearchCriteria, *problem) {
	var cr store.SearchCriteria
	seenPriority, seenAge := false, false
	for i, prm := range p.Parameter {
		var prob *problem
		switch prm.Name {
		case "priority":
			seenPriority = true
			cr.Priority, prob = adviceCode("priority", prm.ValueCoding, fhir.CSPriority, advicePriorities)
		case "specialty":
			if prm.ValueCoding == nil || prm.ValueCoding.Code == "" {
				prob = missingValue("specialty")
			} else {
				cr.Specialty = prm.ValueCoding.Code
			}
		case "clinicType":
			if prm.ValueCoding == nil || prm.ValueCoding.Code == "" {
				prob = missingValue("clinicType")
			} else {
				cr.ClinicType = prm.ValueCoding.Code
			}
		case "clinicalTerm":
			if prm.ValueCoding == nil || prm.ValueCoding.Code == "" {
				prob = missingValue("clinicalTerm")
			} else {
				cr.ClinicalTerm = store.Coding{System: fhir.SystemSNOMED, Code: prm.ValueCoding.Code, Display: prm.ValueCoding.Display}
			}
		case "postcode":
			if prm.ValueString == nil {
				prob = missingValue("postcode")
			} else {
				cr.Postcode = *prm.ValueString
			}
		case "distanceLimit":
			cr.DistanceLimit, prob = adviceUnsigned("distanceLimit", prm.ValueUnsignedInt)
		case "indicativeAppointmentWaitTimeLimit":
			cr.WaitTimeLimit, prob = adviceUnsigned("indicativeAppointmentWaitTimeLimit", prm.ValueUnsignedInt)
		case "namedClinician":
			if prm.ValueIdentifier == nil || prm.ValueIdentifier.Value == "" {
				prob = missingValue("namedClinician")
			} else {
				cr.NamedClinician = prm.ValueIdentifier.Value
			}
		case "organisation":
			if prm.ValueIdentifier == nil || prm.ValueIdentifier.Value == "" {
				prob = missingValue("organisation")
			} else {
				cr.Organisation = prm.ValueIdentifier.Value
			}
		case "ageAndGenderAppropriate":
			seenAge = true
			if prm.ValueBoolean == nil {
				prob = missingValue("ageAndGenderAppropriate")
			} else {
				cr.AgeAndGenderAppropriate = *prm.ValueBoolean
			}
		case "commissioningProvisioning", "place":
			// Read-only outputs of a search: accepted and ignored, as e-RS
			// documents.
		default:
			prob = &problem{Status: http.StatusUnprocessableEntity, Issue: "value", Code: "UNEXPECTED_FIELD",
				Diagnostics: fmt.Sprintf("'%s/parameter[%d]' (%s) unknown parameter name", path, i, prm.Name)}
		}
		if prob != nil {
			return cr, prob
		}
	}
	switch {
	case !seenPriority:
		return cr, missingValue("searchCriteria.priority")
	case !seenAge:
		return cr, missingValue("searchCriteria.ageAndGenderAppropriate")
	}
	return cr, nil
}

func adviceUnsigned(name string, v *int64) (int, *problem) {
	switch {
	case v == nil:
		return 0, missingValue(name)
	case *v < 0 || *v > 1<<31-1:
		return 0, invalidValue("'%s' (%d) is out of range.", name, *v)
	}
	return int(*v), nil
}

// adviceIdentifier reads a valueIdentifier of the given system.
func adviceIdentifier(name string, prm *fhir.Parameter, system string) (string, *problem) {
	id := prm.ValueIdentifier
	if id == nil || id.Value == "" {
		return "", missingValue(name)
	}
	if id.System != "" && id.System != system {
		return "", invalidValue("'%s' identifier system %q is not %s.", name, id.System, system)
	}
	return id.Value, nil
}

// files returns the file parameters of a name, for linkFiles.
func (ap adviceParams) files(name string) []*fhir.Parameter { return ap.p.All(name) }
