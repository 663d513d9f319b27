package sandbox

import (
	"net/http"
	"time"

	"github.com/ers-workstation/ers-workstation/sandbox/faults"
)

// injectFault applies the fault plan to a call: latency, an error status,
// a dropped connection or a slow body. It reports whether it answered (or
// dropped) the call, in which case the handler must not run.
func (s *Server) injectFault(c *call) bool {
	d := s.faults.Decide(string(c.op.ID))
	if d.Delay > 0 {
		t := time.NewTimer(d.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.r.Context().Done():
			return true // the caller gave up; nobody reads an answer
		}
	}
	switch {
	case d.Drop:
		dropConnection(c.w)
		return true
	case d.Status != 0:
		c.fail(injectedProblem(d))
		return true
	case d.SlowBody > 0:
		c.w = &slowWriter{ResponseWriter: c.w, total: d.SlowBody, done: c.r.Context().Done()}
	}
	return false
}

// injectedProblem is the answer e-RS gives for each injectable status.
func injectedProblem(d faults.Decision) *problem {
	switch d.Status {
	case http.StatusBadGateway:
		return &problem{Status: d.Status, Issue: "exception", Code: "PAS_RESPONDED_WITH_ERROR",
			Diagnostics: "The provider's patient administration system responded with an error."}
	case http.StatusServiceUnavailable:
		return &problem{Status: d.Status, Issue: "transient", Code: "SYSTEM_UNAVAILABLE", R4Code: "REC_UNAVAILABLE",
			Diagnostics: "The service is unavailable. Try again later.", RetryAfter: d.RetryAfter}
	case http.StatusGatewayTimeout:
		return &problem{Status: d.Status, Issue: "timeout", Code: "PAS_NOT_RESPONDING",
			Diagnostics: "The provider's patient administration system did not respond in time."}
	default:
		return &problem{Status: http.StatusInternalServerError, Issue: "exception", Code: "SERVICE_ERROR", R4Code: "REC_SERVER_ERROR",
			Diagnostics: "Internal Server Error"}
	}
}

// dropConnection closes the connection without an answer, as a failing
// network or proxy would.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	// HTTP/2 or a recorder: abort the handler, which resets the stream.
	panic(http.ErrAbortHandler)
}

// slowBodyChunks is how many pieces a slow body is written in.
const slowBodyChunks = 16

// slowWriter trickles each body write out over total, flushing every piece,
// so that clients see a response that starts but is slow to finish.
type slowWriter struct {
	http.ResponseWriter
	total time.Duration
	done  <-chan struct{}
}

func (w *slowWriter) Write(p []byte) (int, error) {
	step := max(len(p)/slowBodyChunks, 1)
	pause := w.total / slowBodyChunks
	written := 0
	for written < len(p) {
		end := min(written+step, len(p))
		n, err := w.ResponseWriter.Write(p[written:end])
		written += n
		if err != nil {
			return written, err
		}
		if f, ok := w.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		if written < len(p) {
			select {
			case <-time.After(pause):
			case <-w.done:
				return written, http.ErrHandlerTimeout
			}
		}
	}
	return written, nil
}
