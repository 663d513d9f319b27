// Command ers-sandbox is a stateful simulator of the NHS e-Referral Service
// (e-RS) FHIR API, with synthetic data only, listening on loopback by default.
// It is a thin main over package sandbox: it reads the flags and the
// configuration (package config), seeds the data, serves the API (and the
// admin API when asked), and stops cleanly on SIGINT or SIGTERM.
//
// Run "ers-sandbox --help" for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/ers-workstation/ers-workstation/cmd/internal/cli"
	"github.com/ers-workstation/ers-workstation/config"
)

func main() { cli.Main(run) }

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // could not start, or a listener failed
	exitUsage = 2 // bad flags or configuration
)

// seeHelp ends every message about a bad command line or configuration.
const seeHelp = `Run "ers-sandbox --help" for the flags and keys.`

// run is the program: it returns the exit status. It serves until ctx is
// cancelled (SIGINT or SIGTERM in main), then returns exitOK.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	inv, err := parseArgs(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		writeUsage(stdout)
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "ers-sandbox: %v\n%s\n", err, seeHelp)
		return exitUsage
	}
	cfg, plan, err := loadSettings(inv, os.LookupEnv)
	if err != nil {
		fmt.Fprintf(stderr, "ers-sandbox: %v\n%s\n", err, seeHelp)
		return exitUsage
	}
	log := newLogger(cfg, stderr)
	if err := serve(ctx, cfg, plan, stdout, log); err != nil {
		log.Error("ers-sandbox failed", "err", err)
		return exitError
	}
	return exitOK
}

// newLogger is the one logger of the program, on stderr in the configured
// format, from the configured level (both validated by package config).
func newLogger(cfg config.Sandbox, w io.Writer) *slog.Logger {
	return cli.NewLogger(cfg.LogFormat, cfg.LogLevel, w)
}
