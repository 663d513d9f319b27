package sandbox

import (
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Stub, replaced by H1.

// referralResource renders a referral as the STU3 eRS-ReferralRequest-1
// that A005 and every referral write return.
func (c *call) referralResource(st *store.State, r *store.Referral) *fhir.ReferralRequest {
	return &fhir.ReferralRequest{DomainResource: fhir.DomainResource{ResourceType: "ReferralRequest", ID: r.UBRN}}
}
