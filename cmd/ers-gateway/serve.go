package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/gateway"
	"github.com/ers-workstation/ers-workstation/gateway/keys"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// Timeouts of the HTTP server. There is no write timeout: a proxied
// download streams for as long as e-RS takes; the proxy bounds upstream calls.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	// shutdownTimeout is how long calls in progress get to finish after
	// SIGINT or SIGTERM before their connections are closed.
	shutdownTimeout = 10 * time.Second
	// housekeepingInterval is how often expired logins and finished
	// sessions are deleted.
	housekeepingInterval = time.Minute
	// startTimeout bounds opening the store and CIS2's discovery at start.
	startTimeout = 30 * time.Second
)

// serve opens the keys, the store and the seal key, builds the gateway,
// prints its URL on stdout and serves until ctx is cancelled, then shuts
// down gracefully. It returns an error only when it cannot start or the
// listener fails.
func (p program) serve(ctx context.Context, cfg config.Gateway, sec secrets, log *slog.Logger) error {
	tlsConfig, err := loadTLS(cfg.TLS)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("cannot listen: %w", err)
	}
	defer ln.Close()
	public := publicURL(cfg, ln.Addr().String())

	ks, err := keys.Open(keys.Options{Dir: cfg.Keys.Dir, Bits: p.keyBits, Lead: cfg.Keys.RotationLead, Retention: cfg.Keys.Retention, Now: p.now})
	if err != nil {
		return err
	}
	if cfg.Keys.Dir == "" {
		log.Warn("signing keys are in memory and change on every start: fine for local and sandbox only")
	}
	startCtx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	st, err := openStore(startCtx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.Store.DSN == "" {
		log.Warn("the store is in memory: sessions and the audit trail are lost on restart; fine for local and sandbox only")
	}
	sealKey := sec.sealKey
	if sealKey == nil {
		sealKey = make([]byte, store.SealKeySize)
		rand.Read(sealKey) //nolint:errcheck // crypto/rand.Read never fails (Go 1.24+)
		log.Warn("no seal key (store.seal_key_file or ERS_STORE_SEAL_KEY): NHS tokens are sealed with a random key in memory, so sessions do not survive a restart")
	}
	sealer, err := store.NewSealer(sealKey)
	if err != nil {
		return err
	}

	ersBase, issuer, tokenURL := cfg.Endpoints()
	var extra url.Values
	if d := cfg.APIM.TestAccessTokenExpiry; d > 0 {
		extra = url.Values{"_access_token_expiry_ms": {strconv.FormatInt(d.Milliseconds(), 10)}}
	}
	gw, err := gateway.New(startCtx, gateway.Options{
		PublicURL: public, ERSBaseURL: ersBase,
		CIS2Issuer: issuer, CIS2ClientID: cfg.CIS2.ClientID,
		APIMTokenURL: tokenURL, APIKey: cfg.APIM.APIKey, AppSecret: sec.appSecret, APIMExtra: extra,
		Keys: ks, Store: st, Sealer: sealer,
		IdleTimeout: cfg.Session.IdleTimeout, AbsoluteTimeout: cfg.Session.AbsoluteTimeout,
		Rate: cfg.Rate, Burst: cfg.Burst,
		Now: p.now, Logger: log,
	})
	if err != nil {
		return err
	}
	cancel()

	srv := &http.Server{
		Handler:           accessLog(gw.Handler(), log, p.now),
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		TLSConfig:         tlsConfig,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(p.stdout, "ers-gateway: serving at %s\n", public)
	log.Info("serving", "addr", ln.Addr().String(), "public_url", public, "environment", cfg.Environment,
		"ers_base_url", ersBase, "cis2_issuer", issuer, "apim_token_url", tokenURL, "tls", cfg.TLS.CertFile != "", "kid", ks.Current(p.now()).KID)

	errc := make(chan error, 1)
	go func() {
		var err error
		if tlsConfig != nil {
			err = srv.ServeTLS(ln, "", "")
		} else {
			err = srv.Serve(ln)
		}
		errc <- err
	}()
	hangups, stopHangups := p.hangups()
	defer stopHangups()
	hkCtx, stopHK := context.WithCancel(ctx)
	hkDone := make(chan struct{})
	go func() {
		defer close(hkDone)
		p.housekeepEvery(hkCtx, housekeepingInterval, hangups, st, ks, log)
	}()

	var failed error
	select {
	case <-ctx.Done():
		log.Info("stopping", "reason", context.Cause(ctx).Error())
	case failed = <-errc:
		log.Error("stopping", "err", failed)
	}
	stopHK()
	<-hkDone
	shutdownCtx, cancelShutdown := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancelShutdown()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("calls still running were cut off", "after", shutdownTimeout.String(), "err", err)
		srv.Close()
	}
	if failed == nil {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			failed = err
		}
	}
	if failed == nil {
		log.Info("stopped")
	}
	return failed
}

