package proxy

import (
	"context"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// Auditor is the part of the store the proxy writes the audit trail to.
// store.Store satisfies it as is, so the gateway passes its store.
//
// AppendAudit is called before a call is forwarded (the call is refused with
// 503 when it fails); CompleteAudit after the answer, with the status,
// outcome, e-RS request id and latency. Refusals by the proxy itself are
// appended already complete (Kind refusal).
type Auditor interface {
	AppendAudit(ctx context.Context, r store.AuditRecord) (int64, error)
	CompleteAudit(ctx context.Context, id int64, status int, outcome, requestID string, latency time.Duration, completed time.Time) error
}

// Outcomes written to the audit trail.
const (
	outcomeOK      = "ok"
	outcomeRefused = "refused" // e-RS answered 4xx
	outcomeError   = "error"   // e-RS answered 5xx
	outcomePending = "pending" // in flight
)

// outcomeFor is the audit outcome of an e-RS status.
func outcomeFor(status int) string {
	switch {
	case status >= 500:
		return outcomeError
	case status >= 400:
		return outcomeRefused
	default:
		return outcomeOK
	}
}
