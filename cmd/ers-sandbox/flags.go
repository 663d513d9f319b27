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

// flagDef is one command-line flag. Every flag but --config sets the
// configuration key of the same meaning, so that a flag's value is converted,
// validated and reported exactly like the key's in the file or its variable.
type flagDef struct {
	name   string // without dashes: "write-hold"
	key    string // the config.Sandbox TOML key it sets; empty for --config
	arg    string // the argument's name in --help: "DURATION"
	repeat bool   // may be given several times, each adding an item
	// boolean flags take no argument ("--open-access"), or "=false".
	boolean bool
	usage   string
	// def is the default as --help shows it.
	def func(d config.Sandbox) string
}

// sandboxFlags lists the flags in the order --help shows them.
func sandboxFlags() []flagDef {
	return []flagDef{
		{name: "listen", key: "listen", arg: "ADDR",
			usage: "Address of the simulated e-RS API, served at /referrals/FHIR/STU3 and /referrals/FHIR/R4. The simulated CIS2 and APIM share it unless given their own. Port 0 picks a free port. A host that is not loopback is reachable by anyone on the network, and anyone can sign in as any persona.",
			def:   func(d config.Sandbox) string { return d.Listen }},
		{name: "admin-listen", key: "admin_listen", arg: "ADDR",
			usage: "Address of the admin API (reset the data, change the faults, count the records). It has no authentication at all: keep it on loopback.",
			def:   func(config.Sandbox) string { return "off" }},
		{name: "open-access", key: "open_access", boolean: true,
			usage: "Serve e-RS with no token at all, as NHS's public sandbox does: the caller is a user holding the role named in NHSD-eRS-Business-Function at the organisation named in NHSD-End-User-Organisation-ODS. Every other rule (roles, versions, states) still applies. Without it e-RS requires an APIM access token, and the token names the caller.",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.OpenAccess) }},
		{name: "auto-approve", key: "auto_approve", boolean: true,
			usage: "Let a CIS2 sign-in whose login_hint names a persona (for example login_hint=referrer) approve at once, without the sign-in page. For tests and unattended demos only.",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.AutoApprove) }},
		{name: "cis2-listen", key: "cis2_listen", arg: "ADDR",
			usage: "Serve the simulated CIS2 on its own address instead of --listen's.",
			def:   func(config.Sandbox) string { return "--listen's" }},
		{name: "apim-listen", key: "apim_listen", arg: "ADDR",
			usage: "Serve the simulated APIM token endpoint on its own address instead of --listen's.",
			def:   func(config.Sandbox) string { return "--listen's" }},
		{name: "gateway-url", key: "gateway.url", arg: "URL",
			usage: "The public origin of the ers-gateway the simulated CIS2 and APIM know: its callback, back-channel logout and key set URLs are below it. The rest of its registration is in the [gateway] table.",
			def:   func(d config.Sandbox) string { return d.Gateway.URL }},
		{name: "gateway-client-id", key: "gateway.client_id", arg: "ID",
			usage: "The gateway's CIS2 client id. It signs in with private_key_jwt against the key set at its URL.",
			def:   func(d config.Sandbox) string { return d.Gateway.ClientID }},
		{name: "gateway-api-key", key: "gateway.api_key", arg: "KEY",
			usage: "The API key (client id) of the gateway's APIM application, which may exchange CIS2 ID tokens for e-RS access at AAL2 and AAL3.",
			def:   func(d config.Sandbox) string { return d.Gateway.APIKey }},
		{name: "gateway-app-secret", key: "gateway.app_secret", arg: "SECRET",
			usage: "The application secret the gateway sends to refresh tokens. Synthetic, like everything here.",
			def:   func(d config.Sandbox) string { return d.Gateway.AppSecret }},
		{name: "gateway-allowed-ods", key: "gateway.allowed_ods", arg: "ODS", repeat: true,
			usage: "An organisation the gateway's application may act for (APIM's allow-list); repeat the flag for several. The flags replace the list of the file and the environment.",
			def:   func(d config.Sandbox) string { return strings.Join(d.Gateway.AllowedODS, ", ") }},
		{name: "gateway-lifetime-overrides", key: "gateway.lifetime_overrides", boolean: true,
			usage: "Accept APIM's test-only form fields that shorten token lifetimes (_access_token_expiry_ms, _refresh_token_expiry_ms, _refresh_tokens_validity_ms), so expiry and refresh can be tested in seconds.",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.Gateway.LifetimeOverrides) }},
		{name: "config", arg: "FILE",
			usage: "TOML file of settings, with the keys named below. A file that is given must exist.",
			def:   func(config.Sandbox) string { return "none" }},
		{name: "seed", key: "seed", arg: strings.Join(config.Seeds(), "|"),
			usage: "The data: examples (records whose identifiers match the official example messages) or synthetic (a generated, realistic and deterministic data set).",
			def:   func(d config.Sandbox) string { return d.Seed }},
		{name: "referrals", key: "referrals", arg: "N",
			usage: "How many referrals the synthetic seed generates (1 to 1000000).",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.Referrals) }},
		{name: "services", key: "services", arg: "M",
			usage: "How many services the synthetic seed generates (1 to 100000).",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.Services) }},
		{name: "random-seed", key: "random_seed", arg: "N",
			usage: "Picks the synthetic data set: the same seed and sizes give the same data, record for record.",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.RandomSeed) }},
		{name: "rate", key: "rate", arg: "N",
			usage: "APIM's rate limit: the calls a second each application may make before it gets 429 Too Many Requests. Fractions are allowed; 0 is unlimited.",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.Rate) + " (unlimited)" }},
		{name: "burst", key: "burst", arg: "N",
			usage: "How many calls an application may make at once before --rate applies. 0 is one second's worth (the rate rounded up).",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.Burst) }},
		{name: "fault", key: "faults", arg: "RULE", repeat: true,
			usage: "A fault to inject from the start; repeat the flag for several. The flags replace the rules of the file and the environment. See \"Fault rules\" below.",
			def:   func(config.Sandbox) string { return "none" }},
		{name: "write-hold", key: "write_hold", arg: "DURATION",
			usage: "Keep each record locked this long during a write (0s to 1m), so that concurrent writers of the same record get 423 Locked.",
			def:   func(d config.Sandbox) string { return d.WriteHold.String() + " (off)" }},
		{name: "fault-seed", key: "fault_seed", arg: "N",
			usage: "Makes the random choices of injected faults (which calls fail, how much jitter) repeatable.",
			def:   func(d config.Sandbox) string { return fmt.Sprint(d.FaultSeed) }},
		{name: "log-format", key: "log_format", arg: strings.Join(config.LogFormats(), "|"),
			usage: "Format of the log on standard error.",
			def:   func(d config.Sandbox) string { return d.LogFormat }},
		{name: "log-level", key: "log_level", arg: strings.Join(config.LogLevels(), "|"),
			usage: "The least severe level logged; info logs one line per call (operation, status, latency; never bodies or tokens).",
			def:   func(d config.Sandbox) string { return d.LogLevel }},
	}
}

