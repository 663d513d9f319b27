// Package config loads the configuration of the three programs: ers-workstation,
// ers-gateway and ers-sandbox. It is the one way they read settings: a TOML file,
// then ERS_ environment variables on top, on top of safe defaults, then the
// command-line flags the user set (as Overrides), then validation that reports
// every problem at once, each naming the key (and the variable or flag that
// set it) and what to write instead.
//
// It also holds the e-RS environments (sandbox, int, production) as data: base
// URLs, APIM token URL, CIS2 issuer and the label shown in the status bar.
//
// It is not for secrets' values or runtime state: private keys, client secrets
// and NHS tokens live in the gateway's key directory and store, never here; and
// it does no I/O beyond reading the one file it is given (no network, no check
// that certificate files exist). The cmd mains own flags and call this package.
package config
