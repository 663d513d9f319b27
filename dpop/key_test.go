package dpop

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestKeySurvivesTheKeyring(t *testing.T) {
	k := mustKey(t)
	der, err := k.MarshalPKCS8()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseKey(der)
	if err != nil {
		t.Fatal(err)
	}
	if back.Thumbprint() != k.Thumbprint() {
		t.Fatalf("thumbprint changed: %s -> %s", k.Thumbprint(), back.Thumbprint())
	}
	v := mustVerifier(t, VerifierOptions{Now: func() time.Time { return t0 }})
	got, err := v.Verify(mustProof(t, back, "GET", gatewayURL, "", t0), "GET", gatewayURL, "")
	if err != nil || got != k.Thumbprint() {
		t.Fatalf("proof from the reloaded key: %q, %v", got, err)
	}
}

func TestParseKeyRefusesOtherKeys(t *testing.T) {
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	for name, key := range map[string]any{"P-384": p384, "Ed25519": ed} {
		t.Run(name, func(t *testing.T) {
			der, err := x509.MarshalPKCS8PrivateKey(key)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseKey(der); err == nil {
				t.Errorf("%s key accepted", name)
			}
		})
	}
	if _, err := ParseKey([]byte("not a key")); err == nil {
		t.Error("garbage accepted")
	}
}

func TestKeyPrintsOnlyItsThumbprint(t *testing.T) {
	k := mustKey(t)
	d := fmt.Sprint(k.priv.D)
	for _, s := range []string{fmt.Sprintf("%v", k), fmt.Sprintf("%+v", *k), fmt.Sprintf("%#v", *k)} {
		if strings.Contains(s, d) || !strings.Contains(s, k.Thumbprint()) {
			t.Errorf("formatted key %q", s)
		}
	}
}
