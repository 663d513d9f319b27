package main

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/sandbox/faults"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/stack"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// newSimulator builds the simulators the configuration describes, served at
// the origins given: their data, seeded around start (so that /_admin/reset
// rebuilds the very same data), the gateway's registration, the rate limit
// and the starting fault plan.
func newSimulator(cfg config.Sandbox, plan faults.Plan, origins origins, start time.Time, log *slog.Logger) (*stack.Stack, error) {
	var limiter *faults.Limiter
	if cfg.Rate > 0 {
		limiter = faults.NewLimiter(cfg.Rate, cfg.RateBurst())
		log.Info("rate limit on", "per_second", cfg.Rate, "burst", cfg.RateBurst())
	}
	began := time.Now()
	sim, err := stack.New(stack.Options{
		BaseURL: origins.ers, CIS2BaseURL: origins.cis2, APIMBaseURL: origins.apim,
		Seed:    seedFunc(cfg, start),
		Apps:    []apim.App{gatewayApp(cfg.Gateway)},
		Clients: []cis2.Client{gatewayClient(cfg.Gateway)},
		// Always an injector, even with no rules: the admin API changes its plan.
		Faults:      faults.NewInjector(uint64(cfg.FaultSeed)),
		Limiter:     limiter,
		OpenAccess:  cfg.OpenAccess,
		AutoApprove: cfg.AutoApprove,
		Logger:      log,
		Version:     version(),
	})
	if err != nil {
		return nil, err
	}
	attrs := []any{"seed", cfg.Seed, "ms", time.Since(began).Milliseconds()}
	if cfg.Seed == "synthetic" {
		attrs = append(attrs, "referrals", cfg.Referrals, "services", cfg.Services, "random_seed", cfg.RandomSeed)
	}
	log.Info("data seeded", attrs...)
	if err := sim.ERS().ApplyFaultPlan(plan); err != nil {
		return nil, fmt.Errorf("fault plan: %w", err)
	}
	if len(plan.Rules) > 0 || plan.WriteHold > 0 {
		log.Warn("faults injected", "rules", len(plan.Rules), "write_hold", time.Duration(plan.WriteHold).String())
	}
	if cfg.OpenAccess {
		log.Warn("open access: e-RS answers calls without a token, as NHS's public sandbox does")
	}
	if cfg.AutoApprove {
		log.Warn("auto-approve: a CIS2 sign-in naming a persona in login_hint is approved without the page")
	}
	return sim, nil
}

// gatewayApp is the gateway's APIM application: user-restricted e-RS at
// AAL2 and AAL3, its assertions checked against its key set.
func gatewayApp(g config.SandboxGateway) apim.App {
	return apim.App{
		APIKey: g.APIKey, Secret: g.AppSecret, Name: "ers-gateway",
		JWKSURL: strings.TrimSuffix(g.URL, "/") + config.GatewayJWKSPath, ASID: config.SandboxASID,
		AllowedODS: g.AllowedODS, Scopes: []string{apim.ScopeUserAAL2, apim.ScopeUserAAL3},
		AllowLifetimeOverrides: g.LifetimeOverrides,
	}
}

// gatewayClient is the gateway's CIS2 registration: private_key_jwt, one
// exact callback, back-channel logout.
func gatewayClient(g config.SandboxGateway) cis2.Client {
	base := strings.TrimSuffix(g.URL, "/")
	return cis2.Client{
		ID: g.ClientID, RedirectURIs: []string{base + config.GatewayCIS2CallbackPath},
		AuthMethod: cis2.AuthPrivateKeyJWT, JWKSURL: base + config.GatewayJWKSPath,
		PostLogoutRedirectURIs: []string{base + config.GatewaySignedOutPath},
		BackchannelLogoutURI:   base + config.GatewayBackchannelLogoutPath,
	}
}

// seedFunc returns the function that builds (and on reset rebuilds) the
// data. It captures start, so every call gives the same data.
func seedFunc(cfg config.Sandbox, start time.Time) func() *store.State {
	if cfg.Seed == "examples" {
		return func() *store.State { return seed.Examples(start) }
	}
	opts := seed.SyntheticOptions{Seed: int64(cfg.RandomSeed), Referrals: cfg.Referrals, Services: cfg.Services, Now: start}
	return func() *store.State { return seed.Synthetic(opts) }
}

// version is the module version the binary was built from, for /_ping; "dev"
// for a build from a working tree.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
