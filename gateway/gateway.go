// Package gateway assembles ers-gateway from its parts: the key set
// (gateway/keys), the store (gateway/store), the clients of CIS2 and APIM
// (gateway/upstream), the sign-in broker (gateway/broker) and the e-RS
// proxy (gateway/proxy), with health, readiness and Prometheus metrics.
// cmd/ers-gateway reads the configuration and calls New; the workstation's
// demo and the end-to-end tests call it in process.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/gateway/broker"
	"github.com/ers-workstation/ers-workstation/gateway/keys"
	"github.com/ers-workstation/ers-workstation/gateway/proxy"
	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/gateway/upstream"
)

// Options are everything the gateway needs; New checks them.
type Options struct {
	// PublicURL is the gateway's origin as browsers and workstations reach it.
	PublicURL string
	// ERSBaseURL is the e-RS FHIR base (".../referrals/FHIR").
	ERSBaseURL string
	// CIS2Issuer and CIS2ClientID are the gateway's CIS2 registration.
	CIS2Issuer, CIS2ClientID string
	// APIMTokenURL, APIKey and AppSecret are its APIM application.
	APIMTokenURL, APIKey, AppSecret string
	// APIMExtra are extra token-request form fields: the simulator's
	// test-only lifetime knobs. Nil against NHS.
	APIMExtra url.Values

	Keys   *keys.Set
	Store  store.Store
	Sealer *store.Sealer

	IdleTimeout, AbsoluteTimeout time.Duration
	// Rate and Burst limit each session's e-RS calls; zero means
	// config.DefaultGatewayRate and config.DefaultGatewayBurst.
	Rate  float64
	Burst int

	// HTTPClient calls CIS2 and APIM (with a timeout); nil gives one.
	HTTPClient *http.Client
	// ERSTransport calls e-RS; nil gives the proxy's default.
	ERSTransport http.RoundTripper
	Now          func() time.Time
	Logger       *slog.Logger
}

// Server is a running gateway's handler and its parts.
type Server struct {
	o        Options
	broker   *broker.Broker
	proxy    *proxy.Proxy
	registry *prometheus.Registry
	mux      *http.ServeMux
}

// New builds the gateway. It fetches CIS2's discovery document, so CIS2
// must answer.
func New(ctx context.Context, o Options) (*Server, error) {
	if o.Keys == nil || o.Store == nil || o.Sealer == nil {
		return nil, errors.New("gateway: Keys, Store and Sealer are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	public := strings.TrimSuffix(o.PublicURL, "/")
	cis2, err := upstream.NewCIS2(ctx, upstream.CIS2Options{
		Issuer: o.CIS2Issuer, ClientID: o.CIS2ClientID, RedirectURL: public + broker.CallbackPath,
		Signer: o.Keys, HTTPClient: o.HTTPClient, Now: o.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("gateway: CIS2: %w", err)
	}
	apim, err := upstream.NewAPIM(upstream.APIMOptions{
		TokenURL: o.APIMTokenURL, APIKey: o.APIKey, AppSecret: o.AppSecret, Signer: o.Keys,
		HTTPClient: o.HTTPClient, Now: o.Now, Extra: o.APIMExtra,
	})
	if err != nil {
		return nil, fmt.Errorf("gateway: APIM: %w", err)
	}
	b, err := broker.New(broker.Options{
		PublicURL: public, Store: o.Store, Sealer: o.Sealer, CIS2: cis2, APIM: apim,
		Roles:       broker.ERSRoles{BaseURL: o.ERSBaseURL, Transport: o.ERSTransport},
		IdleTimeout: o.IdleTimeout, AbsoluteTimeout: o.AbsoluteTimeout,
		Now: o.Now, Logger: o.Logger.With("component", "broker"),
	})
	if err != nil {
		return nil, err
	}
	registry := prometheus.NewRegistry()
	metrics := newMetrics(registry)
	r, burst := rate.Limit(o.Rate), o.Burst
	if r <= 0 {
		r, burst = config.DefaultGatewayRate, config.DefaultGatewayBurst
	}
	p, err := proxy.New(proxy.Options{
		Upstream: o.ERSBaseURL, Authenticate: b.Authenticate, Auditor: o.Store,
		Transport: o.ERSTransport, Rate: r, Burst: burst, Metrics: metrics,
		Logger: o.Logger.With("component", "proxy"), Now: o.Now,
	})
	if err != nil {
		return nil, err
	}
	s := &Server{o: o, broker: b, proxy: p, registry: registry, mux: http.NewServeMux()}
	b.Register(s.mux)
	s.mux.Handle(proxy.Prefix+"/", p)
	s.mux.Handle("GET "+keys.JWKSPath, o.Keys.JWKSHandler())
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) }) //nolint:errcheck
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	return s, nil
}

// Handler serves the gateway.
func (s *Server) Handler() http.Handler { return s.mux }

// ready is /readyz: the store answers and the key set can sign.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.o.Store.Ping(ctx); err != nil {
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	if len(s.o.Keys.JWKS(s.o.Now()).Keys) == 0 {
		http.Error(w, "no published key", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n")) //nolint:errcheck
}
