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
	"os/signal"
	"syscall"

	"github.com/ers-workstation/ers-workstation/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Once the first signal has asked for a graceful stop, a second one
	// kills the process as usual.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

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
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
