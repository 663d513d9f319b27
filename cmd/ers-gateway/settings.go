package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// secrets are the secret values the settings point to, read and checked.
// They never reach a log or an error message.
type secrets struct {
	// sealKey seals NHS tokens at rest; nil means none was given (local
	// and sandbox then use a random key in memory).
	sealKey []byte
	// appSecret is the APIM application secret.
	appSecret string
}

// loadSettings reads the configuration (defaults, file, environment,
// flags), then the seal key and the app secret it names. Every problem, of
// package config and of the secrets, comes back in one error wrapping
// config.Problems; a file that cannot be read or parsed is reported alone.
func (p program) loadSettings(path string, overrides []config.Override) (config.Gateway, secrets, error) {
	cfg, err := config.LoadGateway(path, p.lookup, overrides...)
	var ps config.Problems
	if err != nil && !errors.As(err, &ps) {
		return cfg, secrets{}, err
	}
	ps = append(ps, cfg.SecretsFromFile(p.lookup)...)
	cfg = cfg.WithSimulatorDefaults()

	var sec secrets
	if len(ps) == 0 {
		sec, ps = readSecrets(cfg)
	}
	if len(ps) > 0 {
		where := "config"
		if path != "" {
			where += " " + path
		}
		return cfg, secrets{}, fmt.Errorf("%s: %w", where, ps)
	}
	return cfg, sec, nil
}

// readSecrets reads the seal key and the app secret from their files or
// variables. The problems name the key and the file, never the value.
func readSecrets(cfg config.Gateway) (secrets, config.Problems) {
	var (
		sec secrets
		ps  config.Problems
		err error
	)
	switch {
	case cfg.Store.SealKeyFile != "":
		if sec.sealKey, err = store.LoadSealKey(cfg.Store.SealKeyFile); err != nil {
			ps = append(ps, config.Problem{Key: "store.seal_key_file", Message: err.Error()})
		}
	case cfg.Store.SealKey != "":
		if sec.sealKey, err = store.ParseSealKey(cfg.Store.SealKey); err != nil {
			ps = append(ps, config.Problem{Key: "store.seal_key", Message: err.Error() + "; write 32 random bytes in base64 (head -c 32 /dev/urandom | base64)"})
		}
	}
	sec.appSecret = cfg.APIM.AppSecret
	if cfg.APIM.AppSecretFile != "" {
		if sec.appSecret, err = readSecretFile(cfg.APIM.AppSecretFile); err != nil {
			ps = append(ps, config.Problem{Key: "apim.app_secret_file", Message: err.Error()})
		}
	}
	return sec, ps
}

// maxSecretFileBytes bounds a secret file: a secret is a line, not a document.
const maxSecretFileBytes = 4 << 10

// readSecretFile reads a one-line secret from a file that only its owner
// may read, like the key files.
func readSecretFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("%s has mode %04o, readable by group or others; run chmod 600 %s", path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFileBytes+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > maxSecretFileBytes {
		return "", fmt.Errorf("%s is larger than a secret (%d bytes at most)", path, maxSecretFileBytes)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return s, nil
}
