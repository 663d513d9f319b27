package proxy

import (
	"context"
	"crypto/rand"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/store"
	"golang.org/x/time/rate"
)

// BenchmarkProxyAddedLatencySQLiteAuditAndJTI is the SQLite-audit benchmark
// with the broker's shared replay check added to authentication: one
// RememberJTI insert in the same SQLite file per proxied call, as every
// proof of possession costs a gateway with the default store.
func BenchmarkProxyAddedLatencySQLiteAuditAndJTI(b *testing.B) {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "gateway.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchmarkAddedLatency(b, st, func(o *Options) {
		auth := o.Authenticate
		o.Authenticate = func(w http.ResponseWriter, r *http.Request) (Caller, bool) {
			now := time.Now()
			fresh, err := st.RememberJTI(r.Context(), store.JTIScopeDPoP, rand.Text(), now, now.Add(5*time.Minute))
			if err != nil || !fresh {
				http.Error(w, "replay check failed", http.StatusServiceUnavailable)
				return nil, false
			}
			return auth(w, r)
		}
		o.Rate = rate.Inf
	})
}
