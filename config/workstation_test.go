package config

import "testing"

func TestWorkstationValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Workstation)
		want   []string
	}{
		{"the defaults are valid", func(*Workstation) {}, nil},
		{"an https gateway anywhere is valid", func(w *Workstation) {
			w.Environment, w.GatewayURL = "production", "https://ers-gateway.example.nhs.uk/base"
		}, nil},
		{"an http gateway on loopback is valid", func(w *Workstation) { w.GatewayURL = "http://127.0.0.1:8443" }, nil},
		{"an http gateway on IPv6 loopback is valid", func(w *Workstation) { w.GatewayURL = "http://[::1]:8443" }, nil},
		{"an http gateway on localhost is valid", func(w *Workstation) { w.GatewayURL = "http://localhost:8443" }, nil},
		{"an http gateway on another host is refused", func(w *Workstation) { w.GatewayURL = "http://ers-gateway.example.nhs.uk" },
			[]string{`gateway_url: "http://ers-gateway.example.nhs.uk" uses http to a host that is not loopback; use https`}},
		{"a gateway URL without a scheme is refused", func(w *Workstation) { w.GatewayURL = "ers-gateway.example.nhs.uk" },
			[]string{`gateway_url: "ers-gateway.example.nhs.uk" is not an absolute URL`}},
		{"a gateway URL with another scheme is refused", func(w *Workstation) { w.GatewayURL = "ftp://ers-gateway.example.nhs.uk" },
			[]string{`gateway_url: "ftp://ers-gateway.example.nhs.uk" has scheme "ftp"; use https`}},
		{"a gateway URL carrying a password is refused", func(w *Workstation) { w.GatewayURL = "https://ann:secret@ers-gateway.example.nhs.uk" },
			[]string{`gateway_url: "https://ann:secret@ers-gateway.example.nhs.uk" contains a user name or password`}},
		{"int without a gateway is refused because the demo plays the sandbox only", func(w *Workstation) { w.Environment = "int" },
			[]string{`gateway_url: required when environment is "int"`}},
		{"an unknown environment names the key and the allowed values", func(w *Workstation) { w.Environment = "staging" },
			[]string{`environment: "staging" is not allowed; use one of sandbox, int, production`}},
		{"an unknown theme names the key and the allowed values", func(w *Workstation) { w.Theme = "dark" },
			[]string{`theme: "dark" is not allowed; use one of default, high-contrast, monochrome`}},
		{"an unknown sign-in mode names the key and the allowed values", func(w *Workstation) { w.SignInMode = "browser" },
			[]string{`sign_in_mode: "browser" is not allowed; use one of auto, loopback, remote`}},
		{"every bad key is reported, in key order", func(w *Workstation) {
			w.Environment, w.GatewayURL, w.Theme, w.SignInMode = "", "http://example.nhs.uk", "", ""
		}, []string{`environment: "" is not allowed`, `gateway_url:`, `theme: "" is not allowed`, `sign_in_mode: "" is not allowed`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := DefaultWorkstation()
			tt.change(&w)
			checkProblems(t, w.Validate(), tt.want...)
		})
	}
}
