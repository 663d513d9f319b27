package config

import (
	"math"
	"strings"
	"time"
)

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
	// RandomSeed picks the synthetic data set: the same seed and sizes give
	// the same data, record for record. Default 1.
	RandomSeed int `toml:"random_seed" env:"ERS_SANDBOX_RANDOM_SEED"`
	// AdminListen is the address of the admin API (reset, inject faults). Empty: off.
	AdminListen string `toml:"admin_listen" env:"ERS_SANDBOX_ADMIN_LISTEN"`

	// Rate is APIM's rate limit: the calls a second each application may
	// make on average before it gets 429. 0, the default, is unlimited.
	Rate float64 `toml:"rate" env:"ERS_SANDBOX_RATE"`
	// Burst is how many calls an application may make at once before Rate
	// applies. 0, the default, is one second's worth (Rate rounded up); see
	// RateBurst.
	Burst int `toml:"burst" env:"ERS_SANDBOX_BURST"`
	// Faults are the fault rules injected from the start, each written like
	// "op=A016,latency=200ms,error_rate=0.1,status=504" (the syntax of
	// package sandbox/faults, which checks them: this package only refuses
	// empty rules). A rule contains commas, so the variable separates rules
	// with ";". Default none.
	Faults []string `toml:"faults" env:"ERS_SANDBOX_FAULTS" envsep:";"`
	// WriteHold keeps each record locked this long during a write, so that
	// concurrent writers of the same record get 423 Locked. Default 0 (off).
	WriteHold time.Duration `toml:"write_hold" env:"ERS_SANDBOX_WRITE_HOLD"`
	// FaultSeed makes the random choices of injected faults (which calls
	// fail, how much jitter) repeatable. Default 1.
	FaultSeed int `toml:"fault_seed" env:"ERS_SANDBOX_FAULT_SEED"`

	// OpenAccess serves e-RS with no token at all, as NHS's public sandbox
	// does: the caller is a user holding the role named in
	// NHSD-eRS-Business-Function at the organisation named in
	// NHSD-End-User-Organisation-ODS. Default false: e-RS requires an APIM
	// access token, and the token names the caller.
	OpenAccess bool `toml:"open_access" env:"ERS_SANDBOX_OPEN_ACCESS"`
	// AutoApprove lets a CIS2 authorize request whose login_hint names a
	// persona sign in at once, without the sign-in page: for tests and
	// unattended demos only. Default false.
	AutoApprove bool `toml:"auto_approve" env:"ERS_SANDBOX_AUTO_APPROVE"`
	// CIS2Listen and APIMListen give the simulated CIS2 and APIM their own
	// addresses. Empty, the default: they share listen.
	CIS2Listen string `toml:"cis2_listen" env:"ERS_SANDBOX_CIS2_LISTEN"`
	APIMListen string `toml:"apim_listen" env:"ERS_SANDBOX_APIM_LISTEN"`
	// Gateway is the ers-gateway the simulators know: its CIS2 client and
	// its APIM application.
	Gateway SandboxGateway `toml:"gateway"`

	// LogFormat is how the log on standard error is written: text (the
	// default) or json.
	LogFormat string `toml:"log_format" env:"ERS_SANDBOX_LOG_FORMAT"`
	// LogLevel is the least severe level logged: debug, info (the default,
	// one line per call), warn or error.
	LogLevel string `toml:"log_level" env:"ERS_SANDBOX_LOG_LEVEL"`
}

// SandboxGateway is the [gateway] table of ers-sandbox: the one relying
// party registered with the simulated CIS2 (private_key_jwt against the
// gateway's JWKS, exact callback, back-channel logout) and the one
// application registered with the simulated APIM (the user-restricted e-RS
// scopes at AAL2 and AAL3). The defaults are those of a gateway started
// with no configuration against a local simulator, so the two pair up
// untouched. None of these values is a secret: the simulator's data is
// synthetic.
type SandboxGateway struct {
	// URL is the gateway's public origin. Default http://127.0.0.1:8443.
	URL string `toml:"url" env:"ERS_SANDBOX_GATEWAY_URL"`
	// ClientID is its CIS2 client id. Default SandboxCIS2ClientID.
	ClientID string `toml:"client_id" env:"ERS_SANDBOX_GATEWAY_CLIENT_ID"`
	// APIKey is its APIM application's API key. Default SandboxAPIKey.
	APIKey string `toml:"api_key" env:"ERS_SANDBOX_GATEWAY_API_KEY"`
	// AppSecret is its APIM application secret (for refresh). Default SandboxAppSecret.
	AppSecret string `toml:"app_secret" env:"ERS_SANDBOX_GATEWAY_APP_SECRET"`
	// AllowedODS is the application's organisation allow-list. Default the
	// organisations of the personas, less the one kept out on purpose.
	AllowedODS []string `toml:"allowed_ods" env:"ERS_SANDBOX_GATEWAY_ALLOWED_ODS"`
	// LifetimeOverrides accepts APIM's test-only form fields that shorten
	// token lifetimes (_access_token_expiry_ms and the refresh ones).
	// Default true.
	LifetimeOverrides bool `toml:"lifetime_overrides" env:"ERS_SANDBOX_GATEWAY_LIFETIME_OVERRIDES"`
}

