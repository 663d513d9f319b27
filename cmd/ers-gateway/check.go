package main

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/gateway/keys"
)

// checkTimeout bounds each check that talks to a database.
const checkTimeout = 10 * time.Second

// checkConfig is --check-config: the settings already loaded and
// validated, it reads what they point to without changing anything (no key
// is generated, no database created or migrated), then prints the verdict
// and the effective settings on stdout, secrets redacted.
func (p program) checkConfig(ctx context.Context, cfg config.Gateway, _ secrets) int {
	var ps config.Problems
	var notes []string
	add := func(key string, err error) { ps = append(ps, config.Problem{Key: key, Message: err.Error()}) }

	if note, err := checkKeys(cfg.Keys, p.now); err != nil {
		add("keys.dir", err)
	} else if note != "" {
		notes = append(notes, note)
	}
	if cfg.TLS.CertFile != "" {
		if _, err := tls.LoadX509KeyPair(cfg.TLS.CertFile, cfg.TLS.KeyFile); err != nil {
			add("tls.cert_file", fmt.Errorf("the certificate and key do not load: %w", err))
		}
	}
	if note, err := checkStore(ctx, cfg.Store); err != nil {
		add("store.dsn", err)
	} else if note != "" {
		notes = append(notes, note)
	}
	if len(ps) > 0 {
		fmt.Fprintf(p.stderr, "ers-gateway: configuration not OK: %v\n%s\n", ps, seeHelp)
		return exitUsage
	}

	var b strings.Builder
	b.WriteString("configuration OK\n")
	for _, n := range notes {
		b.WriteString("note: " + n + "\n")
	}
	ers, issuer, token := cfg.Endpoints()
	fmt.Fprintf(&b, "effective public URL: %s\neffective e-RS base URL: %s\neffective CIS2 issuer: %s\neffective APIM token URL: %s\n",
		cfg.PublicURLFor(cfg.Listen), ers, issuer, token)
	for _, s := range cfg.Settings() {
		v := s.Value
		if s.Key == "store.dsn" {
			v = redactDSN(v)
		}
		fmt.Fprintf(&b, "%s = %q\n", s.Key, v)
	}
	fmt.Fprint(p.stdout, b.String())
	return exitOK
}

// checkKeys loads the key directory when it holds keys (loading writes
// nothing), or says that the first start will generate one.
func checkKeys(c config.Keys, now func() time.Time) (note string, err error) {
	if c.Dir == "" {
		return "keys.dir is empty: signing keys are generated in memory at every start", nil
	}
	entries, err := os.ReadDir(c.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("keys.dir %s does not exist yet: the first start creates it (0700) with a new key (0600)", c.Dir), nil
	case err != nil:
		return "", err
	}
	hasKey := false
	for _, e := range entries {
		hasKey = hasKey || (!e.IsDir() && strings.HasSuffix(e.Name(), ".pem") && !strings.HasPrefix(e.Name(), "."))
	}
	if !hasKey {
		return fmt.Sprintf("keys.dir %s holds no key yet: the first start writes one (0600)", c.Dir), nil
	}
	ks, err := keys.Open(keys.Options{Dir: c.Dir, Lead: c.RotationLead, Retention: c.Retention, Now: now})
	if err != nil {
		return "", err
	}
	cur := ks.Current(now())
	return fmt.Sprintf("keys.dir %s: %d keys, signing with %s", c.Dir, len(ks.Keys(now())), cur.KID), nil
}

// checkStore reaches the store read-only: an SQLite file is opened
// read-only (or its directory checked, when the first start will create
// it); PostgreSQL is connected to and pinged.
func checkStore(ctx context.Context, c config.Store) (note string, err error) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	if c.Driver == "postgres" {
		pc, err := pgx.ParseConfig(c.DSN) // its errors redact the password
		if err != nil {
			return "", err
		}
		pc.ConnectTimeout = checkTimeout
		conn, err := pgx.ConnectConfig(ctx, pc)
		if err != nil {
			return "", fmt.Errorf("cannot connect to PostgreSQL: %w", err)
		}
		defer conn.Close(context.WithoutCancel(ctx))
		if err := conn.Ping(ctx); err != nil {
			return "", fmt.Errorf("PostgreSQL does not answer: %w", err)
		}
		return "store: PostgreSQL answers; migrations run at start", nil
	}
	if c.DSN == "" {
		return "store.dsn is empty: sessions and the audit trail are kept in memory, lost on restart", nil
	}
	st, err := os.Stat(c.DSN)
	if errors.Is(err, fs.ErrNotExist) {
		dir := filepath.Dir(c.DSN)
		if d, err := os.Stat(dir); err != nil || !d.IsDir() {
			return "", fmt.Errorf("the directory %s of the SQLite file does not exist", dir)
		}
		return fmt.Sprintf("store: %s does not exist yet: the first start creates it (0600)", c.DSN), nil
	}
	if err != nil {
		return "", err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("the SQLite file %s has mode %04o, readable by group or others (it holds sealed tokens and the audit trail); run chmod 600 %s",
			c.DSN, st.Mode().Perm(), c.DSN)
	}
	db, err := sql.Open("sqlite", "file:"+c.DSN+"?mode=ro")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var applied int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil {
		return "", fmt.Errorf("the SQLite file %s is not a gateway store: %w", c.DSN, err)
	}
	return fmt.Sprintf("store: %s opens, %d migrations applied", c.DSN, applied), nil
}

// redactDSN hides the password of a PostgreSQL DSN, URL or key=value.
func redactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		if u.User != nil {
			dsn = u.Redacted()
		}
	}
	// key=value form, or a password in a URL's query.
	return regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|[^\s&]+)`).ReplaceAllString(dsn, "${1}xxxxx")
}
