package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
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

// listener is one address served: e-RS (with CIS2 and APIM unless they
// have their own), CIS2, APIM or the admin API.
type listener struct {
	name string // for logs: "api", "cis2", "apim", "admin"
	ln   net.Listener
	srv  *http.Server
}

// origins are the origins the simulators are reached at, each with its
// port: CIS2's issuer and APIM's token URL (the audience of assertions)
// contain them. Empty cis2 or apim means they share ers.
type origins struct{ ers, cis2, apim string }

// originOf is the http origin of a listener. A listener on every interface
// (0.0.0.0 or ::) is named by 127.0.0.1, since a URL needs one host.
func originOf(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// openListeners listens on every configured address, before anything slow
// happens, so that a busy port fails at once. On error it closes what it
// opened.
func openListeners(cfg config.Sandbox) (map[string]net.Listener, error) {
	opened := map[string]net.Listener{}
	for _, l := range []struct{ name, addr, what string }{
		{"api", cfg.Listen, "the API"},
		{"cis2", cfg.CIS2Listen, "CIS2"},
		{"apim", cfg.APIMListen, "APIM"},
		{"admin", cfg.AdminListen, "the admin API"},
	} {
		if l.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			for _, o := range opened {
				o.Close()
			}
			return nil, fmt.Errorf("cannot listen for %s: %w", l.what, err)
		}
		opened[l.name] = ln
	}
	return opened, nil
}

// serve listens, seeds, prints the URLs on stdout and serves until ctx is
// cancelled, then shuts down gracefully. It returns an error only when it
// cannot start or a listener fails.
func serve(ctx context.Context, cfg config.Sandbox, plan faults.Plan, stdout io.Writer, log *slog.Logger) error {
	start := time.Now()
	lns, err := openListeners(cfg)
	if err != nil {
		return err
	}
	o := origins{ers: originOf(lns["api"].Addr())}
	if ln := lns["cis2"]; ln != nil {
		o.cis2 = originOf(ln.Addr())
	}
	if ln := lns["apim"]; ln != nil {
		o.apim = originOf(ln.Addr())
	}
	sim, err := newSimulator(cfg, plan, o, start, log)
	if err != nil {
		for _, ln := range lns {
			ln.Close()
		}
		return err
	}

	errorLog := slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout, ErrorLog: errorLog}
	}
	handlers := map[string]http.Handler{"api": sim.Handler(), "cis2": sim.CIS2Handler(), "apim": sim.APIMHandler(), "admin": sim.AdminHandler()}
	var listeners []listener
	for _, name := range []string{"api", "cis2", "apim", "admin"} {
		if ln := lns[name]; ln != nil {
			listeners = append(listeners, listener{name: name, ln: ln, srv: newServer(handlers[name])})
		}
	}
	urls := sim.URLs()
	fmt.Fprintf(stdout, "ers-sandbox: serving e-RS at %s\n", urls.ERSBase)
	fmt.Fprintf(stdout, "ers-sandbox: CIS2 issuer %s\n", urls.CIS2Issuer)
	fmt.Fprintf(stdout, "ers-sandbox: APIM token URL %s\n", urls.APIMTokenURL)
	if ln := lns["admin"]; ln != nil {
		fmt.Fprintf(stdout, "ers-sandbox: admin API at %s/_admin\n", originOf(ln.Addr()))
	}
	for _, l := range listeners {
		if isLoopback(l.ln.Addr()) {
			continue
		}
		if l.name == "admin" {
			log.Warn("the admin API listens on an address that is not loopback, but it has no authentication: "+
				"anyone who can reach it can reset the data, revoke sessions and inject faults", "addr", l.ln.Addr().String())
		} else {
			log.Warn("a simulator listens on an address that is not loopback: anyone who can reach it can sign in as any persona"+
				" and read and change its synthetic data", "listener", l.name, "addr", l.ln.Addr().String())
		}
	}
	log.Info("serving", "addr", lns["api"].Addr().String(), "version", version())

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
