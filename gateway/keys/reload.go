package keys

import (
	"errors"
	"time"
)

// Reload re-reads the key directory so a running gateway takes up keys
// written by another process ("ers-gateway keys rotate", another gateway
// sharing the directory). Each new file is published at once and signs
// only a lead time after the later of its creation (from its dated kid,
// else the file time) and this moment: counting from the moment this set
// first publishes it guarantees verifiers a whole lead time in which to
// fetch it, however late the reload comes. Keys already held keep their
// times and state; a file removed from the directory is kept in memory
// (the set never drops the key it signs with), and a file whose kid is
// already held is not read again.
//
// When any key file is unreadable or insecure the set is left unchanged
// and the error says which file, so the running gateway goes on with the
// keys it has. It returns the keys it added. A set without a directory
// has nothing to reload.
func (s *Set) Reload() ([]KeyInfo, error) {
	if s.opts.Dir == "" {
		return nil, nil
	}
	files, err := readDir(s.opts.Dir)
	if err != nil {
		return nil, err
	}
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var added []*key
	for _, f := range files {
		if s.indexLocked(f.kid) >= 0 {
			continue
		}
		created, ok := publishedFromKID(f.kid)
		if !ok {
			created = f.modTime
		}
		from := created
		if now.After(from) {
			from = now
		}
		k := &key{kid: f.kid, priv: f.priv, published: now, active: from.Add(s.opts.Lead)}
		s.keys = append(s.keys, k)
		added = append(added, k)
	}
	s.sortLocked()
	out := make([]KeyInfo, 0, len(added))
	for _, k := range added {
		out = append(out, s.infoLocked(k, now))
	}
	return out, nil
}

// ErrNoKeys is returned by List for a key directory that holds no key.
var ErrNoKeys = errors.New("keys: the key directory holds no key")

// List describes the keys of opts.Dir at now without writing anything: no
// first key is generated for an empty directory (ErrNoKeys). It is for
// tools that look at a directory a gateway uses; states are computed as a
// gateway started at now would compute them.
func List(opts Options, now time.Time) ([]KeyInfo, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if opts.Dir == "" {
		return nil, errors.New("keys: listing needs a key directory")
	}
	s, err := load(opts)
	if err != nil {
		return nil, err
	}
	if len(s.keys) == 0 {
		return nil, ErrNoKeys
	}
	return s.Keys(now), nil
}
