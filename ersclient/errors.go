package ersclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Kind classifies an error for the caller's decisions.
type Kind int

// The kinds of error.
const (
	// KindAPI is an error status from e-RS or APIM (see Status and Code).
	KindAPI Kind = iota
	// KindNotSent is a failure before the request reached the server
	// (connection refused, DNS): nothing happened there.
	KindNotSent
	// KindOutcomeUnknown is a failure after the request may have reached the
	// server (timeout, connection reset): a write may or may not have taken
	// effect. Read the resource back before trying again.
	KindOutcomeUnknown
	// KindTooLarge is a response or upload over the documented limit.
	KindTooLarge
	// KindBadResponse is a response that could not be decoded.
	KindBadResponse
	// KindAuth is a failure to obtain credentials for the call.
	KindAuth
	// KindInvalid is a request the client refused to send (bad input).
	KindInvalid
)

// Error is every failure of a call. It carries what support needs (the
// correlation and request ids) and what the screens need to decide (the
// status, the e-RS or APIM code, the FHIR issue type).
type Error struct {
	Op     OperationID
	Kind   Kind
	Status int
	// Code is the e-RS, APIM or BaRS error code (NO_ACCESS,
	// SLOTS_CURRENTLY_AVAILABLE, REC_BAD_REQUEST...), or "".
	Code        string
	CodeDisplay string
	// IssueType is the FHIR issue type (value, business-rule, login...).
	IssueType     string
	Diagnostics   string
	CorrelationID string
	RequestID     string
	// RetryAfter is the server's Retry-After, if it sent one.
	RetryAfter time.Duration
	// Outcome is the decoded OperationOutcome, when there was one.
	Outcome *fhir.OperationOutcome
	// Err is the underlying transport or decoding error.
	Err error
}

// Error is one line: the plain-words message, the code and the ids.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Op, e.Message())
	if e.Code != "" {
		fmt.Fprintf(&b, " [%s]", e.Code)
	}
	if e.CorrelationID != "" {
		fmt.Fprintf(&b, " (correlation id %s)", e.CorrelationID)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Message says what happened and what to do, in words a clerk can act on.
func (e *Error) Message() string {
	switch e.Kind {
	case KindNotSent:
		return "could not reach e-RS; nothing was sent. Check the connection and try again"
	case KindOutcomeUnknown:
		if op, ok := LookupOperation(e.Op); ok && op.Write {
			return "no answer from e-RS; the change may or may not have been made. Reload the record to check before trying again"
		}
		return "no answer from e-RS in time. Try again"
	case KindTooLarge:
		return "the response is larger than e-RS allows; narrow the request (for example filter the worklist)"
	case KindBadResponse:
		return "e-RS sent a reply that could not be read. Try again; if it persists, report the correlation id"
	case KindAuth:
		return "could not get credentials for e-RS. Sign in again"
	case KindInvalid:
		if e.Diagnostics != "" {
			return e.Diagnostics
		}
		return "the request is not valid"
	}
	if e.Code == "TOO_MANY_ITEMS" && (e.Op == OpRetrieveWorklist || e.Op == OpAdviceWorklist) {
		// e-RS refuses a worklist answer over 10 MB rather than page it.
		return "the worklist is too large for one answer; narrow it with the service, specialty, location or clinician filters"
	}
	if msg := codeMessage(e.Code); msg != "" {
		return withDiagnostics(msg, e.Diagnostics)
	}
	return withDiagnostics(statusMessage(e.Status), e.Diagnostics)
}

func withDiagnostics(msg, diag string) string {
	if diag == "" || strings.Contains(msg, diag) {
		return msg
	}
	return msg + ": " + diag
}

// statusMessage says what an HTTP status means for the user.
func statusMessage(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "e-RS refused the request as invalid"
	case http.StatusUnauthorized:
		return "your sign-in has expired or is not accepted. Sign in again"
	case http.StatusForbidden:
		return "you are not allowed to do this in your current role and organisation"
	case http.StatusNotFound:
		return "not found: check the reference number"
	case http.StatusNotAcceptable, http.StatusUnsupportedMediaType:
		return "e-RS could not handle the format of the request; report the correlation id"
	case http.StatusConflict:
		return "someone else has changed this record since you opened it. Reload it and check before trying again"
	case http.StatusPreconditionFailed:
		return "the record's version was not sent. Reload it and try again"
	case http.StatusUnprocessableEntity:
		return "e-RS refused the request under its business rules"
	case http.StatusLocked:
		return "the record is being changed by someone else right now. Wait a moment, reload it and try again"
	case http.StatusTooManyRequests:
		return "e-RS is receiving too many requests. Wait a moment and try again"
	case http.StatusBadGateway:
		// Not always the hospital's PAS (that says PAS_RESPONDED_WITH_ERROR):
		// any system behind e-RS.
		return "a system behind e-RS returned an error; any change was not confirmed. Reload to check before trying again"
	case http.StatusServiceUnavailable:
		return "e-RS is unavailable at the moment. Try again shortly"
	case http.StatusGatewayTimeout:
		return "a system behind e-RS did not answer in time; any change was not confirmed. Reload to check before trying again"
	}
	if status >= 500 {
		return "e-RS had an internal error. Try again; if it persists, report the correlation id"
	}
	return fmt.Sprintf("e-RS answered with status %d", status)
}

