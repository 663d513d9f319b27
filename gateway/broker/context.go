package broker

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gateway/proxy"
	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/gateway/upstream"
)

func invalidGrant(err error) bool {
	var oe *upstream.OAuthError
	return errors.As(err, &oe) && oe.InvalidGrant()
}

// roles lists the roles the user may choose.
func (b *Broker) roles(w http.ResponseWriter, r *http.Request) {
	c, ok := b.authenticate(w, r)
	if !ok {
		return
	}
	token, ok := b.accessToken(w, r, c)
	if !ok {
		return
	}
	choices, err := b.o.Roles.Choices(r.Context(), token)
	if err != nil {
		b.upstreamFailed(w, "A030", err)
		return
	}
	resp := RolesResponse{Roles: choices}
	for _, rc := range choices {
		if rc.BusinessFunction != string(ersclient.ServiceProviderClinicianAdmin) {
			continue
		}
		ids, err := b.o.Roles.OnBehalfOf(r.Context(), token, rc.ODS)
		if err != nil {
			b.upstreamFailed(w, "A040", err)
			return
		}
		if resp.OnBehalfOf == nil {
			resp.OnBehalfOf = map[string][]Clinician{}
		}
		resp.OnBehalfOf[rc.ODS] = ids
	}
	writeJSON(w, http.StatusOK, resp)
}

// setContext chooses the role, accepting only what A030 (and A040) returned,
// and rotates the session token.
func (b *Broker) setContext(w http.ResponseWriter, r *http.Request) {
	c, ok := b.authenticate(w, r)
	if !ok {
		return
	}
	var req ContextBody
	if !decodeJSON(w, r, &req) {
		return
	}
	token, ok := b.accessToken(w, r, c)
	if !ok {
		return
	}
	ctx := r.Context()
	choices, err := b.o.Roles.Choices(ctx, token)
	if err != nil {
		b.upstreamFailed(w, "A030", err)
		return
	}
	held := slices.ContainsFunc(choices, func(rc RoleChoice) bool {
		return rc.BusinessFunction == req.BusinessFunction && rc.ODS == req.ODS
	})
	refuse := func(desc string) {
		b.audit(ctx, store.AuditRecord{Kind: store.AuditRefusal, SessionID: c.session.ID, User: c.session.Subject,
			Role: req.BusinessFunction, ODS: req.ODS, OBO: req.OnBehalfOf, Operation: "role_change", Outcome: "refused", Status: http.StatusForbidden})
		writeError(w, http.StatusForbidden, "role_not_held", desc)
	}
	if !held {
		refuse("e-RS does not list that business function at that organisation for you")
		return
	}
	spca := req.BusinessFunction == string(ersclient.ServiceProviderClinicianAdmin)
	switch {
	case spca && req.OnBehalfOf == "":
		writeError(w, http.StatusBadRequest, "invalid_request", "a clinician admin must choose the clinician to act for (obo_user_id)")
		return
	case !spca && req.OnBehalfOf != "":
		writeError(w, http.StatusBadRequest, "invalid_request", "only a clinician admin acts on behalf of another user")
		return
	case spca:
		ids, err := b.o.Roles.OnBehalfOf(ctx, token, req.ODS)
		if err != nil {
			b.upstreamFailed(w, "A040", err)
			return
		}
		if !slices.ContainsFunc(ids, func(c Clinician) bool { return c.SDSUserID == req.OnBehalfOf }) {
			refuse("e-RS does not list that clinician among those you may act for")
			return
		}
	}

	s := c.session
	newToken := b.token()
	s.Context = store.Context{BusinessFunction: req.BusinessFunction, ODS: req.ODS, OnBehalfOf: req.OnBehalfOf}
	s.TokenHash = store.Hash(newToken)
	if _, err := b.o.Store.UpdateSession(ctx, s); err != nil {
		if errors.Is(err, store.ErrConflict) {
			writeError(w, http.StatusConflict, "conflict", "the session changed at the same time; try again")
			return
		}
		b.storeFailed(w, "role change", err)
		return
	}
	b.audit(ctx, store.AuditRecord{Kind: store.AuditRoleChange, SessionID: s.ID, User: s.Subject, Role: req.BusinessFunction,
		ODS: req.ODS, OBO: req.OnBehalfOf, Operation: "role_change", Outcome: "ok", Status: http.StatusOK})
	writeJSON(w, http.StatusOK, ContextResponse{SessionToken: newToken, Context: req})
}

// accessToken is the caller's APIM token, answering the failure itself.
func (b *Broker) accessToken(w http.ResponseWriter, r *http.Request, c *Caller) (string, bool) {
	token, err := c.AccessToken(r.Context())
	switch {
	case errors.Is(err, proxy.ErrLoginRequired):
		loginRequired(w, "NHS API Management no longer accepts this sign-in; sign in again")
		return "", false
	case err != nil:
		b.upstreamFailed(w, "refresh", err)
		return "", false
	}
	return token, true
}

func (b *Broker) upstreamFailed(w http.ResponseWriter, what string, err error) {
	b.o.Logger.Warn("upstream call failed", "call", what, "err", err)
	var ee *ersclient.Error
	if errors.As(err, &ee) && ee.Status == http.StatusUnauthorized {
		loginRequired(w, "e-RS refused this sign-in; sign in again")
		return
	}
	writeError(w, http.StatusBadGateway, "upstream_error", what+" failed: "+errorText(err))
}

// errorText is an upstream error safe to show: ersclient's errors carry no
// tokens; others are summarised.
func errorText(err error) string {
	var ee *ersclient.Error
	if errors.As(err, &ee) {
		return ee.Error()
	}
	return "the service did not answer as expected"
}

// ERSRoles answers Roles by calling e-RS (A030, A040) with the session's
// APIM token.
type ERSRoles struct {
	// BaseURL is the e-RS FHIR base, e.g. https://int.api.service.nhs.uk/referrals/FHIR.
	BaseURL   string
	Transport http.RoundTripper
}

func (e ERSRoles) client(token string, uc ersclient.UserContext) (*ersclient.Client, error) {
	return ersclient.New(ersclient.Options{
		BaseURL: e.BaseURL, Transport: e.Transport, Context: uc, UserAgent: "ers-gateway",
		Token: func(context.Context) (string, error) { return token, nil },
	})
}

// Choices implements Roles with A030.
func (e ERSRoles) Choices(ctx context.Context, accessToken string) ([]RoleChoice, error) {
	c, err := e.client(accessToken, ersclient.UserContext{})
	if err != nil {
		return nil, err
	}
	bf, err := c.RetrieveBusinessFunctions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RoleChoice, 0, len(bf.Choices))
	for _, rc := range bf.Choices {
		out = append(out, RoleChoice{BusinessFunction: string(rc.Role), ODS: rc.Organisation, OrganisationName: rc.OrganisationName})
	}
	return out, nil
}

// OnBehalfOf implements Roles with A040 as the clinician admin at ods.
func (e ERSRoles) OnBehalfOf(ctx context.Context, accessToken, ods string) ([]Clinician, error) {
	c, err := e.client(accessToken, ersclient.UserContext{BusinessFunction: ersclient.ServiceProviderClinicianAdmin, Organisation: ods})
	if err != nil {
		return nil, err
	}
	users, err := c.RetrieveOnBehalfOfUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Clinician, 0, len(users.Clinicians))
	for _, u := range users.Clinicians {
		out = append(out, Clinician{SDSUserID: u.SDSUserID, Name: u.Name})
	}
	return out, nil
}
