package gateway

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the gateway's Prometheus series, on its own registry (no
// global state): proxied calls by operation and status, their latency, and
// audit writes that failed.
type metrics struct {
	calls        *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	auditFailure *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ers_gateway_proxy_requests_total", Help: "e-RS calls answered by the proxy, by operation id and HTTP status.",
		}, []string{"operation", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ers_gateway_proxy_request_seconds", Help: "Time to answer e-RS calls through the proxy, by operation id.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"operation"}),
		auditFailure: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ers_gateway_audit_write_failures_total", Help: "Audit records that could not be written, by operation id.",
		}, []string{"operation"}),
	}
	reg.MustRegister(m.calls, m.latency, m.auditFailure)
	return m
}

// ObserveCall implements proxy.Metrics.
func (m *metrics) ObserveCall(op string, status int, d time.Duration) {
	m.calls.WithLabelValues(op, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(op).Observe(d.Seconds())
}

// AuditFailure implements proxy.Metrics.
func (m *metrics) AuditFailure(op string) { m.auditFailure.WithLabelValues(op).Inc() }
