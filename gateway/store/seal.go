package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// SealKeySize is the size of the AES-256 key that seals NHS tokens at rest.
const SealKeySize = 32

// ErrSealOpen: a ciphertext does not open with this key and additional
// data (wrong key, wrong record, or tampered). It says nothing more, on
// purpose.
var ErrSealOpen = errors.New("store: sealed value does not open")

// Sealer encrypts the NHS tokens before they reach the database, so that a
// copy of the database (a backup, a stolen disk) holds no usable token.
// The additional data binds a ciphertext to its place (for example the
// session id and the field name), so one cannot be moved to another row.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a Sealer using AES-256-GCM with key (32 bytes).
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != SealKeySize {
		return nil, fmt.Errorf("store: seal key must be %d bytes, got %d", SealKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("store: seal key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("store: seal key: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext; the result is a random 96-bit nonce followed by
// the ciphertext and tag. A random nonce is safe here: far fewer than 2^32
// values are sealed under one key.
func (s *Sealer) Seal(plaintext, aad []byte) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("store: seal: %w", err)
	}
	return s.aead.Seal(nonce, nonce, plaintext, aad), nil
}

// Open decrypts what Seal produced with the same additional data; any
// mismatch gives ErrSealOpen.
func (s *Sealer) Open(ciphertext, aad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(ciphertext) < n+s.aead.Overhead() {
		return nil, ErrSealOpen
	}
	out, err := s.aead.Open(nil, ciphertext[:n], ciphertext[n:], aad)
	if err != nil {
		return nil, ErrSealOpen
	}
	return out, nil
}

// LoadSealKey reads a seal key file: 32 random bytes in base64 (for example
// `head -c 32 /dev/urandom | base64 > seal.key; chmod 600 seal.key`). Like
// the signing keys, a file that the group or others may read is refused.
func LoadSealKey(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("store: seal key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("store: seal key file %s has mode %04o, readable by group or others: chmod 600 %s",
			path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("store: seal key: %w", err)
	}
	key, err := ParseSealKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return key, nil
}

// ParseSealKey decodes a seal key given as base64 (standard or URL
// alphabet, padded or not), as from an environment variable. The error
// never quotes the value.
func ParseSealKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		key, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		if len(key) != SealKeySize {
			return nil, fmt.Errorf("store: seal key must decode to %d bytes, got %d", SealKeySize, len(key))
		}
		return key, nil
	}
	return nil, errors.New("store: seal key is not base64")
}

// Hash is how session tokens, handoff codes and browser cookies are kept:
// hex SHA-256. They are 256-bit random values, so a fast hash is enough
// (no password stretching needed) and lookups stay exact-match.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
