package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/sandbox"
	"github.com/ers-workstation/ers-workstation/sandbox/faults"
)

// Timeouts of the HTTP servers. There is no write timeout: injected latency
// and slow bodies must be able to take as long as the fault plan says.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	// shutdownTimeout is how long calls in progress get to finish after
	// SIGINT or SIGTERM before their connections are closed.
	shutdownTimeout = 5 * time.Second
)

// listener is one address served: the e-RS API or the admin API.
type listener struct {
	name string // for logs: "api", "admin"
	ln   net.Listener
	srv  *http.Server
}

// serve listens, seeds, prints the URLs on stdout and serves until ctx is
// cancelled, then shuts down gracefully. It returns an error only when it
// cannot start or a listener fails.
func serve(ctx context.Context, cfg config.Sandbox, plan faults.Plan, stdout io.Writer, log *slog.Logger) error {
	start := time.Now()

	// Listen before seeding: a busy port fails at once, not after seconds of
	// generating data.
	apiLn, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("cannot listen for the API: %w", err)
	}
	var adminLn net.Listener
	if cfg.AdminListen != "" {
		if adminLn, err = net.Listen("tcp", cfg.AdminListen); err != nil {
			apiLn.Close()
			return fmt.Errorf("cannot listen for the admin API: %w", err)
		}
	}

	sim, err := newSimulator(cfg, plan, start, log)
	if err != nil {
		apiLn.Close()
		if adminLn != nil {
			adminLn.Close()
		}
		return err
	}

	errorLog := slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout, ErrorLog: errorLog}
	}
	listeners := []listener{{name: "api", ln: apiLn, srv: newServer(sim)}}
	fmt.Fprintf(stdout, "ers-sandbox: serving e-RS at http://%s%s\n", apiLn.Addr(), sandbox.BasePath)
	if !isLoopback(apiLn.Addr()) {
		log.Warn("the API listens on an address that is not loopback, but the simulator has no real authentication: "+
			"it accepts any bearer token, so anyone who can reach it can read and change its data", "addr", apiLn.Addr().String())
	}
	if adminLn != nil {
		listeners = append(listeners, listener{name: "admin", ln: adminLn, srv: newServer(sim.AdminHandler())})
		fmt.Fprintf(stdout, "ers-sandbox: admin API at http://%s/_admin\n", adminLn.Addr())
		if !isLoopback(adminLn.Addr()) {
			log.Warn("the admin API listens on an address that is not loopback, but it has no authentication: "+
				"anyone who can reach it can reset the data and inject faults", "addr", adminLn.Addr().String())
		}
	}
	log.Info("serving", "addr", apiLn.Addr().String(), "version", version())

	errc := make(chan error, len(listeners))
	for _, l := range listeners {
		go func() {
			err := l.srv.Serve(l.ln)
			if !errors.Is(err, http.ErrServerClosed) {
				err = fmt.Errorf("%s listener: %w", l.name, err)
			}
			errc <- err
		}()
	}

	var failed error
	running := len(listeners)
	select {
	case <-ctx.Done():
		log.Info("stopping", "reason", context.Cause(ctx).Error())
	case failed = <-errc:
		running--
		log.Error("stopping", "err", failed)
	}

	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	for _, l := range listeners {
		if err := l.srv.Shutdown(shutdownCtx); err != nil {
			log.Warn("calls still running were cut off", "listener", l.name, "after", shutdownTimeout.String(), "err", err)
			l.srv.Close()
		}
	}
	for range running {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) && failed == nil {
			failed = err
		}
	}
	if failed == nil {
		log.Info("stopped")
	}
	return failed
}

// isLoopback reports whether a listener's address is a loopback one.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
