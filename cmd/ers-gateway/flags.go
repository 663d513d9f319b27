package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ers-workstation/ers-workstation/cmd/internal/cli"
	"github.com/ers-workstation/ers-workstation/config"
)

// flagDef is one command-line flag. Every flag but --config and
// --check-config sets the configuration key of the same meaning, so that a
// flag's value is converted, validated and reported exactly like the key's
// in the file or its variable.
type flagDef struct {
	name    string // without dashes: "public-url"
	key     string // the config.Gateway TOML key it sets; empty for --config and --check-config
	arg     string // the argument's name in --help: "URL"
	boolean bool   // takes no argument
	usage   string
	def     string // the default as --help shows it
}

// gatewayFlags lists the flags in the order --help shows them: the few
// settings that change from one run to the next. The rest live in the file
// or the environment (fileOnlyKeys says why).
func gatewayFlags() []flagDef {
	d := config.DefaultGateway()
	return []flagDef{
		{name: "config", arg: "FILE", def: "none",
			usage: "TOML file of settings, with the keys named below. A file that is given must exist."},
		{name: "listen", key: "listen", arg: "ADDR", def: d.Listen,
			usage: "Address to serve on. Port 0 picks a free port. A host that is not loopback needs tls.cert_file and tls.key_file: plain HTTP is for loopback only."},
		{name: "environment", key: "environment", arg: strings.Join(config.EnvironmentNames(), "|"), def: d.Environment,
			usage: "The e-RS environment: local (ers-sandbox on this machine with its defaults), sandbox (NHS's open-access sandbox, with a simulator for sign-in), int or production. Outside local and sandbox the keys, store, seal key, public URL and NHS registration are required."},
		{name: "public-url", key: "public_url", arg: "URL", def: "http:// and the address listened on, in local and sandbox",
			usage: "The gateway's origin as browsers and workstations reach it; the CIS2 callback and the JWKS are below it. https outside local and sandbox."},
		{name: "log-format", key: "log_format", arg: strings.Join(config.LogFormats(), "|"), def: d.LogFormat,
			usage: "Format of the log on standard error. It never holds a token, code, key, assertion, session token or proof."},
		{name: "log-level", key: "log_level", arg: strings.Join(config.LogLevels(), "|"), def: d.LogLevel,
			usage: "The least severe level logged; debug adds one line per request (method, route, status, latency)."},
		{name: "check-config", boolean: true, def: "off",
			usage: "Load and validate the settings, read the key directory, the seal key, the app secret file, the TLS files and the store without changing them, print \"configuration OK\" and the effective settings (never a secret), and exit: 0 when all is well, 2 otherwise."},
	}
}

// fileOnlyKeys are the keys without a flag, each with the reason.
func fileOnlyKeys() map[string]string {
	const (
		deployment = "set once per deployment: keep it in the file (or the variable, in a container)"
		secret     = "a secret: a flag would show in ps and the shell history; use the variable or the _file key"
		registered = "the gateway's NHS registration: keep it in the file with the deployment"
		override   = "an override of the environment's URL, for simulators and unusual networks"
	)
	return map[string]string{
		"ers_base_url": override, "rate": "sized once for the application's APIM quota, with the deployment", "burst": "as rate",
		"tls.cert_file": deployment, "tls.key_file": deployment,
		"store.driver": deployment, "store.dsn": deployment + "; a PostgreSQL password belongs in ~/.pgpass or PGPASSWORD", "store.seal_key_file": deployment, "store.seal_key": secret,
		"keys.dir": deployment, "keys.rotation_lead": deployment, "keys.retention": deployment,
		"session.idle_timeout": deployment, "session.absolute_timeout": deployment,
		"cis2.client_id": registered, "cis2.issuer_url": override,
		"apim.api_key": registered, "apim.token_url": override, "apim.app_secret": secret, "apim.app_secret_file": registered,
		"apim.test_access_token_expiry": "a test-only knob of the simulated APIM, local only",
	}
}

// invocation is what the command line asks for.
type invocation struct {
	help        bool
	checkConfig bool
	// configPath is the --config file; empty for none.
	configPath string
	// overrides are the flags the user set, as the top layer of the configuration.
	overrides []config.Override
}

