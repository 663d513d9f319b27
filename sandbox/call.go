package sandbox

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// call is one request to one operation, after authentication and the access
// checks: who is calling, as what, and the means to answer.
type call struct {
	s  *Server
	w  http.ResponseWriter
	r  *http.Request
	op ersclient.Operation

	// Caller is who authenticated.
	Caller Caller
	// Org is the ODS code the call acts for: the header in user mode, the
	// application's organisation in application-restricted mode.
	Org string
	// Role is the business function: the header in user mode,
	// PROVIDER_ or REFERRER_AUTHORISED_APPLICATION in application mode.
	Role ersclient.BusinessFunction
	// UserID is the SDS id of the user (or the application's user id).
	UserID string
	// OnBehalfOf is the clinician a clinician admin acts for, or "".
	OnBehalfOf string

	correlationID string
	requestID     string
	status        int
}

// AppRestricted reports whether the call is application-restricted.
func (c *call) AppRestricted() bool { return c.Caller.AppRestricted() }

// Referrer reports whether the call acts on the referring side.
func (c *call) Referrer() bool {
	return c.Role.IsReferrer() || c.Role == store.ReferrerAuthorisedApplication
}

// Provider reports whether the call acts on the providing side.
func (c *call) Provider() bool {
	return c.Role.IsProvider() || c.Role == store.ProviderAuthorisedApplication
}

// ActingUser is the user whose name goes on what the call creates: the
// clinician acted for when a clinician admin calls, otherwise the caller.
func (c *call) ActingUser() string {
	if c.OnBehalfOf != "" {
		return c.OnBehalfOf
	}
	return c.UserID
}

// Now is the simulator's clock.
func (c *call) Now() time.Time { return c.s.store.Now() }

// etag formats a version as the weak ETag e-RS sends.
func etag(version int) string { return `W/"` + strconv.Itoa(version) + `"` }

// writeResource answers with a FHIR resource. A version above zero is sent
// as the ETag.
func (c *call) writeResource(status int, res any, version int) {
	body, err := fhir.Marshal(res)
	if err != nil {
		c.s.log.Error("encode response", "op", c.op.ID, "err", err)
		c.fail(&problem{Status: http.StatusInternalServerError, Issue: "exception", Code: "SERVICE_ERROR", Diagnostics: "The simulator could not encode its answer."})
		return
	}
	if version > 0 {
		c.w.Header().Set("ETag", etag(version))
	}
	c.writeBody(status, fhirJSON, body)
}

// serveRead answers 200 with the resource read builds under the store's
// read lock, its version as the ETag, or with the problem read finds.
func (c *call) serveRead(read func(st *store.State) (res any, version int, p *problem)) {
	var res any
	var version int
	err := c.s.store.Read(func(st *store.State) error {
		r, v, p := read(st)
		if p != nil {
			return p
		}
		res, version = r, v
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusOK, res, version)
}

// writeBody answers with raw bytes of a content type.
func (c *call) writeBody(status int, contentType string, body []byte) {
	h := c.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.writeHeader(status)
	if c.r.Method != http.MethodHead {
		c.w.Write(body) //nolint:errcheck // the client went away
	}
}

// writeHeader sends the status; an answer with no body uses it directly.
func (c *call) writeHeader(status int) {
	c.status = status
	c.w.WriteHeader(status)
}

// fail answers with an error. A *problem is rendered in the operation's FHIR
// version; store.ErrLocked becomes 423; anything else is a 500 that is
// logged, never shown.
func (c *call) fail(err error) {
	var p *problem
	switch {
	case errors.As(err, &p):
	case errors.Is(err, store.ErrLocked):
		p = locked()
	default:
		c.s.log.Error("handler failed", "op", c.op.ID, "err", err)
		p = &problem{Status: http.StatusInternalServerError, Issue: "exception", Code: "SERVICE_ERROR", Diagnostics: "Internal Server Error"}
	}
	c.status = c.s.writeProblem(c.w, c.r, c.op.Version, p)
}

// writeProblem renders p as the STU3 or R4 error the live service sends and
// returns the status sent.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, version ersclient.FHIRVersion, p *problem) int {
	status := p.Status
	if version == ersclient.R4 && p.R4Status != 0 {
		status = p.R4Status
	}
	h := w.Header()
	for k, vs := range p.Header {
		h[k] = vs
	}
	if p.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((p.RetryAfter+time.Second-1)/time.Second)))
	}
	if p.Empty && version == ersclient.STU3 {
		h.Set("Content-Length", "0")
		w.WriteHeader(status)
		return status
	}
	oo := s.outcome(version, p)
	body, _ := fhir.Marshal(oo)
	h.Set("Content-Type", fhirJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body) //nolint:errcheck // the client went away
	}
	return status
}

// outcome builds the OperationOutcome of a problem: eRS-OperationOutcome-1
// with a displayed eRS-APIErrorCode-1 code in STU3; in R4, meta.lastUpdated
// and a code without display.
func (s *Server) outcome(version ersclient.FHIRVersion, p *problem) *fhir.OperationOutcome {
	issue := fhir.OutcomeIssue{Severity: "error", Code: p.Issue, Diagnostics: p.Diagnostics}
	oo := &fhir.OperationOutcome{DomainResource: fhir.DomainResource{ResourceType: "OperationOutcome"}}
	if version == ersclient.R4 {
		code := p.R4Code
		if code == "" {
			code = r4CodeFor(p.Status)
		}
		issue.Details = &fhir.CodeableConcept{Coding: []fhir.Coding{{System: r4System(code), Code: code}}}
		oo.Meta = &fhir.Meta{LastUpdated: s.store.Now().UTC().Format(time.RFC3339Nano)}
	} else {
		oo.Meta = &fhir.Meta{Profile: []string{"https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1"}}
		if p.Code != "" {
			issue.Details = &fhir.CodeableConcept{Coding: []fhir.Coding{{System: fhir.CSAPIErrorCode, Code: p.Code, Display: stu3Display(p.Code)}}}
		}
	}
	oo.Issue = []fhir.OutcomeIssue{issue}
	return oo
}

// logAttrs are the fields of the access log line: never bodies, tokens or
// patient identifiers.
func (c *call) logAttrs(latency time.Duration) []slog.Attr {
	return []slog.Attr{
		slog.String("op", string(c.op.ID)),
		slog.String("method", c.r.Method),
		slog.Int("status", c.status),
		slog.String("role", string(c.Role)),
		slog.String("ods", c.Org),
		slog.String("correlation_id", c.correlationID),
		slog.Int64("latency_ms", latency.Milliseconds()),
	}
}
