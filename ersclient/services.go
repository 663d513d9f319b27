package ersclient

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// MaxServiceSearchIDs is the most services A035 fetches in one call.
const MaxServiceSearchIDs = 20

// R4 request flow types (eRS-RequestFlowType) that decide book, defer or
// triage.
const (
	ServiceFlowBookable          = "BOOKABLE"
	ServiceFlowReview            = "REVIEW"
	ServiceFlowAdviceAndGuidance = "ADVICE_AND_GUIDANCE"
)

// Service is a healthcare service as A033 returns it.
type Service struct {
	ResponseInfo
	Resource *fhir.HealthcareService
	// Version is meta.versionId, or the ETag's number when the body has none.
	Version string
}

// Detail is the service in plain Go values.
func (s *Service) Detail() ServiceDetail {
	if s == nil || s.Resource == nil {
		return ServiceDetail{}
	}
	d := serviceDetail(s.Resource)
	if d.Version == "" {
		d.Version = s.Version
	}
	return d
}

// ServiceDetail is the service information screen's view of an R4
// HealthcareService (A033, A035).
type ServiceDetail struct {
	ID      string
	Version string
	Name    string
	// Active is false only when e-RS says the service is inactive.
	Active bool
	// AppointmentTypes are the eRS-AppointmentType codings (DAY_CASE...).
	AppointmentTypes []fhir.Coding
	// RequestFlowTypes are BOOKABLE, REVIEW (triage) and/or ADVICE_AND_GUIDANCE.
	RequestFlowTypes []string
	// BookableType is DIRECTLY_BOOKABLE or INDIRECTLY_BOOKABLE.
	BookableType string
	// Locations are the ODS site codes the service runs at.
	Locations        []string
	Specialties      []fhir.Coding
	HoursOfOperation string
	Instructions     string
	Comment          string
	Contacts         []ServiceContact
}

// ServiceContact is one way to contact a service, and for whom.
type ServiceContact struct {
	// Purpose is who the contact is for ("Patient", "Healthcare
	// Professionals"); PurposeCode its code.
	Purpose     string
	PurposeCode string
	// System is phone, email...; Value the number or address.
	System string
	Value  string
}

// DirectlyBookable reports whether slots can be booked through the API.
func (d ServiceDetail) DirectlyBookable() bool { return d.BookableType == DirectlyBookable }

// Supports reports whether the service supports a request flow
// (ServiceFlowBookable, ServiceFlowReview, ServiceFlowAdviceAndGuidance).
func (d ServiceDetail) Supports(flow string) bool {
	for _, f := range d.RequestFlowTypes {
		if f == flow {
			return true
		}
	}
	return false
}

func serviceDetail(hs *fhir.HealthcareService) ServiceDetail {
	d := ServiceDetail{ID: hs.ID, Version: hs.Version(), Name: hs.Name, Comment: hs.Comment,
		Active: hs.Active == nil || *hs.Active}
	for _, t := range hs.Type.Items {
		if cd, ok := t.CodingIn(fhir.CSAppointmentTypeR4); ok {
			d.AppointmentTypes = append(d.AppointmentTypes, cd)
		}
	}
	for _, ch := range hs.Characteristic {
		if cd, ok := ch.CodingIn(fhir.CSRequestFlowTypeR4); ok {
			d.RequestFlowTypes = append(d.RequestFlowTypes, cd.Code)
		}
		if cd, ok := ch.CodingIn(fhir.CSBookableTypeR4); ok {
			d.BookableType = cd.Code
		}
	}
	for _, l := range hs.Location {
		switch {
		case l.Identifier != nil && l.Identifier.Value != "":
			d.Locations = append(d.Locations, l.Identifier.Value)
		case l.Reference != "":
			d.Locations = append(d.Locations, strings.TrimPrefix(l.Reference, "Location/"))
		}
	}
	for _, sp := range hs.Specialty {
		if len(sp.Coding) > 0 {
			d.Specialties = append(d.Specialties, sp.Coding[0])
		}
	}
	d.HoursOfOperation = hs.Extension.String(fhir.ExtHoursOfOperation)
	d.Instructions = hs.Extension.String(fhir.ExtServiceInstructions)
	for _, ext := range hs.Extension.All(fhir.ExtServiceContact) {
		var sc ServiceContact
		if p, ok := ext.Sub("purpose"); ok && p.ValueCodeableConcept != nil {
			sc.Purpose, sc.PurposeCode = p.ValueCodeableConcept.Label(), p.ValueCodeableConcept.FirstCode()
		}
		if t, ok := ext.Sub("telecom"); ok && t.ValueContactPoint != nil {
			sc.System, sc.Value = t.ValueContactPoint.System, t.ValueContactPoint.Value
		}
		d.Contacts = append(d.Contacts, sc)
	}
	for _, t := range hs.Telecom {
		d.Contacts = append(d.Contacts, ServiceContact{System: t.System, Value: t.Value})
	}
	return d
}

// RetrieveService is A033: the full service information and its version.
//
// Roles: RC, RCA. Application-restricted: yes (referrer).
func (c *Client) RetrieveService(ctx context.Context, id string) (*Service, error) {
	o := op(OpRetrieveService)
	if msg := serviceIDProblem(id); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	resp, err := fetch[fhir.HealthcareService](ctx, c, call{op: o, pathValues: []string{id}})
	if err != nil {
		return nil, err
	}
	if resp.Resource.ResourceType != "HealthcareService" {
		return nil, badResponse(o.ID, resp.ResponseInfo, "expected a HealthcareService, got %q", resp.Resource.ResourceType)
	}
	v := resp.Resource.Version()
	if v == "" {
		v = resp.Version
	}
	return &Service{ResponseInfo: resp.ResponseInfo, Resource: resp.Resource, Version: v}, nil
}

