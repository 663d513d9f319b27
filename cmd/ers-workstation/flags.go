package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ers-workstation/ers-workstation/cmd/internal/cli"
	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/demo"
)

// invocation is what the command line asks for.
type invocation struct {
	help, version bool
	// configPath is the --config file; empty means the XDG path, if it exists.
	configPath string
	// overrides are the flags that set configuration keys (--theme, --remote).
	overrides []config.Override
	// noColor is --no-color; NO_COLOR in the environment does the same.
	noColor bool
	// plain is --plain: text instead of animation, for screen readers.
	plain bool
	// The demo's own flags: they have no configuration key, as a configured
	// gateway has no demo.
	demoBrowser bool
	persona     string
	referrals   int
}

// parseArgs reads the command line. Values of configuration keys are checked
// by package config with the file and the environment, so that every
// problem is reported at once; the demo's flags are checked here.
func parseArgs(args []string) (invocation, error) {
	fs := flag.NewFlagSet("ers-workstation", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints errors and --help itself
	fs.Usage = func() {}
	inv := invocation{persona: demo.DefaultPersona, referrals: demo.DefaultReferrals}
	fs.BoolVar(&inv.help, "help", false, "")
	fs.BoolVar(&inv.help, "h", false, "")
	fs.BoolVar(&inv.version, "version", false, "")
	fs.StringVar(&inv.configPath, "config", "", "")
	fs.BoolFunc("remote", "", func(v string) error {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return err
		}
		if on {
			inv.overrides = append(inv.overrides, config.Override{Key: "sign_in_mode", Values: []string{"remote"}, By: "--remote"})
		}
		return nil
	})
	fs.Func("theme", "", func(v string) error {
		inv.overrides = append(inv.overrides, config.Override{Key: "theme", Values: []string{v}, By: "--theme"})
		return nil
	})
	fs.BoolVar(&inv.noColor, "no-color", false, "")
	fs.BoolVar(&inv.plain, "plain", false, "")
	fs.BoolVar(&inv.demoBrowser, "demo-browser", false, "")
	fs.StringVar(&inv.persona, "persona", inv.persona, "")
	fs.IntVar(&inv.referrals, "referrals", inv.referrals, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			inv.help = true
			return inv, nil
		}
		return inv, err
	}
	if fs.NArg() > 0 {
		return inv, fmt.Errorf("unexpected argument %q: ers-workstation takes flags only", fs.Arg(0))
	}
	if inv.help || inv.version {
		return inv, nil
	}
	if !validPersona(inv.persona) {
		return inv, fmt.Errorf("--persona %q is not a persona; use one of %s", inv.persona, strings.Join(demo.PersonaKeys(), ", "))
	}
	if inv.referrals < 1 || inv.referrals > maxReferrals {
		return inv, fmt.Errorf("--referrals %d is out of range; use 1 to %d", inv.referrals, maxReferrals)
	}
	return inv, nil
}

// maxReferrals keeps the demo's start quick enough to be a demo.
const maxReferrals = 100000

func validPersona(key string) bool {
	for _, k := range demo.PersonaKeys() {
		if k == key {
			return true
		}
	}
	return false
}

