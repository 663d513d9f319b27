package proxy

import (
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

// Proxy is the e-RS proxy handler. Mount it at Prefix + "/":
//
//	mux.Handle(proxy.Prefix+"/", p)
type Proxy struct {
	opts     Options
	mux      *http.ServeMux
	limiters *limiters
}

// New returns a Proxy for the options; it does no I/O.
func New(opts Options) (*Proxy, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Proxy{opts: o, mux: http.NewServeMux(), limiters: newLimiters(o.Rate, o.Burst, o.LimiterIdle)}
	for _, op := range ersclient.Catalogue() {
		pattern := op.Method + " " + Prefix + op.Path
		if err := registerPattern(p.mux, pattern, p.operation(op)); err != nil {
			return nil, err
		}
	}
	p.mux.HandleFunc("/", p.notFound)
	return p, nil
}

// registerPattern turns ServeMux's panic on a bad or conflicting pattern
// into an error (a catalogue mistake).
func registerPattern(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("proxy: allow-list pattern %q: %v", pattern, v)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

// ServeHTTP implements http.Handler. Paths that are not clean (".." or "//")
// are refused rather than redirected, so the allow-list sees exactly the
// path e-RS would.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != path.Clean(r.URL.Path) || !strings.HasPrefix(r.URL.Path, Prefix+"/") {
		p.notFound(w, r)
		return
	}
	p.mux.ServeHTTP(w, r)
}

// notFound refuses a request that matches no allow-listed operation, after
// authenticating it (an unauthenticated caller learns nothing about paths).
func (p *Proxy) notFound(w http.ResponseWriter, r *http.Request) {
	start := p.opts.Now()
	caller, ok := p.opts.Authenticate(w, r)
	if !ok {
		return
	}
	p.refuse(w, r, caller, nil, start, http.StatusNotFound, codeNotFound, "no e-RS operation is allowed at this method and path")
}

// operation serves one allow-listed operation.
func (p *Proxy) operation(op ersclient.Operation) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A GET pattern also matches HEAD; only the documented method passes.
		if r.Method != op.Method {
			p.notFound(w, r)
			return
		}
		p.serve(w, r, op)
	})
}
