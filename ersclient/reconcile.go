package ersclient

import (
	"context"
	"strings"
)

// Reconciliation is what reading a record back says about a write whose
// outcome is unknown (IsOutcomeUnknown: no answer, or a 502/504 from the
// hospital's system after the change was sent). Writes are never retried
// automatically, because repeating one that did take effect would apply it
// twice or fail with a confusing conflict; the caller reads back instead.
//
// Every versioned write (A012, A013, A014, A022, A026, A028, A031, A032,
// A034, A036, and A016/A027, which carry the version in the body) raises the
// record's version when it takes effect, so comparing the current version
// with the one the write sent answers the question:
//
//   - Applied: the version has moved on. The change was made, by this write
//     or by someone else's in the meantime; check the record's state against
//     what was asked before telling the user it was theirs.
//   - NotApplied: the version is unchanged. Nothing happened, and the user
//     may send the write again (with the same version).
//   - neither (Unclear): the record's version is missing or lower than the
//     one sent, which e-RS should never produce; show the record and let the
//     user decide.
//
// A create cannot be reconciled this way. A011 (create referral) and A044
// (create A&G request) make a new record whose UBRN e-RS assigns in the very
// reply that was lost, so there is no record to read back and no version to
// compare; sending the create again may make a duplicate. Look for the new
// record first (the referrer's worklists, or the patient's record in the
// e-RS user interface) before creating again. An A020 upload with a lost
// reply can simply be repeated: an upload that is never linked is harmless.
type Reconciliation struct {
	Applied    bool
	NotApplied bool
	// SentVersion is the version the write sent; CurrentVersion is the
	// record's version now.
	SentVersion    string
	CurrentVersion string
	// Referral is the current referral (ReconcileReferral), so that the
	// screen can show it.
	Referral *Referral
	// AdviceRequest is the current A&G request (ReconcileAdviceRequest).
	AdviceRequest *AdviceRequest
}

// Unclear reports that the versions did not say whether the write applied.
func (r *Reconciliation) Unclear() bool { return r != nil && !r.Applied && !r.NotApplied }

// ReconcileReferral reads the referral back (A005) after a referral write
// whose outcome is unknown, and compares its version with sentVersion, the
// version that write sent in If-Match (or in the body, for A016).
func (c *Client) ReconcileReferral(ctx context.Context, ubrn, sentVersion string) (*Reconciliation, error) {
	if msg := versionProblem(sentVersion); msg != "" {
		return nil, invalid(OpRetrieveReferral, "reconciling: %s", msg)
	}
	ref, err := c.RetrieveReferral(ctx, ubrn)
	if err != nil {
		return nil, err
	}
	r := compareVersions(sentVersion, ref.Version)
	r.Referral = ref
	return r, nil
}

// ReconcileAdviceRequest reads the A&G request back (A024) after an A&G
// write whose outcome is unknown (A026, or A027, which moves the request to
// ADVICE_CONVERTED), and compares its version with sentVersion.
func (c *Client) ReconcileAdviceRequest(ctx context.Context, ubrn, sentVersion string) (*Reconciliation, error) {
	if msg := versionProblem(sentVersion); msg != "" {
		return nil, invalid(OpRetrieveAdviceRequest, "reconciling: %s", msg)
	}
	ar, err := c.RetrieveAdviceRequest(ctx, ubrn)
	if err != nil {
		return nil, err
	}
	r := compareVersions(sentVersion, ar.Version)
	r.AdviceRequest = ar
	return r, nil
}

// compareVersions compares two whole-number versions numerically, without
// overflow whatever their length.
func compareVersions(sent, current string) *Reconciliation {
	r := &Reconciliation{SentVersion: sent, CurrentVersion: current}
	if !allDigits(current) {
		return r
	}
	switch cmpDigits(current, sent) {
	case 1:
		r.Applied = true
	case 0:
		r.NotApplied = true
	}
	return r
}

// cmpDigits compares two digit strings as numbers: -1, 0 or 1.
func cmpDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	switch {
	case len(a) != len(b):
		if len(a) < len(b) {
			return -1
		}
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
