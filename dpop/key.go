package dpop

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
)

// Key is the workstation's ephemeral ES256 key. It lives in memory (and, when one is usable,
// in the OS keyring as PKCS#8 bytes) and is never sent anywhere but as its public JWK.
type Key struct {
	priv  *ecdsa.PrivateKey
	jwk   JWK
	thumb string
}

// NewKey makes a fresh P-256 key. One per sign-in: a new login gets a new key.
func NewKey() (*Key, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("dpop: generate key: %w", err)
	}
	return newKey(priv)
}

// ParseKey reads a key written by [Key.MarshalPKCS8], refusing anything but P-256 ECDSA.
func ParseKey(der []byte) (*Key, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errors.New("dpop: key is not PKCS#8") // the parser's message is not needed
	}
	priv, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("dpop: key is not ECDSA")
	}
	return newKey(priv)
}

func newKey(priv *ecdsa.PrivateKey) (*Key, error) {
	jwk, err := jwkFromECDSA(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	thumb, err := Thumbprint(jwk)
	if err != nil {
		return nil, err
	}
	return &Key{priv: priv, jwk: jwk, thumb: thumb}, nil
}

// PublicJWK is what the workstation sends at login ("jwk" in POST /v1/auth/login).
func (k *Key) PublicJWK() JWK { return k.jwk }

// Thumbprint is the RFC 7638 SHA-256 thumbprint the gateway binds the session to.
func (k *Key) Thumbprint() string { return k.thumb }

// MarshalPKCS8 returns the private key as PKCS#8 DER, for the OS keyring only.
func (k *Key) MarshalPKCS8() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		return nil, fmt.Errorf("dpop: marshal key: %w", err)
	}
	return der, nil
}

// String, GoString and LogValue show only the thumbprint, so a key printed or logged by
// mistake leaks nothing private.
func (k Key) String() string       { return "dpop.Key(" + k.thumb + ")" }
func (k Key) GoString() string     { return k.String() }
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }
