package sandbox

import (
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// letterChangeBlocked reports whether the referral can no longer take
// letters: a cancelled (closed) referral.
func letterChangeBlocked(r *store.Referral) bool {
	return r.Status != "active" || r.State == store.StateCancelledReferral
}
