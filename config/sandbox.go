package config

// Sandbox is the configuration of ers-sandbox, the simulator of e-RS, CIS2 and
// APIM. Its environment variables carry ERS_SANDBOX_ because it often runs in the
// same shell as a gateway, whose ERS_LISTEN must not move it.
type Sandbox struct {
	// Listen is the address the simulated e-RS, CIS2 and APIM serve on. Default 127.0.0.1:9000.
	Listen string `toml:"listen" env:"ERS_SANDBOX_LISTEN"`
	// Seed chooses the data: examples (records matching the official example
	// messages) or synthetic (generated, deterministic; the default).
	Seed string `toml:"seed" env:"ERS_SANDBOX_SEED"`
	// Referrals is how many referrals the synthetic seed generates. Default 2000.
	Referrals int `toml:"referrals" env:"ERS_SANDBOX_REFERRALS"`
	// Services is how many services the synthetic seed generates. Default 200.
	Services int `toml:"services" env:"ERS_SANDBOX_SERVICES"`
	// AdminListen is the address of the admin API (reset, inject faults). Empty: off.
	AdminListen string `toml:"admin_listen" env:"ERS_SANDBOX_ADMIN_LISTEN"`
}

// Seeds lists the allowed values of Sandbox.Seed.
func Seeds() []string { return []string{"examples", "synthetic"} }

// Limits on generated volume: enough for performance tests, not enough to
// exhaust a laptop's memory through a typo.
const (
	maxReferrals = 1_000_000
	maxServices  = 100_000
)

// DefaultSandbox is the simulator's configuration with no file and no environment.
func DefaultSandbox() Sandbox {
	return Sandbox{
		Listen:    "127.0.0.1:9000",
		Seed:      "synthetic",
		Referrals: 2000,
		Services:  200,
	}
}

// Validate reports every problem with s as Problems, or nil.
func (s Sandbox) Validate() error {
	var ps Problems
	ps.listen("listen", s.Listen)
	ps.oneOf("seed", s.Seed, Seeds()...)
	if s.Referrals < 0 || s.Referrals > maxReferrals {
		ps.add("referrals", "%d is out of range; use 0 to %d", s.Referrals, maxReferrals)
	}
	if s.Services < 1 || s.Services > maxServices {
		ps.add("services", "%d is out of range; use 1 to %d", s.Services, maxServices)
	}
	if s.AdminListen != "" {
		_, ok := ps.listen("admin_listen", s.AdminListen)
		if ok && s.AdminListen == s.Listen && !hasPortZero(s.Listen) {
			ps.add("admin_listen", "%q is the same address as listen; use another port", s.AdminListen)
		}
	}
	return ps.err()
}
