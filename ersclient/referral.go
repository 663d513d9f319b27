package ersclient

import (
	"context"
	"fmt"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Referral is a referral as e-RS returned it: from A005 or from any write
// that answers with the updated ReferralRequest (A013, A014, A022, A028,
// A036...).
type Referral struct {
	ResponseInfo
	// Resource is the raw referral, for whatever the summary does not show.
	Resource *fhir.ReferralRequest
	// Version is the referral's version for the next write's If-Match:
	// meta.versionId, or the ETag's number when the body carries none. It
	// shadows ResponseInfo.Version (the ETag's number alone) on purpose: the
	// two can differ in the official sandbox, whose ETags are fixed, while
	// meta.versionId is always the record's own.
	Version string
}

// UBRN is the referral's id.
func (r *Referral) UBRN() string {
	if r == nil || r.Resource == nil {
		return ""
	}
	return r.Resource.ID
}

// Summary is the referral in plain Go values for the referral screen.
func (r *Referral) Summary() ReferralSummary {
	if r == nil || r.Resource == nil {
		return ReferralSummary{}
	}
	s := summarizeReferral(r.Resource)
	if s.Version == "" {
		s.Version = r.Version
	}
	return s
}

// RetrieveReferral is A005: the referral with its current version (ETag).
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) RetrieveReferral(ctx context.Context, ubrn string) (*Referral, error) {
	o := op(OpRetrieveReferral)
	if msg := ubrnProblem(ubrn); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	return c.referralCall(ctx, call{op: o, pathValues: []string{ubrn}})
}

// RetrieveReferralVersion is A005v: the referral at a given version. e-RS
// serves only the latest version; any other gives 404 HISTORY_NOT_SUPPORTED
// (IsNotFound), which tells the caller its copy is stale.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) RetrieveReferralVersion(ctx context.Context, ubrn, version string) (*Referral, error) {
	o := op(OpRetrieveReferralVersion)
	if msg := ubrnProblem(ubrn); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	if msg := versionProblem(version); msg != "" {
		return nil, invalid(o.ID, "%s", msg)
	}
	return c.referralCall(ctx, call{op: o, pathValues: []string{ubrn, version}})
}

// referralCall runs a call whose success body is a ReferralRequest.
func (c *Client) referralCall(ctx context.Context, cl call) (*Referral, error) {
	resp, err := fetch[fhir.ReferralRequest](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	return newReferral(cl.op.ID, resp.ResponseInfo, resp.Resource)
}

// newReferral checks that the body is a referral and works out its version.
func newReferral(opID OperationID, info ResponseInfo, rr *fhir.ReferralRequest) (*Referral, error) {
	if rr == nil || rr.ResourceType != "ReferralRequest" {
		got := ""
		if rr != nil {
			got = rr.ResourceType
		}
		return nil, &Error{Op: opID, Kind: KindBadResponse, Status: info.Status, CorrelationID: info.CorrelationID,
			RequestID: info.RequestID, Err: fmt.Errorf("expected a ReferralRequest, got %q", got)}
	}
	v := rr.Version()
	if v == "" {
		v = info.Version
	}
	return &Referral{ResponseInfo: info, Resource: rr, Version: v}, nil
}

// ubrnProblem says what is wrong with a UBRN, or "". A UBRN is a string of
// digits (twelve, with leading zeros); anything else cannot name a referral
// and would only reach e-RS to be refused.
func ubrnProblem(ubrn string) string {
	if ubrn == "" {
		return "no UBRN given"
	}
	if !allDigits(ubrn) {
		return fmt.Sprintf("%q is not a UBRN: a UBRN is digits only", ubrn)
	}
	return ""
}

// versionProblem says what is wrong with a version for If-Match or a
// _history reference, or "". e-RS versions are whole numbers.
func versionProblem(version string) string {
	if version == "" {
		return "no version given: load the record first so that its version can be sent"
	}
	if !allDigits(version) {
		return fmt.Sprintf("%q is not a record version: a version is a whole number", version)
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
