package ersclient

import (
	"context"
	"fmt"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// ServiceRequestMatch is one R4 ServiceRequest found for a UBRN.
type ServiceRequestMatch struct {
	// ID is the R4 id: "r.<uuid>" for a referral, "a.<uuid>" for advice and
	// guidance. Future R4 operations take it instead of the UBRN.
	ID       string
	IsAdvice bool
	// Status is active, completed, draft or revoked.
	Status    string
	NHSNumber string
	UBRN      string
	Version   string
}

// Kind is the match's kind of request.
func (m ServiceRequestMatch) Kind() RequestKind {
	if m.IsAdvice {
		return RequestKindAdvice
	}
	return RequestKindReferral
}

// ServiceRequestMatches is the answer of A041. One UBRN can give two
// matches: an advice and guidance request and the referral converted from
// it. No match is an empty list, not an error.
type ServiceRequestMatches struct {
	ResponseInfo
	Matches []ServiceRequestMatch
	// Bundle is the raw response.
	Bundle *fhir.Bundle
}

// Referral returns the referral match, if any.
func (s *ServiceRequestMatches) Referral() (ServiceRequestMatch, bool) {
	return s.first(false)
}

// Advice returns the advice and guidance match, if any.
func (s *ServiceRequestMatches) Advice() (ServiceRequestMatch, bool) {
	return s.first(true)
}

func (s *ServiceRequestMatches) first(advice bool) (ServiceRequestMatch, bool) {
	for _, m := range s.Matches {
		if m.IsAdvice == advice {
			return m, true
		}
	}
	return ServiceRequestMatch{}, false
}

// Code systems of the R4 ServiceRequest that tell advice from referral.
const (
	csServiceRequestCategory = "https://fhir.nhs.uk/CodeSystem/message-category-servicerequest"
	csServiceRequestCode     = "https://fhir.nhs.uk/CodeSystem/servicerequest-code"
)

// SearchServiceRequests is A041: the R4 ServiceRequest ids of a UBRN. The
// endpoint is flagged by NHS England as in development and may change.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: no.
func (c *Client) SearchServiceRequests(ctx context.Context, ubrn string) (*ServiceRequestMatches, error) {
	o := op(OpSearchServiceRequest)
	if msg := ubrnProblem(ubrn); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	if c.opts.AppRestricted {
		return nil, invalid(o.ID, "the service request search is not available with application-restricted access")
	}
	resp, err := fetch[fhir.Bundle](ctx, c, call{op: o, query: map[string][]string{"identifier": {ubrn}}})
	if err != nil {
		return nil, err
	}
	srs, err := fhir.Resources[fhir.ServiceRequest](resp.Resource, "ServiceRequest")
	if err != nil {
		return nil, &Error{Op: o.ID, Status: resp.Status, CorrelationID: resp.CorrelationID, RequestID: resp.RequestID,
			Kind: KindBadResponse, Err: fmt.Errorf("decoding ServiceRequest: %w", err)}
	}
	out := &ServiceRequestMatches{ResponseInfo: resp.ResponseInfo, Bundle: resp.Resource}
	for i := range srs {
		out.Matches = append(out.Matches, serviceRequestMatch(&srs[i]))
	}
	return out, nil
}

func serviceRequestMatch(sr *fhir.ServiceRequest) ServiceRequestMatch {
	m := ServiceRequestMatch{
		ID:      sr.ID,
		Status:  sr.Status,
		UBRN:    fhir.FindIdentifier(sr.Identifier, fhir.SystemUBRN),
		Version: sr.Version(),
	}
	if sr.Subject != nil && sr.Subject.Identifier != nil {
		m.NHSNumber = sr.Subject.Identifier.Value
	}
	// The id's prefix is documented; the category and code say the same
	// and decide when the id has no prefix.
	switch {
	case strings.HasPrefix(sr.ID, "a."):
		m.IsAdvice = true
	case strings.HasPrefix(sr.ID, "r."):
		m.IsAdvice = false
	default:
		if sr.Code != nil {
			if cd, ok := sr.Code.CodingIn(csServiceRequestCode); ok && cd.Code == "advice-and-guidance" {
				m.IsAdvice = true
			}
		}
		for _, cat := range sr.Category {
			if cd, ok := cat.CodingIn(csServiceRequestCategory); ok && cd.Code == "request" {
				m.IsAdvice = true
			}
		}
	}
	return m
}
