package apim

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The lifetimes of CIS2-backed user-restricted tokens
// (identity-service-config.cis2.*, chosen by
// setDefaultAccessAndRefreshTokenTimes.js). The 12 h refresh token is
// reported as "43199"; the 12 h refresh window is the simulator's
// assumption (the notes give no figure for refresh_tokens_validity_ms).
const (
	RefreshTokenLifetime = 12 * time.Hour
	RefreshWindow        = 12 * time.Hour
)

// refreshGrace is how long a refresh record is kept past its window and
// expiry, so a late refresh still gets the window error rather than
// "refresh_token is invalid".
const refreshGrace = 24 * time.Hour

// The error codes and descriptions of the refresh_token grant.
const (
	CodeInvalidGrant  = "invalid_grant"
	CodeInvalidClient = "invalid_client"

	DescRefreshInvalid = "refresh_token is invalid"
	DescRefreshPeriod  = "refresh token refresh period has expired"
	DescClientSecret   = "client_id or client_secret is invalid"
	// DescRefreshMissing is the simulator's answer for a refresh request
	// without a refresh_token (inferred, not verified against APIM).
	DescRefreshMissing = "refresh_token is missing"
)

// The test-only lifetime knobs, form parameters APIM accepts from
// applications allowed to use them; they only ever shorten.
const (
	KnobAccessTokenExpiry     = "_access_token_expiry_ms"
	KnobRefreshTokenExpiry    = "_refresh_token_expiry_ms"
	KnobRefreshTokensValidity = "_refresh_tokens_validity_ms"
)

// IssuedTokenTypeAccessToken is the issued_token_type of a token exchange.
const IssuedTokenTypeAccessToken = "urn:ietf:params:oauth:token-type:access_token"

// lifetimes are the lifetimes of one user-restricted issue, after knobs.
type lifetimes struct {
	access, refresh, validity time.Duration
	// validityOverridden is set when the request shortened the window.
	validityOverridden bool
}

// userLifetimes reads the knobs of the form for the app: ignored unless
// the app allows overrides, and only ever shortening the defaults.
func userLifetimes(form url.Values, app App) (lifetimes, *Error) {
	l := lifetimes{access: AccessTokenLifetime, refresh: RefreshTokenLifetime, validity: RefreshWindow}
	if !app.AllowLifetimeOverrides {
		return l, nil
	}
	for _, k := range []struct {
		name string
		d    *time.Duration
	}{{KnobAccessTokenExpiry, &l.access}, {KnobRefreshTokenExpiry, &l.refresh}, {KnobRefreshTokensValidity, &l.validity}} {
		v := form.Get(k.name)
		if v == "" {
			continue
		}
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ms <= 0 {
			return l, badRequest(k.name + " must be a positive integer")
		}
		if d := time.Duration(ms) * time.Millisecond; d < *k.d {
			*k.d = d
			if k.name == KnobRefreshTokensValidity {
				l.validityOverridden = true
			}
		}
	}
	return l, nil
}

// refreshRecord is what the store keeps against a refresh token.
type refreshRecord struct {
	// info is the user token the refresh token renews (its attributes are
	// copied to each new access token).
	info TokenInfo
	// firstIssued is when the user first authorised (the token exchange):
	// APIM's _first_issued attribute.
	firstIssued time.Time
	// windowEnd is firstIssued plus the refresh window in force.
	windowEnd time.Time
	expiresAt time.Time
	count     int
}

func (r *refreshRecord) forgettable(now time.Time) bool {
	end := r.windowEnd
	if r.expiresAt.After(end) {
		end = r.expiresAt
	}
	return !now.Before(end.Add(refreshGrace))
}

// userGrant is one issued access and refresh token pair.
type userGrant struct {
	access, refresh  string
	issuedAt         time.Time
	accessExpiresAt  time.Time
	refreshExpiresAt time.Time
	count            int
}

var (
	errRefreshInvalid = errors.New("apim: refresh token invalid")
	errRefreshPeriod  = errors.New("apim: refresh period expired")
)

// issueUser stores a new user-restricted access token and its refresh
// token; the window starts now.
func (s *TokenStore) issueUser(info TokenInfo, l lifetimes) (userGrant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.pruneLocked(now)
	return s.issueUserLocked(info, now, now.Add(l.validity), l, 0)
}

func (s *TokenStore) issueUserLocked(info TokenInfo, firstIssued, windowEnd time.Time, l lifetimes, count int) (userGrant, error) {
	now := s.now()
	access, err := randomToken()
	if err != nil {
		return userGrant{}, err
	}
	refresh, err := randomToken()
	if err != nil {
		return userGrant{}, err
	}
	info = cloneInfo(info)
	info.AuthType = AuthTypeUser
	info.IssuedAt = now
	info.ExpiresAt = now.Add(l.access)
	refreshExpires := now.Add(l.refresh)
	if windowEnd.Before(refreshExpires) {
		refreshExpires = windowEnd
	}
	s.tokens[access] = info
	s.refresh[refresh] = &refreshRecord{
		info: info, firstIssued: firstIssued, windowEnd: windowEnd,
		expiresAt: refreshExpires, count: count,
	}
	return userGrant{
		access: access, refresh: refresh, issuedAt: now,
		accessExpiresAt: info.ExpiresAt, refreshExpiresAt: refreshExpires, count: count,
	}, nil
}

