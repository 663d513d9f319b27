package config

import (
	"fmt"
	"math"
	"reflect"
	"time"
)

// Gateway is the configuration of ers-gateway, the paired server that keeps
// every key and NHS token, signs users in with NHS CIS2 and proxies e-RS.
// In the simulated environments (local, the default, and sandbox) every
// section but listen may be left out: the gateway then uses in-memory keys,
// store and seal key and the simulator's registration, fine for demos and
// tests only.
type Gateway struct {
	// Listen is the address to serve on. Default 127.0.0.1:8443. Any host that
	// is not loopback needs [tls].
	Listen string `toml:"listen" env:"ERS_LISTEN"`
	// Environment is the e-RS environment to proxy to: local (default: the
	// ers-sandbox on this machine), sandbox, int or production.
	Environment string `toml:"environment" env:"ERS_ENVIRONMENT"`
	// PublicURL is the gateway's address as browsers and workstations reach it,
	// e.g. https://ers-gateway.example.nhs.uk; the CIS2 callback is below it.
	// Required, and https, outside local and sandbox; there it defaults to
	// http:// and the address listened on.
	PublicURL string `toml:"public_url" env:"ERS_PUBLIC_URL"`
	// ERSBaseURL overrides the environment's e-RS FHIR base (see
	// Environment.ERSBaseURL). Empty: use it.
	ERSBaseURL string `toml:"ers_base_url" env:"ERS_BASE_URL"`
	// Rate is how many e-RS calls a second each session may make on average,
	// so that the application stays under its APIM quota. Default 10.
	Rate float64 `toml:"rate" env:"ERS_RATE"`
	// Burst is how many calls a session may make at once before Rate
	// applies. Default 20.
	Burst int `toml:"burst" env:"ERS_BURST"`
	// LogFormat is how the log on standard error is written: json (the
	// default) or text.
	LogFormat string `toml:"log_format" env:"ERS_LOG_FORMAT"`
	// LogLevel is the least severe level logged: debug, info (the default),
	// warn or error.
	LogLevel string `toml:"log_level" env:"ERS_LOG_LEVEL"`

	TLS     TLS           `toml:"tls"`
	Store   Store         `toml:"store"`
	Keys    Keys          `toml:"keys"`
	Session SessionLimits `toml:"session"`
	CIS2    CIS2          `toml:"cis2"`
	APIM    APIM          `toml:"apim"`
}

// TLS is the [tls] table: the certificate the gateway serves. Both files or neither.
type TLS struct {
	// CertFile is a PEM certificate chain.
	CertFile string `toml:"cert_file" env:"ERS_TLS_CERT_FILE"`
	// KeyFile is the PEM private key of CertFile.
	KeyFile string `toml:"key_file" env:"ERS_TLS_KEY_FILE"`
}

// Store is the [store] table: where sessions and the audit trail are kept.
type Store struct {
	// Driver is sqlite (embedded, the default) or postgres (several gateways sharing the load).
	Driver string `toml:"driver" env:"ERS_STORE_DRIVER"`
	// DSN is the sqlite file or the postgres connection string. Empty with sqlite
	// keeps everything in memory, lost on restart: local and sandbox only.
	DSN string `toml:"dsn" env:"ERS_STORE_DSN"`
	// SealKeyFile holds the key that seals NHS tokens at rest: 32 random
	// bytes in base64, mode 0600 (head -c 32 /dev/urandom | base64).
	SealKeyFile string `toml:"seal_key_file" env:"ERS_STORE_SEAL_KEY_FILE"`
	// SealKey is the same key given in the environment instead of a file.
	// A secret: outside local and sandbox it is taken from ERS_STORE_SEAL_KEY
	// only, never from the configuration file. With neither, local and
	// sandbox seal with a random key in memory (sessions do not survive a
	// restart); elsewhere one is required.
	SealKey string `toml:"seal_key" env:"ERS_STORE_SEAL_KEY" secret:"true"`
}

// Keys is the [keys] table: the gateway's private signing keys (CIS2
// private_key_jwt, APIM client assertions), published as a JWKS.
type Keys struct {
	// Dir holds the key files. Empty generates keys in memory at start: local and sandbox only.
	Dir string `toml:"dir" env:"ERS_KEYS_DIR"`
	// RotationLead is how long a new key is published before it signs,
	// since APIM caches the key set for an hour. Default 1h.
	RotationLead time.Duration `toml:"rotation_lead" env:"ERS_KEYS_ROTATION_LEAD"`
	// Retention is how long an older key stays published after a newer
	// one starts signing. Default 24h, at least 5m (an assertion's life).
	Retention time.Duration `toml:"retention" env:"ERS_KEYS_RETENTION"`
}

