package proxy

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"golang.org/x/time/rate"
)

// BenchmarkProxyAddedLatency sends the same e-RS read (A005) straight to the
// simulator and through the proxy (audit on, in memory), alternately, and
// reports the proxy's added latency at p50 and p99 and the proxied requests
// per second. It asserts nothing about time.
func BenchmarkProxyAddedLatency(b *testing.B) { benchmarkAddedLatency(b, nil, nil) }

// BenchmarkProxyAddedLatencySQLiteAudit is the same with the audit trail
// written to an SQLite file, as a gateway with the default store does.
func BenchmarkProxyAddedLatencySQLiteAudit(b *testing.B) {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "gateway.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchmarkAddedLatency(b, st, nil)
}

// benchmarkAddedLatency measures with the auditor given (nil: the test
// harness's in-memory recorder) and any further change to the options.
func benchmarkAddedLatency(b *testing.B, auditor Auditor, change func(o *Options)) {
	e := newEnv(b, func(o *Options) {
		o.Now, o.Rate = time.Now, rate.Inf
		if auditor != nil {
			o.Auditor = auditor
		}
		if change != nil {
			change(o)
		}
	})
	upstreamBase := strings.TrimSuffix(e.upstreamURL, "/")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	direct, err := http.NewRequest("GET", upstreamBase+"/STU3/ReferralRequest/000000070000", nil)
	if err != nil {
		b.Fatal(err)
	}
	direct.Header.Set("Authorization", "Bearer tok-"+seed.ExampleRC)
	direct.Header.Set("NHSD-eRS-Business-Function", "REFERRING_CLINICIAN")
	direct.Header.Set("NHSD-End-User-Organisation-ODS", seed.ExampleReferringOrg)
	proxied, err := http.NewRequest("GET", e.proxy.URL+pathReferral, nil)
	if err != nil {
		b.Fatal(err)
	}
	proxied.Header.Set("X-Test-Session", "rc")
	send := func(req *http.Request) time.Duration {
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		return time.Since(start)
	}
	send(direct)
	send(proxied)
	directTimes := make([]time.Duration, 0, b.N)
	proxiedTimes := make([]time.Duration, 0, b.N)
	var proxiedTotal time.Duration
	b.ResetTimer()
	for range b.N {
		directTimes = append(directTimes, send(direct))
		d := send(proxied)
		proxiedTimes = append(proxiedTimes, d)
		proxiedTotal += d
	}
	b.StopTimer()
	slices.Sort(directTimes)
	slices.Sort(proxiedTimes)
	pct := func(ds []time.Duration, p float64) time.Duration { return ds[int(float64(len(ds)-1)*p)] }
	b.ReportMetric(float64((pct(proxiedTimes, 0.50) - pct(directTimes, 0.50)).Microseconds()), "p50-added-µs")
	b.ReportMetric(float64((pct(proxiedTimes, 0.99) - pct(directTimes, 0.99)).Microseconds()), "p99-added-µs")
	b.ReportMetric(float64(b.N)/proxiedTotal.Seconds(), "proxied-req/s")
}
