package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// keyFiles lists the .pem files of dir.
func keyFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// writePEM writes a PEM block to dir/name with mode.
func writePEM(t *testing.T, dir, name, typ string, der []byte, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

func TestDirectory(t *testing.T) {
	t.Run("first start generates a key in a 0700 directory, file 0600 named by kid", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "keys")
		clock := newClock()
		s := openTest(t, clock, dir)
		st, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %04o, want 0700", st.Mode().Perm())
		}
		files := keyFiles(t, dir)
		if len(files) != 1 {
			t.Fatalf("files %v, want one key", files)
		}
		fst, _ := os.Stat(files[0])
		if fst.Mode().Perm() != 0o600 {
			t.Errorf("key file mode %04o, want 0600", fst.Mode().Perm())
		}
		if want := s.Current(t0()).KID + ".pem"; filepath.Base(files[0]) != want {
			t.Errorf("file %s, want %s", filepath.Base(files[0]), want)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("directory holds %d entries, want only the key (no temporary left)", len(entries))
		}
	})

	t.Run("a reload gives the same keys and the same signing key", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		s1 := openTest(t, clock, dir)
		rotated, err := s1.Rotate(t0().Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{t0().Add(30 * time.Minute), t0().Add(3 * time.Hour)} {
			clock.Set(at)
			s2 := openTest(t, clock, dir)
			j1, j2 := s1.JWKS(at), s2.JWKS(at)
			if !slices.Equal(kids(j1), kids(j2)) {
				t.Fatalf("at %s: kids %v then %v", at, kids(j1), kids(j2))
			}
			for i := range j1.Keys {
				a, b := j1.Keys[i].Key.(*rsa.PublicKey), j2.Keys[i].Key.(*rsa.PublicKey)
				if !a.Equal(b) {
					t.Fatalf("key %s differs after reload", j1.Keys[i].KeyID)
				}
			}
			if c1, c2 := s1.Current(at).KID, s2.Current(at).KID; c1 != c2 {
				t.Fatalf("at %s: signing key %s, after reload %s", at, c1, c2)
			}
		}
		if got := s1.Current(t0().Add(3 * time.Hour)).KID; got != rotated.KID {
			t.Fatalf("3 h on, signing with %s, want the rotated key %s", got, rotated.KID)
		}
		if len(keyFiles(t, dir)) != 2 {
			t.Fatal("rotation did not write its key file")
		}
	})

	t.Run("refuses a key file group or others can read, naming it and the fix", func(t *testing.T) {
		dir := t.TempDir()
		priv, _ := rsa.GenerateKey(rand.Reader, testBits)
		der, _ := x509.MarshalPKCS8PrivateKey(priv)
		path := writePEM(t, dir, "ers-gw-20261121T0700Z.pem", "PRIVATE KEY", der, 0o644)
		_, err := Open(Options{Dir: dir, Bits: testBits, Now: newClock().Now})
		if err == nil {
			t.Fatal("a 0644 key file was accepted")
		}
		if !errors.Is(err, ErrInsecureKeyFile) {
			t.Errorf("error %v is not ErrInsecureKeyFile", err)
		}
		if !strings.Contains(err.Error(), "chmod 600 "+path) {
			t.Errorf("error %q does not say chmod 600 %s", err, path)
		}
		if len(keyFiles(t, dir)) != 1 {
			t.Error("a key was generated beside the refused file")
		}
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(Options{Dir: dir, Bits: testBits, Now: newClock().Now})
		if err != nil {
			t.Fatalf("after chmod 600: %v", err)
		}
		if s.Current(t0()).KID != "ers-gw-20261121T0700Z" {
			t.Errorf("signing with %s, want the file's kid", s.Current(t0()).KID)
		}
	})

	t.Run("loads PKCS#1 keys with operator-chosen names and ignores other files", func(t *testing.T) {
		dir := t.TempDir()
		priv, _ := rsa.GenerateKey(rand.Reader, testBits)
		writePEM(t, dir, "prod-2026.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(priv), 0o400)
		if err := os.WriteFile(filepath.Join(dir, "README"), []byte("keys"), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Open(Options{Dir: dir, Bits: testBits, Now: newClock().Now})
		if err != nil {
			t.Fatal(err)
		}
		set := s.JWKS(t0())
		if !slices.Equal(kids(set), []string{"prod-2026"}) {
			t.Fatalf("kids %v", kids(set))
		}
		if !set.Keys[0].Key.(*rsa.PublicKey).Equal(&priv.PublicKey) {
			t.Fatal("published key is not the file's key")
		}
	})

	t.Run("refuses a key file that is not an RSA private key", func(t *testing.T) {
		ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		ecDER, _ := x509.MarshalPKCS8PrivateKey(ec)
		cases := map[string]func(dir string){
			"an EC key":      func(dir string) { writePEM(t, dir, "ec.pem", "PRIVATE KEY", ecDER, 0o600) },
			"a certificate":  func(dir string) { writePEM(t, dir, "cert.pem", "CERTIFICATE", []byte{1, 2}, 0o600) },
			"garbage":        func(dir string) { writePEM(t, dir, "bad.pem", "PRIVATE KEY", []byte{1, 2, 3}, 0o600) },
			"not PEM at all": func(dir string) { _ = os.WriteFile(filepath.Join(dir, "x.pem"), []byte("hello"), 0o600) },
		}
		for name, write := range cases {
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				write(dir)
				if _, err := Open(Options{Dir: dir, Bits: testBits, Now: newClock().Now}); err == nil {
					t.Fatal("accepted")
				}
			})
		}
	})

	t.Run("never overwrites a key file another process wrote under the same kid", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		s := openTest(t, clock, dir)
		other, _ := rsa.GenerateKey(rand.Reader, testBits)
		der, _ := x509.MarshalPKCS8PrivateKey(other)
		path := writePEM(t, dir, "ers-gw-20261121T0731Z.pem", "PRIVATE KEY", der, 0o600)
		before, _ := os.ReadFile(path)
		info, err := s.Rotate(t0().Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if info.KID != "ers-gw-20261121T0731Z-2" {
			t.Errorf("kid %s, want the next free name", info.KID)
		}
		if after, _ := os.ReadFile(path); string(after) != string(before) {
			t.Error("the other process's key file was overwritten")
		}
	})

	t.Run("leaves the files of retired keys alone", func(t *testing.T) {
		dir := t.TempDir()
		clock := newClock()
		s := openTest(t, clock, dir)
		old := s.Current(t0()).KID
		if _, err := s.Rotate(t0()); err != nil {
			t.Fatal(err)
		}
		late := t0().Add(DefaultLead + DefaultRetention + time.Hour)
		if slices.Contains(kids(s.JWKS(late)), old) {
			t.Fatal("old key still published")
		}
		if _, err := os.Stat(filepath.Join(dir, old+".pem")); err != nil {
			t.Fatalf("retired key file: %v", err)
		}
		clock.Set(late)
		s2 := openTest(t, clock, dir)
		if slices.Contains(kids(s2.JWKS(late)), old) {
			t.Fatal("a reload published the retired key again")
		}
	})
}
