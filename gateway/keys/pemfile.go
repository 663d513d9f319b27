package keys

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Key file and directory modes.
const (
	fileMode = 0o600
	dirMode  = 0o700
)

// pemExt is the extension of key files; the rest of the name is the kid.
const pemExt = ".pem"

// maxKeyFileBytes bounds a key file (a 4096-bit PKCS#8 PEM is about 3.3 kB).
const maxKeyFileBytes = 64 << 10

// ErrInsecureKeyFile is returned when a key file can be read by group or
// others.
var ErrInsecureKeyFile = errors.New("keys: key file readable by group or others")

// loadedFile is a parsed key file.
type loadedFile struct {
	kid     string
	priv    *rsa.PrivateKey
	modTime time.Time
}

// readDir loads every <kid>.pem in dir. Other files and subdirectories are
// ignored. A missing directory reads as empty.
func readDir(dir string) ([]loadedFile, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("keys: read key directory %s: %w", dir, err)
	}
	var out []loadedFile
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, pemExt) || strings.HasPrefix(name, ".") {
			continue
		}
		f, err := readKeyFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// readKeyFile loads one key file, refusing it when its mode lets group or
// others in. Errors name the file, never its content.
func readKeyFile(path string) (loadedFile, error) {
	kid := strings.TrimSuffix(filepath.Base(path), pemExt)
	if !validKID(kid) {
		return loadedFile{}, fmt.Errorf("keys: key file %s: the name (the kid) may hold only letters, digits, '.', '_' and '-'", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return loadedFile{}, fmt.Errorf("keys: open key file: %w", err)
	}
	defer f.Close()
	// The mode is read from the open file, so it is the file read below.
	st, err := f.Stat()
	if err != nil {
		return loadedFile{}, fmt.Errorf("keys: stat key file %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return loadedFile{}, fmt.Errorf("keys: key file %s is not a regular file", path)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return loadedFile{}, fmt.Errorf("%w: %s has mode %04o; run chmod 600 %s", ErrInsecureKeyFile, path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	if err != nil {
		return loadedFile{}, fmt.Errorf("keys: read key file %s: %w", path, err)
	}
	if len(data) > maxKeyFileBytes {
		return loadedFile{}, fmt.Errorf("keys: key file %s is too large for a key", path)
	}
	priv, err := parsePrivateKey(data)
	if err != nil {
		return loadedFile{}, fmt.Errorf("keys: key file %s: %w", path, err)
	}
	return loadedFile{kid: kid, priv: priv, modTime: st.ModTime()}, nil
}

// parsePrivateKey reads one RSA private key from PEM, PKCS#8 ("PRIVATE
// KEY") or PKCS#1 ("RSA PRIVATE KEY"). Its errors never quote the input.
func parsePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	if _, encrypted := block.Headers["Proc-Type"]; encrypted {
		return nil, errors.New("encrypted PEM keys are not supported")
	}
	var priv *rsa.PrivateKey
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("not a valid PKCS#8 private key")
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("a %T, not an RSA key (RS512 needs RSA)", k)
		}
		priv = rk
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("not a valid PKCS#1 RSA private key")
		}
		priv = k
	default:
		return nil, fmt.Errorf("PEM block %q is not a private key (want PRIVATE KEY or RSA PRIVATE KEY)", block.Type)
	}
	if bits := priv.N.BitLen(); bits < MinBits {
		return nil, fmt.Errorf("a %d-bit key is below the minimum %d", bits, MinBits)
	}
	return priv, nil
}

// writeKeyFile stores priv as dir/<kid>.pem (PKCS#8, mode 0600) without
// ever replacing a file: it is written to a temporary file, synced, then
// linked to its name, which fails when the name exists. It reports
// fs.ErrExist in that case so the caller can pick another kid.
func writeKeyFile(dir, kid string, priv *rsa.PrivateKey) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("keys: create key directory %s: %w", dir, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("keys: encode key %s: %w", kid, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-key-*") // created 0600
	if err != nil {
		return fmt.Errorf("keys: create key file in %s: %w", dir, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	if err := tmp.Chmod(fileMode); err != nil {
		tmp.Close()
		return fmt.Errorf("keys: chmod key file in %s: %w", dir, err)
	}
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return fmt.Errorf("keys: write key file in %s: %w", dir, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("keys: sync key file in %s: %w", dir, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("keys: close key file in %s: %w", dir, err)
	}
	final := filepath.Join(dir, kid+pemExt)
	if err := os.Link(tmpName, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return fmt.Errorf("keys: name key file %s: %w", final, err)
	}
	return syncDir(dir)
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("keys: open key directory %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("keys: sync key directory %s: %w", dir, err)
	}
	return nil
}
