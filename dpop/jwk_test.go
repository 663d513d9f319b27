package dpop

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

func TestThumbprintMatchesRFC7638Example(t *testing.T) {
	// RFC 7638 section 3.1.
	jwk := JWK{
		Kty: "RSA",
		E:   "AQAB",
		N:   "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
	}
	got, err := Thumbprint(jwk)
	if err != nil {
		t.Fatal(err)
	}
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; got != want {
		t.Errorf("thumbprint %s, want %s", got, want)
	}
}

func TestThumbprintOfAnECKeyAgreesWithGoJose(t *testing.T) {
	k := mustKey(t)
	ref, err := (&jose.JSONWebKey{Key: &k.priv.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if want := base64.RawURLEncoding.EncodeToString(ref); k.Thumbprint() != want {
		t.Errorf("thumbprint %s, go-jose says %s", k.Thumbprint(), want)
	}
}

func TestReceivedJWK(t *testing.T) {
	k := mustKey(t)
	pub, err := json.Marshal(k.PublicJWK())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a public key decodes to the same thumbprint", func(t *testing.T) {
		var j JWK
		if err := json.Unmarshal(pub, &j); err != nil {
			t.Fatal(err)
		}
		if got, _ := Thumbprint(j); got != k.Thumbprint() {
			t.Errorf("thumbprint %s, want %s", got, k.Thumbprint())
		}
		if _, err := j.ECDSA(); err != nil {
			t.Errorf("P-256 key refused: %v", err)
		}
	})
	t.Run("a key with private members is refused", func(t *testing.T) {
		var m map[string]any
		_ = json.Unmarshal(pub, &m)
		m["d"] = "AAAA"
		b, _ := json.Marshal(m)
		var j JWK
		if err := json.Unmarshal(b, &j); err == nil {
			t.Error("private JWK accepted")
		}
	})
	t.Run("a point off the curve is refused", func(t *testing.T) {
		j := k.PublicJWK()
		y, _ := base64.RawURLEncoding.DecodeString(j.Y)
		y[31] ^= 1
		j.Y = base64.RawURLEncoding.EncodeToString(y)
		if _, err := j.ECDSA(); err == nil {
			t.Error("off-curve point accepted")
		}
	})
	t.Run("a P-384 key is not usable for proofs", func(t *testing.T) {
		p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if _, err := jwkFromECDSA(&p384.PublicKey); err == nil {
			t.Error("P-384 key accepted")
		}
	})
	t.Run("an unknown kty has no thumbprint", func(t *testing.T) {
		if _, err := Thumbprint(JWK{Kty: "oct"}); err == nil {
			t.Error("oct key got a thumbprint")
		}
	})
}
