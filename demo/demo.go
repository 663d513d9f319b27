// Package demo runs the workstation's embedded default: the e-RS, CIS2 and
// APIM simulators and an ers-gateway, in this process, on random 127.0.0.1
// ports, registered with each other exactly as a real deployment is, with
// freshly generated keys, an in-memory store and synthetic data. It also
// plays the person at the browser (Browser), following the same redirect
// chain a real sign-in takes, so the workstation signs in through the real
// protocol with nothing skipped.
//
// It is not for production and never talks to NHS: every address is on
// loopback and every record synthetic.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/gateway"
	"github.com/ers-workstation/ers-workstation/gateway/keys"
	"github.com/ers-workstation/ers-workstation/gateway/store"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/stack"
	sbstore "github.com/ers-workstation/ers-workstation/sandbox/store"
)

// Defaults of Options.
const (
	// DefaultPersona is a service provider admin: the clerk who triages
	// referral worklists, the workstation's most common user.
	DefaultPersona = cis2.PersonaProviderAdmin
	// DefaultReferrals is enough data for a worklist to scroll.
	DefaultReferrals = 200
	// DefaultSeed picks the synthetic data set.
	DefaultSeed = 1
	// DefaultKeyBits is 2048, not the 4096 live NHS services publish:
	// measured on a 2-core machine, a 4096-bit key takes 0.2 to 0.9 s to
	// generate (it varies widely), a 2048-bit one 0.05 to 0.13 s, and the
	// demo generates two (gateway and CIS2) at every start. The keys never
	// leave the process.
	DefaultKeyBits = 2048
)

// upstreamTimeout bounds each call the gateway and simulators make to one
// another; all are on loopback, so anything slower is a fault.
const upstreamTimeout = 10 * time.Second

// shutdownTimeout bounds Close's wait for calls still running.
const shutdownTimeout = 5 * time.Second

// Options says who signs in and with how much data. Zero values are the defaults.
type Options struct {
	// Persona is the CIS2 persona (cis2.Personas keys) the demo signs in as.
	Persona string
	// Referrals is how many synthetic referrals e-RS holds.
	Referrals int
	// Seed picks the synthetic data set.
	Seed int64
	// KeyBits is the size of the gateway's and CIS2's generated RSA keys.
	KeyBits int
	// Now is the clock of the simulators and the gateway.
	Now func() time.Time
	// Logger receives the simulators' and the gateway's logs.
	Logger *slog.Logger
	// Rate and Burst are the gateway's limit on each session's e-RS calls;
	// zero means the gateway's defaults (a person's pace). Tests that drive
	// screens at machine speed raise them.
	Rate  float64
	Burst int
}

// Demo is a running simulator stack and gateway. Close stops both.
type Demo struct {
	// GatewayURL is the gateway's origin: give it to session.Options.
	GatewayURL string
	// SimulatorURL is the origin of e-RS, CIS2 and APIM (one listener).
	SimulatorURL string
	// Persona is the persona the demo signs in as.
	Persona string

	now    func() time.Time
	sim    *stack.Stack
	simSrv *http.Server
	gwSrv  *http.Server
	store  store.Store
	done   chan struct{} // closed when both servers have returned
}

// Personas lists the personas a demo may sign in as, for --help.
func Personas() []cis2.Persona { return cis2.Personas() }

// Start builds and starts the simulators and the gateway. ctx bounds the
// start only (the gateway reads CIS2's discovery document); the servers run
// until Close.
func Start(ctx context.Context, o Options) (*Demo, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	d := &Demo{Persona: o.Persona, now: o.Now, done: make(chan struct{})}
	gwLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: gateway listener: %w", err)
	}
	simLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		gwLn.Close()
		return nil, fmt.Errorf("demo: simulator listener: %w", err)
	}
	d.GatewayURL, d.SimulatorURL = "http://"+gwLn.Addr().String(), "http://"+simLn.Addr().String()
	closeListeners := func() { gwLn.Close(); simLn.Close() }

	if err := d.startSimulator(o); err != nil {
		closeListeners()
		return nil, err
	}
	errLog := slog.NewLogLogger(o.Logger.Handler(), slog.LevelWarn)
	served := make(chan struct{}, 2)
	serve := func(srv *http.Server, ln net.Listener) {
		go func() {
			defer func() { served <- struct{}{} }()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				o.Logger.Error("demo server stopped", "addr", ln.Addr().String(), "err", err)
			}
		}()
	}
	// The simulators serve first: gateway.New reads CIS2's discovery document.
	d.simSrv = &http.Server{Handler: d.sim.Handler(), ReadHeaderTimeout: upstreamTimeout, ErrorLog: errLog}
	serve(d.simSrv, simLn)
	gw, err := d.newGateway(ctx, o)
	if err != nil {
		gwLn.Close()
		d.simSrv.Close()
		<-served
		if d.store != nil {
			d.store.Close()
		}
		return nil, err
	}
	d.gwSrv = &http.Server{Handler: gw.Handler(), ReadHeaderTimeout: upstreamTimeout, ErrorLog: errLog}
	serve(d.gwSrv, gwLn)
	go func() { <-served; <-served; close(d.done) }()
	o.Logger.Info("demo started", "gateway_url", d.GatewayURL, "simulator_url", d.SimulatorURL,
		"persona", o.Persona, "referrals", o.Referrals)
	return d, nil
}

