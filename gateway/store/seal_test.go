package store

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newTestSealer(t *testing.T) (*Sealer, []byte) {
	t.Helper()
	key := make([]byte, SealKeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	return s, key
}

func TestSealRoundTripAndRefusals(t *testing.T) {
	s, _ := newTestSealer(t)
	plain, aad := []byte("apim-access-token"), []byte("session:s1:access")
	c1, err := s.Seal(plain, aad)
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := s.Seal(plain, aad)
	if bytes.Equal(c1, c2) {
		t.Fatal("two seals of one value are equal: the nonce is not fresh")
	}
	if bytes.Contains(c1, plain) {
		t.Fatal("ciphertext contains the plaintext")
	}
	if len(c1) != 12+len(plain)+16 {
		t.Fatalf("ciphertext is %d bytes, want nonce+plaintext+tag = %d", len(c1), 12+len(plain)+16)
	}
	got, err := s.Open(c1, aad)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}

	other, _ := newTestSealer(t)
	tampered := bytes.Clone(c1)
	tampered[len(tampered)-1] ^= 1
	for name, open := range map[string]func() ([]byte, error){
		"other additional data": func() ([]byte, error) { return s.Open(c1, []byte("session:s2:access")) },
		"other key":             func() ([]byte, error) { return other.Open(c1, aad) },
		"tampered":              func() ([]byte, error) { return s.Open(tampered, aad) },
		"truncated":             func() ([]byte, error) { return s.Open(c1[:10], aad) },
	} {
		if _, err := open(); !errors.Is(err, ErrSealOpen) {
			t.Errorf("%s: got %v, want ErrSealOpen", name, err)
		}
	}
}

func TestNewSealerNeeds32Bytes(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := NewSealer(make([]byte, n)); err == nil {
			t.Errorf("%d-byte key accepted", n)
		}
	}
}

func TestLoadSealKey(t *testing.T) {
	dir := t.TempDir()
	_, key := newTestSealer(t)
	enc := base64.StdEncoding.EncodeToString(key)
	path := filepath.Join(dir, "seal.key")
	if err := os.WriteFile(path, []byte(enc+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSealKey(path)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("load: %v", err)
	}

	t.Run("a file others may read is refused with the fix", func(t *testing.T) {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadSealKey(path)
		if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Fatalf("got %v, want a refusal saying chmod 600 %s", err, path)
		}
		if strings.Contains(err.Error(), enc) {
			t.Fatal("the error quotes the key")
		}
	})
	t.Run("a group-readable file is refused too", func(t *testing.T) {
		if err := os.Chmod(path, 0o640); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadSealKey(path); err == nil {
			t.Fatal("0640 accepted")
		}
	})
	t.Run("a key of the wrong size is refused without quoting it", func(t *testing.T) {
		short := filepath.Join(dir, "short.key")
		val := base64.StdEncoding.EncodeToString(key[:16])
		if err := os.WriteFile(short, []byte(val), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadSealKey(short)
		if err == nil || strings.Contains(err.Error(), val) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestParseSealKey(t *testing.T) {
	_, key := newTestSealer(t)
	for name, s := range map[string]string{
		"standard":           base64.StdEncoding.EncodeToString(key),
		"url, unpadded":      base64.RawURLEncoding.EncodeToString(key),
		"with spaces around": "  " + base64.StdEncoding.EncodeToString(key) + "\n",
	} {
		got, err := ParseSealKey(s)
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := "not base64 at all!"
	if _, err := ParseSealKey(bad); err == nil || strings.Contains(err.Error(), bad) {
		t.Fatalf("got %v", err)
	}
}

func TestHashIsHexSHA256(t *testing.T) {
	// SHA-256("abc"), FIPS 180-2 appendix B.1.
	if got := Hash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("Hash(abc) = %s", got)
	}
	if Hash("a") == Hash("b") {
		t.Fatal("different secrets hash alike")
	}
}
