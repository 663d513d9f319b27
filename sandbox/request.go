package sandbox

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

const fhirJSON = "application/fhir+json"

// maxFHIRBody bounds a FHIR request body. The largest legitimate one (a
// twenty-service shortlist with criteria) is a few tens of kilobytes.
const maxFHIRBody = 1 << 20

// readFHIR reads and decodes a FHIR JSON body into v, answering the
// documented 4xx for a wrong content type (415), an oversized body (413) and
// malformed JSON (422 INVALID_FHIR_STRUCTURE). It reports whether the
// handler may go on; on false the answer has been sent.
func (c *call) readFHIR(v any, resourceType string) bool {
	if p := checkContentType(c.r.Header.Get("Content-Type")); p != nil {
		c.fail(p)
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, maxFHIRBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.fail(&problem{Status: http.StatusRequestEntityTooLarge, Issue: "too-costly", Code: "INVALID_VALUE",
				Diagnostics: fmt.Sprintf("The request body is over the %d-byte limit.", maxFHIRBody)})
			return false
		}
		c.fail(badRequest("INVALID_VALUE", "The request body could not be read."))
		return false
	}
	if len(body) == 0 {
		c.fail(businessRule("INVALID_FHIR_STRUCTURE", "The request has no body; a %s resource is required.", resourceType))
		return false
	}
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := fhir.Unmarshal(body, &head); err != nil {
		c.fail(&problem{Status: http.StatusUnprocessableEntity, Issue: "structure", Code: "INVALID_FHIR_STRUCTURE",
			Diagnostics: "The request body is not valid FHIR JSON: " + jsonProblem(err)})
		return false
	}
	if head.ResourceType != resourceType {
		c.fail(&problem{Status: http.StatusUnprocessableEntity, Issue: "structure", Code: "INVALID_FHIR_STRUCTURE",
			Diagnostics: fmt.Sprintf("Expected a %s resource, found %q.", resourceType, head.ResourceType)})
		return false
	}
	if err := fhir.Unmarshal(body, v); err != nil {
		c.fail(&problem{Status: http.StatusUnprocessableEntity, Issue: "structure", Code: "INVALID_FHIR_STRUCTURE",
			Diagnostics: "The request body does not match the " + resourceType + " structure: " + jsonProblem(err)})
		return false
	}
	return true
}

// readParameters decodes a Parameters body and refuses parameters outside
// allowed (422 UNEXPECTED_FIELD, as e-RS names them).
func (c *call) readParameters(allowed ...string) (*fhir.Parameters, bool) {
	var p fhir.Parameters
	if !c.readFHIR(&p, "Parameters") {
		return nil, false
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i, prm := range p.Parameter {
		if !ok[prm.Name] {
			c.fail(&problem{Status: http.StatusUnprocessableEntity, Issue: "value", Code: "UNEXPECTED_FIELD",
				Diagnostics: fmt.Sprintf("'parameter[%d]' (%s) unknown parameter name", i, prm.Name)})
			return nil, false
		}
	}
	return &p, true
}

// requireNoBody refuses a body on an operation that takes none (A013, the
// PDF operations).
func (c *call) requireNoBody() bool {
	n, _ := io.Copy(io.Discard, io.LimitReader(c.r.Body, 1))
	if n > 0 {
		c.fail(businessRule("UNEXPECTED_FIELD", "This operation takes no request body."))
		return false
	}
	return true
}

func checkContentType(ct string) *problem {
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (mt == fhirJSON || mt == "application/json") {
		return nil
	}
	return &problem{Status: http.StatusUnsupportedMediaType, Issue: "not-supported", Code: "UNSUPPORTED_MEDIA_TYPE", R4Code: "REC_UNSUPPORTED_MEDIA_TYPE",
		Diagnostics: fmt.Sprintf("Content-Type %q is not supported; send %s.", ct, fhirJSON)}
}

// jsonProblem shortens a decoder error for diagnostics; it never echoes the
// body.
func jsonProblem(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 && len(s) > 200 {
		s = s[i+2:]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// query checks a search's query string: every name must be in allowed
// (400 otherwise) and each may appear once unless repeatable lists it.
func (c *call) query(allowed []string, repeatable ...string) (url.Values, *problem) {
	q := c.r.URL.Query()
	known := map[string]bool{}
	for _, a := range allowed {
		known[a] = true
	}
	rep := map[string]bool{}
	for _, a := range repeatable {
		rep[a] = true
	}
	for name, vs := range q {
		if !known[name] {
			return nil, badRequest("INVALID_VALUE", "Unknown search parameter %q.", name)
		}
		if len(vs) > 1 && !rep[name] {
			return nil, badRequest("INVALID_VALUE", "Search parameter %q may be given once.", name)
		}
	}
	return q, nil
}

var ifMatchPattern = regexp.MustCompile(`^W/"([0-9]+)"$`)

// checkIfMatch compares If-Match with the record's version: 412 when it is
// absent, 400 when malformed, 409 when stale.
func (c *call) checkIfMatch(current int) *problem {
	v := c.r.Header.Get("If-Match")
	if v == "" {
		return &problem{Status: http.StatusPreconditionFailed, Issue: "required",
			Diagnostics: "Mandatory data is missing: the If-Match header with the current version is required."}
	}
	m := ifMatchPattern.FindStringSubmatch(v)
	if m == nil {
		return badRequest("INVALID_VALUE", "If-Match %q is not a weak ETag such as W/\"3\".", v)
	}
	n, _ := strconv.Atoi(m[1])
	if n != current {
		return versionConflict(n, current)
	}
	return nil
}

// checkCurrentVersion refuses a versioned read (A005v, A024v, A038v) of
// any version but the current one: e-RS keeps no history a client can
// read. An empty version is the plain read.
func checkCurrentVersion(version string, current int) *problem {
	if version != "" && version != strconv.Itoa(current) {
		return historyNotSupported(version)
	}
	return nil
}

// versionedRef splits "ReferralRequest/000000070000/_history/6" into the id
// and the version; kind is the expected resource type.
func versionedRef(ref, kind string) (id string, version int, ok bool) {
	rest, found := strings.CutPrefix(ref, kind+"/")
	if !found {
		return "", 0, false
	}
	id, v, found := strings.Cut(rest, "/_history/")
	if !found || id == "" {
		return "", 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return "", 0, false
	}
	return id, n, true
}
