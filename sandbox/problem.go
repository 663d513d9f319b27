package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// problem is an error answer: the HTTP status, the FHIR issue type and the
// e-RS (STU3) or NHS (R4) error code. The server renders it in the shape the
// operation's FHIR version uses.
type problem struct {
	Status int
	// R4Status, if set, replaces Status in R4 answers.
	R4Status int
	// Issue is the FHIR issue type: business-rule, value, required...
	Issue string
	// Code is the STU3 eRS-APIErrorCode-1 code. R4 answers use R4Code, or a
	// code derived from the status when it is empty.
	Code        string
	R4Code      string
	Diagnostics string
	// Empty answers with no body, as APIM does for some STU3 errors.
	Empty      bool
	RetryAfter time.Duration
	// Header carries extra response headers (WWW-Authenticate).
	Header http.Header
}

func (p *problem) Error() string {
	return fmt.Sprintf("%d %s: %s", p.Status, p.Code, p.Diagnostics)
}

// businessRule is a 422 with an e-RS business code.
func businessRule(code, format string, args ...any) *problem {
	return &problem{Status: http.StatusUnprocessableEntity, Issue: "business-rule", Code: code, Diagnostics: fmt.Sprintf(format, args...)}
}

// invalidValue is a 422 INVALID_VALUE about one field.
func invalidValue(format string, args ...any) *problem {
	return &problem{Status: http.StatusUnprocessableEntity, Issue: "value", Code: "INVALID_VALUE", Diagnostics: fmt.Sprintf(format, args...)}
}

// missingValue is a 422 MISSING_VALUE for a mandatory field.
func missingValue(field string) *problem {
	return &problem{Status: http.StatusUnprocessableEntity, Issue: "required", Code: "MISSING_VALUE", Diagnostics: fmt.Sprintf("'%s' is missing.", field)}
}

// badRequest is a 400 with a code (STU3) and REC_BAD_REQUEST (R4).
func badRequest(code, format string, args ...any) *problem {
	return &problem{Status: http.StatusBadRequest, Issue: "invalid", Code: code, R4Code: "REC_BAD_REQUEST", Diagnostics: fmt.Sprintf(format, args...)}
}

// notFound is a 404 for an unknown id.
func notFound(format string, args ...any) *problem {
	return &problem{Status: http.StatusNotFound, Issue: "not-found", Code: "REFERENCE_NOT_FOUND", R4Code: "REC_NOT_FOUND", Diagnostics: fmt.Sprintf(format, args...)}
}

// historyNotSupported is the 404 for a version other than the latest.
func historyNotSupported(version string) *problem {
	return &problem{Status: http.StatusNotFound, Issue: "not-found", Code: "HISTORY_NOT_SUPPORTED", Diagnostics: fmt.Sprintf("Resource not found or version mismatch: only the current version can be retrieved, not %q.", version)}
}

// forbidden is a 403 NO_ACCESS / ACCESS_DENIED.
func forbidden(format string, args ...any) *problem {
	return &problem{Status: http.StatusForbidden, Issue: "forbidden", Code: "NO_ACCESS", R4Code: "ACCESS_DENIED", Diagnostics: fmt.Sprintf(format, args...)}
}

// noRelationship refuses a record the caller has no legitimate relationship
// with: 422 in STU3, 403 in R4, as e-RS documents.
func noRelationship(what string) *problem {
	return &problem{Status: http.StatusUnprocessableEntity, R4Status: http.StatusForbidden, Issue: "business-rule", Code: "NO_RELATIONSHIP", R4Code: "NO_RELATIONSHIP",
		Diagnostics: fmt.Sprintf("The user has no legitimate relationship with %s.", what)}
}

// versionConflict is the 409 for a stale version.
func versionConflict(supplied, current int) *problem {
	return &problem{Status: http.StatusConflict, Issue: "conflict",
		Diagnostics: fmt.Sprintf("Version supplied (%d) does not match current version (%d).", supplied, current)}
}

// locked is the 423 of e-RS's pessimistic lock.
func locked() *problem {
	return &problem{Status: http.StatusLocked, Issue: "lock-error",
		Diagnostics: "The record is being updated by another request. Fetch it again and retry later."}
}

// invalidState is the 422 for an action the record's state does not allow.
func invalidState(format string, args ...any) *problem {
	return businessRule("INVALID_REQUEST_STATE", format, args...)
}

// stu3Displays are the displays of the STU3 error codes the simulator uses;
// others are derived from the code.
var stu3Displays = map[string]string{
	"NO_ACCESS":      "No access",
	"MISSING_HEADER": "Missing header",
	// The PAS and availability errors, worded as the official examples word them.
	"PAS_RESPONDED_WITH_ERROR": "Error received from PAS",
	"PAS_NOT_RESPONDING":       "No response from PAS",
	"SYSTEM_UNAVAILABLE":       "System Unavailable",
}

func stu3Display(code string) string {
	if d, ok := stu3Displays[code]; ok {
		return d
	}
	s := strings.ToLower(strings.ReplaceAll(code, "_", " "))
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// r4System is the code system of an R4 error code.
func r4System(code string) string {
	switch {
	case strings.HasPrefix(code, "REC_"):
		return "https://fhir.nhs.uk/CodeSystem/http-error-codes"
	case code == "ACCESS_DENIED" || code == "TOO_MANY_REQUESTS" || code == "MISSING_HEADER" || code == "SERVICE_ERROR":
		return "https://fhir.nhs.uk/CodeSystem/NHSD-API-ErrorOrWarningCode"
	default:
		return "https://fhir.nhs.uk/CodeSystem/ers-error-codes"
	}
}

// r4CodeFor derives the BaRS code of a status when a problem names none.
func r4CodeFor(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "REC_BAD_REQUEST"
	case http.StatusUnauthorized:
		return "ACCESS_DENIED"
	case http.StatusForbidden:
		return "REC_FORBIDDEN"
	case http.StatusNotFound:
		return "REC_NOT_FOUND"
	case http.StatusNotAcceptable:
		return "REC_NOT_ACCEPTABLE"
	case http.StatusConflict:
		return "REC_CONFLICT"
	case http.StatusPreconditionFailed:
		return "REC_PRECONDITION_FAILED"
	case http.StatusUnsupportedMediaType:
		return "REC_UNSUPPORTED_MEDIA_TYPE"
	case http.StatusUnprocessableEntity:
		return "REC_UNPROCESSABLE_ENTITY"
	case http.StatusTooManyRequests:
		return "TOO_MANY_REQUESTS"
	case http.StatusServiceUnavailable:
		return "REC_UNAVAILABLE"
	default:
		return "REC_SERVER_ERROR"
	}
}
