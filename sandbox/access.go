package sandbox

import (
	"net/http"
	"sort"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// The context headers of a user-restricted call.
const (
	headerBusinessFunction = "NHSD-eRS-Business-Function"
	headerODS              = "NHSD-End-User-Organisation-ODS"
	headerOnBehalfOf       = "NHSD-eRS-On-Behalf-Of-User-ID"
)

// appRestrictedWrites are the only writes an application may make alone, and
// only after NHS's use-case review.
var appRestrictedWrites = map[ersclient.OperationID]bool{
	ersclient.OpAcceptReferral:      true,
	ersclient.OpRecordReviewOutcome: true,
	ersclient.OpCancelReferral:      true,
}

// referrerAppOps are the application-restricted operations that act in a
// referring context (REFERRER_AUTHORISED_APPLICATION); A004 accepts both;
// the others act for a provider.
var referrerAppOps = map[ersclient.OperationID]bool{
	ersclient.OpRetrieveService:        true,
	ersclient.OpSearchServices:         true,
	ersclient.OpRetrieveServiceVersion: true,
}

// admit applies the access rules of the live service to an authenticated
// call and fills in who it acts as. It runs before any handler, so handlers
// only check the legitimate relationship with the record they touch.
func (c *call) admit(st *store.State) *problem {
	if c.Caller.App {
		return c.admitApp(st)
	}
	return c.admitUser(st)
}

func (c *call) admitUser(st *store.State) *problem {
	h := c.r.Header
	if c.Caller.IAL < 3 {
		return &problem{Status: http.StatusUnauthorized, Issue: "forbidden", Code: "NO_ACCESS", R4Code: "ACCESS_DENIED",
			Diagnostics: "We couldn't verify your identity. Contact your local Registration Authority or IT department for help."}
	}
	if c.Caller.AAL < 2 {
		return &problem{Status: http.StatusUnauthorized, Issue: "login", Code: "NO_ACCESS", R4Code: "ACCESS_DENIED",
			Diagnostics: "The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help."}
	}
	if c.op.NoContext { // A030: any authenticated user, no context headers
		c.UserID = c.Caller.UserID
		if c.UserID == "" {
			return forbidden("Name the user with the %s header: the simulator cannot tell who is asking for their roles.", HeaderSandboxUser)
		}
		if st.Users[c.UserID] == nil {
			return forbidden("User %s is not known to e-RS.", c.UserID)
		}
		return nil
	}
	bf := ersclient.BusinessFunction(h.Get(headerBusinessFunction))
	switch bf {
	case store.ProviderAuthorisedApplication, store.ReferrerAuthorisedApplication, store.AuthorisedApplication:
		return forbidden("User does not have the required Business Function at the specified Organisation.")
	}
	c.Org = strings.TrimSpace(h.Get(headerODS))
	if c.Org == "" {
		return &problem{Status: http.StatusBadRequest, Issue: "required", Code: "MISSING_HEADER", R4Code: "MISSING_HEADER",
			Diagnostics: "Missing or Empty NHSD-End-User-Organisation-ODS header."}
	}
	if c.Caller.AllowsODS != nil && !c.Caller.AllowsODS(c.Org) {
		return forbidden("Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header")
	}
	if bf == "" {
		return forbidden("The %s header is required.", headerBusinessFunction)
	}
	c.Role = bf
	if !c.op.Allows(bf) {
		return forbidden("This endpoint cannot be accessed using the e-RS Business Function provided. Allowed values: %s", roleList(c.op.Roles))
	}
	obo := h.Get(headerOnBehalfOf)
	c.UserID = c.Caller.UserID
	if c.UserID == "" {
		c.UserID = firstUserWith(st, c.Org, bf, obo)
	}
	u := st.Users[c.UserID]
	if u == nil || !u.Has(c.Org, bf) {
		return forbidden("User does not have the required Business Function at the specified Organisation.")
	}
	switch {
	case bf == ersclient.ServiceProviderClinicianAdmin && obo == "" && c.op.ID != ersclient.OpRetrieveOnBehalfOfUsers:
		return forbidden("A SERVICE_PROVIDER_CLINICIAN_ADMIN must name the clinician acted for in %s.", headerOnBehalfOf)
	case bf != ersclient.ServiceProviderClinicianAdmin && obo != "":
		return forbidden("%s is only allowed for SERVICE_PROVIDER_CLINICIAN_ADMIN.", headerOnBehalfOf)
	case obo != "" && !u.MayActFor(c.Org, obo):
		return forbidden("The user may not act on behalf of %s at %s.", obo, c.Org)
	}
	c.OnBehalfOf = obo
	return nil
}

func (c *call) admitApp(st *store.State) *problem {
	h := c.r.Header
	// APIM refuses an application that tries to set its own context, with an
	// empty body.
	for _, name := range []string{headerODS, headerBusinessFunction, headerOnBehalfOf, "x-ers-ods-code", "x-ers-business-function", "x-ers-user-id"} {
		if h.Get(name) != "" {
			return &problem{Status: http.StatusForbidden, Empty: true, Issue: "forbidden"}
		}
	}
	app := c.Caller.AppContext
	if app == nil {
		if known := st.Apps[c.Caller.AppID]; known != nil {
			app = &AppContext{ODS: known.ODS, BusinessFunction: known.BusinessFunction, UserID: known.UserID}
		}
	}
	if app == nil {
		return forbidden("ASID is not configured in the application")
	}
	if !c.op.AppRestricted || (c.op.Write && !appRestrictedWrites[c.op.ID]) {
		return forbidden("This endpoint cannot be accessed by an application-restricted application.")
	}
	c.Org, c.UserID = app.ODS, app.UserID
	c.Role = store.ProviderAuthorisedApplication
	if referrerAppOps[c.op.ID] || (c.op.ID == ersclient.OpRetrieveReferenceData && app.BusinessFunction == store.ReferrerAuthorisedApplication) {
		c.Role = store.ReferrerAuthorisedApplication
	}
	if app.BusinessFunction != c.Role {
		return forbidden("This endpoint cannot be accessed using the application's business function %s.", app.BusinessFunction)
	}
	return nil
}

// firstUserWith returns the lowest SDS id holding the role at the
// organisation (and allowed to act for obo, if set), so that the header
// authenticator is deterministic.
func firstUserWith(st *store.State, org string, bf ersclient.BusinessFunction, obo string) string {
	best := ""
	for id, u := range st.Users {
		if (best == "" || id < best) && u.Has(org, bf) && (obo == "" || u.MayActFor(org, obo)) {
			best = id
		}
	}
	return best
}

func roleList(roles []ersclient.BusinessFunction) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

// canSeeReferral is the legitimate-relationship rule: a referrer sees their
// organisation's referrals, a provider the referrals for their
// organisation's services.
func (c *call) canSeeReferral(st *store.State, r *store.Referral) bool {
	if c.Referrer() {
		return r.ReferringOrg == c.Org
	}
	if svc := st.Services[r.ServiceID]; svc != nil && svc.Org == c.Org {
		return true
	}
	return false
}

// canSeeAdvice is the same rule for advice and guidance requests.
func (c *call) canSeeAdvice(st *store.State, a *store.Advice) bool {
	if c.Referrer() {
		return a.ReferringOrg == c.Org
	}
	svc := st.Services[a.ServiceID]
	return svc != nil && svc.Org == c.Org
}