// The registration a gateway and a local simulator share by default.
const (
	SandboxCIS2ClientID = "ers-gateway-sandbox.apps.national"
	SandboxAPIKey       = "ers-gateway-sandbox-api-key"
	SandboxAppSecret    = "ers-gateway-sandbox-app-secret"
	SandboxASID         = "200000000001"
)

// The gateway's public paths, registered with CIS2 and APIM below its URL.
const (
	GatewayCIS2CallbackPath      = "/auth/cis2/callback"
	GatewayBackchannelLogoutPath = "/auth/cis2/backchannel-logout"
	GatewayJWKSPath              = "/.well-known/jwks.json"
	GatewaySignedOutPath         = "/auth/signed-out"
)

// Seeds lists the allowed values of Sandbox.Seed.
func Seeds() []string { return []string{"examples", "synthetic"} }

// LogFormats lists the allowed values of Sandbox.LogFormat.
func LogFormats() []string { return []string{"text", "json"} }

// LogLevels lists the allowed values of Sandbox.LogLevel, most verbose first.
func LogLevels() []string { return []string{"debug", "info", "warn", "error"} }

// Limits on generated volume: enough for performance tests, not enough to
// exhaust a laptop's memory through a typo. The rate and burst limits only
// catch typos; the hold limit keeps a slip of the unit from hanging every
// writer for hours.
const (
	maxReferrals = 1_000_000
	maxServices  = 100_000
	maxRate      = 1_000_000
	maxBurst     = 1_000_000
	maxWriteHold = time.Minute // "1m" in the message of Validate
)

// DefaultSandbox is the simulator's configuration with no file and no environment.
func DefaultSandbox() Sandbox {
	return Sandbox{
		Listen:     "127.0.0.1:9000",
		Seed:       "synthetic",
		Referrals:  2000,
		Services:   200,
		RandomSeed: 1,
		FaultSeed:  1,
		LogFormat:  "text",
		LogLevel:   "info",
		Gateway: SandboxGateway{
			URL:               "http://127.0.0.1:8443",
			ClientID:          SandboxCIS2ClientID,
			APIKey:            SandboxAPIKey,
			AppSecret:         SandboxAppSecret,
			AllowedODS:        []string{"Y10001", "Y10002", "RV1"},
			LifetimeOverrides: true,
		},
	}
}

// RateBurst is the burst of the rate limit: Burst, or when it is 0 one
// second's worth of calls (Rate rounded up, at least 1).
func (s Sandbox) RateBurst() int {
	if s.Burst > 0 {
		return s.Burst
	}
	return max(int(math.Ceil(s.Rate)), 1)
}

// Validate reports every problem with s as Problems, or nil.
func (s Sandbox) Validate() error {
	var ps Problems
	ps.listen("listen", s.Listen)
	ps.oneOf("seed", s.Seed, Seeds()...)
	// The synthetic seed reads 0 as "its own default", so 0 is refused
	// rather than silently meaning 1000.
	if s.Referrals < 1 || s.Referrals > maxReferrals {
		ps.add("referrals", "%d is out of range; use 1 to %d", s.Referrals, maxReferrals)
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
	for _, l := range []struct{ key, addr string }{{"cis2_listen", s.CIS2Listen}, {"apim_listen", s.APIMListen}} {
		if l.addr == "" {
			continue
		}
		if _, ok := ps.listen(l.key, l.addr); ok && l.addr == s.Listen && !hasPortZero(s.Listen) {
			ps.add(l.key, "%q is the same address as listen; use another port, or leave it empty to share listen", l.addr)
		}
	}
	if s.CIS2Listen != "" && s.CIS2Listen == s.APIMListen && !hasPortZero(s.CIS2Listen) {
		ps.add("apim_listen", "%q is the same address as cis2_listen; use another port", s.APIMListen)
	}
	ps.url("gateway.url", s.Gateway.URL)
	ps.required("gateway.client_id", s.Gateway.ClientID, "to register the gateway with the simulated CIS2")
	ps.required("gateway.api_key", s.Gateway.APIKey, "to register the gateway with the simulated APIM")
	ps.required("gateway.app_secret", s.Gateway.AppSecret, "to register the gateway with the simulated APIM")
	if math.IsNaN(s.Rate) || s.Rate < 0 || s.Rate > maxRate {
		ps.add("rate", "%v is out of range; use 0 (unlimited) to %d calls a second", s.Rate, maxRate)
	}
	if s.Burst < 0 || s.Burst > maxBurst {
		ps.add("burst", "%d is out of range; use 0 (the rate rounded up) to %d", s.Burst, maxBurst)
	}
	for i, rule := range s.Faults {
		if strings.TrimSpace(rule) == "" {
			ps.add("faults", "rule %d is empty; remove it, or write it like \"op=A016,latency=200ms\"", i+1)
		}
	}
	if s.WriteHold < 0 || s.WriteHold > maxWriteHold {
		ps.add("write_hold", "%v is out of range; use 0s (off) to 1m, for example \"2s\"", s.WriteHold)
	}
	ps.oneOf("log_format", s.LogFormat, LogFormats()...)
	ps.oneOf("log_level", s.LogLevel, LogLevels()...)
	return ps.err()
}
