package dpop

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// JWK is a public JSON Web Key as the workstation sends it at login (RFC 7517). Only the
// members RFC 7638 hashes are kept; decoding refuses private members, so a client that
// leaks its private key by mistake is told so instead of silently accepted.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
}

// errPrivateJWK is returned when a received JWK carries private key members.
var errPrivateJWK = errors.New("dpop: jwk contains private key material")

// UnmarshalJSON decodes a JWK and refuses any private or symmetric key member.
func (j *JWK) UnmarshalJSON(b []byte) error {
	var raw struct {
		Kty string `json:"kty"`
		Crv string `json:"crv"`
		X   string `json:"x"`
		Y   string `json:"y"`
		N   string `json:"n"`
		E   string `json:"e"`
		// Private members of EC, RSA, OKP and oct keys: present only to be refused.
		D  *json.RawMessage `json:"d"`
		P  *json.RawMessage `json:"p"`
		Q  *json.RawMessage `json:"q"`
		DP *json.RawMessage `json:"dp"`
		DQ *json.RawMessage `json:"dq"`
		QI *json.RawMessage `json:"qi"`
		K  *json.RawMessage `json:"k"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("dpop: decode jwk: %w", err)
	}
	if raw.D != nil || raw.P != nil || raw.Q != nil || raw.DP != nil || raw.DQ != nil || raw.QI != nil || raw.K != nil {
		return errPrivateJWK
	}
	*j = JWK{Kty: raw.Kty, Crv: raw.Crv, X: raw.X, Y: raw.Y, N: raw.N, E: raw.E}
	return nil
}

// Thumbprint is the RFC 7638 SHA-256 thumbprint of a public JWK, base64url without padding.
// It accepts EC, RSA and OKP keys (the RFC's example is RSA); use [JWK.ECDSA] to insist on
// the P-256 keys proofs are signed with.
func Thumbprint(jwk JWK) (string, error) {
	var canonical string
	switch jwk.Kty {
	case "EC":
		if err := requireB64(jwk.X, jwk.Y); err != nil || !safeName(jwk.Crv) {
			return "", errors.New("dpop: EC jwk needs crv, x and y")
		}
		canonical = `{"crv":"` + jwk.Crv + `","kty":"EC","x":"` + jwk.X + `","y":"` + jwk.Y + `"}`
	case "RSA":
		if err := requireB64(jwk.E, jwk.N); err != nil {
			return "", errors.New("dpop: RSA jwk needs e and n")
		}
		canonical = `{"e":"` + jwk.E + `","kty":"RSA","n":"` + jwk.N + `"}`
	case "OKP":
		if err := requireB64(jwk.X); err != nil || !safeName(jwk.Crv) {
			return "", errors.New("dpop: OKP jwk needs crv and x")
		}
		canonical = `{"crv":"` + jwk.Crv + `","kty":"OKP","x":"` + jwk.X + `"}`
	default:
		return "", errors.New("dpop: unsupported jwk kty")
	}
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// ECDSA returns the key as a P-256 public key, checking that the point is on the curve.
// Proofs are ES256 only, so this is what the login endpoint should accept.
func (j JWK) ECDSA() (*ecdsa.PublicKey, error) {
	if j.Kty != "EC" || j.Crv != "P-256" {
		return nil, errors.New("dpop: jwk is not an EC P-256 key")
	}
	x, errX := base64.RawURLEncoding.Strict().DecodeString(j.X)
	y, errY := base64.RawURLEncoding.Strict().DecodeString(j.Y)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return nil, errors.New("dpop: jwk x and y must be 32 bytes base64url")
	}
	point := append([]byte{4}, append(x, y...)...)
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
	if err != nil {
		return nil, errors.New("dpop: jwk point is not on P-256")
	}
	return pub, nil
}

// jwkFromECDSA encodes a P-256 public key with fixed-length coordinates (RFC 7518 6.2.1.2),
// so the thumbprint of the same key is always the same string.
func jwkFromECDSA(pub *ecdsa.PublicKey) (JWK, error) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return JWK{}, errors.New("dpop: key is not P-256")
	}
	b, err := pub.Bytes()
	if err != nil || len(b) != 65 {
		return JWK{}, errors.New("dpop: cannot encode P-256 key")
	}
	enc := base64.RawURLEncoding
	return JWK{Kty: "EC", Crv: "P-256", X: enc.EncodeToString(b[1:33]), Y: enc.EncodeToString(b[33:])}, nil
}

func requireB64(vals ...string) error {
	for _, v := range vals {
		if v == "" {
			return errors.New("empty")
		}
		if _, err := base64.RawURLEncoding.Strict().DecodeString(v); err != nil {
			return err
		}
	}
	return nil
}

// safeName accepts curve names that need no JSON escaping (RFC 7638 hashes them verbatim).
func safeName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