// codeMessage explains the e-RS codes a user can act on.
func codeMessage(code string) string {
	switch code {
	case "SLOTS_CURRENTLY_AVAILABLE":
		return "slots are available at this service, so the referral cannot be deferred; book a slot instead"
	case "SLOT_NOT_AVAILABLE", "INAPPROPRIATE_SLOT", "THIS_SLOT_IS_AVAILABLE":
		return "that slot cannot be booked any more; pick another slot"
	case "NO_ACCESS_CODE":
		return "the patient has no access code yet, so no patient letter can be made"
	case "PRIORITY_NOT_CURRENT":
		return "the priority cannot be changed when returning the referral with advice"
	case "INVALID_REQUEST_STATE", "INVALID_STATE":
		return "the record is no longer in a state that allows this action; reload it"
	case "MISSING_VALUE", "VALUE_IS_REQUIRED":
		return "a required value is missing"
	case "TOO_MANY_ITEMS":
		return "too many items: a shortlist holds at most 20 services"
	case "DUPLICATE_SERVICE":
		return "the same service is on the shortlist twice"
	case "NO_RELATIONSHIP":
		return "you have no legitimate relationship with this record in your current organisation"
	case "PATIENT_ERROR":
		return "there is a problem with the patient's record; do not try again, contact the e-RS service desk"
	case "PENDING":
		return "the file is still being checked for viruses; try again in five minutes"
	case "THREATS_FOUND":
		return "the file failed its virus check and cannot be downloaded; contact the person who uploaded it"
	case "VALIDATION_FAILED":
		return "the file failed validation and cannot be downloaded; contact the person who uploaded it"
	case "FILE_SIZE_ERROR":
		return "the file is empty or larger than 5 MB"
	case "MISSING_HEADER":
		return "the organisation was not sent with the request; choose a role again"
	case "PAS_NOT_RESPONDING":
		return "the hospital's patient administration system did not respond; the change was not confirmed. Reload to check"
	case "PAS_RESPONDED_WITH_ERROR":
		return "the hospital's patient administration system returned an error; the change was not confirmed. Reload to check"
	case "TOO_MANY_REQUESTS":
		return statusMessage(http.StatusTooManyRequests)
	case "HISTORY_NOT_SUPPORTED":
		return "that is not the latest version of the record; reload it"
	}
	return ""
}

