package cis2

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/go-jose/go-jose/v4"
)

// SigningAlgorithm is the algorithm CIS2 signs ID tokens with by default
// (notes 1.5: "CIS2 uses RS256 by default").
const SigningAlgorithm = jose.RS256

// SigningKey is one RSA key of the provider, named by its kid.
type SigningKey struct {
	KID     string
	Private *rsa.PrivateKey
}

// GenerateKey makes a new RSA signing key. bits is the modulus size: 2048
// is enough for tests, 4096 is what live services publish.
func GenerateKey(kid string, bits int) (SigningKey, error) {
	if kid == "" {
		return SigningKey{}, errors.New("cis2: a signing key needs a kid")
	}
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return SigningKey{}, fmt.Errorf("cis2: generate key %q: %w", kid, err)
	}
	return SigningKey{KID: kid, Private: k}, nil
}

// KeySet is the provider's published keys and the one it signs with.
// Rotation is three steps, as on a live service: Add publishes a new key,
// Promote signs with it, Remove withdraws the old one (tokens it signed stop
// verifying). Rotate does the first two at once. It is safe for concurrent
// use.
type KeySet struct {
	mu      sync.RWMutex
	keys    []SigningKey // in publication order
	current string
}

// NewKeySet returns a key set publishing first and signing with it.
func NewKeySet(first SigningKey) (*KeySet, error) {
	if err := checkKey(first); err != nil {
		return nil, err
	}
	return &KeySet{keys: []SigningKey{first}, current: first.KID}, nil
}

func checkKey(k SigningKey) error {
	if k.KID == "" {
		return errors.New("cis2: a signing key needs a kid")
	}
	if k.Private == nil {
		return fmt.Errorf("cis2: key %q has no private key", k.KID)
	}
	return nil
}

// Add publishes k in the JWKS without signing with it yet.
func (s *KeySet) Add(k SigningKey) error {
	if err := checkKey(k); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.indexLocked(k.KID) >= 0 {
		return fmt.Errorf("cis2: key %q is already published", k.KID)
	}
	s.keys = append(s.keys, k)
	return nil
}

// Promote makes the published key kid the one new tokens are signed with.
func (s *KeySet) Promote(kid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.indexLocked(kid) < 0 {
		return fmt.Errorf("cis2: key %q is not published", kid)
	}
	s.current = kid
	return nil
}

// Rotate publishes k and signs with it from now on. The previous key stays
// published, so tokens it signed still verify until it is removed.
func (s *KeySet) Rotate(k SigningKey) error {
	if err := s.Add(k); err != nil {
		return err
	}
	return s.Promote(k.KID)
}

// Remove withdraws the key kid from the JWKS. The current signing key
// cannot be removed: promote another first.
func (s *KeySet) Remove(kid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.indexLocked(kid)
	if i < 0 {
		return fmt.Errorf("cis2: key %q is not published", kid)
	}
	if kid == s.current {
		return fmt.Errorf("cis2: key %q signs new tokens and cannot be removed", kid)
	}
	s.keys = slices.Delete(s.keys, i, i+1)
	return nil
}

// KIDs lists the published kids in publication order.
func (s *KeySet) KIDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, len(s.keys))
	for i, k := range s.keys {
		out[i] = k.KID
	}
	return out
}

// CurrentKID is the kid new tokens are signed with.
func (s *KeySet) CurrentKID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.current
}

// signingKey returns the key new tokens are signed with.
func (s *KeySet) signingKey() SigningKey {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keys[s.indexLocked(s.current)]
}

// Public is the JWKS document: the public halves of every published key,
// with kid, alg RS256 and use sig.
func (s *KeySet) Public() jose.JSONWebKeySet {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(s.keys))}
	for _, k := range s.keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key: &k.Private.PublicKey, KeyID: k.KID, Algorithm: string(SigningAlgorithm), Use: "sig",
		})
	}
	return set
}

func (s *KeySet) indexLocked(kid string) int {
	return slices.IndexFunc(s.keys, func(k SigningKey) bool { return k.KID == kid })
}

// sign serialises claims as a compact JWS signed RS256 with the current key,
// header typ JWT and kid.
func (s *KeySet) sign(claims any) (string, error) {
	k := s.signingKey()
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: SigningAlgorithm, Key: jose.JSONWebKey{Key: k.Private, KeyID: k.KID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("cis2: signer for key %q: %w", k.KID, err)
	}
	payload, err := marshalJSON(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("cis2: sign with key %q: %w", k.KID, err)
	}
	return jws.CompactSerialize()
}
