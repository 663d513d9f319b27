package broker

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

func cryptoRandom(b []byte) { _, _ = rand.Read(b) } // crypto/rand.Read never fails (Go 1.24+)

// token is 256 random bits, base64url: login ids, session tokens, handoff
// codes, CIS2 state and nonce, cookies.
func (b *Broker) token() string {
	buf := make([]byte, 32)
	b.o.Random(buf)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// userCodeAlphabet has no vowels (no words) and no look-alikes (0/O, 1/I).
const userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"

// userCode is eight letters shown as XXXX-XXXX: typed by people who read it
// off a terminal. 20^8 is about 2^34.6, enough for a five-minute code
// that the confirmation page must also show.
func (b *Broker) userCode() string {
	buf := make([]byte, 8)
	b.o.Random(buf)
	var s strings.Builder
	for i, c := range buf {
		if i == 4 {
			s.WriteByte('-')
		}
		// 256 is not a multiple of 20: a bias of under 2% toward the first
		// 16 letters, which costs well under a bit of the code's strength.
		s.WriteByte(userCodeAlphabet[int(c)%len(userCodeAlphabet)])
	}
	return s.String()
}

// normaliseUserCode accepts the code as a person types it: any case, with
// or without the dash or spaces.
func normaliseUserCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(s) != 8 || strings.Trim(s, userCodeAlphabet) != "" {
		return ""
	}
	return s[:4] + "-" + s[4:]
}

// s256 is the PKCE S256 challenge of a verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// validVerifier is RFC 7636's code_verifier syntax: 43 to 128 unreserved characters.
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	return strings.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") == ""
}

// equal compares secrets in constant time.
func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
