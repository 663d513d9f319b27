package apim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// JWKSCacheTTL is how long a fetched application JWKS is kept
// (PopulateCache.CCJWKS.xml: 3600 s). An unknown kid does not refetch.
const JWKSCacheTTL = time.Hour

// maxJWKSBytes bounds a JWKS response body.
const maxJWKSBytes = 1 << 20

// errJWKSUnreachable is any failure to get a usable JWKS from the URL.
var errJWKSUnreachable = errors.New("apim: JWKS endpoint unreachable")

// jwksCache fetches key sets over HTTP and keeps them for its TTL
// (JWKSCacheTTL for applications, CIS2JWKSCacheTTL for the CIS2 issuer).
type jwksCache struct {
	client *http.Client
	now    func() time.Time
	ttl    time.Duration

	mu      sync.Mutex
	entries map[string]jwksEntry
}

type jwksEntry struct {
	set     jose.JSONWebKeySet
	fetched time.Time
}

func newJWKSCache(client *http.Client, now func() time.Time) *jwksCache {
	return newJWKSCacheTTL(client, now, JWKSCacheTTL)
}

// newJWKSCacheTTL returns a cache keeping each key set for ttl.
func newJWKSCacheTTL(client *http.Client, now func() time.Time, ttl time.Duration) *jwksCache {
	return &jwksCache{client: client, now: now, ttl: ttl, entries: map[string]jwksEntry{}}
}

// get returns the key set at url, from the cache while fresh.
func (c *jwksCache) get(ctx context.Context, url string) (jose.JSONWebKeySet, error) {
	c.mu.Lock()
	e, ok := c.entries[url]
	c.mu.Unlock()
	if ok && c.now().Sub(e.fetched) < c.ttl {
		return e.set, nil
	}
	return c.refetch(ctx, url)
}

// refetch fetches the key set at url now and caches it.
func (c *jwksCache) refetch(ctx context.Context, url string) (jose.JSONWebKeySet, error) {
	set, err := c.fetch(ctx, url)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	c.mu.Lock()
	c.entries[url] = jwksEntry{set: set, fetched: c.now()}
	c.mu.Unlock()
	return set, nil
}

func (c *jwksCache) fetch(ctx context.Context, url string) (jose.JSONWebKeySet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %v", errJWKSUnreachable, err)
	}
	req.Header.Set("User-Agent", "APIM")
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %v", errJWKSUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: status %d", errJWKSUnreachable, resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKSBytes)).Decode(&set); err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("%w: %v", errJWKSUnreachable, err)
	}
	return set, nil
}

// flush forgets every cached key set (the admin "flush" action).
func (c *jwksCache) flush() {
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}
