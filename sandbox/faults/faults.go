// Package faults decides the simulator's rate limit and injected failures:
// it says what should happen to a call (wait, fail with a status, drop the
// connection, trickle the body), and package sandbox makes it happen. The
// decisions are pure and, given a seed, deterministic, so that resilience
// tests can be repeated.
package faults

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Duration is a time.Duration written as text in JSON ("250ms").
type Duration time.Duration

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 250ms or 2s", b)
	}
	*d = Duration(v)
	return nil
}

// Rule is one fault: for the calls of one operation (or all), added latency,
// a share answered with an error status, a share of dropped connections, and
// bodies trickled out slowly.
type Rule struct {
	// Op is an operation id ("A016"), or empty for every operation.
	Op string `json:"op,omitempty"`
	// Latency is added to every call; Jitter adds up to that much more, at
	// random.
	Latency Duration `json:"latency,omitempty"`
	Jitter  Duration `json:"jitter,omitempty"`
	// ErrorRate (0 to 1) is the share of calls answered with Status: 500,
	// 502 (PAS_RESPONDED_WITH_ERROR), 503 (SYSTEM_UNAVAILABLE, with
	// Retry-After) or 504 (PAS_NOT_RESPONDING).
	ErrorRate  float64  `json:"error_rate,omitempty"`
	Status     int      `json:"status,omitempty"`
	RetryAfter Duration `json:"retry_after,omitempty"`
	// DropRate (0 to 1) is the share of calls whose connection is closed
	// without an answer.
	DropRate float64 `json:"drop_rate,omitempty"`
	// SlowBody spreads the writing of each answer's body over this long.
	SlowBody Duration `json:"slow_body,omitempty"`
}

// Plan is the whole fault configuration.
type Plan struct {
	Rules []Rule `json:"rules"`
	// WriteHold keeps each record locked this long during a write, so that
	// concurrent writers of the same record get 423 Locked.
	WriteHold Duration `json:"write_hold,omitempty"`
}

// Statuses a rule may inject.
var injectable = map[int]bool{500: true, 502: true, 503: true, 504: true}

// Validate reports the first problem with the plan.
func (p Plan) Validate() error {
	for i, r := range p.Rules {
		if err := r.validate(); err != nil {
			where := fmt.Sprintf("rule %d", i+1)
			if r.Op != "" {
				where += " (" + r.Op + ")"
			}
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	if p.WriteHold < 0 {
		return errors.New("write_hold must not be negative")
	}
	return nil
}

// validate reports the first problem with the rule, without saying where the
// rule is: the caller knows that.
func (r Rule) validate() error {
	switch {
	case r.Latency < 0 || r.Jitter < 0 || r.RetryAfter < 0 || r.SlowBody < 0:
		return errors.New("durations must not be negative")
	case !isShare(r.ErrorRate) || !isShare(r.DropRate):
		return errors.New("error_rate and drop_rate are shares from 0 to 1")
	case r.ErrorRate > 0 && !injectable[r.Status]:
		return fmt.Errorf("status %d cannot be injected; use 500, 502, 503 or 504", r.Status)
	}
	return nil
}

// isShare reports whether f is a share from 0 to 1 (NaN is not).
func isShare(f float64) bool { return f >= 0 && f <= 1 }

// Decision is what happens to one call. The zero Decision is "serve it".
type Decision struct {
	Delay      time.Duration
	Status     int
	RetryAfter time.Duration
	Drop       bool
	SlowBody   time.Duration
}

// Injector decides the fault, if any, for each call. It is safe for
// concurrent use and its plan can be changed while serving.
type Injector struct {
	mu   sync.Mutex
	plan Plan
	rng  *rand.Rand
}

// NewInjector returns an injector with an empty plan whose random choices
// follow seed.
func NewInjector(seed uint64) *Injector {
	return &Injector{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// SetPlan replaces the plan after validating it.
func (in *Injector) SetPlan(p Plan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	in.mu.Lock()
	in.plan = p
	in.mu.Unlock()
	return nil
}

// Plan returns the current plan.
func (in *Injector) Plan() Plan {
	in.mu.Lock()
	defer in.mu.Unlock()
	p := in.plan
	p.Rules = append([]Rule(nil), p.Rules...)
	return p
}

// Decide returns what to do with a call of the operation. Every rule that
// names the operation, or none, applies: latencies add up, and the first
// rule that fires an error or a drop decides the answer.
func (in *Injector) Decide(op string) Decision {
	in.mu.Lock()
	defer in.mu.Unlock()
	var d Decision
	for _, r := range in.plan.Rules {
		if r.Op != "" && r.Op != op {
			continue
		}
		d.Delay += time.Duration(r.Latency)
		if r.Jitter > 0 {
			d.Delay += time.Duration(in.rng.Int64N(int64(r.Jitter) + 1))
		}
		if d.SlowBody < time.Duration(r.SlowBody) {
			d.SlowBody = time.Duration(r.SlowBody)
		}
		if d.Status != 0 || d.Drop {
			continue
		}
		if r.DropRate > 0 && in.rng.Float64() < r.DropRate {
			d.Drop = true
			continue
		}
		if r.ErrorRate > 0 && in.rng.Float64() < r.ErrorRate {
			d.Status, d.RetryAfter = r.Status, time.Duration(r.RetryAfter)
		}
	}
	return d
}

// ParseRule reads a rule from its command-line form: comma-separated
// key=value pairs with the JSON names, such as
// "op=A016,latency=200ms,error_rate=0.1,status=504".
func ParseRule(s string) (Rule, error) {
	var r Rule
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return Rule{}, fmt.Errorf("%q is not key=value", part)
		}
		var err error
		switch k {
		case "op":
			r.Op = v
		case "latency":
			err = r.Latency.UnmarshalText([]byte(v))
		case "jitter":
			err = r.Jitter.UnmarshalText([]byte(v))
		case "retry_after":
			err = r.RetryAfter.UnmarshalText([]byte(v))
		case "slow_body":
			err = r.SlowBody.UnmarshalText([]byte(v))
		case "error_rate":
			r.ErrorRate, err = parseShare(v)
		case "drop_rate":
			r.DropRate, err = parseShare(v)
		case "status":
			if r.Status, err = strconv.Atoi(v); err != nil {
				err = fmt.Errorf("%q is not a status such as 503", v)
			}
		default:
			return Rule{}, fmt.Errorf("unknown key %q; use op, latency, jitter, error_rate, status, retry_after, drop_rate or slow_body", k)
		}
		if err != nil {
			return Rule{}, fmt.Errorf("%s: %v", k, err)
		}
	}
	if err := r.validate(); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// parseShare reads a share from 0 to 1 such as 0.1.
func parseShare(v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a share from 0 to 1 such as 0.1", v)
	}
	return f, nil
}
