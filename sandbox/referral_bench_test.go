package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// h1BenchServer is a simulator on H1's test world, called in process.
func h1BenchServer() *Server {
	seed := func() *store.State {
		st := baseWorld()
		h1World(st)
		return st
	}
	return New(Options{Store: store.New(seed, func() time.Time { return testNow })})
}

// h1ReferralRequest is an A005 request for the booked referral (an
// appointment, a letter, a two-service shortlist) by its provider.
func h1ReferralRequest() *http.Request {
	req := httptest.NewRequest(http.MethodGet, BasePath+"/STU3/ReferralRequest/"+ubrnBooked, nil)
	req.Header.Set("Authorization", "Bearer bench")
	for k, v := range userHeaders(userSPC, ersclient.ServiceProviderClinician, orgTrust) {
		req.Header.Set(k, v)
	}
	return req
}

// BenchmarkRetrieveReferral measures A005 through the whole handler
// pipeline (authentication, access rules, the read, rendering and encoding),
// without the network.
func BenchmarkRetrieveReferral(b *testing.B) {
	srv := h1BenchServer()
	req := h1ReferralRequest()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkRetrieveReferralParallel is A005 from many clients at once: reads
// share the store's read lock.
func BenchmarkRetrieveReferralParallel(b *testing.B) {
	srv := h1BenchServer()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := h1ReferralRequest()
		for pb.Next() {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("status %d", rec.Code)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
