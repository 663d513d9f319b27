package keys

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// kidTimeLayout is the date stamp in a generated kid, in UTC to the minute.
const kidTimeLayout = "20060102T1504Z"

// validKID reports whether s is usable as a kid and a file name: letters,
// digits, '.', '_' and '-', and not a dot name.
func validKID(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}

// key is one signing key with its place in the rotation.
type key struct {
	kid       string
	priv      *rsa.PrivateKey
	published time.Time // first in the JWKS
	active    time.Time // signs from then (published + lead)
}

// KeyState is where a key is in its rotation at a given time.
type KeyState string

// The key states.
const (
	// StatePending: published, not signing yet (waiting for the lead time).
	StatePending KeyState = "pending"
	// StateSigning: the key new assertions are signed with.
	StateSigning KeyState = "signing"
	// StatePublished: replaced, still published for the retention period.
	StatePublished KeyState = "published"
	// StateRetired: no longer published; its file, if any, is left alone.
	StateRetired KeyState = "retired"
)

// KeyInfo describes a key without exposing it, for status pages and logs.
type KeyInfo struct {
	KID       string
	Bits      int
	Published time.Time
	Active    time.Time
	State     KeyState
	// File is the key's file, empty for a key in memory.
	File string
}

// generate makes a new RSA key.
func generate(bits int) (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("keys: generate a %d-bit RSA key: %w", bits, err)
	}
	return k, nil
}

// kidFor returns the dated kid for a key made at now, adding -2, -3 ... when
// taken says the plain one is in use (two keys in the same minute).
func kidFor(prefix string, now time.Time, taken func(string) bool) string {
	base := prefix + "-" + now.UTC().Format(kidTimeLayout)
	kid := base
	for n := 2; taken(kid); n++ {
		kid = base + "-" + strconv.Itoa(n)
	}
	return kid
}

// publishedFromKID reads when a loaded key was published from its dated
// kid. The kid has minute precision, so the end of that minute is taken:
// the key then starts signing a little late, never early. ok is false for
// kids without a date (keys an operator named), which use the file time.
func publishedFromKID(kid string) (time.Time, bool) {
	// A same-minute counter (ers-gw-20261121T0730Z-2) follows the date.
	if i := strings.LastIndexByte(kid, '-'); i >= 0 && allDigits(kid[i+1:]) {
		kid = kid[:i]
	}
	n := len(kidTimeLayout)
	if len(kid) < n+1 || kid[len(kid)-n-1] != '-' {
		return time.Time{}, false
	}
	t, err := time.Parse(kidTimeLayout, kid[len(kid)-n:])
	if err != nil {
		return time.Time{}, false
	}
	return t.Add(time.Minute), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
