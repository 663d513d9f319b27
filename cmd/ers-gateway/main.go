// Command ers-gateway is the paired server of ers-workstation: it keeps the
// signing keys, the NHS tokens and the audit trail, signs healthcare workers
// in with NHS CIS2, exchanges their identity at NHS API Management and
// proxies the workstation's allow-listed e-RS calls. It is a thin main over
// package gateway: it reads the flags and the configuration (package
// config), opens the keys, the store and the seal key, serves, keeps the
// store tidy, and stops cleanly on SIGINT or SIGTERM.
//
// "ers-gateway audit" exports the audit trail of a time range instead;
// "ers-gateway keys rotate|list" writes a new signing key or lists them.
// SIGHUP makes a running gateway reload its key directory at once.
// Run "ers-gateway --help" for the flags and keys.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ers-workstation/ers-workstation/cmd/internal/cli"
	"github.com/ers-workstation/ers-workstation/config"
)

func main() { cli.Main(run) }

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // could not start, a listener failed, or the store failed during an export
	exitUsage = 2 // bad flags or configuration (--check-config's "not OK" too)
)

// seeHelp ends every message about a bad command line or configuration.
const seeHelp = `Run "ers-gateway --help" for the flags and keys.`

// program is what run needs of the process: its environment, clock and
// output, so tests run it in-process without touching the real ones.
type program struct {
	lookup config.LookupFunc
	now    func() time.Time
	stdout io.Writer
	stderr io.Writer
	// hangup subscribes to the signal that reloads the keys (SIGHUP in
	// main); nil means none, as in tests that do not send one.
	hangup func() (c <-chan os.Signal, stop func())
	// keyBits is the size of keys the program generates; 0 means
	// keys.DefaultBits. Tests use 2048 because 4096 is slow.
	keyBits int
}

// run is the program: it returns the exit status. It serves until ctx is
// cancelled (SIGINT or SIGTERM in main), then returns exitOK.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	p := program{lookup: os.LookupEnv, now: time.Now, stdout: stdout, stderr: stderr, hangup: notifyHangup}
	return p.run(ctx, args)
}

func (p program) run(ctx context.Context, args []string) int {
	if len(args) > 0 && args[0] == "audit" {
		return p.audit(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "keys" {
		return p.keysCommand(args[1:])
	}
	inv, err := parseArgs(args)
	if err != nil {
		return p.usageError(err)
	}
	if inv.help {
		writeUsage(p.stdout)
		return exitOK
	}
	cfg, secrets, err := p.loadSettings(inv.configPath, inv.overrides)
	if err != nil {
		return p.usageError(err)
	}
	if inv.checkConfig {
		return p.checkConfig(ctx, cfg, secrets)
	}
	log := newLogger(cfg, p.stderr)
	if err := p.serve(ctx, cfg, secrets, log); err != nil {
		log.Error("ers-gateway failed", "err", err)
		return exitError
	}
	return exitOK
}

// usageError reports a bad command line or configuration.
func (p program) usageError(err error) int {
	fmt.Fprintf(p.stderr, "ers-gateway: %v\n%s\n", err, seeHelp)
	return exitUsage
}

// newLogger is the one logger of the program, on stderr in the configured
// format (JSON by default), from the configured level (both validated by
// package config).
func newLogger(cfg config.Gateway, w io.Writer) *slog.Logger {
	return cli.NewLogger(cfg.LogFormat, cfg.LogLevel, w)
}

// notifyHangup delivers SIGHUP, which then no longer ends the process,
// until stop is called.
func notifyHangup() (<-chan os.Signal, func()) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP)
	return c, func() { signal.Stop(c) }
}

// hangups is the program's hangup subscription, or a channel that never
// delivers when it has none.
func (p program) hangups() (<-chan os.Signal, func()) {
	if p.hangup == nil {
		return nil, func() {}
	}
	return p.hangup()
}
