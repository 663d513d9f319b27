package proxy

import "time"

// Metrics receives one observation per request the proxy answers, so the
// gateway can export request counts and latency by operation and status
// (Prometheus CounterVec/HistogramVec behind it). Operation is the e-RS
// operation id ("A005"), or "none" when the request matched no operation.
// Implementations must be safe for concurrent use.
type Metrics interface {
	ObserveCall(operation string, status int, latency time.Duration)
	// AuditFailure counts audit writes that failed (the call was refused
	// when it was the record written before forwarding).
	AuditFailure(operation string)
}

// noMetrics is the default: observations are dropped.
type noMetrics struct{}

func (noMetrics) ObserveCall(string, int, time.Duration) {}
func (noMetrics) AuditFailure(string)                    {}