// parseArgs reads the command line of the server. Values are not checked
// here but by package config, together with the file and the environment,
// so that every problem is reported at once.
func parseArgs(args []string) (invocation, error) {
	fs := flag.NewFlagSet("ers-gateway", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports errors and prints --help itself
	fs.Usage = func() {}

	var inv invocation
	configSet := false
	given := map[string]string{}
	defs := gatewayFlags()
	for _, d := range defs {
		switch {
		case d.name == "config":
			fs.Func(d.name, d.usage, func(v string) error { inv.configPath, configSet = v, true; return nil })
		case d.name == "check-config":
			fs.BoolVar(&inv.checkConfig, d.name, false, d.usage)
		default:
			fs.Func(d.name, d.usage, func(v string) error { given[d.name] = v; return nil })
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return invocation{help: true}, nil
		}
		return invocation{}, err
	}
	if fs.NArg() > 0 {
		return invocation{}, fmt.Errorf("unexpected argument %q: ers-gateway takes flags, or the subcommand audit or keys first", fs.Arg(0))
	}
	if configSet && inv.configPath == "" {
		return invocation{}, errors.New("--config needs a file name")
	}
	for _, d := range defs {
		if v, ok := given[d.name]; ok {
			inv.overrides = append(inv.overrides, config.Override{Key: d.key, Values: []string{v}, By: "--" + d.name})
		}
	}
	return inv, nil
}

// helpWidth is the width --help is wrapped to.
const helpWidth = 80

// writeUsage prints --help: what the program is, every flag with its
// default, key and variable, every other key with its variable, default and
// why it has no flag, and the audit subcommand.
func writeUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString(cli.Wrap("ers-gateway is the paired server of ers-workstation: the only holder of the signing keys, the NHS tokens and the audit trail. "+
		"It signs healthcare workers in with NHS CIS2, exchanges their identity at NHS API Management, and proxies the workstation's allow-listed e-RS calls with the user's chosen role, writing an audit record of each. "+
		"With no configuration it pairs with ers-sandbox running on this machine (environment local), on loopback (127.0.0.1), with keys and sessions in memory. "+
		"It prints the URL it serves at and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.", "", helpWidth))
	b.WriteString("\nUsage:\n  ers-gateway [flags]\n  ers-gateway audit --from TIME --to TIME [--format jsonl|csv] [--config FILE]\n" +
		"  ers-gateway keys rotate [--config FILE] [--key-dir DIR]\n  ers-gateway keys list [--config FILE] [--key-dir DIR]\n\nFlags:\n")
	for _, f := range gatewayFlags() {
		if f.boolean {
			fmt.Fprintf(&b, "  --%s\n", f.name)
		} else {
			fmt.Fprintf(&b, "  --%s %s\n", f.name, f.arg)
		}
		b.WriteString(cli.Wrap(f.usage, "        ", helpWidth))
		more := "Default " + f.def + "."
		if f.key != "" {
			more += " Key " + f.key + ", variable " + variableOf(f.key) + "."
		}
		b.WriteString(cli.Wrap(more, "        ", helpWidth))
	}
	b.WriteString("  -h, --help\n        Show this help.\n\n")
	b.WriteString("Keys of the file and the environment only:\n")
	reasons := fileOnlyKeys()
	for _, s := range config.DefaultGateway().Settings() {
		reason, ok := reasons[s.Key]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "  %s\n", s.Key)
		b.WriteString(cli.Wrap("Variable "+s.Variable+". Default "+describeDefault(s)+". No flag: "+reason+".", "        ", helpWidth))
	}
	b.WriteString("\n")
	b.WriteString(cli.Wrap("Settings come from the defaults, then the --config file, then the ERS_ environment variables, then the flags: each wins over the ones before it. "+
		"Write durations as text (\"90s\", \"15m\", \"1h\"). Key files and the seal key and app secret files must be readable by their owner only (chmod 600).", "", helpWidth))
	b.WriteString("\nAudit export:\n")
	b.WriteString(cli.Wrap("ers-gateway audit writes the audit records with --from <= time < --to (RFC 3339, for example 2026-11-21T07:30:00Z) to standard output, oldest first, "+
		"as JSON lines (--format jsonl, the default) or CSV with a header (--format csv). It reads the store of the same configuration; an in-memory store has nothing to export.", "  ", helpWidth))
	b.WriteString("\nKey rotation:\n")
	b.WriteString(cli.Wrap("ers-gateway keys rotate writes a new signing key (RSA 4096, file <kid>.pem, mode 0600, kid dated to the minute) into keys.dir (or --key-dir). "+
		"A running gateway on that directory reloads it every minute, or at once on SIGHUP: the new key is published in the JWKS at once and signs only keys.rotation_lead later, "+
		"counted from the later of its creation and its publication, because APIM caches the JWKS for an hour. "+
		"Older keys stay published for keys.retention after the new one signs; their files are never deleted. "+
		"ers-gateway keys list prints each key's kid, creation time, state (pending: published, not signing yet; signing; published: replaced, still published; retired: no longer published), "+
		"when it signs from, and its file, without writing anything.", "  ", helpWidth))
	io.WriteString(w, b.String()) //nolint:errcheck // nothing to do if the terminal is gone
}

// describeDefault is a key's default as --help shows it.
func describeDefault(s config.GatewaySetting) string {
	switch {
	case s.Key == "apim.app_secret" || s.Key == "cis2.client_id" || s.Key == "apim.api_key":
		return "in local and sandbox the local ers-sandbox's registration, elsewhere none"
	case s.Key == "store.seal_key" || s.Key == "store.seal_key_file":
		return "none: in local and sandbox a random key in memory"
	case s.Key == "ers_base_url" || s.Key == "cis2.issuer_url" || s.Key == "apim.token_url":
		return "the environment's"
	case s.Value == "" || s.Value == "0s":
		return "none"
	}
	return s.Value
}

// variableOf is the environment variable of a configuration key, as package config reads it.
func variableOf(key string) string {
	for _, s := range config.DefaultGateway().Settings() {
		if s.Key == key {
			return s.Variable
		}
	}
	return ""
}