// rotate redeems the refresh token of the application: the old refresh
// token is forgotten and a new pair issued with the count incremented.
// The window (from the first issue) can only be shortened by l.
func (s *TokenStore) rotate(apiKey, token string, l lifetimes) (userGrant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	rec, ok := s.refresh[token]
	if !ok || rec.info.APIKey != apiKey {
		return userGrant{}, errRefreshInvalid
	}
	windowEnd := rec.windowEnd
	if l.validityOverridden {
		if end := rec.firstIssued.Add(l.validity); end.Before(windowEnd) {
			windowEnd = end
		}
	}
	if !now.Before(windowEnd) {
		return userGrant{}, errRefreshPeriod
	}
	if !now.Before(rec.expiresAt) {
		return userGrant{}, errRefreshInvalid
	}
	g, err := s.issueUserLocked(rec.info, rec.firstIssued, windowEnd, l, rec.count+1)
	if err != nil {
		return userGrant{}, err
	}
	delete(s.refresh, token)
	s.pruneLocked(now)
	return g, nil
}

// RevokeSubject forgets every access and refresh token issued for the
// user (the CIS2 sub, a 12-digit SDS id), as a CIS2 session revocation
// does, and returns how many tokens it removed.
func (s *TokenStore) RevokeSubject(subject string) int {
	if subject == "" {
		return 0
	}
	return s.revokeWhere(func(i TokenInfo) bool { return i.Subject == subject })
}

// RevokeSession forgets every token issued from the CIS2 session (the ID
// token's sid) and returns how many it removed.
func (s *TokenStore) RevokeSession(sid string) int {
	if sid == "" {
		return 0
	}
	return s.revokeWhere(func(i TokenInfo) bool { return i.SessionID == sid })
}

func (s *TokenStore) revokeWhere(match func(TokenInfo) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for t, i := range s.tokens {
		if match(i) {
			delete(s.tokens, t)
			n++
		}
	}
	for t, r := range s.refresh {
		if match(r.info) {
			delete(s.refresh, t)
			n++
		}
	}
	return n
}

// userTokenResponse is the body of a token-exchange or refresh answer;
// numbers are strings, as APIM sends them.
type userTokenResponse struct {
	AccessToken           string `json:"access_token"`
	ExpiresIn             string `json:"expires_in"`
	TokenType             string `json:"token_type"`
	IssuedTokenType       string `json:"issued_token_type,omitempty"`
	RefreshToken          string `json:"refresh_token"`
	RefreshTokenExpiresIn string `json:"refresh_token_expires_in"`
	RefreshCount          string `json:"refresh_count"`
	IssuedAt              string `json:"issued_at"`
}

func newUserTokenResponse(g userGrant, issuedTokenType string) userTokenResponse {
	return userTokenResponse{
		AccessToken:           g.access,
		ExpiresIn:             strconv.FormatInt(reportedExpiresIn(g.accessExpiresAt.Sub(g.issuedAt)), 10),
		TokenType:             "Bearer",
		IssuedTokenType:       issuedTokenType,
		RefreshToken:          g.refresh,
		RefreshTokenExpiresIn: strconv.FormatInt(reportedExpiresIn(g.refreshExpiresAt.Sub(g.issuedAt)), 10),
		RefreshCount:          strconv.Itoa(g.count),
		IssuedAt:              strconv.FormatInt(g.issuedAt.UnixMilli(), 10),
	}
}

// refreshToken answers grant_type=refresh_token: client_id and
// client_secret form parameters, rotation and the refresh window.
func (s *Server) refreshToken(w http.ResponseWriter, r *http.Request) (int, string) {
	form := r.PostForm
	app, ok := s.apps.App(form.Get("client_id"))
	if !ok || app.Secret == "" || subtle.ConstantTimeCompare([]byte(app.Secret), []byte(form.Get("client_secret"))) != 1 {
		return writeError(w, newError(http.StatusUnauthorized, CodeInvalidClient, DescClientSecret)), ""
	}
	token := form.Get("refresh_token")
	if token == "" {
		return writeError(w, badRequest(DescRefreshMissing)), app.APIKey
	}
	l, lerr := userLifetimes(form, app)
	if lerr != nil {
		return writeError(w, lerr), app.APIKey
	}
	g, err := s.tokens.rotate(app.APIKey, token, l)
	switch {
	case errors.Is(err, errRefreshPeriod):
		return writeError(w, newError(http.StatusUnauthorized, CodeInvalidGrant, DescRefreshPeriod)), app.APIKey
	case errors.Is(err, errRefreshInvalid):
		return writeError(w, newError(http.StatusUnauthorized, CodeInvalidGrant, DescRefreshInvalid)), app.APIKey
	case err != nil:
		return writeError(w, newError(http.StatusInternalServerError, "server_error", "token generation failed")), app.APIKey
	}
	writeJSON(w, http.StatusOK, newUserTokenResponse(g, ""))
	return http.StatusOK, app.APIKey
}
