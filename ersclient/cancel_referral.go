package ersclient

import (
	"context"
	"errors"
	"fmt"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

const profileCancelReferralParams = "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CancelReferral-Request-Parameters-1"

// CancelReferralRequest is the input of A036.
type CancelReferralRequest struct {
	UBRN    string
	Version string
	// Reason is a REFERRAL-CANCELLATION-REASON coding exactly as A004
	// returned it (system and code), filtered for the caller's side (see
	// the digest: referrerUsage for referrers; the provider reason types,
	// PROVIDER_TRIAGE when the referral is TRIAGED_PROVIDER_TO_ACTION).
	Reason fhir.Coding
	// Comments are optional unless the reason's commentIsMandatory is true;
	// at most 2000 characters.
	Comments string
}

// CancelReferralResult is what A036 returns: the cancelled referral and,
// only when this call cancelled an appointment too, that appointment.
type CancelReferralResult struct {
	ResponseInfo
	UpdatedReferral *Referral
	// UpdatedAppointment is nil when the referral had no live appointment.
	UpdatedAppointment *fhir.Appointment
}

// CancelReferral is A036: it cancels the referral and its current
// appointment, if any. CANCELLED_REFERRAL is terminal. A 502 or 504 from the
// hospital's system leaves the outcome unknown: reconcile with
// ReconcileReferral.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider;
// non-clinical actions only, after a use-case review).
func (c *Client) CancelReferral(ctx context.Context, req CancelReferralRequest) (*CancelReferralResult, error) {
	o := op(OpCancelReferral)
	if err := checkReferralTarget(o.ID, req.UBRN, req.Version); err != nil {
		return nil, err
	}
	reason, err := actionReason(o.ID, "cancellation reason", req.Reason, fhir.LocalReferralCancellationReason)
	if err != nil {
		return nil, err
	}
	if err := checkActionComment(o.ID, "cancellation comments", req.Comments); err != nil {
		return nil, err
	}
	p := fhir.NewParameters(profileCancelReferralParams)
	p.Add(fhir.Parameter{Name: "cancellationReason", Value: fhir.Value{ValueCoding: &reason}})
	if req.Comments != "" {
		p.Add(actionStringParam("cancellationComments", req.Comments))
	}
	cl := call{op: o, pathValues: []string{req.UBRN}, ifMatch: IfMatch(req.Version)}
	if err := cl.resource(p); err != nil {
		return nil, err
	}
	resp, err := fetch[fhir.Parameters](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	return cancelReferralResult(o.ID, resp.ResponseInfo, resp.Resource)
}

// cancelReferralResult unpacks the eRS-CancelReferral-Response-Parameters-1
// body: updatedReferralRequest (1..1) and updatedAppointment (0..1).
func cancelReferralResult(opID OperationID, info ResponseInfo, p *fhir.Parameters) (*CancelReferralResult, error) {
	bad := func(err error) error {
		return &Error{Op: opID, Kind: KindBadResponse, Status: info.Status, CorrelationID: info.CorrelationID,
			RequestID: info.RequestID, Err: err}
	}
	var rr fhir.ReferralRequest
	found, err := p.ResourceParam("updatedReferralRequest", &rr)
	if err != nil {
		return nil, bad(fmt.Errorf("updatedReferralRequest: %w", err))
	}
	if !found {
		return nil, bad(errors.New("no updatedReferralRequest in the reply"))
	}
	// A036 sends no ETag of its own; the referral's version is in its meta.
	ref, err := newReferral(opID, info, &rr)
	if err != nil {
		return nil, err
	}
	out := &CancelReferralResult{ResponseInfo: info, UpdatedReferral: ref}
	var appt fhir.Appointment
	found, err = p.ResourceParam("updatedAppointment", &appt)
	if err != nil {
		return nil, bad(fmt.Errorf("updatedAppointment: %w", err))
	}
	if found {
		out.UpdatedAppointment = &appt
	}
	return out, nil
}
