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
			ps = append(ps, config.Problem{Key: "faults", Message: fmt.Sprintf("rule %d %q: %s", i+1, text, ruleError(err)), Env: setBy})
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

// ruleError is the message of a ParseRule error without the position
// ParseRule gives: it checks each rule as a plan of one, so it always says
// "rule 1" (or "rule 1 (A016)"), while the caller knows the real position.
func ruleError(err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "rule 1: "); ok {
		return rest
	}
	if strings.HasPrefix(msg, "rule 1 (") {
		if _, rest, ok := strings.Cut(msg, "): "); ok {
			return rest
		}
	}
	return msg
}
