package session

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

// callbackPath is the loopback redirect's exact path, as the gateway
// requires it.
const callbackPath = "/callback"

// callbackResult is what the browser brought: the handoff code, or why the
// sign-in was refused.
type callbackResult struct {
	code string
	err  error
}

// loopback is the one-shot listener on 127.0.0.1 the gateway sends the
// browser back to (RFC 8252 section 7.3).
//
// It answers only GET /callback, and accepts exactly one request carrying
// the state of this sign-in, then closes. A request with another path is
// 404; one with a missing or wrong state is refused with 400 and the
// listener keeps waiting: such a request is a probe or a stale tab, not the
// browser of this sign-in, and closing on it would let anyone on the host
// cancel the sign-in by knocking on the port. It closes anyway when the
// sign-in ends (FinishSignIn returns or a new sign-in starts).
type loopback struct {
	state    string
	addr     string
	srv      *http.Server
	result   chan callbackResult // buffered: the one accepted request
	once     sync.Once           // accepts one request
	stopOnce sync.Once
	done     chan struct{} // closed when the server has stopped
}

// listenLoopback listens on 127.0.0.1 on a random port and serves until the
// accepted request or Close.
func listenLoopback(state string) (*loopback, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("session: cannot listen on 127.0.0.1 for the browser: %w", err)
	}
	l := &loopback{state: state, addr: ln.Addr().String(), result: make(chan callbackResult, 1), done: make(chan struct{})}
	l.srv = &http.Server{Handler: http.HandlerFunc(l.serve), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10}
	go func() {
		defer close(l.done)
		_ = l.srv.Serve(ln) // ends with ErrServerClosed on Shutdown or Close
	}()
	return l, nil
}

// RedirectURI is the callback URL the gateway sends the browser to.
func (l *loopback) RedirectURI() string { return "http://" + l.addr + callbackPath }

// Result delivers the accepted request's outcome.
func (l *loopback) Result() <-chan callbackResult { return l.result }

// Close stops listening at once and waits for the server to stop.
func (l *loopback) Close() {
	l.stopOnce.Do(func() { _ = l.srv.Close() })
	<-l.done
}

func (l *loopback) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != callbackPath {
		writePage(w, http.StatusNotFound, "Not found", "This address only receives the answer of a sign-in.")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writePage(w, http.StatusMethodNotAllowed, "Not allowed", "This address only receives the answer of a sign-in.")
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(l.state)) != 1 {
		writePage(w, http.StatusBadRequest, "Not this sign-in",
			"This answer does not belong to the sign-in your terminal is waiting for. Return to the terminal and follow the link it shows.")
		return
	}
	var res callbackResult
	status, title, msg := http.StatusOK, "Signed in", "Signed in. Return to the terminal. You can close this window."
	switch e := q.Get("error"); {
	case e != "":
		res.err = &DeniedError{Code: e, Description: q.Get("error_description")}
		status, title, msg = http.StatusForbidden, "Sign-in refused", deniedWords(e, q.Get("error_description"))+" Return to the terminal to try again."
	case q.Get("code") == "":
		writePage(w, http.StatusBadRequest, "Sign-in incomplete", "The answer carries no sign-in code. Return to the terminal and try again.")
		return
	default:
		res.code = q.Get("code")
	}
	accepted := false
	l.once.Do(func() { accepted = true })
	if !accepted {
		writePage(w, http.StatusConflict, "Already done", "This sign-in has already been answered. Return to the terminal.")
		return
	}
	// The page goes out before the terminal hears of it: once it has, the
	// listener may be closed under this request.
	writePage(w, status, title, msg)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	l.result <- res
	// One request: stop listening now; Shutdown lets this answer finish.
	go l.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if l.srv.Shutdown(ctx) != nil {
			_ = l.srv.Close()
		}
	})
}

// deniedWords says in plain words why a sign-in was refused.
func deniedWords(code, description string) string {
	switch {
	case description == gatewayapi.ReasonAssuranceTooLow:
		return "Your sign-in does not give the identity assurance e-RS needs. Sign in with your smartcard, a security key or an authenticator app."
	case description == "cancelled" || (code == gatewayapi.ErrAccessDenied && description == ""):
		return "The sign-in was cancelled."
	case code == gatewayapi.ErrAccessDenied:
		return "The sign-in was refused."
	default:
		return "The sign-in failed (" + strconv.Quote(code) + ")."
	}
}
