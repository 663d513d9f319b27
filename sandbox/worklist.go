package sandbox

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The worklists are computed from the state on every call, for the
// caller's organisation (the legitimate relationship): a scan of the
// referrals with a cheap test per referral, then the matching items written
// by hand (worklist_json.go). There is no paging, as in e-RS; a list over
// 10 MB is refused (worklistTooLarge).

// worklistParams are the parameters of eRS-FetchWorklist-Parameters-1.
var worklistParams = []string{"listType", "service", "specialtyAssignedIndicator", "specialty", "location", "clinicianAssignedIndicator", "clinician"}

// appWorklistCallsPerDay is how often an application may fetch a service's
// worklist in a day, as the A008 specification asks.
const appWorklistCallsPerDay = 2

// retrieveWorklist is A008: one of the six referral worklists.
//
// Provider lists (REFERRALS_FOR_REVIEW, APPOINTMENT_SLOT_ISSUES) take the
// service, specialty, location and clinician filters; referrer lists take
// none (422 UNEXPECTED_FIELD). A role of the other side is refused with 403,
// as the role check is. An application may fetch only the two provider
// lists, must name a service (422 MISSING_VALUE), and may fetch a service's
// list twice a day (simulator clock, UTC): a third call is refused with 403
// NO_ACCESS, since retrying cannot help and the spec treats it as a use the
// application is not allowed, not as rate limiting (no 429).
func (s *Server) retrieveWorklist(c *call) {
	prm, ok := c.readParameters(worklistParams...)
	if !ok {
		return
	}
	q, p := parseWorklistQuery(prm, fhir.CSReferralListSelector)
	if p == nil {
		p = c.checkWorklistAccess(q)
	}
	if p != nil {
		c.fail(p)
		return
	}
	var body worklistBody
	build := c.worklistBuild(q, c.referralWorklist, &body)
	var err error
	if c.AppRestricted() {
		// The daily allowance is state: count the call in the same
		// write, once the list has been built.
		err = s.store.Write("", func(st *store.State) error {
			if p := c.checkAppAllowance(st, q.service); p != nil {
				return p
			}
			if err := build(st); err != nil {
				return err
			}
			c.countAppCall(st, q.service)
			return nil
		})
	} else {
		err = s.store.Read(build)
	}
	if err != nil {
		c.fail(err)
		return
	}
	c.writeWorklist(body)
}

// adviceWorklist is A023: the provider's advice and guidance requests,
// with the same filters as the provider referral lists.
func (s *Server) adviceWorklist(c *call) {
	prm, ok := c.readParameters(worklistParams...)
	if !ok {
		return
	}
	q, p := parseWorklistQuery(prm, fhir.CSCommunicationListSelector)
	if p != nil {
		c.fail(p)
		return
	}
	var body worklistBody
	if err := s.store.Read(c.worklistBuild(q, c.adviceWorklistBody, &body)); err != nil {
		c.fail(err)
		return
	}
	c.writeWorklist(body)
}

// worklistBuild is the state step of A008 and A023, to run in a read or
// inside a write: check q's filters against the state, then let list build
// the worklist into body.
func (c *call) worklistBuild(q worklistQuery, list func(*store.State, worklistQuery, int) (worklistBody, *problem), body *worklistBody) func(st *store.State) error {
	return func(st *store.State) error {
		if p := c.checkWorklistFilters(st, q); p != nil {
			return p
		}
		b, p := list(st, q, maxWorklistBytes)
		if p != nil {
			return p
		}
		*body = b
		return nil
	}
}

// checkWorklistAccess applies the rules that need no state: the list's side
// against the caller's role, and the application-restricted limits.
func (c *call) checkWorklistAccess(q worklistQuery) *problem {
	provider := q.list.ForProvider()
	if !provider && q.filtered() {
		return &problem{Status: http.StatusUnprocessableEntity, Issue: "value", Code: "UNEXPECTED_FIELD",
			Diagnostics: "Filters cannot be used with the " + string(q.list) + " worklist: they apply to service provider worklists only."}
	}
	if c.AppRestricted() {
		if !provider {
			return forbidden("An application-restricted application may retrieve only the REFERRALS_FOR_REVIEW and APPOINTMENT_SLOT_ISSUES worklists.")
		}
		if q.service == "" {
			return missingValue("service")
		}
		return nil
	}
	if provider != c.Provider() {
		return forbidden("The %s worklist cannot be accessed using the e-RS Business Function %s.", q.list, c.Role)
	}
	return nil
}

