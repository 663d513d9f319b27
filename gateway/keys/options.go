package keys

import (
	"errors"
	"fmt"
	"time"
)

// Defaults of Options.
const (
	// DefaultBits is the modulus size live NHS services publish.
	DefaultBits = 4096
	// DefaultLead is how long a new key is published before it signs:
	// APIM caches an application's JWKS for an hour.
	DefaultLead = time.Hour
	// DefaultRetention is how long older keys stay published once a newer
	// key signs, far beyond the life of anything they signed.
	DefaultRetention = 24 * time.Hour
	// DefaultKIDPrefix starts every generated kid.
	DefaultKIDPrefix = "ers-gw"
)

// MinBits is the smallest RSA key loaded or generated.
const MinBits = 2048

// minRetention keeps an old key published at least as long as an assertion
// it signed can live.
const minRetention = 5 * time.Minute

// Options configure a Set. The zero value is an in-memory set with the
// defaults.
type Options struct {
	// Dir holds one PEM file per key, named <kid>.pem, mode 0600 or
	// stricter. Empty keeps keys in memory only (sandbox): they change on
	// every start.
	Dir string
	// Bits is the modulus size of generated keys. Default DefaultBits;
	// tests use 2048 because 4096-bit generation is slow.
	Bits int
	// Lead is how long a rotated-in key is published before it signs.
	// Default DefaultLead.
	Lead time.Duration
	// Retention is how long a key stays published after a newer key starts
	// signing. Default DefaultRetention; at least 5 minutes.
	Retention time.Duration
	// KIDPrefix starts generated kids, as in ers-gw-20261121T0730Z.
	// Default DefaultKIDPrefix.
	KIDPrefix string
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

// withDefaults fills in the defaults and checks the values.
func (o Options) withDefaults() (Options, error) {
	if o.Bits == 0 {
		o.Bits = DefaultBits
	}
	if o.Lead == 0 {
		o.Lead = DefaultLead
	}
	if o.Retention == 0 {
		o.Retention = DefaultRetention
	}
	if o.KIDPrefix == "" {
		o.KIDPrefix = DefaultKIDPrefix
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	switch {
	case o.Bits < MinBits:
		return o, fmt.Errorf("keys: key size %d bits is below the minimum %d", o.Bits, MinBits)
	case o.Lead < 0:
		return o, errors.New("keys: the rotation lead time must not be negative")
	case o.Retention < minRetention:
		return o, fmt.Errorf("keys: the retention %s is shorter than an assertion's life (%s)", o.Retention, minRetention)
	case !validKID(o.KIDPrefix):
		return o, fmt.Errorf("keys: the kid prefix %q may hold only letters, digits, '.', '_' and '-'", o.KIDPrefix)
	}
	return o, nil
}