// SessionLimits is the [session] table: how long a workstation session lasts.
type SessionLimits struct {
	// IdleTimeout ends a session with no calls for this long. Default 15m.
	IdleTimeout time.Duration `toml:"idle_timeout" env:"ERS_SESSION_IDLE_TIMEOUT"`
	// AbsoluteTimeout ends every session this long after sign-in. Default 12h.
	AbsoluteTimeout time.Duration `toml:"absolute_timeout" env:"ERS_SESSION_ABSOLUTE_TIMEOUT"`
}

// CIS2 is the [cis2] table: the gateway's registration with NHS CIS2.
type CIS2 struct {
	// ClientID is the CIS2 client id, like 999999999999.apps.national.
	// Required outside local and sandbox; there it defaults to SandboxCIS2ClientID.
	ClientID string `toml:"client_id" env:"ERS_CIS2_CLIENT_ID"`
	// IssuerURL overrides the environment's CIS2 issuer (see
	// Environment.CIS2Issuer). Empty: use it. Required in sandbox, which has none.
	IssuerURL string `toml:"issuer_url" env:"ERS_CIS2_ISSUER_URL"`
}

// APIM is the [apim] table: the gateway's NHS API Management application.
type APIM struct {
	// APIKey is the application's API key (its client id). Required outside
	// local and sandbox; there it defaults to SandboxAPIKey.
	APIKey string `toml:"api_key" env:"ERS_APIM_API_KEY"`
	// TokenURL overrides the environment's APIM token URL (see
	// Environment.APIMTokenURL). Empty: use it. Required in sandbox, which has none.
	TokenURL string `toml:"token_url" env:"ERS_APIM_TOKEN_URL"`
	// AppSecret is the application secret, sent when refreshing tokens. A
	// secret: outside local and sandbox it is taken from ERS_APIM_APP_SECRET
	// only, never from the configuration file. Default there SandboxAppSecret.
	AppSecret string `toml:"app_secret" env:"ERS_APIM_APP_SECRET" secret:"true"`
	// AppSecretFile holds the application secret instead (mode 0600).
	AppSecretFile string `toml:"app_secret_file" env:"ERS_APIM_APP_SECRET_FILE"`
	// TestAccessTokenExpiry shortens the access tokens the simulated APIM
	// issues (its test-only _access_token_expiry_ms field), to see refresh
	// happen in seconds. Local only; default 0 (off).
	TestAccessTokenExpiry time.Duration `toml:"test_access_token_expiry" env:"ERS_APIM_TEST_ACCESS_TOKEN_EXPIRY"`
}

// StoreDrivers lists the allowed values of Store.Driver.
func StoreDrivers() []string { return []string{"sqlite", "postgres"} }

// Defaults and limits of the gateway's rate limit and key rotation.
const (
	DefaultGatewayRate  = 10
	DefaultGatewayBurst = 20
	maxGatewayRate      = 1_000_000
	maxGatewayBurst     = 1_000_000
	// minKeyRetention is the life of a client assertion: a retired key
	// stays published at least that long.
	minKeyRetention = 5 * time.Minute
)

// DefaultGateway is the gateway's configuration with no file and no
// environment: the local simulator, loopback only, in-memory keys and store.
func DefaultGateway() Gateway {
	return Gateway{
		Listen:      "127.0.0.1:8443",
		Environment: "local",
		Rate:        DefaultGatewayRate,
		Burst:       DefaultGatewayBurst,
		LogFormat:   "json",
		LogLevel:    "info",
		Store:       Store{Driver: "sqlite"},
		Keys:        Keys{RotationLead: time.Hour, Retention: 24 * time.Hour},
		Session: SessionLimits{
			IdleTimeout:     15 * time.Minute,
			AbsoluteTimeout: 12 * time.Hour,
		},
	}
}

// Simulated reports whether g's environment has simulated CIS2 and APIM
// (local, sandbox): in-memory state and the simulator's registration are
// allowed there.
func (g Gateway) Simulated() bool {
	e, err := LookupEnvironment(g.Environment)
	return err == nil && e.Simulated
}

// Endpoints are the e-RS FHIR base, CIS2 issuer and APIM token URL the
// gateway uses: each override, or else the environment's.
func (g Gateway) Endpoints() (ersBase, cis2Issuer, apimTokenURL string) {
	e, _ := LookupEnvironment(g.Environment)
	pick := func(override, def string) string {
		if override != "" {
			return override
		}
		return def
	}
	return pick(g.ERSBaseURL, e.ERSBaseURL), pick(g.CIS2.IssuerURL, e.CIS2Issuer), pick(g.APIM.TokenURL, e.APIMTokenURL)
}

