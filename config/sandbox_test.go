package config

import "testing"

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
			[]string{`referrals: -1 is out of range; use 0 to 1000000`}},
		{"no services at all are refused", func(s *Sandbox) { s.Services = 0 },
			[]string{`services: 0 is out of range; use 1 to 100000`}},
		{"the admin API on the same address as the API is refused", func(s *Sandbox) { s.AdminListen = s.Listen },
			[]string{`admin_listen: "127.0.0.1:9000" is the same address as listen`}},
		{"a bad admin address is refused", func(s *Sandbox) { s.AdminListen = "admin" },
			[]string{`admin_listen: "admin" is not a host:port address`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSandbox()
			tt.change(&s)
			checkProblems(t, s.Validate(), tt.want...)
		})
	}
}
