package config

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// liveGateway is a complete gateway for INT that validates.
func liveGateway() Gateway {
	g := DefaultGateway()
	g.Listen = "0.0.0.0:8443"
	g.Environment = "int"
	g.PublicURL = "https://ers-gateway.example.nhs.uk"
	g.TLS = TLS{CertFile: "cert.pem", KeyFile: "key.pem"}
	g.Store.DSN = "/var/lib/ers-gateway/gateway.db"
	g.Keys.Dir = "/etc/ers-gateway/keys"
	g.CIS2.ClientID = "999999999999.apps.national"
	g.APIM.APIKey = "key"
	g.APIM.AppSecretFile = "/etc/ers-gateway/apim-app-secret"
	g.Store.SealKeyFile = "/etc/ers-gateway/seal.key"
	return g
}

func TestGatewayValidate(t *testing.T) {
	tests := []struct {
		name   string
		start  func() Gateway
		change func(*Gateway)
		want   []string
	}{
		{"the defaults are valid", DefaultGateway, func(*Gateway) {}, nil},
		{"a complete INT gateway is valid", liveGateway, func(*Gateway) {}, nil},
		{"TLS on loopback is allowed", DefaultGateway, func(g *Gateway) { g.TLS = TLS{CertFile: "c", KeyFile: "k"} }, nil},
		{"overriding the CIS2 issuer and APIM token URL with https is allowed", liveGateway, func(g *Gateway) {
			g.CIS2.IssuerURL, g.APIM.TokenURL = "https://cis2.example", "https://apim.example/oauth2/token"
		}, nil},
		{"the sandbox may point CIS2 and APIM at a loopback simulator over http", DefaultGateway, func(g *Gateway) {
			g.Environment = "sandbox"
			g.CIS2.IssuerURL, g.APIM.TokenURL = "http://127.0.0.1:9000/cis2", "http://127.0.0.1:9000/oauth2/token"
		}, nil},
		{"the sandbox without a simulator's CIS2 and APIM is refused, since NHS's sandbox has neither", DefaultGateway,
			func(g *Gateway) { g.Environment = "sandbox" },
			[]string{`cis2.issuer_url: required in the sandbox environment, which has no CIS2 of its own`,
				`apim.token_url: required in the sandbox environment, which has no APIM of its own`}},
		{"local may shorten the simulated APIM's access tokens and point e-RS elsewhere on loopback", DefaultGateway, func(g *Gateway) {
			g.APIM.TestAccessTokenExpiry, g.ERSBaseURL = 90*time.Second, "http://127.0.0.1:9100/referrals/FHIR"
		}, nil},
		{"the test-only token lifetime is refused outside local", liveGateway, func(g *Gateway) { g.APIM.TestAccessTokenExpiry = time.Minute },
			[]string{`apim.test_access_token_expiry: is a test-only field of the simulated APIM, for the local environment only (environment is "int"); remove it`}},
		{"a negative test token lifetime is refused", DefaultGateway, func(g *Gateway) { g.APIM.TestAccessTokenExpiry = -time.Second },
			[]string{`apim.test_access_token_expiry: -1s is negative`}},
		{"INT refuses an http e-RS base URL", liveGateway, func(g *Gateway) { g.ERSBaseURL = "http://127.0.0.1:9000/referrals/FHIR" },
			[]string{`ers_base_url: "http://127.0.0.1:9000/referrals/FHIR" must use https`}},
		{"INT takes the secrets from the environment instead of files", liveGateway, func(g *Gateway) {
			g.Store.SealKeyFile, g.Store.SealKey = "", "c2VhbA=="
			g.APIM.AppSecretFile, g.APIM.AppSecret = "", "secret"
		}, nil},
		{"a seal key from both the environment and a file is refused", DefaultGateway, func(g *Gateway) { g.Store.SealKey, g.Store.SealKeyFile = "k", "f" },
			[]string{`store.seal_key_file: set together with ERS_STORE_SEAL_KEY; keep one`}},
		{"an app secret from both the environment and a file is refused", DefaultGateway, func(g *Gateway) { g.APIM.AppSecret, g.APIM.AppSecretFile = "s", "f" },
			[]string{`apim.app_secret_file: set together with ERS_APIM_APP_SECRET; keep one`}},
		{"a zero rate is refused", DefaultGateway, func(g *Gateway) { g.Rate = 0 },
			[]string{`rate: 0 is out of range`}},
		{"a rate that is not a number is refused", DefaultGateway, func(g *Gateway) { g.Rate = math.NaN() },
			[]string{`rate: NaN is out of range`}},
		{"a zero burst is refused", DefaultGateway, func(g *Gateway) { g.Burst = 0 },
			[]string{`burst: 0 is out of range; use 1 to 1000000`}},
		{"a negative rotation lead is refused", DefaultGateway, func(g *Gateway) { g.Keys.RotationLead = -time.Minute },
			[]string{`keys.rotation_lead: -1m0s is negative`}},
		{"a retention shorter than an assertion's life is refused", DefaultGateway, func(g *Gateway) { g.Keys.Retention = time.Minute },
			[]string{`keys.retention: 1m0s is shorter than an assertion's life`}},
		{"an unknown log format and level name the allowed values", DefaultGateway, func(g *Gateway) { g.LogFormat, g.LogLevel = "xml", "loud" },
			[]string{`log_format: "xml" is not allowed; use one of text, json`, `log_level: "loud" is not allowed; use one of debug, info, warn, error`}},
		{"postgres with a DSN is allowed", liveGateway, func(g *Gateway) { g.Store.Driver, g.Store.DSN = "postgres", "postgres://gw@db/ers" }, nil},

		{"a non-loopback listen without TLS is refused", DefaultGateway, func(g *Gateway) { g.Listen = "0.0.0.0:8443" },
			[]string{`tls.cert_file: required because listen "0.0.0.0:8443" is not a loopback address`}},
		{"listening on every interface without TLS is refused", DefaultGateway, func(g *Gateway) { g.Listen = ":8443" },
			[]string{`tls.cert_file: required because listen ":8443"`}},
		{"a certificate without its key is refused", DefaultGateway, func(g *Gateway) { g.TLS.CertFile = "c" },
			[]string{`tls.key_file: required when tls.cert_file is set`}},
		{"a key without its certificate is refused", DefaultGateway, func(g *Gateway) { g.TLS.KeyFile = "k" },
			[]string{`tls.cert_file: required when tls.key_file is set`}},
		{"a bad listen address is reported once, not again as a TLS problem", DefaultGateway, func(g *Gateway) { g.Listen = "nonsense" },
			[]string{`listen: "nonsense" is not a host:port address`}},
		{"an unknown environment names the key and the allowed values", DefaultGateway, func(g *Gateway) { g.Environment = "staging" },
			[]string{`environment: "staging" is not allowed; use one of sandbox, int, production, local`}},
		{"an unknown store driver names the key and the allowed values", DefaultGateway, func(g *Gateway) { g.Store.Driver = "mysql" },
			[]string{`store.driver: "mysql" is not allowed; use one of sqlite, postgres`}},
		{"postgres without a DSN is refused", DefaultGateway, func(g *Gateway) { g.Store.Driver = "postgres" },
			[]string{`store.dsn: required with the postgres driver`}},
		{"INT with nothing else set lists everything it needs", DefaultGateway, func(g *Gateway) { g.Environment = "int" },
			[]string{`public_url: required outside the local and sandbox environments (environment is "int")`,
				`store.dsn: required outside the local and sandbox`,
				`store.seal_key_file: required outside the local and sandbox environments (environment is "int") unless ERS_STORE_SEAL_KEY is set`,
				`apim.app_secret_file: required outside the local and sandbox environments (environment is "int") unless ERS_APIM_APP_SECRET is set`,
				`keys.dir: required outside the local and sandbox`,
				`cis2.client_id: required outside the local and sandbox`, `apim.api_key: required outside the local and sandbox`}},
		{"production needs an https public URL even on loopback", liveGateway, func(g *Gateway) {
			g.Environment, g.PublicURL = "production", "http://127.0.0.1:8443"
		}, []string{`public_url: "http://127.0.0.1:8443" must use https outside the local and sandbox environments (environment is "production")`}},
		{"INT refuses an http CIS2 issuer", liveGateway, func(g *Gateway) { g.CIS2.IssuerURL = "http://localhost:9000" },
			[]string{`cis2.issuer_url: "http://localhost:9000" must use https`}},
		{"a public URL over http to another host is refused even in the sandbox", DefaultGateway, func(g *Gateway) { g.PublicURL = "http://gw.example" },
			[]string{`public_url: "http://gw.example" uses http to a host that is not loopback`}},
		{"a zero idle timeout is refused", DefaultGateway, func(g *Gateway) { g.Session.IdleTimeout = 0 },
			[]string{`session.idle_timeout: 0s is not a positive duration`}},
		{"a negative absolute timeout is refused", DefaultGateway, func(g *Gateway) { g.Session.AbsoluteTimeout = -time.Hour },
			[]string{`session.absolute_timeout: -1h0m0s is not a positive duration`}},
		{"an idle timeout longer than the absolute one is refused", DefaultGateway, func(g *Gateway) { g.Session.IdleTimeout = 13 * time.Hour },
			[]string{`session.idle_timeout: 13h0m0s is longer than session.absolute_timeout (12h0m0s)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.start()
			tt.change(&g)
			checkProblems(t, g.Validate(), tt.want...)
		})
	}
}

func TestGatewayEnvironmentHelpers(t *testing.T) {
	t.Run("local fills in the simulator's registration, and nothing the user set", func(t *testing.T) {
		g := DefaultGateway()
		g.CIS2.ClientID = "mine.apps.national"
		got := g.WithSimulatorDefaults()
		if got.CIS2.ClientID != "mine.apps.national" || got.APIM.APIKey != SandboxAPIKey || got.APIM.AppSecret != SandboxAppSecret {
			t.Errorf("got %+v %+v", got.CIS2, got.APIM)
		}
	})
	t.Run("an app secret file stops the default secret", func(t *testing.T) {
		g := DefaultGateway()
		g.APIM.AppSecretFile = "/run/secret"
		if got := g.WithSimulatorDefaults(); got.APIM.AppSecret != "" {
			t.Errorf("got secret %q alongside the file", got.APIM.AppSecret)
		}
	})
	t.Run("INT gets no simulator defaults", func(t *testing.T) {
		g := DefaultGateway()
		g.Environment = "int"
		if got := g.WithSimulatorDefaults(); !reflect.DeepEqual(got, g) {
			t.Errorf("changed: %+v", got)
		}
	})
	t.Run("endpoints are the environment's unless overridden", func(t *testing.T) {
		g := DefaultGateway()
		ers, issuer, token := g.Endpoints()
		if ers != "http://127.0.0.1:9000/referrals/FHIR" || !strings.HasPrefix(issuer, "http://127.0.0.1:9000/openam/") || token != "http://127.0.0.1:9000/oauth2/token" {
			t.Errorf("got %s %s %s", ers, issuer, token)
		}
		g.ERSBaseURL, g.APIM.TokenURL = "http://127.0.0.1:1/referrals/FHIR", "http://127.0.0.1:2/oauth2/token"
		if ers, _, token := g.Endpoints(); ers != g.ERSBaseURL || token != g.APIM.TokenURL {
			t.Errorf("overrides ignored: %s %s", ers, token)
		}
	})
	t.Run("the public URL defaults to the address listened on in local only", func(t *testing.T) {
		g := DefaultGateway()
		if got := g.PublicURLFor("127.0.0.1:41234"); got != "http://127.0.0.1:41234" {
			t.Errorf("local: %q", got)
		}
		g.PublicURL = "http://localhost:8443"
		if got := g.PublicURLFor("127.0.0.1:41234"); got != g.PublicURL {
			t.Errorf("set: %q", got)
		}
		if got := liveGateway().PublicURLFor("0.0.0.0:8443"); got != "https://ers-gateway.example.nhs.uk" {
			t.Errorf("INT: %q", got)
		}
	})
}

func TestGatewaySecrets(t *testing.T) {
	t.Run("secrets are listed but never shown", func(t *testing.T) {
		g := DefaultGateway()
		g.APIM.AppSecret = "do-not-print"
		seen := map[string]GatewaySetting{}
		for _, s := range g.Settings() {
			if strings.Contains(s.Value, "do-not-print") {
				t.Errorf("%s shows the secret", s.Key)
			}
			seen[s.Key] = s
		}
		if s := seen["apim.app_secret"]; !s.Secret || s.Value != "(set)" || s.Variable != "ERS_APIM_APP_SECRET" {
			t.Errorf("apim.app_secret: %+v", s)
		}
		if s := seen["store.seal_key"]; !s.Secret || s.Value != "(not set)" {
			t.Errorf("store.seal_key: %+v", s)
		}
		if s := seen["listen"]; s.Secret || s.Value != "127.0.0.1:8443" {
			t.Errorf("listen: %+v", s)
		}
	})
	t.Run("outside local a secret from the file is refused, naming its variable and file key", func(t *testing.T) {
		g := liveGateway()
		g.APIM.AppSecret, g.APIM.AppSecretFile = "from-the-file", ""
		ps := g.SecretsFromFile(noEnv)
		if len(ps) != 1 || !strings.Contains(ps[0].String(), "apim.app_secret: is a secret and may not be written in the configuration file outside local and sandbox; set ERS_APIM_APP_SECRET or apim.app_secret_file instead") {
			t.Errorf("got %v", ps)
		}
		if ps := g.SecretsFromFile(env(map[string]string{"ERS_APIM_APP_SECRET": "from-the-file"})); len(ps) != 0 {
			t.Errorf("a secret from its variable refused: %v", ps)
		}
	})
	t.Run("local may keep its synthetic secrets in the file", func(t *testing.T) {
		g := DefaultGateway()
		g.APIM.AppSecret = SandboxAppSecret
		if ps := g.SecretsFromFile(noEnv); len(ps) != 0 {
			t.Errorf("got %v", ps)
		}
	})
}

func TestGatewayExamples(t *testing.T) {
	t.Run("the local example loads and shortens the simulated tokens", func(t *testing.T) {
		cfg, err := LoadGateway(filepath.Join("testdata", "gateway-local.toml"), noEnv)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Environment != "local" || cfg.Listen != "127.0.0.1:8444" || cfg.APIM.TestAccessTokenExpiry != 90*time.Second ||
			cfg.APIM.AppSecret != SandboxAppSecret || cfg.LogFormat != "text" {
			t.Errorf("got %+v", cfg)
		}
	})
	t.Run("every key is shown, set or commented, in the INT or the local example", func(t *testing.T) {
		var text strings.Builder
		for _, name := range []string{"gateway-int.toml", "gateway-local.toml"} {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			text.Write(b)
		}
		shown := map[string]bool{}
		table := ""
		for line := range strings.Lines(text.String()) {
			line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
			if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
				table = strings.Trim(line, "[]") + "."
				continue
			}
			if name, _, ok := strings.Cut(line, "="); ok {
				shown[table+strings.TrimSpace(name)] = true
			}
		}
		for _, s := range DefaultGateway().Settings() {
			if !shown[s.Key] {
				t.Errorf("%s is in neither example", s.Key)
			}
		}
	})
}
