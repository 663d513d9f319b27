// Command ers-workstation is the terminal workstation for the NHS
// e-Referral Service: a thin main that reads the flags and the
// configuration (package config), starts the built-in demo when no gateway
// is configured (package demo), builds the session with the gateway
// (package session) and runs the Bubble Tea UI (package ui) until the user
// quits.
//
// Run "ers-workstation --help" for the flags, keys and personas.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/ers-workstation/ers-workstation/cmd/internal/cli"
	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
)

func main() { cli.Main(run) }

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // could not start, or the UI failed
	exitUsage = 2 // bad flags or configuration
)

// seeHelp ends every message about a bad command line or configuration.
const seeHelp = `Run "ers-workstation --help" for the flags and keys.`

// run is the program: it returns the exit status once the user quits or
// ctx is cancelled.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	lookup := config.LookupFunc(os.LookupEnv)
	home, _ := os.UserHomeDir()
	inv, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "ers-workstation: %v\n%s\n", err, seeHelp)
		return exitUsage
	}
	defaultPath, pathErr := config.WorkstationPath(lookup, home)
	switch {
	case inv.help:
		shown := defaultPath
		if pathErr != nil {
			shown = "~/.config/ers-workstation/config.toml"
		}
		writeUsage(stdout, shown)
		return exitOK
	case inv.version:
		fmt.Fprintf(stdout, "ers-workstation %s\n", version())
		return exitOK
	}

	path, ifMissing := inv.configPath, config.MissingIsError
	if path == "" {
		if pathErr != nil {
			fmt.Fprintf(stderr, "ers-workstation: %v\n", pathErr)
			return exitUsage
		}
		path, ifMissing = defaultPath, config.MissingIsDefaults
	}
	cfg, _, err := config.LoadWorkstation(path, ifMissing, lookup, inv.overrides...)
	if err != nil {
		fmt.Fprintf(stderr, "ers-workstation: %v\n%s\n", err, seeHelp)
		return exitUsage
	}
	if v, _ := lookup("NO_COLOR"); v != "" {
		inv.noColor = true
	}

	log, closeLog := startLog(lookup, home, stderr)
	var dirs localDirs // none: downloads and drafts are refused with a message
	dirs.documents, _ = documentsDir(lookup, home)
	dirs.drafts, _ = draftsDir(lookup, home)
	defer closeLog()
	log.Info("starting", "version", version(), "config", path, "demo", cfg.GatewayURL == "")
	if err := workstation(ctx, cfg, inv, dirs, time.Now, log); err != nil {
		log.Error("stopped", "err", err)
		fmt.Fprintf(stderr, "ers-workstation: %v\n", err)
		return exitError
	}
	log.Info("stopped")
	return exitOK
}

// startLog opens the log file; when it cannot, the program still runs, with
// no log, and says so on stderr before the UI takes the terminal.
func startLog(lookup config.LookupFunc, home string, stderr io.Writer) (*slog.Logger, func()) {
	path, err := logPath(lookup, home)
	if err == nil {
		var f *os.File
		if f, err = openLog(path); err == nil {
			return newLogger(f), func() { f.Close() }
		}
	}
	fmt.Fprintf(stderr, "ers-workstation: running without a log: %v\n", err)
	return slog.New(slog.DiscardHandler), func() {}
}

// workstation starts the backend (the demo or the configured gateway), the
// session, and the UI, and stops them in turn when the UI ends.
func workstation(ctx context.Context, cfg config.Workstation, inv invocation, dirs localDirs, now func() time.Time, log *slog.Logger) error {
	b, err := startBackend(ctx, cfg, inv, now, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := b.close(); err != nil {
			log.Warn("demo did not stop cleanly", "err", err)
		}
	}()
	m, err := b.newManager(now, log)
	if err != nil {
		return err
	}
	// e-RS through the gateway's proxy: the session's transport adds the
	// session token and a proof; the gateway adds the NHS token and the
	// role headers.
	ers, err := ersclient.New(ersclient.Options{
		BaseURL: m.GatewayURL() + gatewayapi.ERSPrefix, Transport: m.Transport(), UserAgent: "ers-workstation/" + version(),
	})
	if err != nil {
		return err
	}
	err = runUI(ctx, uiSettings{auth: b.auth(m), ers: ers, dirs: dirs, environment: b.environment,
		theme: cfg.Theme, noColor: inv.noColor, plain: inv.plain, now: now}, log)
	if errors.Is(err, context.Canceled) {
		return nil // SIGINT or SIGTERM: a normal end
	}
	return err
}

// version is the module version the binary was built from; "dev" for a
// build from a working tree.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
