package config

import (
	"fmt"
	"time"
)

// Gateway is the configuration of ers-gateway, the paired server that keeps
// every key and NHS token, signs users in with NHS CIS2 and proxies e-RS.
// In the sandbox environment every section but listen may be left out: the
// gateway then uses in-memory keys and store, fine for demos and tests only.
type Gateway struct {
	// Listen is the address to serve on. Default 127.0.0.1:8443. Any host that
	// is not loopback needs [tls].
	Listen string `toml:"listen" env:"ERS_LISTEN"`
	// Environment is the e-RS environment to proxy to: sandbox (default), int or production.
	Environment string `toml:"environment" env:"ERS_ENVIRONMENT"`
	// PublicURL is the gateway's address as browsers and workstations reach it,
	// e.g. https://ers-gateway.example.nhs.uk; the CIS2 callback is below it.
	// Required, and https, outside the sandbox environment.
	PublicURL string `toml:"public_url" env:"ERS_PUBLIC_URL"`

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
	// keeps everything in memory, lost on restart: sandbox only.
	DSN string `toml:"dsn" env:"ERS_STORE_DSN"`
}

// Keys is the [keys] table: the gateway's private signing keys (CIS2
// private_key_jwt, APIM client assertions), published as a JWKS.
type Keys struct {
	// Dir holds the key files. Empty generates keys in memory at start: sandbox only.
	Dir string `toml:"dir" env:"ERS_KEYS_DIR"`
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
	// ClientID is the CIS2 client id, like 999999999999.apps.national. Required outside sandbox.
	ClientID string `toml:"client_id" env:"ERS_CIS2_CLIENT_ID"`
	// IssuerURL overrides the environment's CIS2 issuer (see Environment.CIS2Issuer). Empty: use it.
	IssuerURL string `toml:"issuer_url" env:"ERS_CIS2_ISSUER_URL"`
}

// APIM is the [apim] table: the gateway's NHS API Management application.
type APIM struct {
	// APIKey is the application's API key (its client id). Required outside sandbox.
	APIKey string `toml:"api_key" env:"ERS_APIM_API_KEY"`
	// TokenURL overrides the environment's APIM token URL (see Environment.APIMTokenURL). Empty: use it.
	TokenURL string `toml:"token_url" env:"ERS_APIM_TOKEN_URL"`
}

// StoreDrivers lists the allowed values of Store.Driver.
func StoreDrivers() []string { return []string{"sqlite", "postgres"} }

// DefaultGateway is the gateway's configuration with no file and no
// environment: sandbox, loopback only, in-memory keys and store.
func DefaultGateway() Gateway {
	return Gateway{
		Listen:      "127.0.0.1:8443",
		Environment: "sandbox",
		Store:       Store{Driver: "sqlite"},
		Session: SessionLimits{
			IdleTimeout:     15 * time.Minute,
			AbsoluteTimeout: 12 * time.Hour,
		},
	}
}

// Validate reports every problem with g as Problems, or nil.
func (g Gateway) Validate() error {
	var ps Problems
	loopback, listenOK := ps.listen("listen", g.Listen)
	known := ps.oneOf("environment", g.Environment, EnvironmentNames()...)
	live := known && g.Environment != "sandbox"
	outside := fmt.Sprintf("outside the sandbox environment (environment is %q)", g.Environment)

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
	if live {
		ps.required("keys.dir", g.Keys.Dir, outside+": in-memory keys change on every restart")
		ps.required("cis2.client_id", g.CIS2.ClientID, outside)
		ps.required("apim.api_key", g.APIM.APIKey, outside)
	}

	if g.Session.IdleTimeout <= 0 {
		ps.add("session.idle_timeout", "%v is not a positive duration; for example 15m", g.Session.IdleTimeout)
	}
	if g.Session.AbsoluteTimeout <= 0 {
		ps.add("session.absolute_timeout", "%v is not a positive duration; for example 12h", g.Session.AbsoluteTimeout)
	} else if g.Session.IdleTimeout > g.Session.AbsoluteTimeout {
		ps.add("session.idle_timeout", "%v is longer than session.absolute_timeout (%v); make it shorter", g.Session.IdleTimeout, g.Session.AbsoluteTimeout)
	}

	for _, u := range []struct{ key, raw string }{
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
	return ps.err()
}