// checkWorklistFilters resolves the filters against the state: a service
// must exist (422 REFERENCE_NOT_FOUND) and be the caller's organisation's
// (422 NO_RELATIONSHIP), a clinician must be a known user, a specialty a
// known code.
func (c *call) checkWorklistFilters(st *store.State, q worklistQuery) *problem {
	if q.service != "" {
		svc := st.Services[q.service]
		if svc == nil {
			return businessRule("REFERENCE_NOT_FOUND", "'service' %s is not a known service.", q.service)
		}
		if svc.Org != c.Org {
			return noRelationship("service " + q.service)
		}
	}
	if q.clinician.value != "" && st.Users[q.clinician.value] == nil {
		return businessRule("REFERENCE_NOT_FOUND", "'clinician' %s is not a known user.", q.clinician.value)
	}
	if q.specialty.value != "" {
		if _, ok := c.s.ref.Lookup(refdata.Specialty, q.specialty.value); !ok {
			return actionInvalidCode("'specialty' %s is not a SPECIALTY code.", q.specialty.value)
		}
	}
	return nil
}

// checkAppAllowance refuses an application's third fetch of a service's
// worklist in a day.
func (c *call) checkAppAllowance(st *store.State, service string) *problem {
	if app := st.Apps[c.Caller.AppID]; app != nil && app.WorklistCalls[appCallKey(service, c)] >= appWorklistCallsPerDay {
		return forbidden("This application has already retrieved the worklist of service %s %d times today: e-RS allows %d.", service, appWorklistCallsPerDay, appWorklistCallsPerDay)
	}
	return nil
}

func (c *call) countAppCall(st *store.State, service string) {
	app := st.Apps[c.Caller.AppID]
	if app == nil {
		return
	}
	if app.WorklistCalls == nil {
		app.WorklistCalls = map[string]int{}
	}
	app.WorklistCalls[appCallKey(service, c)]++
}

func appCallKey(service string, c *call) string {
	return service + "/" + c.Now().UTC().Format("2006-01-02")
}

// referralWorklist selects and writes a referral worklist. Provider lists
// hold the referrals at the caller's organisation's services, referrer
// lists the organisation's own referrals; items are in UBRN order.
func (c *call) referralWorklist(st *store.State, q worklistQuery, limit int) (worklistBody, *problem) {
	type hit struct {
		r   *store.Referral
		svc *store.Service
	}
	var hits []hit
	provider := q.list.ForProvider()
	// The organisation's services, so that another organisation's referral
	// is passed over on its service id alone.
	ours := map[string]*store.Service{}
	if provider {
		for id, svc := range st.Services {
			if svc.Org == c.Org {
				ours[id] = svc
			}
		}
	}
	for _, r := range st.Referrals {
		if !mayBeOnWorklist(q.list, r.State) {
			continue
		}
		if !provider {
			if r.ReferringOrg == c.Org && onReferralWorklist(q.list, r) {
				hits = append(hits, hit{r: r})
			}
			continue
		}
		svc := ours[r.ServiceID]
		if svc == nil || !onReferralWorklist(q.list, r) || !q.matches(svc, r.Specialty, r.AllocatedClinician) {
			continue
		}
		hits = append(hits, hit{r, svc})
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.r.UBRN, b.r.UBRN) })
	return c.buildWorklist(q.list, limit, len(hits), func(b *worklistBuilder, i int) { b.referral(st, hits[i].r, hits[i].svc) })
}

// adviceWorklistBody selects and writes A023's list: the open advice
// requests at the caller's organisation's services. Advice requests have no
// assigned clinician, so a clinician filter of ASSIGNED matches none.
func (c *call) adviceWorklistBody(st *store.State, q worklistQuery, limit int) (worklistBody, *problem) {
	type hit struct {
		a   *store.Advice
		svc *store.Service
	}
	var hits []hit
	for _, a := range st.Advice {
		if !onAdviceWorklist(a) {
			continue
		}
		svc := st.Services[a.ServiceID]
		if svc == nil || svc.Org != c.Org || !q.matches(svc, a.Specialty, "") {
			continue
		}
		hits = append(hits, hit{a, svc})
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.a.UBRN, b.a.UBRN) })
	return c.buildWorklist(ersclient.WorklistAdviceAndGuidanceRequests, limit, len(hits), func(b *worklistBuilder, i int) { b.advice(hits[i].a, hits[i].svc) })
}

// writeWorklist sends a worklist's parts as one 200 answer.
func (c *call) writeWorklist(body worklistBody) {
	h := c.w.Header()
	h.Set("Content-Type", fhirJSON)
	h.Set("Content-Length", strconv.Itoa(body.size()))
	c.writeHeader(http.StatusOK)
	if c.r.Method == http.MethodHead {
		return
	}
	for _, part := range body {
		if _, err := c.w.Write(part); err != nil {
			return // the client went away
		}
	}
}
