package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/gateway/keys"
)

// keysArgs is the command line of "ers-gateway keys rotate|list".
type keysArgs struct {
	action     string // "rotate" or "list"
	configPath string
	overrides  []config.Override
}

func parseKeysArgs(args []string) (keysArgs, error) {
	if len(args) == 0 || (args[0] != "rotate" && args[0] != "list") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			return keysArgs{}, flag.ErrHelp
		}
		return keysArgs{}, errors.New("keys: say rotate or list, as in ers-gateway keys rotate --config FILE")
	}
	a := keysArgs{action: args[0]}
	fs := flag.NewFlagSet("ers-gateway keys "+a.action, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&a.configPath, "config", "", "")
	fs.Func("key-dir", "", func(v string) error {
		a.overrides = append(a.overrides, config.Override{Key: "keys.dir", Values: []string{v}, By: "--key-dir"})
		return nil
	})
	if err := fs.Parse(args[1:]); err != nil {
		return a, err
	}
	if fs.NArg() > 0 {
		return a, fmt.Errorf("keys %s: unexpected argument %q", a.action, fs.Arg(0))
	}
	return a, nil
}

// keysCommand is "ers-gateway keys": rotate writes a new key file that a
// running gateway on the same directory takes up at its next reload (every
// minute, or at once on SIGHUP); list shows the keys and their states.
// Neither talks to a running gateway: the directory is the interface.
func (p program) keysCommand(args []string) int {
	a, err := parseKeysArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		writeUsage(p.stdout)
		return exitOK
	}
	if err != nil {
		return p.usageError(err)
	}
	cfg, _, err := p.loadSettings(a.configPath, a.overrides)
	if err != nil {
		return p.usageError(err)
	}
	if cfg.Keys.Dir == "" {
		return p.usageError(fmt.Errorf("keys %s: no key directory: set keys.dir in the configuration or pass --key-dir", a.action))
	}
	opts := keys.Options{Dir: cfg.Keys.Dir, Bits: p.keyBits, Lead: cfg.Keys.RotationLead, Retention: cfg.Keys.Retention, Now: p.now}
	if a.action == "list" {
		return p.listKeys(opts)
	}
	return p.rotateKey(opts)
}

// rotateKey writes a new key into the directory. In an empty directory it
// writes the first key, which signs at once, as a gateway's first start
// would.
func (p program) rotateKey(opts keys.Options) int {
	now := p.now()
	_, err := keys.List(opts, now)
	first := errors.Is(err, keys.ErrNoKeys)
	if err != nil && !first {
		fmt.Fprintf(p.stderr, "ers-gateway: keys rotate: %v\n", err)
		return exitError
	}
	ks, err := keys.Open(opts)
	if err != nil {
		fmt.Fprintf(p.stderr, "ers-gateway: keys rotate: %v\n", err)
		return exitError
	}
	if first {
		k := ks.Current(now)
		fmt.Fprintf(p.stdout, "ers-gateway: wrote the first key %s (kid %s): it signs at once\n", k.File, k.KID)
		return exitOK
	}
	k, err := ks.Rotate(now)
	if err != nil {
		fmt.Fprintf(p.stderr, "ers-gateway: keys rotate: %v\n", err)
		return exitError
	}
	// As a gateway reads it back: dated by the kid, to the end of its minute.
	if listed, err := keys.List(opts, now); err == nil {
		for _, l := range listed {
			if l.KID == k.KID {
				k = l
			}
		}
	}
	fmt.Fprintf(p.stdout, "ers-gateway: wrote %s (kid %s)\n", k.File, k.KID)
	fmt.Fprintf(p.stdout, "A running gateway on this directory publishes it at its next reload (within a minute, or at once on SIGHUP) "+
		"and signs with it %s after that, at %s at the earliest.\n", opts.Lead, k.Active.UTC().Format(time.RFC3339))
	return exitOK
}

// listKeys prints the keys of the directory with their states as a
// gateway started now would see them.
func (p program) listKeys(opts keys.Options) int {
	ks, err := keys.List(opts, p.now())
	if errors.Is(err, keys.ErrNoKeys) {
		fmt.Fprintf(p.stdout, "ers-gateway: %s holds no key yet: the first start (or keys rotate) writes one\n", opts.Dir)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(p.stderr, "ers-gateway: keys list: %v\n", err)
		return exitError
	}
	tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KID\tCREATED\tSTATE\tSIGNS FROM\tFILE")
	for _, k := range ks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.KID, k.Published.UTC().Format(time.RFC3339), k.State,
			k.Active.UTC().Format(time.RFC3339), k.File)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(p.stderr, "ers-gateway: keys list: %v\n", err)
		return exitError
	}
	return exitOK
}
