package config

import (
	"math"
	"testing"
	"time"
)

func TestSandboxValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Sandbox)
		want   []string
	}{
		{"the defaults are valid", func(*Sandbox) {}, nil},
		{"listening on every interface is allowed when set explicitly", func(s *Sandbox) { s.Listen = ":9000" }, nil},
		{"port 0 picks a free port for both the API and the admin API", func(s *Sandbox) { s.Listen, s.AdminListen = "127.0.0.1:0", "127.0.0.1:0" }, nil},
		{"the examples seed is allowed", func(s *Sandbox) { s.Seed = "examples" }, nil},
		{"a listen address without a port is refused", func(s *Sandbox) { s.Listen = "127.0.0.1" },
			[]string{`listen: "127.0.0.1" is not a host:port address`}},
		{"a port out of range is refused", func(s *Sandbox) { s.Listen = "127.0.0.1:70000" },
			[]string{`listen: "127.0.0.1:70000" has port "70000"; use a number from 0 to 65535`}},
		{"an unknown seed names the key and the allowed values", func(s *Sandbox) { s.Seed = "random" },
			[]string{`seed: "random" is not allowed; use one of examples, synthetic`}},
		{"negative referrals are refused", func(s *Sandbox) { s.Referrals = -1 },
			[]string{`referrals: -1 is out of range; use 1 to 1000000`}},
		{"no referrals are refused, since the synthetic seed would read 0 as its own default", func(s *Sandbox) { s.Referrals = 0 },
			[]string{`referrals: 0 is out of range; use 1 to 1000000`}},
		{"no services at all are refused", func(s *Sandbox) { s.Services = 0 },
			[]string{`services: 0 is out of range; use 1 to 100000`}},
		{"any random seed is allowed, negative too", func(s *Sandbox) { s.RandomSeed, s.FaultSeed = -5, math.MaxInt }, nil},
		{"the admin API on the same address as the API is refused", func(s *Sandbox) { s.AdminListen = s.Listen },
			[]string{`admin_listen: "127.0.0.1:9000" is the same address as listen`}},
		{"a bad admin address is refused", func(s *Sandbox) { s.AdminListen = "admin" },
			[]string{`admin_listen: "admin" is not a host:port address`}},
		{"a rate limit of a fraction of a call a second with a burst is allowed", func(s *Sandbox) { s.Rate, s.Burst = 0.5, 3 }, nil},
		{"a negative rate is refused", func(s *Sandbox) { s.Rate = -2 },
			[]string{`rate: -2 is out of range; use 0 (unlimited) to 1000000 calls a second`}},
		{"a rate that is not a number is refused", func(s *Sandbox) { s.Rate = math.NaN() },
			[]string{`rate: NaN is out of range`}},
		{"an infinite rate is refused", func(s *Sandbox) { s.Rate = math.Inf(1) },
			[]string{`rate: +Inf is out of range`}},
		{"a negative burst is refused", func(s *Sandbox) { s.Burst = -1 },
			[]string{`burst: -1 is out of range; use 0 (the rate rounded up) to 1000000`}},
		{"fault rules are left to the simulator to parse", func(s *Sandbox) { s.Faults = []string{"op=A016,latency=200ms", "whatever"} }, nil},
		{"an empty fault rule names its position", func(s *Sandbox) { s.Faults = []string{"latency=1s", "  "} },
			[]string{`faults: rule 2 is empty; remove it`}},
		{"a write hold of a few seconds is allowed", func(s *Sandbox) { s.WriteHold = 2 * time.Second }, nil},
		{"a negative write hold is refused", func(s *Sandbox) { s.WriteHold = -time.Second },
			[]string{`write_hold: -1s is out of range; use 0s (off) to 1m`}},
		{"a write hold of hours is refused as a slip of the unit", func(s *Sandbox) { s.WriteHold = 2 * time.Hour },
			[]string{`write_hold: 2h0m0s is out of range`}},
		{"json logs are allowed", func(s *Sandbox) { s.LogFormat, s.LogLevel = "json", "debug" }, nil},
		{"an unknown log format names the allowed values", func(s *Sandbox) { s.LogFormat = "logfmt" },
			[]string{`log_format: "logfmt" is not allowed; use one of text, json`}},
		{"an unknown log level names the allowed values", func(s *Sandbox) { s.LogLevel = "warning" },
			[]string{`log_level: "warning" is not allowed; use one of debug, info, warn, error`}},
		{"every problem is reported at once", func(s *Sandbox) {
			s.Listen, s.Seed, s.Rate, s.Burst, s.WriteHold, s.LogFormat, s.LogLevel = "x", "none", -1, -1, -1, "", ""
		}, []string{"listen:", "seed:", "rate:", "burst:", "write_hold:", "log_format:", "log_level:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSandbox()
			tt.change(&s)
			checkProblems(t, s.Validate(), tt.want...)
		})
	}
}

func TestSandboxRateBurst(t *testing.T) {
	tests := []struct {
		name  string
		rate  float64
		burst int
		want  int
	}{
		{"an explicit burst is used as it is", 10, 25, 25},
		{"no burst is one second's worth of calls", 10, 0, 10},
		{"a fractional rate is rounded up", 2.5, 0, 3},
		{"a rate below one a second still allows one call", 0.1, 0, 1},
		{"no rate and no burst is one", 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Sandbox{Rate: tt.rate, Burst: tt.burst}
			if got := s.RateBurst(); got != tt.want {
				t.Errorf("RateBurst() = %d, want %d", got, tt.want)
			}
		})
	}
}