// loadTLS loads the configured certificate before anything listens, so a
// bad pair stops the start instead of every handshake; nil without TLS.
// Plain HTTP on an address that is not loopback was refused by package
// config already.
func loadTLS(c config.TLS) (*tls.Config, error) {
	if c.CertFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("tls.cert_file %s and tls.key_file %s do not load: %w", c.CertFile, c.KeyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// openStore opens the configured store, running its migrations.
func openStore(ctx context.Context, c config.Store) (store.Store, error) {
	if c.Driver == "postgres" {
		return store.OpenPostgres(ctx, c.DSN)
	}
	return store.OpenSQLite(ctx, c.DSN)
}

// housekeepEvery runs housekeep and reloads the keys every interval, and
// reloads the keys on each hangup, until ctx is cancelled.
func (p program) housekeepEvery(ctx context.Context, interval time.Duration, hangups <-chan os.Signal,
	st store.Store, ks *keys.Set, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.housekeep(ctx, st, log)
			reloadKeys(ks, log, "timer")
		case <-hangups:
			reloadKeys(ks, log, "SIGHUP")
		}
	}
}

// reloadKeys takes up key files written since the last look (by
// "ers-gateway keys rotate" or another gateway). A bad file is logged and
// the gateway goes on signing with the keys it has.
func reloadKeys(ks *keys.Set, log *slog.Logger, trigger string) {
	added, err := ks.Reload()
	if err != nil {
		log.Error("key reload failed; signing with the keys already loaded", "trigger", trigger, "err", err)
		return
	}
	for _, k := range added {
		log.Info("key published", "trigger", trigger, "kid", k.KID, "state", string(k.State),
			"signs_from", k.Active.UTC().Format(time.RFC3339))
	}
}

// publicURL is the gateway's origin: the configured public URL, or the
// address listened on, with https when a certificate is configured.
func publicURL(cfg config.Gateway, addr string) string {
	public := strings.TrimSuffix(cfg.PublicURLFor(addr), "/")
	if cfg.PublicURL == "" && cfg.TLS.CertFile != "" {
		if rest, ok := strings.CutPrefix(public, "http://"); ok {
			public = "https://" + rest
		}
	}
	return public
}

// housekeep deletes expired logins and ended or expired sessions. The
// audit trail is never touched.
func (p program) housekeep(ctx context.Context, st store.Store, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, housekeepingInterval/2)
	defer cancel()
	now := p.now()
	logins, err := st.DeleteExpiredLogins(ctx, now)
	if err != nil {
		log.Warn("housekeeping failed", "during", "expired logins", "err", err)
	}
	sessions, err := st.DeleteSessionsBefore(ctx, now)
	if err != nil {
		log.Warn("housekeeping failed", "during", "finished sessions", "err", err)
	}
	jtis, err := st.DeleteExpiredJTIs(ctx, now)
	if err != nil {
		log.Warn("housekeeping failed", "during", "expired proof and logout-token ids", "err", err)
	}
	if logins > 0 || sessions > 0 || jtis > 0 {
		log.Debug("housekeeping", "logins_deleted", logins, "sessions_deleted", sessions, "jtis_deleted", jtis)
	}
}
