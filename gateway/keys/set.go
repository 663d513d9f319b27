package keys

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Set is the gateway's signing keys and their rotation. It is safe for
// concurrent use.
type Set struct {
	opts Options

	mu   sync.RWMutex
	keys []*key // sorted by active time, then kid
}

// Open returns the key set of opts.Dir, generating and writing a first key
// when the directory is empty or missing (directory 0700, file 0600). It
// refuses any key file that group or others may read. With no Dir the set
// lives in memory with one new key.
//
// Loaded keys are dated by their kid (or, for kids without a date, by the
// file's modification time) so a restart keeps the rotation where it was.
func Open(opts Options) (*Set, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s, err := load(opts)
	if err != nil {
		return nil, err
	}
	if len(s.keys) == 0 {
		if _, err := s.Rotate(opts.Now()); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// load is the set of the keys in opts.Dir (none without a directory),
// dated as Open says, writing nothing.
func load(opts Options) (*Set, error) {
	s := &Set{opts: opts}
	if opts.Dir == "" {
		return s, nil
	}
	files, err := readDir(opts.Dir)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		pub, ok := publishedFromKID(f.kid)
		if !ok {
			pub = f.modTime
		}
		s.keys = append(s.keys, &key{kid: f.kid, priv: f.priv, published: pub, active: pub.Add(opts.Lead)})
	}
	s.sortLocked()
	return s, nil
}

// Rotate makes a new key at now and publishes it at once. It signs only
// from now + the lead time, so verifiers that cached the JWKS have fetched
// it by then; until then the current key goes on signing. The first key
// of a set signs at once, as does the oldest key of a reloaded set whose
// keys are all still within their lead. In directory mode the key
// is written to <kid>.pem before it is published.
func (s *Set) Rotate(now time.Time) (KeyInfo, error) {
	priv, err := generate(s.opts.Bits) // slow: outside the lock
	if err != nil {
		return KeyInfo{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := &key{priv: priv, published: now, active: now.Add(s.opts.Lead)}
	if len(s.keys) == 0 {
		k.active = now // the first key signs at once: there is nothing else
	}
	taken := func(kid string) bool { return s.indexLocked(kid) >= 0 }
	for {
		k.kid = kidFor(s.opts.KIDPrefix, now, taken)
		if s.opts.Dir == "" {
			break
		}
		err := writeKeyFile(s.opts.Dir, k.kid, priv)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return KeyInfo{}, err
		}
		// Another process wrote that name: take the next one.
		prev := taken
		name := k.kid
		taken = func(kid string) bool { return kid == name || prev(kid) }
	}
	s.keys = append(s.keys, k)
	s.sortLocked()
	return s.infoLocked(k, now), nil
}

// Keys describes every key the set holds at now, retired ones included.
func (s *Set) Keys(now time.Time) []KeyInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]KeyInfo, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, s.infoLocked(k, now))
	}
	return out
}

// Current describes the key that signs at now.
func (s *Set) Current(now time.Time) KeyInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.infoLocked(s.signingLocked(now), now)
}

// signingLocked is the newest key active at now or, when none is active
// yet (a new set), the first to become active.
func (s *Set) signingLocked(now time.Time) *key {
	var signing *key
	for _, k := range s.keys {
		if !k.active.After(now) {
			signing = k
		}
	}
	if signing == nil {
		signing = s.keys[0]
	}
	return signing
}

// stateLocked places k in the rotation at now.
func (s *Set) stateLocked(k *key, now time.Time) KeyState {
	signing := s.signingLocked(now)
	switch {
	case k == signing:
		return StateSigning
	case s.indexLocked(k.kid) > s.indexLocked(signing.kid):
		return StatePending
	case now.Before(signing.active.Add(s.opts.Retention)):
		return StatePublished
	default:
		return StateRetired
	}
}

func (s *Set) infoLocked(k *key, now time.Time) KeyInfo {
	info := KeyInfo{
		KID: k.kid, Bits: k.priv.N.BitLen(),
		Published: k.published, Active: k.active, State: s.stateLocked(k, now),
	}
	if s.opts.Dir != "" {
		info.File = filepath.Join(s.opts.Dir, k.kid+pemExt)
	}
	return info
}

// publishedLocked is every key in the JWKS at now.
func (s *Set) publishedLocked(now time.Time) []*key {
	var out []*key
	for _, k := range s.keys {
		if s.stateLocked(k, now) != StateRetired {
			out = append(out, k)
		}
	}
	return out
}

func (s *Set) indexLocked(kid string) int {
	return slices.IndexFunc(s.keys, func(k *key) bool { return k.kid == kid })
}

func (s *Set) sortLocked() {
	slices.SortStableFunc(s.keys, func(a, b *key) int {
		if c := a.active.Compare(b.active); c != 0 {
			return c
		}
		return strings.Compare(a.kid, b.kid)
	})
}

// String names the set without any key material.
func (s *Set) String() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	where := "memory"
	if s.opts.Dir != "" {
		where = s.opts.Dir
	}
	return fmt.Sprintf("keys.Set(%d keys in %s)", len(s.keys), where)
}