// decodeError turns an error response into an *Error. It copes with STU3 and
// R4 OperationOutcomes and with the empty or plain-text bodies APIM sends.
func decodeError(op Operation, resp *http.Response, body []byte, info ResponseInfo) *Error {
	e := &Error{Op: op.ID, Kind: KindAPI, Status: resp.StatusCode,
		CorrelationID: info.CorrelationID, RequestID: info.RequestID,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	if oo, ok := DecodeOperationOutcome(body); ok {
		e.Outcome = oo
		e.Code, e.CodeDisplay, e.IssueType, e.Diagnostics = outcomeFacts(oo)
		return e
	}
	// Not an OperationOutcome: APIM's empty or text bodies. Keep a short,
	// printable excerpt as diagnostics; it never carries clinical content.
	text := strings.TrimSpace(string(body))
	if len(text) > 200 {
		text = text[:200]
	}
	if strings.HasPrefix(text, "<") || !printable(text) {
		text = ""
	}
	e.Diagnostics = text
	if code := bearerErrorCode(resp.Header.Get("WWW-Authenticate")); code != "" && e.Code == "" {
		e.Code = code
	}
	return e
}

// DecodeOperationOutcome decodes an STU3 or R4 OperationOutcome body. It
// reports false for anything else (empty, text, another resource).
func DecodeOperationOutcome(body []byte) (*fhir.OperationOutcome, bool) {
	trimmed := strings.TrimSpace(string(body))
	if !strings.HasPrefix(trimmed, "{") {
		return nil, false
	}
	var oo fhir.OperationOutcome
	if err := fhir.Unmarshal([]byte(trimmed), &oo); err != nil || oo.ResourceType != "OperationOutcome" {
		return nil, false
	}
	return &oo, true
}

// outcomeFacts picks the first error issue's code and text. STU3 codes come
// with a display; R4 codes do not.
func outcomeFacts(oo *fhir.OperationOutcome) (code, display, issueType, diagnostics string) {
	if len(oo.Issue) == 0 {
		return "", "", "", ""
	}
	issue := oo.Issue[0]
	for _, is := range oo.Issue {
		if is.Severity == "error" || is.Severity == "fatal" {
			issue = is
			break
		}
	}
	if issue.Details != nil && len(issue.Details.Coding) > 0 {
		code, display = issue.Details.Coding[0].Code, issue.Details.Coding[0].Display
	}
	return code, display, issue.Code, issue.Diagnostics
}

func bearerErrorCode(h string) string {
	i := strings.Index(h, `error="`)
	if i < 0 {
		return ""
	}
	rest := h[i+len(`error="`):]
	if j := strings.IndexByte(rest, '"'); j >= 0 {
		return rest[:j]
	}
	return ""
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// transportError classifies a failed round trip: not sent (nothing reached
// the server) or outcome unknown.
func transportError(op Operation, corrID string, err error) *Error {
	e := &Error{Op: op.ID, CorrelationID: corrID, Err: err, Kind: KindOutcomeUnknown}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr), errors.As(err, &opErr) && opErr.Op == "dial",
		errors.Is(err, syscall.ECONNREFUSED):
		e.Kind = KindNotSent
	case errors.Is(err, context.Canceled):
		// The caller gave up; for a write the outcome is still unknown.
		e.Kind = KindOutcomeUnknown
	}
	return e
}

func tooLargeError(op Operation, info ResponseInfo, limit int64) *Error {
	return &Error{Op: op.ID, Kind: KindTooLarge, Status: info.Status, CorrelationID: info.CorrelationID,
		RequestID: info.RequestID, Diagnostics: fmt.Sprintf("over %d MB", limit>>20)}
}

func invalid(op OperationID, format string, args ...any) *Error {
	return &Error{Op: op, Kind: KindInvalid, Diagnostics: fmt.Sprintf(format, args...)}
}

// AsError returns err as an *Error, if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func hasStatus(err error, statuses ...int) bool {
	e, ok := AsError(err)
	if !ok || e.Kind != KindAPI {
		return false
	}
	for _, s := range statuses {
		if e.Status == s {
			return true
		}
	}
	return false
}

// IsVersionConflict reports a stale or missing version (409, 412): reload
// the record, show what changed, and let the user decide again.
func IsVersionConflict(err error) bool {
	return hasStatus(err, http.StatusConflict, http.StatusPreconditionFailed)
}

// IsLocked reports 423: another update holds the record right now.
func IsLocked(err error) bool { return hasStatus(err, http.StatusLocked) }

// IsRateLimited reports 429.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// IsNotFound reports 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsForbidden reports 403.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsBusinessRule reports 422 with the given e-RS code (any code if none given).
func IsBusinessRule(err error, codes ...string) bool {
	if !hasStatus(err, http.StatusUnprocessableEntity) {
		return false
	}
	if len(codes) == 0 {
		return true
	}
	return HasCode(err, codes...)
}

// HasCode reports whether the error carries one of the e-RS/APIM codes.
func HasCode(err error, codes ...string) bool {
	e, ok := AsError(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if e.Code == c {
			return true
		}
	}
	return false
}

// NeedsReauthentication reports that the user must sign in again: 401, or no
// credentials could be had.
func NeedsReauthentication(err error) bool {
	e, ok := AsError(err)
	return ok && (e.Kind == KindAuth || (e.Kind == KindAPI && e.Status == http.StatusUnauthorized))
}

// IsOutcomeUnknown reports that a write may or may not have taken effect:
// no answer, or a PAS failure (502, 504) after the change was sent.
func IsOutcomeUnknown(err error) bool {
	e, ok := AsError(err)
	if !ok {
		return false
	}
	return e.Kind == KindOutcomeUnknown ||
		(e.Kind == KindAPI && (e.Status == http.StatusBadGateway || e.Status == http.StatusGatewayTimeout))
}

// IsNotSent reports that the request never reached the server.
func IsNotSent(err error) bool {
	e, ok := AsError(err)
	return ok && e.Kind == KindNotSent
}

// isCanceled reports that the caller gave up; an attempt's own timeout is
// not cancellation and may be retried.
func isCanceled(err error) bool { return errors.Is(err, context.Canceled) }