// envVar is the environment variable of a configuration key.
func envVar(key string) string {
	return "ERS_SANDBOX_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// invocation is what the command line asks for.
type invocation struct {
	// configPath is the --config file; empty for none.
	configPath string
	// overrides are the flags the user set, as the top layer of the configuration.
	overrides []config.Override
}

// setsKey reports the flag that set key, if one did.
func (inv invocation) setsKey(key string) (flag string, ok bool) {
	for _, o := range inv.overrides {
		if o.Key == key {
			return o.By, true
		}
	}
	return "", false
}

// parseArgs reads the command line. It returns flag.ErrHelp for -h or --help.
// Values are not checked here but by package config, together with the file
// and the environment, so that every problem is reported at once.
func parseArgs(args []string) (invocation, error) {
	fs := flag.NewFlagSet("ers-sandbox", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports errors and prints --help itself
	fs.Usage = func() {}

	var inv invocation
	configSet := false
	given := map[string][]string{}
	defs := sandboxFlags()
	for _, d := range defs {
		define := fs.Func
		if d.boolean {
			define = fs.BoolFunc
		}
		define(d.name, d.usage, func(v string) error {
			if d.key == "" {
				inv.configPath, configSet = v, true
				return nil
			}
			if d.repeat {
				given[d.name] = append(given[d.name], v)
			} else {
				given[d.name] = []string{v}
			}
			return nil
		})
	}
	if err := fs.Parse(args); err != nil {
		return invocation{}, err
	}
	if fs.NArg() > 0 {
		return invocation{}, fmt.Errorf("unexpected argument %q: ers-sandbox takes flags only", fs.Arg(0))
	}
	if configSet && inv.configPath == "" {
		return invocation{}, errors.New("--config needs a file name")
	}
	for _, d := range defs {
		if v, ok := given[d.name]; ok {
			inv.overrides = append(inv.overrides, config.Override{Key: d.key, Values: v, By: "--" + d.name})
		}
	}
	return inv, nil
}

// helpWidth is the width --help is wrapped to.
const helpWidth = 80

// writeUsage prints --help: what the program is, every flag with its
// default, key and variable, and the fault rule syntax.
func writeUsage(w io.Writer) {
	d := config.DefaultSandbox()
	var b strings.Builder
	b.WriteString(cli.Wrap("ers-sandbox is a stateful simulator of the NHS e-Referral Service (e-RS) FHIR API, for development, demonstrations and performance tests. "+
		"It serves synthetic data only, never real patient data, and keeps it in memory. "+
		"It also plays NHS CIS2 (the sign-in of healthcare workers, with synthetic personas) and NHS API Management (the token endpoint), on the same address by default, "+
		"and e-RS requires the access tokens that APIM issues, unless --open-access is given. "+
		"It listens on loopback (127.0.0.1) unless told otherwise, prints its base URL, and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.", "", helpWidth))
	b.WriteString("\nUsage:\n  ers-sandbox [flags]\n\nFlags:\n")
	for _, f := range sandboxFlags() {
		if f.boolean {
			fmt.Fprintf(&b, "  --%s\n", f.name)
		} else {
			fmt.Fprintf(&b, "  --%s %s\n", f.name, f.arg)
		}
		b.WriteString(cli.Wrap(f.usage, "        ", helpWidth))
		more := "Default " + f.def(d) + "."
		if f.key != "" {
			more += " Key " + f.key + ", variable " + envVar(f.key) + "."
		}
		b.WriteString(cli.Wrap(more, "        ", helpWidth))
	}
	b.WriteString("  -h, --help\n        Show this help.\n\n")
	b.WriteString(cli.Wrap("Settings come from the defaults, then the --config file, then the ERS_SANDBOX_ environment variables, then the flags: each wins over the ones before it. "+
		"Write durations as text (\"250ms\", \"2s\"); in ERS_SANDBOX_FAULTS separate the rules with \";\".", "", helpWidth))
	b.WriteString("\nFault rules:\n")
	b.WriteString(cli.Wrap("A rule is comma-separated key=value pairs: op (an operation id such as A016; every operation when left out), "+
		"latency and jitter (added delay, fixed and random), error_rate (a share from 0 to 1 of calls answered with status: 500, 502, 503 or 504), "+
		"retry_after (with 503), drop_rate (a share of connections closed without an answer) and slow_body (how long each answer's body takes). For example:", "  ", helpWidth))
	b.WriteString("    --fault op=A016,latency=200ms,error_rate=0.1,status=504\n    --fault latency=20ms,jitter=30ms\n")
	b.WriteString("\nAdmin API (with --admin-listen):\n")
	b.WriteString("  POST /_admin/reset       restore the seed data\n")
	b.WriteString("  GET  /_admin/faults      the fault plan, as JSON\n")
	b.WriteString("  PUT  /_admin/faults      replace the fault plan\n")
	b.WriteString("  GET  /_admin/state       count the records\n")
	b.WriteString("  POST /_admin/cis2/rotate-key[?remove_old=true]\n        sign CIS2 tokens with a new key\n")
	b.WriteString("  POST /_admin/cis2/revoke?sub=ID or ?sid=SID\n        end CIS2 sessions, with back-channel logout\n")
	b.WriteString("  GET  /_admin/cis2/sessions\n        list the CIS2 sessions\n")
	b.WriteString("  POST /_admin/apim/revoke?sub=ID or ?sid=SID\n        drop APIM tokens: the next e-RS call gets 401\n")
	io.WriteString(w, b.String()) //nolint:errcheck // nothing to do if the terminal is gone
}
