package config

// Workstation is the configuration of ers-workstation, the terminal UI. It
// lives at WorkstationPath; with no file at all the workstation runs the
// built-in demo (simulator and gateway in-process on loopback).
type Workstation struct {
	// Environment is the e-RS environment the user expects to work in, shown in
	// the status bar: sandbox (default), int or production.
	Environment string `toml:"environment" env:"ERS_ENVIRONMENT"`
	// GatewayURL is the ers-gateway to sign in through, e.g.
	// https://ers-gateway.example.nhs.uk. Empty runs the built-in demo, which
	// plays the sandbox environment only. Plain http is allowed for loopback hosts only.
	GatewayURL string `toml:"gateway_url" env:"ERS_GATEWAY_URL"`
	// Theme is the colour scheme: default, high-contrast or monochrome.
	Theme string `toml:"theme" env:"ERS_THEME"`
	// SignInMode is how the browser sign-in reaches the workstation: auto
	// (remote over SSH without a display, loopback otherwise), loopback (open a
	// browser, receive the redirect on 127.0.0.1) or remote (print a URL and
	// code to open on another machine, and poll).
	SignInMode string `toml:"sign_in_mode" env:"ERS_SIGN_IN_MODE"`
}

// Themes lists the allowed values of Workstation.Theme.
func Themes() []string { return []string{"default", "high-contrast", "monochrome"} }

// SignInModes lists the allowed values of Workstation.SignInMode.
func SignInModes() []string { return []string{"auto", "loopback", "remote"} }

// DefaultWorkstation is the configuration with no file and no environment: the built-in demo.
func DefaultWorkstation() Workstation {
	return Workstation{
		Environment: "sandbox",
		Theme:       "default",
		SignInMode:  "auto",
	}
}

// Validate reports every problem with w as Problems, or nil.
func (w Workstation) Validate() error {
	var ps Problems
	if ps.oneOf("environment", w.Environment, EnvironmentNames()...) &&
		w.Environment != "sandbox" && w.GatewayURL == "" {
		ps.add("gateway_url", "required when environment is %q: the built-in demo plays the sandbox only", w.Environment)
	}
	if w.GatewayURL != "" {
		ps.url("gateway_url", w.GatewayURL)
	}
	ps.oneOf("theme", w.Theme, Themes()...)
	ps.oneOf("sign_in_mode", w.SignInMode, SignInModes()...)
	return ps.err()
}
