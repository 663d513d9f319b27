package apim

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"sync"
	"time"
)

// AccessTokenLifetime is the configured APIM access-token lifetime; it is
// reported one second short ("599").
const AccessTokenLifetime = 600 * time.Second

// AuthType says whether a token is application- or user-restricted.
type AuthType string

// The auth types of issued tokens.
const (
	AuthTypeApp  AuthType = "app"
	AuthTypeUser AuthType = "user"
)

// TokenInfo is what APIM stores against an access token.
type TokenInfo struct {
	// APIKey is the application the token was issued to.
	APIKey   string
	AuthType AuthType
	Scopes   []string
	IssuedAt time.Time
	// ExpiresAt is when the token stops being accepted.
	ExpiresAt time.Time

	// The user attributes of a user-restricted (token exchange) token,
	// copied from the CIS2 ID token: APIM's id_token-subject, -acr, -amr,
	// -authentication_assurance_level and -id-assurance-level. Zero for
	// application-restricted tokens.
	Subject string
	// SessionID is the ID token's sid (back-channel logout keys on it).
	SessionID string
	ACR       string
	AMR       []string
	// AAL and IAL are authentication_assurance_level and
	// id_assurance_level; 0 when absent.
	AAL int
	IAL int
}

// Expired reports whether the token has expired at now.
func (t TokenInfo) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// TokenStore keeps issued access tokens in memory.
type TokenStore struct {
	now func() time.Time

	mu      sync.Mutex
	tokens  map[string]TokenInfo
	refresh map[string]*refreshRecord
}

// NewTokenStore returns an empty store reading time from now (time.Now if
// nil).
func NewTokenStore(now func() time.Time) *TokenStore {
	if now == nil {
		now = time.Now
	}
	return &TokenStore{now: now, tokens: map[string]TokenInfo{}, refresh: map[string]*refreshRecord{}}
}

// Issue stores info under a new opaque random token and returns it.
func (s *TokenStore) Issue(info TokenInfo) (string, error) {
	tok, err := randomToken()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(s.now())
	s.tokens[tok] = cloneInfo(info)
	return tok, nil
}

// pruneLocked drops expired access tokens and refresh records past their
// grace period.
func (s *TokenStore) pruneLocked(now time.Time) {
	for t, i := range s.tokens {
		if i.Expired(now) {
			delete(s.tokens, t)
		}
	}
	for t, r := range s.refresh {
		if r.forgettable(now) {
			delete(s.refresh, t)
		}
	}
}

func cloneInfo(info TokenInfo) TokenInfo {
	info.Scopes = slices.Clone(info.Scopes)
	info.AMR = slices.Clone(info.AMR)
	return info
}

// Lookup returns the token's attributes; ok is false for an unknown,
// expired or revoked token.
func (s *TokenStore) Lookup(token string) (TokenInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info, ok := s.tokens[token]
	if !ok || info.Expired(s.now()) {
		return TokenInfo{}, false
	}
	return cloneInfo(info), true
}

// Revoke forgets the token.
func (s *TokenStore) Revoke(token string) {
	s.mu.Lock()
	delete(s.tokens, token)
	s.mu.Unlock()
}

// randomToken returns 192 random bits, URL-safe.
func randomToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
