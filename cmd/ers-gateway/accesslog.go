package main

import (
	"log/slog"
	"net/http"
	"time"
)

// statusRecorder remembers the status a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes of
// streamed e-RS bodies).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// accessLog logs one debug line per request: method, route, status and
// latency. It logs the route pattern the mux matched, never the path or
// the query: paths carry user codes (/l/{code}) and e-RS identifiers, and
// the CIS2 callback's query carries the authorization code and state.
func accessLog(next http.Handler, log *slog.Logger, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		route := r.Pattern // set by the ServeMux on this request
		if route == "" {
			route = "unmatched"
		}
		log.Debug("request", "method", r.Method, "route", route, "status", rec.status,
			"latency_ms", float64(now().Sub(start).Microseconds())/1000)
	})
}
