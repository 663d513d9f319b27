package apim

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The e-RS product scopes an application can hold.
const (
	ScopeUserAAL2  = "urn:nhsd:apim:user-nhs-id:aal2:e-referrals-service-api"
	ScopeUserAAL3  = "urn:nhsd:apim:user-nhs-id:aal3:e-referrals-service-api"
	ScopeAppLevel3 = "urn:nhsd:apim:app:level3:e-referrals-service-api"
)

// appRestrictedScopePrefix marks the scopes the client_credentials grant
// keeps (filter-application-restricted-scopes.js).
const appRestrictedScopePrefix = "urn:nhsd:apim:app:level3:"

// App is an APIM application as the developer portal would hold it. It is
// plain data: build it in code or load it from configuration.
type App struct {
	// APIKey is the application's client id; client assertions carry it as
	// iss and sub.
	APIKey string
	// Secret is the application secret (client_secret for refresh).
	Secret string
	// Name is for people and logs.
	Name string
	// JWKSURL is the jwks-resource-url attribute: where the application
	// publishes the public keys of its client assertions. Empty means no
	// key registered (403 on signed-JWT grants).
	JWKSURL string
	// ASID is the Spine accredited system id the e-RS proxy forwards.
	ASID string
	// AllowedODS is the end-user organisation allow-list (partner list).
	AllowedODS []string
	// Scopes are the product scopes the application subscribes to, e.g.
	// ScopeUserAAL2, ScopeUserAAL3, ScopeAppLevel3.
	Scopes []string
	// The application-restricted context the e-RS proxy injects for
	// client_credentials tokens: organisation, business function and SDS
	// user id attributes.
	AppODS              string
	AppBusinessFunction string
	AppUserID           string
	// AllowLifetimeOverrides lets the application send the test-only
	// _access_token_expiry_ms form parameter (which only ever shortens).
	AllowLifetimeOverrides bool
}

// AppRestrictedScopes returns the application's scopes that a
// client_credentials token may carry.
func (a App) AppRestrictedScopes() []string {
	var out []string
	for _, s := range a.Scopes {
		if strings.HasPrefix(s, appRestrictedScopePrefix) {
			out = append(out, s)
		}
	}
	return out
}

// AllowsODS reports whether the organisation is on the application's
// allow-list.
func (a App) AllowsODS(ods string) bool { return slices.Contains(a.AllowedODS, ods) }

// Registry is a read-only set of applications keyed by API key.
type Registry struct {
	apps map[string]App
}

// NewRegistry returns a registry of the applications. API keys must be
// present and unique.
func NewRegistry(apps ...App) (*Registry, error) {
	r := &Registry{apps: make(map[string]App, len(apps))}
	for i, a := range apps {
		if a.APIKey == "" {
			return nil, fmt.Errorf("apim: application %d (%q): %w", i, a.Name, errEmptyAPIKey)
		}
		if _, dup := r.apps[a.APIKey]; dup {
			return nil, fmt.Errorf("apim: application %q: duplicate API key", a.Name)
		}
		a.AllowedODS = slices.Clone(a.AllowedODS)
		a.Scopes = slices.Clone(a.Scopes)
		r.apps[a.APIKey] = a
	}
	return r, nil
}

var errEmptyAPIKey = errors.New("empty API key")

// App returns the application with the API key.
func (r *Registry) App(apiKey string) (App, bool) {
	a, ok := r.apps[apiKey]
	if !ok {
		return App{}, false
	}
	a.AllowedODS = slices.Clone(a.AllowedODS)
	a.Scopes = slices.Clone(a.Scopes)
	return a, true
}