// PublicURLFor is the public URL once the gateway listens on addr (which
// may differ from Listen when it asks for port 0): PublicURL, or else in
// local and sandbox http://addr.
func (g Gateway) PublicURLFor(addr string) string {
	if g.PublicURL != "" || !g.Simulated() {
		return g.PublicURL
	}
	return "http://" + addr
}

// WithSimulatorDefaults fills, in local and sandbox, the registration a
// local ers-sandbox knows by default where g leaves it empty: client id,
// API key, app secret. Call it after loading (the environment is known only
// then); elsewhere it returns g unchanged.
func (g Gateway) WithSimulatorDefaults() Gateway {
	if !g.Simulated() {
		return g
	}
	if g.CIS2.ClientID == "" {
		g.CIS2.ClientID = SandboxCIS2ClientID
	}
	if g.APIM.APIKey == "" {
		g.APIM.APIKey = SandboxAPIKey
	}
	if g.APIM.AppSecret == "" && g.APIM.AppSecretFile == "" {
		g.APIM.AppSecret = SandboxAppSecret
	}
	return g
}

// Validate reports every problem with g as Problems, or nil.
func (g Gateway) Validate() error {
	var ps Problems
	loopback, listenOK := ps.listen("listen", g.Listen)
	known := ps.oneOf("environment", g.Environment, EnvironmentNames()...)
	live := known && !g.Simulated()
	outside := fmt.Sprintf("outside the local and sandbox environments (environment is %q)", g.Environment)

	switch {
	case live && g.PublicURL == "":
		ps.add("public_url", "required %s: the CIS2 callback is below it", outside)
	case live:
		ps.httpsURL("public_url", g.PublicURL, outside)
	case g.PublicURL != "":
		ps.url("public_url", g.PublicURL)
	}

	switch {
	case g.TLS.CertFile != "" && g.TLS.KeyFile == "":
		ps.add("tls.key_file", "required when tls.cert_file is set")
	case g.TLS.CertFile == "" && g.TLS.KeyFile != "":
		ps.add("tls.cert_file", "required when tls.key_file is set")
	case g.TLS.CertFile == "" && listenOK && !loopback:
		ps.add("tls.cert_file", "required because listen %q is not a loopback address; set tls.cert_file and tls.key_file, or listen on 127.0.0.1", g.Listen)
	}

	if ps.oneOf("store.driver", g.Store.Driver, StoreDrivers()...) {
		switch {
		case g.Store.Driver == "postgres":
			ps.required("store.dsn", g.Store.DSN, "with the postgres driver")
		case live:
			ps.required("store.dsn", g.Store.DSN, outside+": an in-memory store loses sessions and the audit trail on restart")
		}
	}
	g.validateSecrets(&ps, live, outside)
	if live {
		ps.required("keys.dir", g.Keys.Dir, outside+": in-memory keys change on every restart")
		ps.required("cis2.client_id", g.CIS2.ClientID, outside)
		ps.required("apim.api_key", g.APIM.APIKey, outside)
	}
	if g.Keys.RotationLead < 0 {
		ps.add("keys.rotation_lead", "%v is negative; for example 1h, the time APIM caches a key set", g.Keys.RotationLead)
	}
	if g.Keys.Retention < minKeyRetention {
		ps.add("keys.retention", "%v is shorter than an assertion's life; use at least 5m, for example 24h", g.Keys.Retention)
	}

	if g.Session.IdleTimeout <= 0 {
		ps.add("session.idle_timeout", "%v is not a positive duration; for example 15m", g.Session.IdleTimeout)
	}
	if g.Session.AbsoluteTimeout <= 0 {
		ps.add("session.absolute_timeout", "%v is not a positive duration; for example 12h", g.Session.AbsoluteTimeout)
	} else if g.Session.IdleTimeout > g.Session.AbsoluteTimeout {
		ps.add("session.idle_timeout", "%v is longer than session.absolute_timeout (%v); make it shorter", g.Session.IdleTimeout, g.Session.AbsoluteTimeout)
	}

	if known && g.Environment == "sandbox" {
		// NHS's open-access sandbox has e-RS only: sign-in needs a simulator.
		why := "in the sandbox environment, which has no %s of its own: point it at a simulator (ers-sandbox), or use environment \"local\""
		ps.required("cis2.issuer_url", g.CIS2.IssuerURL, fmt.Sprintf(why, "CIS2"))
		ps.required("apim.token_url", g.APIM.TokenURL, fmt.Sprintf(why, "APIM"))
	}
	for _, u := range []struct{ key, raw string }{
		{"ers_base_url", g.ERSBaseURL},
		{"cis2.issuer_url", g.CIS2.IssuerURL},
		{"apim.token_url", g.APIM.TokenURL},
	} {
		switch {
		case u.raw == "":
		case live:
			ps.httpsURL(u.key, u.raw, outside)
		default:
			ps.url(u.key, u.raw)
		}
	}
	switch {
	case g.APIM.TestAccessTokenExpiry < 0:
		ps.add("apim.test_access_token_expiry", "%v is negative; use 0s (off) or, in the local environment, for example 90s", g.APIM.TestAccessTokenExpiry)
	case g.APIM.TestAccessTokenExpiry > 0 && known && g.Environment != "local":
		ps.add("apim.test_access_token_expiry", "is a test-only field of the simulated APIM, for the local environment only (environment is %q); remove it", g.Environment)
	case g.APIM.TestAccessTokenExpiry > 0 && g.APIM.TestAccessTokenExpiry < time.Millisecond:
		ps.add("apim.test_access_token_expiry", "%v is below a millisecond, the unit APIM reads; for example 90s", g.APIM.TestAccessTokenExpiry)
	}

	if math.IsNaN(g.Rate) || g.Rate <= 0 || g.Rate > maxGatewayRate {
		ps.add("rate", "%v is out of range; use more than 0 and at most %d calls a second per session", g.Rate, maxGatewayRate)
	}
	if g.Burst < 1 || g.Burst > maxGatewayBurst {
		ps.add("burst", "%d is out of range; use 1 to %d", g.Burst, maxGatewayBurst)
	}
	ps.oneOf("log_format", g.LogFormat, LogFormats()...)
	ps.oneOf("log_level", g.LogLevel, LogLevels()...)
	return ps.err()
}