// RetrieveServiceVersion is A037: the service's current version, from the
// ETag of a HEAD request. Compare it with a cached copy's version to know
// whether to fetch the service again (ServiceCache does this).
//
// Roles: RC, RCA. Application-restricted: yes (referrer).
func (c *Client) RetrieveServiceVersion(ctx context.Context, id string) (string, ResponseInfo, error) {
	o := op(OpRetrieveServiceVersion)
	if msg := serviceIDProblem(id); msg != "" {
		return "", ResponseInfo{}, invalid(o.ID, "%s", msg)
	}
	_, _, info, err := c.do(ctx, call{op: o, pathValues: []string{id}})
	if err != nil {
		return "", info, err
	}
	if info.Version == "" {
		return "", info, badResponse(o.ID, info, "no version in the answer (ETag %q)", info.ETag)
	}
	return info.Version, info, nil
}

// ServiceList is the answer of A035.
type ServiceList struct {
	ResponseInfo
	// Services are in e-RS's order; ids that e-RS does not know are simply
	// absent.
	Services []ServiceDetail
	Total    int
	Resource *fhir.Bundle
}

// SearchServices is A035: the services with the given ids (1 to 20), for
// example every service on a shortlist.
//
// Roles: RC, RCA. Application-restricted: yes (referrer).
func (c *Client) SearchServices(ctx context.Context, ids []string) (*ServiceList, error) {
	o := op(OpSearchServices)
	switch n := len(ids); {
	case n == 0:
		return nil, invalid(o.ID, "no service ids given")
	case n > MaxServiceSearchIDs:
		return nil, invalid(o.ID, "%d service ids given; at most %d can be fetched at once", n, MaxServiceSearchIDs)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if msg := serviceIDProblem(id); msg != "" {
			return nil, invalid(o.ID, "%s", msg)
		}
		if seen[id] {
			return nil, invalid(o.ID, "service %s is listed twice", id)
		}
		seen[id] = true
	}
	// e-RS takes the ids in one comma-separated _id, not a repeated _id.
	query := url.Values{"_id": {strings.Join(ids, ",")}}
	resp, err := fetch[fhir.Bundle](ctx, c, call{op: o, query: query})
	if err != nil {
		return nil, err
	}
	if resp.Resource.ResourceType != "Bundle" {
		return nil, badResponse(o.ID, resp.ResponseInfo, "expected a Bundle, got %q", resp.Resource.ResourceType)
	}
	services, err := fhir.Resources[fhir.HealthcareService](resp.Resource, "HealthcareService")
	if err != nil {
		return nil, badResponse(o.ID, resp.ResponseInfo, "reading the services: %v", err)
	}
	list := &ServiceList{ResponseInfo: resp.ResponseInfo, Resource: resp.Resource, Total: len(services)}
	if resp.Resource.Total != nil {
		list.Total = int(*resp.Resource.Total)
	}
	for i := range services {
		list.Services = append(list.Services, serviceDetail(&services[i]))
	}
	return list, nil
}

func serviceIDProblem(id string) string {
	switch {
	case id == "":
		return "no service id given"
	case strings.ContainsAny(id, "/?#, "):
		return "\"" + id + "\" is not a service id"
	}
	return ""
}

// ServiceSource is what ServiceCache needs: *Client provides it.
type ServiceSource interface {
	RetrieveService(ctx context.Context, id string) (*Service, error)
	RetrieveServiceVersion(ctx context.Context, id string) (string, ResponseInfo, error)
}

// ServiceCache keeps service details for the screens and revalidates them on
// every Get with a HEAD (A037), fetching the service again (A033) only when
// its version has changed. It is safe for concurrent use.
type ServiceCache struct {
	src     ServiceSource
	mu      sync.Mutex
	entries map[string]ServiceDetail
}

// NewServiceCache returns an empty cache over src.
func NewServiceCache(src ServiceSource) *ServiceCache {
	return &ServiceCache{src: src, entries: map[string]ServiceDetail{}}
}

// Get returns the service's current details. A cached copy whose version is
// still current costs one HEAD; otherwise the service is fetched. A service
// that has gone (404) is dropped from the cache. The details share memory
// with the cache: treat them as read-only.
func (sc *ServiceCache) Get(ctx context.Context, id string) (ServiceDetail, error) {
	sc.mu.Lock()
	cached, ok := sc.entries[id]
	sc.mu.Unlock()
	if ok {
		version, _, err := sc.src.RetrieveServiceVersion(ctx, id)
		if err != nil {
			if IsNotFound(err) {
				sc.Forget(id)
			}
			return ServiceDetail{}, err
		}
		if version == cached.Version {
			return cached, nil
		}
	}
	s, err := sc.src.RetrieveService(ctx, id)
	if err != nil {
		if IsNotFound(err) {
			sc.Forget(id)
		}
		return ServiceDetail{}, err
	}
	d := s.Detail()
	sc.mu.Lock()
	sc.entries[id] = d
	sc.mu.Unlock()
	return d, nil
}

// Forget drops a service from the cache.
func (sc *ServiceCache) Forget(id string) {
	sc.mu.Lock()
	delete(sc.entries, id)
	sc.mu.Unlock()
}
