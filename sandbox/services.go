package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Service information (R4): A033 reads one service, A035 up to twenty, and
// A037 answers a HEAD with the version only, so that clients revalidate a
// cached copy cheaply. The three share one legitimate-relationship rule:
// a restricted service (store.Service.RestrictedTo) is visible only to the
// referring organisations it names; any other caller gets 403
// NO_RELATIONSHIP, the R4 shape the specification documents for A035 and
// A037 (applied to A033 as well: the same service cannot be hidden from a
// search and shown by id).

// maxServiceIDs is the most ids A035 takes.
const maxServiceIDs = ersclient.MaxServiceSearchIDs

// retrieveService is A033.
func (s *Server) retrieveService(c *call) {
	var (
		res     *fhir.HealthcareService
		version int
	)
	err := s.store.Read(func(st *store.State) error {
		svc, p := c.visibleService(st, c.r.PathValue("id"))
		if p != nil {
			return p
		}
		res, version = c.healthcareService(svc), serviceVersion(svc)
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.w.Header().Set("Cache-Control", "no-cache")
	c.writeResource(http.StatusOK, res, version)
}

// retrieveServiceVersion is A037: 200 with the ETag and no body.
func (s *Server) retrieveServiceVersion(c *call) {
	var version int
	err := s.store.Read(func(st *store.State) error {
		svc, p := c.visibleService(st, c.r.PathValue("id"))
		if p != nil {
			return p
		}
		version = serviceVersion(svc)
		return nil
	})
	if err != nil {
		c.fail(err)
		return
	}
	h := c.w.Header()
	h.Set("ETag", etag(version))
	h.Set("Cache-Control", "no-cache")
	c.writeHeader(http.StatusOK)
}

// searchServices is A035: `_id` is one comma-separated list of 1 to 20
// service ids (a repeated `_id` is refused, as e-RS takes the comma form).
// Unknown ids are left out; the bundle lists the others in the order asked.
func (s *Server) searchServices(c *call) {
	q, p := c.query([]string{"_id"})
	if p != nil {
		c.fail(p)
		return
	}
	ids, p := serviceIDs(q.Get("_id"))
	if p != nil {
		c.fail(p)
		return
	}
	self := c.fhirBase() + "/R4/HealthcareService?_id=" + strings.Join(ids, ",")
	c.serveR4Search(self, func(st *store.State, add func(string, any) error) error {
		for _, id := range ids {
			svc := st.Services[id]
			if svc == nil {
				continue
			}
			if !c.canSeeService(svc) {
				return serviceNoRelationship(id)
			}
			if err := add(c.fhirBase()+"/R4/HealthcareService/"+svc.ID, c.healthcareService(svc)); err != nil {
				return err
			}
		}
		return nil
	})
}

// serviceIDs parses A035's `_id`: required, comma-separated, each a numeric
// service id, at most twenty distinct ones (repeats are dropped).
func serviceIDs(raw string) ([]string, *problem) {
	if strings.TrimSpace(raw) == "" {
		return nil, badRequest("MISSING_PARAMETER", "The _id parameter is required: one or more service ids separated by commas.")
	}
	var ids []string
	for _, id := range strings.Split(raw, ",") {
		id = strings.TrimSpace(id)
		if !validServiceID(id) {
			return nil, badRequest("INVALID_VALUE", "%q in _id is not a service id.", id)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) > maxServiceIDs {
		return nil, badRequest("INVALID_VALUE", "%d service ids were given in _id; at most %d may be requested.", len(ids), maxServiceIDs)
	}
	return ids, nil
}

// validServiceID reports whether id looks like an e-RS service id: digits.
func validServiceID(id string) bool {
	if id == "" || len(id) > 20 {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// visibleService finds a service the caller may see: 404 when there is
// none with that id, 403 NO_RELATIONSHIP when it is restricted to others.
func (c *call) visibleService(st *store.State, id string) (*store.Service, *problem) {
	svc := st.Services[id]
	if svc == nil {
		return nil, notFound("No healthcare service has the id %q.", id)
	}
	if !c.canSeeService(svc) {
		return nil, serviceNoRelationship(id)
	}
	return svc, nil
}

// canSeeService is the legitimate-relationship rule for services.
func (c *call) canSeeService(svc *store.Service) bool {
	return len(svc.RestrictedTo) == 0 || slices.Contains(svc.RestrictedTo, c.Org)
}

// serviceNoRelationship is the R4 403 for a restricted service.
func serviceNoRelationship(id string) *problem {
	return &problem{Status: http.StatusForbidden, Issue: "forbidden", Code: "NO_RELATIONSHIP", R4Code: "NO_RELATIONSHIP",
		Diagnostics: fmt.Sprintf("The organisation has no legitimate relationship with service %s: it is restricted to other referrers.", id)}
}

// serviceVersion is the version A033 and A037 report; a seed that left it
// unset still gets a valid ETag.
func serviceVersion(svc *store.Service) int { return max(svc.Version, 1) }