// startSimulator builds the simulator stack around a data set seeded at
// the start time. The gateway is registered with CIS2 and APIM as
// cmd/ers-sandbox registers it.
func (d *Demo) startSimulator(o Options) error {
	gw := d.GatewayURL
	start := o.Now()
	synth := seed.SyntheticOptions{Seed: o.Seed, Referrals: o.Referrals, Now: start}
	sim, err := stack.New(stack.Options{
		BaseURL: d.SimulatorURL,
		Seed:    func() *sbstore.State { return seed.Synthetic(synth) },
		Clients: []cis2.Client{{
			ID: config.SandboxCIS2ClientID, RedirectURIs: []string{gw + config.GatewayCIS2CallbackPath},
			AuthMethod: cis2.AuthPrivateKeyJWT, JWKSURL: gw + config.GatewayJWKSPath,
			PostLogoutRedirectURIs: []string{gw + config.GatewaySignedOutPath},
			BackchannelLogoutURI:   gw + config.GatewayBackchannelLogoutPath,
		}},
		Apps: []apim.App{{
			APIKey: config.SandboxAPIKey, Secret: config.SandboxAppSecret, Name: "ers-gateway",
			JWKSURL: gw + config.GatewayJWKSPath, ASID: config.SandboxASID,
			AllowedODS: []string{cis2.ReferrerODS, cis2.SecondGPODS, cis2.ProviderODS},
			Scopes:     []string{apim.ScopeUserAAL2, apim.ScopeUserAAL3},
		}},
		AutoApprove: true, KeyBits: o.KeyBits, Now: o.Now, Logger: o.Logger,
		HTTPClient: &http.Client{Timeout: upstreamTimeout},
	})
	if err != nil {
		return fmt.Errorf("demo: simulators: %w", err)
	}
	d.sim = sim
	return nil
}

// newGateway builds the gateway with fresh keys, an in-memory SQLite store
// and a random seal key: nothing survives the process, by design.
func (d *Demo) newGateway(ctx context.Context, o Options) (*gateway.Server, error) {
	ks, err := keys.Open(keys.Options{Bits: o.KeyBits, Now: o.Now})
	if err != nil {
		return nil, fmt.Errorf("demo: gateway keys: %w", err)
	}
	st, err := store.OpenSQLite(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("demo: gateway store: %w", err)
	}
	d.store = st
	sealKey := make([]byte, store.SealKeySize)
	rand.Read(sealKey) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
	sealer, err := store.NewSealer(sealKey)
	if err != nil {
		return nil, fmt.Errorf("demo: seal key: %w", err)
	}
	urls := d.sim.URLs()
	gw, err := gateway.New(ctx, gateway.Options{
		PublicURL: d.GatewayURL, ERSBaseURL: urls.ERSBase,
		CIS2Issuer: urls.CIS2Issuer, CIS2ClientID: config.SandboxCIS2ClientID,
		APIMTokenURL: urls.APIMTokenURL, APIKey: config.SandboxAPIKey, AppSecret: config.SandboxAppSecret,
		Keys: ks, Store: st, Sealer: sealer,
		HTTPClient: &http.Client{Timeout: upstreamTimeout},
		Now:        o.Now, Logger: o.Logger,
		Rate: o.Rate, Burst: o.Burst,
	})
	if err != nil {
		return nil, fmt.Errorf("demo: gateway: %w", err)
	}
	return gw, nil
}

// withDefaults fills the zero values and checks the persona.
func (o Options) withDefaults() (Options, error) {
	if o.Persona == "" {
		o.Persona = DefaultPersona
	}
	if !slices.ContainsFunc(cis2.Personas(), func(p cis2.Persona) bool { return p.Key == o.Persona }) {
		return o, fmt.Errorf("demo: unknown persona %q: use one of %v", o.Persona, PersonaKeys())
	}
	if o.Referrals == 0 {
		o.Referrals = DefaultReferrals
	}
	if o.Referrals < 0 {
		return o, fmt.Errorf("demo: referrals must be positive, not %d", o.Referrals)
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.KeyBits == 0 {
		o.KeyBits = DefaultKeyBits
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}

// PersonaKeys lists the persona keys, in cis2.Personas order.
func PersonaKeys() []string {
	var ks []string
	for _, p := range cis2.Personas() {
		ks = append(ks, p.Key)
	}
	return ks
}

// Close stops the gateway and the simulators, waiting up to a few seconds
// for calls still running, and closes the store. It is safe to call once.
func (d *Demo) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	errGW := d.gwSrv.Shutdown(ctx)
	errSim := d.simSrv.Shutdown(ctx)
	if errGW != nil {
		d.gwSrv.Close()
	}
	if errSim != nil {
		d.simSrv.Close()
	}
	<-d.done
	return errors.Join(errGW, errSim, d.store.Close())
}
