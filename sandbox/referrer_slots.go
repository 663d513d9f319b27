package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// A015 retrieve appointment slots: one page of the free slots of one
// directly bookable service for one priority, Slots as matches and their
// Schedules as includes, with self, previous and next links. Errors are 400
// OperationOutcomes with the documented codes: MISSING_PARAMETER for a
// required parameter, INVALID_VALUE or INVALID_CODE for a bad one (a page
// beyond the last is "'Page Number' (5) is invalid."), MISSING_HEADER without
// NHSD-eRS-Comm-Rule-Org, REFERENCE_NOT_FOUND for an unknown service,
// SERVICE_UNAVAILABLE for an inactive one and INVALID_STATE for a service
// whose slots the API cannot book (indirectly bookable, triage, advice).
//
// The commissioning rule organisation matters: a service that does not list
// it among its commissioners cannot be booked for the referral, so it offers
// no slots (an empty page, total 0).

// The A015 query parameters.
const (
	slotParamService      = "schedule.actor:HealthcareService"
	slotParamPractitioner = "schedule.actor:Practitioner"
	slotParamType         = "appointmentType"
	slotParamStatus       = "status"
	slotParamCount        = "_count"
	slotParamPage         = "page"
	slotParamInclude      = "_include"
	headerCommRuleOrg     = "NHSD-eRS-Comm-Rule-Org"
	maxSlotPage           = 100
)

const (
	profileCareConSlot = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Slot-1"
	profileCareConSchd = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Schedule-1"
)

// slotQuery is a checked A015 query.
type slotQuery struct {
	service, practitioner, priority, commRuleOrg string
	count, page                                  int
}

func (s *Server) retrieveSlots(c *call) {
	q, prob := c.slotQuery()
	if prob != nil {
		c.fail(prob)
		return
	}
	var b *fhir.Bundle
	err := s.store.Read(func(st *store.State) error {
		var err error
		b, err = c.slotBundle(st, q)
		return err
	})
	if err != nil {
		c.fail(err)
		return
	}
	c.writeResource(http.StatusOK, b, 0)
}

func (c *call) slotQuery() (slotQuery, *problem) {
	var q slotQuery
	v, prob := c.query([]string{slotParamService, slotParamPractitioner, slotParamType, slotParamStatus, slotParamCount, slotParamPage, slotParamInclude})
	if prob != nil {
		return q, prob
	}
	for _, name := range []string{slotParamService, slotParamType, slotParamStatus, slotParamCount, slotParamPage} {
		if strings.TrimSpace(v.Get(name)) == "" {
			return q, badRequest("MISSING_PARAMETER", "'%s' is missing.", name)
		}
	}
	q.service, q.practitioner, q.priority = v.Get(slotParamService), v.Get(slotParamPractitioner), v.Get(slotParamType)
	if !isPriority(q.priority) {
		return q, badRequest("INVALID_CODE", "'%s' (%s) is not one of ROUTINE, URGENT, TWO_WEEK_WAIT.", slotParamType, q.priority)
	}
	if st := v.Get(slotParamStatus); st != "free" {
		return q, badRequest("INVALID_CODE", "'%s' (%s) must be free.", slotParamStatus, st)
	}
	if inc := v.Get(slotParamInclude); inc != "" && inc != "Slot:schedule" {
		return q, badRequest("INVALID_VALUE", "'%s' (%s) must be Slot:schedule.", slotParamInclude, inc)
	}
	if q.practitioner != "" && !digitsOnly(q.practitioner) {
		return q, badRequest("INVALID_VALUE", "'%s' (%s) is not an SDS user id.", slotParamPractitioner, q.practitioner)
	}
	var err error
	if q.count, err = strconv.Atoi(v.Get(slotParamCount)); err != nil || q.count < 1 || q.count > maxSlotPage {
		return q, badRequest("INVALID_VALUE", "'Page Size' (%s) is invalid: it must be 1 to %d.", v.Get(slotParamCount), maxSlotPage)
	}
	if q.page, err = strconv.Atoi(v.Get(slotParamPage)); err != nil || q.page < 1 {
		return q, badRequest("INVALID_VALUE", "'Page Number' (%s) is invalid.", v.Get(slotParamPage))
	}
	q.commRuleOrg = strings.TrimSpace(c.r.Header.Get(headerCommRuleOrg))
	if q.commRuleOrg == "" {
		return q, badRequest("MISSING_HEADER", "Missing or empty %s header.", headerCommRuleOrg)
	}
	return q, nil
}

