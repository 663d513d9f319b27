package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/sandbox/faults"
)

// loadSettings reads the configuration (defaults, file, environment, flags)
// and parses its fault rules into the starting fault plan. Every problem,
// those of package config and those of the rules, comes back in one error
// wrapping config.Problems; a file that cannot be read or parsed is reported
// alone.
func loadSettings(inv invocation, lookup config.LookupFunc) (config.Sandbox, faults.Plan, error) {
	cfg, err := config.LoadSandbox(inv.configPath, lookup, inv.overrides...)
	var ps config.Problems
	if err != nil && !errors.As(err, &ps) {
		return cfg, faults.Plan{}, err
	}
	plan := faults.Plan{WriteHold: faults.Duration(cfg.WriteHold)}
	setBy := faultsSetBy(inv, lookup)
	for i, text := range cfg.Faults {
		if strings.TrimSpace(text) == "" {
			continue // package config reports empty rules
		}
		r, err := faults.ParseRule(text)
		if err != nil {
			ps = append(ps, config.Problem{Key: "faults", Message: fmt.Sprintf("rule %d %q: %s", i+1, text, err), Env: setBy})
			continue
		}
		plan.Rules = append(plan.Rules, r)
	}
	if len(ps) > 0 {
		where := "config"
		if inv.configPath != "" {
			where += " " + inv.configPath
		}
		return cfg, plan, fmt.Errorf("%s: %w", where, ps)
	}
	return cfg, plan, nil
}

// faultsSetBy names the flag or variable that set the fault rules, for the
// problems of a bad rule; empty when they came from the file.
func faultsSetBy(inv invocation, lookup config.LookupFunc) string {
	if by, ok := inv.setsKey("faults"); ok {
		return by
	}
	if _, ok := lookup(envVar("faults")); ok {
		return envVar("faults")
	}
	return ""
}