// writeUsage prints --help.
func writeUsage(w io.Writer, configPath string) {
	const width = 78
	var b strings.Builder
	b.WriteString(`Usage: ers-workstation [flags]

ers-workstation is a keyboard-driven terminal workstation for the NHS
e-Referral Service (e-RS). You sign in with NHS CIS2 in a browser; a paired
server, ers-gateway, holds every key and NHS token, and the workstation holds
only a session bound to a key in its memory (and in the OS keyring when one
answers, never in a file).

With no configuration file it runs the built-in demo: the e-RS, CIS2 and APIM
simulators and a gateway start in this process on random 127.0.0.1 ports with
fresh keys and synthetic data, a synthetic user signs in through the same
protocol as production (an in-process browser follows every redirect), and the
role picker opens. Nothing leaves this machine and every record is synthetic.

With a configuration file it connects to the gateway the file names instead.

Flags:
`)
	flagHelp := []struct{ name, usage string }{
		{"--config FILE", fmt.Sprintf("TOML configuration file. A file that is given must exist. Default: %s if it exists; with no file, the demo runs. See \"Configuration\" below.", configPath)},
		{"--remote", "Sign in remotely: show a URL and a code to open on another computer (the one with your smartcard) and wait, instead of opening a browser here. Chosen automatically over SSH when there is no display. Sets sign_in_mode = \"remote\"."},
		{"--theme NAME", "Colour scheme: " + strings.Join(config.Themes(), ", ") + ". Default: default (your terminal's own palette). Sets theme."},
		{"--no-color", "No colour at all (the monochrome theme, plain ASCII output). Any non-empty NO_COLOR environment variable does the same."},
		{"--plain", "No animation: the activity indicator is the word \"Working…\" instead of a spinner, for screen readers and slow links."},
		{"--demo-browser", "Demo only: open the simulated CIS2 sign-in page in your system browser, and choose the persona there, instead of signing in with the in-process browser."},
		{"--persona KEY", "Demo only: the synthetic user the in-process browser signs in as. Default: " + demo.DefaultPersona + ". See \"Personas\" below."},
		{"--referrals N", fmt.Sprintf("Demo only: how many synthetic referrals the simulated e-RS holds (1 to %d). Default: %d.", maxReferrals, demo.DefaultReferrals)},
		{"--version", "Print the version and exit."},
		{"-h, --help", "Print this help and exit."},
	}
	for _, f := range flagHelp {
		b.WriteString("  " + f.name + "\n")
		b.WriteString(cli.Wrap(f.usage, "      ", width))
	}
	b.WriteString("\nConfiguration (TOML keys; each may also be set by its environment variable):\n")
	keys := []struct{ key, env, usage string }{
		{"gateway_url", "ERS_GATEWAY_URL", "The ers-gateway to sign in through, such as https://ers-gateway.example.nhs.uk. Plain http is allowed for loopback only. Empty runs the demo."},
		{"environment", "ERS_ENVIRONMENT", "The e-RS environment you expect, shown in the top bar in words and colour: " + strings.Join(config.EnvironmentNames(), ", ") + ". Default: sandbox. int and production need gateway_url."},
		{"sign_in_mode", "ERS_SIGN_IN_MODE", "How the browser sign-in reaches the workstation: " + strings.Join(config.SignInModes(), ", ") + ". auto is remote over SSH without a display, loopback otherwise. Default: auto."},
		{"theme", "ERS_THEME", "Colour scheme: " + strings.Join(config.Themes(), ", ") + ". Default: default."},
	}
	for _, k := range keys {
		b.WriteString("  " + k.key + " (" + k.env + ")\n")
		b.WriteString(cli.Wrap(k.usage, "      ", width))
	}
	b.WriteString(`
  Example:
      gateway_url = "https://ers-gateway.example.nhs.uk"
      environment = "int"
      sign_in_mode = "auto"
      theme = "high-contrast"

Personas (--persona, demo only):
`)
	for _, p := range demo.Personas() {
		b.WriteString("  " + p.Key + "\n")
		b.WriteString(cli.Wrap(p.Description, "      ", width))
	}
	b.WriteString(`
Keys: arrows or j/k move, enter chooses, / filters, ? shows every key of the
screen, : opens the command palette, esc or q goes back, y copies the focused
identifier, ctrl+c quits (asking first if work is unsent).

Logs go to a file, never to the terminal: $XDG_STATE_HOME/ers-workstation/
ers-workstation.log (~/.local/state/... when XDG_STATE_HOME is unset), mode
0600, with no token, code, key or proof in it.
`)
	io.WriteString(w, b.String())
}