// validateSecrets checks the seal key and the app secret: one source each,
// and one is required outside local and sandbox.
func (g Gateway) validateSecrets(ps *Problems, live bool, outside string) {
	if g.Store.SealKey != "" && g.Store.SealKeyFile != "" {
		ps.add("store.seal_key_file", "set together with ERS_STORE_SEAL_KEY; keep one")
	} else if live && g.Store.SealKey == "" && g.Store.SealKeyFile == "" {
		ps.add("store.seal_key_file", "required %s unless ERS_STORE_SEAL_KEY is set: NHS tokens would be sealed with a key lost on restart", outside)
	}
	if g.APIM.AppSecret != "" && g.APIM.AppSecretFile != "" {
		ps.add("apim.app_secret_file", "set together with ERS_APIM_APP_SECRET; keep one")
	} else if live && g.APIM.AppSecret == "" && g.APIM.AppSecretFile == "" {
		ps.add("apim.app_secret_file", "required %s unless ERS_APIM_APP_SECRET is set: APIM asks for it to refresh tokens", outside)
	}
}

// GatewaySetting is one key of the gateway's configuration with its value,
// for --check-config and --help.
type GatewaySetting struct {
	Key      string // dotted TOML key
	Variable string // the ERS_ environment variable
	// Value is the value as text; for a secret only "(set)" or "(not set)".
	Value string
	// Secret keys are never printed, and outside local and sandbox are
	// read from their variable (or a file) only.
	Secret bool
}

// Settings lists every key of g in file order with its value, secrets
// redacted.
func (g Gateway) Settings() []GatewaySetting {
	secret := secretKeys()
	var out []GatewaySetting
	for _, s := range settings(reflect.ValueOf(&g).Elem(), "") {
		gs := GatewaySetting{Key: s.key, Variable: s.env, Secret: secret[s.key], Value: fmt.Sprint(s.value.Interface())}
		if gs.Secret {
			gs.Value = "(not set)"
			if !s.value.IsZero() {
				gs.Value = "(set)"
			}
		}
		out = append(out, gs)
	}
	return out
}

// SecretsFromFile reports each secret that outside local and sandbox came
// from the configuration file rather than its environment variable: a
// TOML file is too easily copied, committed or left world-readable.
// lookup is the environment Load read.
func (g Gateway) SecretsFromFile(lookup LookupFunc) Problems {
	if g.Simulated() {
		return nil
	}
	var ps Problems
	for _, s := range g.Settings() {
		if !s.Secret || s.Value != "(set)" {
			continue
		}
		if _, ok := lookup(s.Variable); !ok {
			ps.add(s.Key, "is a secret and may not be written in the configuration file outside local and sandbox; set %s or %s_file instead", s.Variable, s.Key)
		}
	}
	return ps
}

// secretKeys are the keys tagged secret:"true".
func secretKeys() map[string]bool {
	out := map[string]bool{}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			key := prefix + f.Tag.Get("toml")
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, key+".")
				continue
			}
			if f.Tag.Get("secret") == "true" {
				out[key] = true
			}
		}
	}
	walk(reflect.TypeFor[Gateway](), "")
	return out
}
