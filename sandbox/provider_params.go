package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// maxActionComment is the limit e-RS documents for the free text of the
// provider actions and of A036 (rejection, review and cancellation
// comments).
const maxActionComment = 2000

// actionParams reads the named values of an action's Parameters body. Each
// reader refuses a repeated name and a value of the wrong type with the 422
// e-RS documents, naming the field as e-RS does ('rejectionComments').
type actionParams struct{ p *fhir.Parameters }

// one returns the only parameter with the name, or nil when there is none.
func (a actionParams) one(name string) (*fhir.Parameter, *problem) {
	return referrerParam(a.p, name, false)
}

// text reads a valueString of at most limit characters. A required text
// that is absent or blank is MISSING_VALUE.
func (a actionParams) text(name string, required bool, limit int) (string, *problem) {
	prm, p := a.one(name)
	if p != nil {
		return "", p
	}
	if prm == nil {
		if required {
			return "", missingValue(name)
		}
		return "", nil
	}
	if prm.ValueString == nil {
		return "", invalidValue("'%s' must be a valueString.", name)
	}
	s := *prm.ValueString
	if strings.TrimSpace(s) == "" {
		if required {
			return "", missingValue(name)
		}
		return "", nil
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return "", invalidValue("'%s' is %d characters long; at most %d are allowed.", name, n, limit)
	}
	return s, nil
}

// coding reads a valueCoding (or the first coding of a
// valueCodeableConcept, which some clients send). It reports whether the
// parameter was present.
func (a actionParams) coding(name string, required bool) (fhir.Coding, bool, *problem) {
	prm, p := a.one(name)
	if p != nil {
		return fhir.Coding{}, false, p
	}
	if prm == nil {
		if required {
			return fhir.Coding{}, false, missingValue(name)
		}
		return fhir.Coding{}, false, nil
	}
	cd, ok := prm.Value.Coding()
	if !ok {
		return fhir.Coding{}, false, invalidValue("'%s' must be a valueCoding.", name)
	}
	if strings.TrimSpace(cd.Code) == "" {
		return fhir.Coding{}, false, missingValue(name + ".code")
	}
	return cd, true, nil
}

// localCode reads a coding of a local code system (REFERRAL-CANCELLATION-
// REASON...), whose system is matched by its suffix whatever base URL the
// client put in front, as e-RS's own examples vary it.
func (a actionParams) localCode(name, codeSystemType string) (string, *problem) {
	cd, _, p := a.coding(name, true)
	if p != nil {
		return "", p
	}
	if !fhir.IsLocalSystem(cd.System, codeSystemType) {
		return "", actionInvalidCode("'%s' must be a code of the %s code system.", name, codeSystemType)
	}
	return cd.Code, nil
}

// priority reads an optional eRS-Priority-1 coding; "" when absent.
func (a actionParams) priority(name string) (string, *problem) {
	cd, found, p := a.coding(name, false)
	if p != nil || !found {
		return "", p
	}
	if (cd.System != "" && cd.System != fhir.CSPriority) || !isPriority(cd.Code) {
		return "", actionInvalidCode("'%s' must be ROUTINE, URGENT or TWO_WEEK_WAIT from %s.", name, fhir.CSPriority)
	}
	return cd.Code, nil
}

// flag reads an optional valueBoolean; nil when absent.
func (a actionParams) flag(name string) (*bool, *problem) {
	prm, p := a.one(name)
	if p != nil || prm == nil {
		return nil, p
	}
	if prm.ValueBoolean == nil {
		return nil, invalidValue("'%s' must be a valueBoolean.", name)
	}
	v := *prm.ValueBoolean
	return &v, nil
}

// actionInvalidCode is a 422 INVALID_CODE: a code outside the field's
// legal values.
func actionInvalidCode(format string, args ...any) *problem {
	return &problem{Status: http.StatusUnprocessableEntity, Issue: "code-invalid", Code: "INVALID_CODE", Diagnostics: fmt.Sprintf(format, args...)}
}

// files returns the file parameters (DocumentReferences) for linkFiles.
func (a actionParams) files(name string) []*fhir.Parameter { return a.p.All(name) }