// slotBundle is the page of slots a query asks for.
func (c *call) slotBundle(st *store.State, q slotQuery) (*fhir.Bundle, error) {
	svc := st.Services[q.service]
	switch {
	case svc == nil:
		return nil, badRequest("REFERENCE_NOT_FOUND", "Service %s does not exist.", q.service)
	case !svc.Active:
		return nil, badRequest("SERVICE_UNAVAILABLE", "Service %s is no longer available.", q.service)
	case svc.Flow != store.FlowBookable || svc.Bookable != store.DirectlyBookable:
		return nil, badRequest("INVALID_STATE", "Service %s is not directly bookable: it has no slots to book through the API.", q.service)
	case q.practitioner != "" && !referrerContains(svc.Clinicians, q.practitioner):
		return nil, badRequest("INVALID_VALUE", "'%s' (%s) is not a named clinician of service %s.", slotParamPractitioner, q.practitioner, q.service)
	}
	var slots []*store.Slot
	if len(svc.Commissioners) == 0 || referrerContains(svc.Commissioners, q.commRuleOrg) {
		slots = freeSlots(st, svc.ID, q.priority, q.practitioner, c.Now(), 0)
	}
	pages := (len(slots) + q.count - 1) / q.count
	if q.page > max(pages, 1) {
		return nil, badRequest("INVALID_VALUE", "'Page Number' (%d) is invalid.", q.page)
	}
	from := min((q.page-1)*q.count, len(slots))
	to := min(from+q.count, len(slots))
	page := slots[from:to]

	b := &fhir.Bundle{ResourceType: "Bundle", ID: uuid.NewString(), Type: "searchset", Total: fhir.Ptr(int64(len(slots))),
		Meta:  &fhir.Meta{LastUpdated: apptTime(c.Now()), Profile: []string{profileBundleSTU3}},
		Entry: []fhir.BundleEntry{}}
	b.Link = append(b.Link, fhir.BundleLink{Relation: "self", URL: c.slotPageURL(q, q.page)})
	if q.page > 1 {
		b.Link = append(b.Link, fhir.BundleLink{Relation: "previous", URL: c.slotPageURL(q, q.page-1)})
	}
	if q.page < pages {
		b.Link = append(b.Link, fhir.BundleLink{Relation: "next", URL: c.slotPageURL(q, q.page+1)})
	}
	base := c.fhirBase() + "/STU3/"
	var schedules []string
	seen := map[string]bool{}
	for _, s := range page {
		res := fhir.Slot{DomainResource: fhir.DomainResource{ResourceType: "Slot", ID: s.ID, Meta: &fhir.Meta{Profile: []string{profileCareConSlot}}},
			Schedule: fhir.Reference{Reference: "Schedule/" + s.ScheduleID()}, Status: "free", Start: apptTime(s.Start), End: apptTime(s.End)}
		if s.AltID != "" {
			res.Identifier = []fhir.Identifier{{System: fhir.SystemAlternateSlot, Value: s.AltID}}
		}
		e, err := slotEntry(base+"Slot/"+s.ID, res, "match")
		if err != nil {
			return nil, err
		}
		b.Entry = append(b.Entry, e)
		if !seen[s.ScheduleID()] {
			seen[s.ScheduleID()] = true
			schedules = append(schedules, s.ScheduleID())
		}
	}
	for _, id := range schedules {
		serviceID, clinician, _ := strings.Cut(id, "-")
		res := fhir.Schedule{DomainResource: fhir.DomainResource{ResourceType: "Schedule", ID: id, Meta: &fhir.Meta{Profile: []string{profileCareConSchd}}},
			Identifier: []fhir.Identifier{{System: fhir.SystemERSSchedule, Value: id}},
			Actor:      []fhir.Reference{{Identifier: &fhir.Identifier{System: fhir.SystemERSService, Value: serviceID}}}}
		if clinician != "" {
			ref := fhir.Reference{Identifier: &fhir.Identifier{System: fhir.SystemSDSUserSTU3, Value: clinician}}
			if u := st.Users[clinician]; u != nil {
				ref.Display = u.Name()
			}
			res.Actor = append(res.Actor, ref)
		}
		e, err := slotEntry(base+"Schedule/"+id, res, "include")
		if err != nil {
			return nil, err
		}
		b.Entry = append(b.Entry, e)
	}
	return b, nil
}

func slotEntry(fullURL string, res any, mode string) (fhir.BundleEntry, error) {
	raw, err := fhir.NewRawResource(res)
	if err != nil {
		return fhir.BundleEntry{}, fmt.Errorf("encode %s: %w", fullURL, err)
	}
	return fhir.BundleEntry{FullURL: fullURL, Resource: raw, Search: &fhir.BundleSearch{Mode: mode}}, nil
}

// slotPageURL is the link to a page of the same search, with the parameters
// in the order e-RS writes them.
func (c *call) slotPageURL(q slotQuery, page int) string {
	var parts []string
	add := func(k, v string) { parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v)) }
	if q.practitioner != "" {
		add(slotParamPractitioner, q.practitioner)
	}
	add(slotParamService, q.service)
	add(slotParamType, q.priority)
	add(slotParamCount, strconv.Itoa(q.count))
	add(slotParamStatus, "free")
	add(slotParamInclude, "Slot:schedule")
	add(slotParamPage, strconv.Itoa(page))
	return c.fhirBase() + "/STU3/Slot?" + strings.Join(parts, "&")
}
