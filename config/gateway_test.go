package config

import (
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
			g.CIS2.IssuerURL, g.APIM.TokenURL = "http://127.0.0.1:9000/cis2", "http://127.0.0.1:9000/oauth2/token"
		}, nil},
		{"postgres with a DSN is allowed", liveGateway, func(g *Gateway) { g.Store = Store{Driver: "postgres", DSN: "postgres://gw@db/ers"} }, nil},

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
			[]string{`environment: "staging" is not allowed; use one of sandbox, int, production`}},
		{"an unknown store driver names the key and the allowed values", DefaultGateway, func(g *Gateway) { g.Store.Driver = "mysql" },
			[]string{`store.driver: "mysql" is not allowed; use one of sqlite, postgres`}},
		{"postgres without a DSN is refused", DefaultGateway, func(g *Gateway) { g.Store.Driver = "postgres" },
			[]string{`store.dsn: required with the postgres driver`}},
		{"INT with nothing else set lists everything it needs", DefaultGateway, func(g *Gateway) { g.Environment = "int" },
			[]string{`public_url: required outside the sandbox environment (environment is "int")`,
				`store.dsn: required outside the sandbox`, `keys.dir: required outside the sandbox`,
				`cis2.client_id: required outside the sandbox`, `apim.api_key: required outside the sandbox`}},
		{"production needs an https public URL even on loopback", liveGateway, func(g *Gateway) {
			g.Environment, g.PublicURL = "production", "http://127.0.0.1:8443"
		}, []string{`public_url: "http://127.0.0.1:8443" must use https outside the sandbox environment (environment is "production")`}},
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
