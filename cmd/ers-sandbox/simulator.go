package main

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/sandbox"
	"github.com/ers-workstation/ers-workstation/sandbox/faults"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// newSimulator builds the simulator the configuration describes: its data,
// seeded around start (so that /_admin/reset rebuilds the very same data),
// its rate limit and its starting fault plan.
func newSimulator(cfg config.Sandbox, plan faults.Plan, start time.Time, log *slog.Logger) (*sandbox.Server, error) {
	began := time.Now()
	st := store.New(seedFunc(cfg, start), nil)
	attrs := []any{"seed", cfg.Seed, "ms", time.Since(began).Milliseconds()}
	if cfg.Seed == "synthetic" {
		attrs = append(attrs, "referrals", cfg.Referrals, "services", cfg.Services, "random_seed", cfg.RandomSeed)
	}
	log.Info("data seeded", attrs...)

	var limiter *faults.Limiter
	if cfg.Rate > 0 {
		limiter = faults.NewLimiter(cfg.Rate, cfg.RateBurst())
		log.Info("rate limit on", "per_second", cfg.Rate, "burst", cfg.RateBurst())
	}
	srv := sandbox.New(sandbox.Options{
		Store: st,
		// Always an injector, even with no rules: the admin API changes its plan.
		Faults:  faults.NewInjector(uint64(cfg.FaultSeed)),
		Limiter: limiter,
		Logger:  log,
		Version: version(),
	})
	if err := srv.ApplyFaultPlan(plan); err != nil {
		return nil, fmt.Errorf("fault plan: %w", err)
	}
	if len(plan.Rules) > 0 || plan.WriteHold > 0 {
		log.Warn("faults injected", "rules", len(plan.Rules), "write_hold", time.Duration(plan.WriteHold).String())
	}
	return srv, nil
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
