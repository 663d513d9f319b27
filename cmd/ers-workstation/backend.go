package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/demo"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// gatewayTimeout bounds each call to the gateway made through the session's
// HTTP client (its own calls, and e-RS calls through the proxy).
const gatewayTimeout = 30 * time.Second

// demoStartTimeout bounds the demo's start (key generation, seeding, the
// gateway reading CIS2's discovery document).
const demoStartTimeout = 60 * time.Second

// backend is where the workstation signs in: the built-in demo or the
// configured gateway.
type backend struct {
	gatewayURL  string
	environment string // the banner: "SANDBOX", "INT", "PRODUCTION"
	mode        session.Mode
	// demo is the running demo; nil with a configured gateway.
	demo *demo.Demo
	// browser plays the person at the browser in the demo; nil means the
	// system browser (a configured gateway, or --demo-browser).
	browser *demoBrowser
}

// startBackend starts the demo when the configuration names no gateway, or
// describes the configured one. Close it with close.
func startBackend(ctx context.Context, cfg config.Workstation, inv invocation, now func() time.Time, log *slog.Logger) (*backend, error) {
	env, err := config.LookupEnvironment(cfg.Environment)
	if err != nil {
		return nil, err
	}
	b := &backend{gatewayURL: cfg.GatewayURL, environment: env.Label, mode: sessionMode(cfg.SignInMode)}
	if cfg.GatewayURL != "" {
		log.Info("using the configured gateway", "gateway_url", cfg.GatewayURL, "environment", cfg.Environment, "mode", string(b.mode))
		return b, nil
	}
	ctx, cancel := context.WithTimeout(ctx, demoStartTimeout)
	defer cancel()
	d, err := demo.Start(ctx, demo.Options{Persona: inv.persona, Referrals: inv.referrals, Now: now, Logger: log.With("part", "demo")})
	if err != nil {
		return nil, fmt.Errorf("starting the demo: %w", err)
	}
	b.demo, b.gatewayURL = d, d.GatewayURL
	// The demo is the sandbox, whatever the file says: its data is synthetic.
	sandbox, _ := config.LookupEnvironment("sandbox")
	b.environment = sandbox.Label
	if !inv.demoBrowser {
		b.browser = newDemoBrowser(d.Browser(inv.persona), log)
	}
	return b, nil
}

// close stops the demo, if one runs.
func (b *backend) close() error {
	if b.demo == nil {
		return nil
	}
	return b.demo.Close()
}

// sessionMode maps the configuration's sign_in_mode onto session's modes.
func sessionMode(s string) session.Mode {
	switch s {
	case "loopback":
		return session.ModeLoopback
	case "remote":
		return session.ModeRemote
	}
	return session.ModeAuto
}

// newManager builds the session manager for the backend. In the demo the
// session is kept in memory only (its gateway lives as long as the process,
// so a keyring entry would outlive it for nothing), and the in-process
// browser stands in for the system browser.
func (b *backend) newManager(now func() time.Time, log *slog.Logger) (*session.Manager, error) {
	o := session.Options{
		GatewayURL: b.gatewayURL,
		HTTPClient: &http.Client{Timeout: gatewayTimeout},
		Mode:       b.mode,
		Now:        now,
		Logger:     log.With("part", "session"),
	}
	if b.demo != nil {
		o.Keyring = memoryOnly{}
	}
	if b.browser != nil {
		o.OpenBrowser = b.browser.open
	}
	return session.New(o)
}

// auth is what the screens sign in with: the manager, wrapped for the
// demo's in-process browser when there is one.
func (b *backend) auth(m *session.Manager) screen.Auth {
	if b.browser == nil {
		return m
	}
	return demoAuth{Manager: m, browser: b.browser}
}

// memoryOnly is the demo's keyring: it never answers, so the session stays
// in memory and the status bar says so.
type memoryOnly struct{}

var errDemoMemory = errors.New("the demo keeps its session in memory only")

func (memoryOnly) Get(string, string) (string, error) { return "", errDemoMemory }
func (memoryOnly) Set(string, string, string) error   { return errDemoMemory }
func (memoryOnly) Delete(string, string) error        { return errDemoMemory }
