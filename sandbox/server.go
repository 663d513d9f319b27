package sandbox

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/faults"
	"github.com/ers-workstation/ers-workstation/sandbox/refdata"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// BasePath is where the API lives, as behind APIM: /referrals/FHIR/STU3/...
const BasePath = "/referrals/FHIR"

// Options configure a Server. Store is required; the rest have safe defaults.
type Options struct {
	Store *store.Store
	// Auth checks credentials. Default: HeaderAuthenticator (any bearer
	// token; the caller named by X-Sandbox-* headers).
	Auth Authenticator
	// RefData is the reference data A004 serves and the rules use.
	// Default: refdata.Default().
	RefData *refdata.Set
	// Faults injects latency and failures. Default: an injector with an
	// empty plan, which the admin API can change.
	Faults *faults.Injector
	// Limiter is the per-application rate limit; nil is unlimited.
	Limiter *faults.Limiter
	// BaseURL is the external URL of /referrals (for links and redirects);
	// default: derived from each request's Host.
	BaseURL string
	// Logger receives one line per call, without bodies or identifiers.
	Logger *slog.Logger
	// Version is reported by /_ping.
	Version string
}

// Server serves the simulated e-RS API.
type Server struct {
	store   *store.Store
	auth    Authenticator
	ref     *refdata.Set
	faults  *faults.Injector
	limiter *faults.Limiter
	baseURL string
	log     *slog.Logger
	version string
	mux     *http.ServeMux
	objects *objectStore
}

// New returns a Server for the options.
func New(opts Options) *Server {
	s := &Server{
		store:   opts.Store,
		auth:    opts.Auth,
		ref:     opts.RefData,
		faults:  opts.Faults,
		limiter: opts.Limiter,
		baseURL: strings.TrimRight(opts.BaseURL, "/"),
		log:     opts.Logger,
		version: opts.Version,
		mux:     http.NewServeMux(),
		objects: newObjectStore(),
	}
	if s.auth == nil {
		s.auth = HeaderAuthenticator{}
	}
	if s.ref == nil {
		s.ref = refdata.Default()
	}
	if s.faults == nil {
		s.faults = faults.NewInjector(1)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.version == "" {
		s.version = "dev"
	}
	handlers := s.handlers()
	for _, op := range ersclient.Catalogue() {
		h, ok := handlers[op.ID]
		if !ok {
			panic(fmt.Sprintf("sandbox: no handler for %s", op.ID)) // a programming error, caught by tests
		}
		s.mux.Handle(op.Method+" "+BasePath+op.Path, s.serveOp(op, h))
	}
	s.mux.HandleFunc("GET /referrals/_ping", s.ping)
	s.mux.HandleFunc("GET /referrals/_status", s.status)
	s.mux.HandleFunc("GET /_ping", s.ping)
	s.mux.HandleFunc("GET /_status", s.status)
	s.mux.HandleFunc("GET "+objectStorePath+"{token}", s.serveObject)
	s.mux.HandleFunc("/", s.notFound)
	return s
}

// Store is the state the server serves.
func (s *Server) Store() *store.Store { return s.store }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

type handlerFunc func(c *call)

// serveOp runs one operation's pipeline: ids, authentication, rate limit,
// injected faults, access rules, then the handler. A panic in a handler is
// logged and answered with a 500 outcome; it never takes the server down.
func (s *Server) serveOp(op ersclient.Operation, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		c := &call{s: s, w: w, r: r, op: op, correlationID: r.Header.Get("X-Correlation-ID"), requestID: uuid.NewString() + "-1"}
		if c.correlationID != "" {
			w.Header().Set("X-Correlation-ID", c.correlationID)
		}
		w.Header().Set("X-Request-ID", c.requestID)
		w.Header().Set("Cache-Control", "no-cache")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "op", op.ID, "panic", fmt.Sprint(v))
				if c.status == 0 {
					c.fail(fmt.Errorf("panic: %v", v))
				}
			}
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "call", c.logAttrs(time.Since(start))...)
		}()
		caller, p := s.auth.Authenticate(r)
		if p != nil {
			c.fail(p)
			return
		}
		c.Caller = caller
		if s.limiter != nil && !s.limiter.Allow(caller.AppID) {
			c.fail(&problem{Status: http.StatusTooManyRequests, Issue: "throttled", R4Code: "TOO_MANY_REQUESTS", Empty: true})
			return
		}
		if s.injectFault(c) {
			return
		}
		s.store.Read(func(st *store.State) error { //nolint:errcheck // admit reports through p
			p = c.admit(st)
			return nil
		})
		if p != nil {
			c.fail(p)
			return
		}
		h(c)
	})
}

// base is the external URL of /referrals, for absolute links.
func (c *call) base() string {
	if c.s.baseURL != "" {
		return c.s.baseURL
	}
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host + "/referrals"
}

// fhirBase is the external URL of the FHIR API: .../referrals/FHIR.
func (c *call) fhirBase() string { return c.base() + "/FHIR" }

func (s *Server) ping(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"version":%q,"revision":"ers-sandbox","releaseId":%q,"commitId":""}`, s.version, s.version)
}

// status is the platform health check; like APIM's it wants an apikey header.
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("apikey") == "" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"status":"fail","message":"the apikey header is required"}`)
		return
	}
	fmt.Fprintf(w, `{"status":"pass","version":%q,"checks":{"store":{"status":"pass"}}}`, s.version)
}

// notFound answers paths that are no operation, in the FHIR version the path
// names.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	version := ersclient.STU3
	if strings.Contains(r.URL.Path, "/FHIR/R4/") {
		version = ersclient.R4
	}
	s.writeProblem(w, r, version, &problem{Status: http.StatusNotFound, Issue: "not-supported", Code: "REFERENCE_NOT_FOUND",
		Diagnostics: fmt.Sprintf("No operation is served at %s %s.", r.Method, r.URL.Path)})
}
