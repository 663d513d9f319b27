package apim

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// TokenPath is where the token endpoint is served.
const TokenPath = "/oauth2/token"

// The grant and token types of the token endpoint.
const (
	GrantClientCredentials = "client_credentials"
	GrantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
	GrantRefreshToken      = "refresh_token"
	GrantAuthorizationCode = "authorization_code"
	TokenTypeIDToken       = "urn:ietf:params:oauth:token-type:id_token"
)

// FormContentType is the only Content-Type the token endpoint accepts,
// compared as a whole string (no parameters).
const FormContentType = "application/x-www-form-urlencoded"

// DefaultJWKSTimeout bounds each JWKS fetch when Options.HTTPClient is nil
// (APIM itself waits up to 55 s).
const DefaultJWKSTimeout = 10 * time.Second

// maxFormBytes bounds a token request body.
const maxFormBytes = 64 << 10

// Options configure a Server. Apps is required; the rest have defaults.
type Options struct {
	// Apps is the application registry.
	Apps *Registry
	// Tokens stores issued access tokens. Default: a new store on Now.
	Tokens *TokenStore
	// TokenURL is the audience client assertions must carry, e.g.
	// "http://127.0.0.1:8080/oauth2/token". Default: derived from each
	// request as http://<Host>/oauth2/token.
	TokenURL string
	// Now is the clock. Default: time.Now.
	Now func() time.Time
	// CIS2Issuer is the issuer subject tokens must carry, e.g.
	// "http://127.0.0.1:9000/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare".
	// Empty: every subject token is refused with the iss error.
	CIS2Issuer string
	// CIS2JWKSURL is where the CIS2 key set is fetched (cached
	// CIS2JWKSCacheTTL, refetched on an unknown kid).
	CIS2JWKSURL string
	// HTTPClient fetches application and CIS2 JWKS. Default: a client with
	// DefaultJWKSTimeout. A client without a timeout is given one.
	HTTPClient *http.Client
	// Logger gets one line per token request, without tokens, assertions
	// or keys. Default: discard.
	Logger *slog.Logger
}

// Server is the mock APIM token service.
type Server struct {
	apps     *Registry
	tokens   *TokenStore
	tokenURL string
	now      func() time.Time
	log      *slog.Logger
	jwks     *jwksCache
	assert   *assertionValidator
	subject  *subjectValidator
	mux      *http.ServeMux
}

// New returns a Server for the options.
func New(opts Options) (*Server, error) {
	if opts.Apps == nil {
		return nil, errors.New("apim: Options.Apps is required")
	}
	s := &Server{apps: opts.Apps, tokens: opts.Tokens, tokenURL: opts.TokenURL, now: opts.Now, log: opts.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.tokens == nil {
		s.tokens = NewTokenStore(s.now)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	client := opts.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: DefaultJWKSTimeout}
	} else if client.Timeout == 0 {
		c := *client
		c.Timeout = DefaultJWKSTimeout
		client = &c
	}
	s.jwks = newJWKSCache(client, s.now)
	s.assert = &assertionValidator{apps: s.apps, jwks: s.jwks, jtis: newJTICache(s.now), now: s.now}
	s.subject = &subjectValidator{
		issuer: opts.CIS2Issuer, jwksURL: opts.CIS2JWKSURL,
		jwks: newJWKSCacheTTL(client, s.now, CIS2JWKSCacheTTL), now: s.now,
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+TokenPath, s.handleToken)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Tokens returns the store of issued access tokens, for the e-RS side.
func (s *Server) Tokens() *TokenStore { return s.tokens }

// FlushJWKS forgets every cached application and CIS2 key set.
func (s *Server) FlushJWKS() {
	s.jwks.flush()
	s.subject.jwks.flush()
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	grant := ""
	status, apiKey := s.token(w, r, &grant)
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "token request",
		slog.String("op", "oauth2_token"), slog.String("grant_type", grant),
		slog.String("api_key", apiKey), slog.Int("status", status),
		slog.Int64("latency_ms", s.now().Sub(start).Milliseconds()))
}

// token answers the request and returns the status and the application.
func (s *Server) token(w http.ResponseWriter, r *http.Request, grant *string) (int, string) {
	if r.Header.Get("Content-Type") != FormContentType {
		return writeError(w, newError(http.StatusUnsupportedMediaType, CodeInvalidRequest, DescContentType)), ""
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return writeError(w, badRequest("Malformed form body")), ""
	}
	form := r.PostForm
	*grant = form.Get("grant_type")
	switch *grant {
	case "":
		return writeError(w, badRequest(DescGrantTypeMissing)), ""
	case GrantClientCredentials:
		return s.clientCredentials(w, r)
	case GrantTokenExchange:
		if form.Get("subject_token_type") == TokenTypeIDToken {
			return s.tokenExchange(w, r)
		}
	case GrantRefreshToken:
		return s.refreshToken(w, r)
	case GrantAuthorizationCode:
		return writeError(w, newError(http.StatusBadRequest, CodeUnsupportedGrantType, DescNotYetSupported)), ""
	}
	if form.Get("subject_token_type") == TokenTypeIDToken {
		return writeError(w, badRequest(DescGrantTypeInvalid)), ""
	}
	return writeError(w, newError(http.StatusBadRequest, CodeUnsupportedGrantType, DescGrantTypeInvalid)), ""
}

// clientCredentialsResponse is the body of a client_credentials token;
// numbers are strings, as APIM sends them.
type clientCredentialsResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   string `json:"expires_in"`
	TokenType   string `json:"token_type"`
	IssuedAt    string `json:"issued_at"`
}

func (s *Server) clientCredentials(w http.ResponseWriter, r *http.Request) (int, string) {
	form := r.PostForm
	if e := checkAssertionForm(form); e != nil {
		return writeError(w, e), ""
	}
	app, aerr := s.assert.validate(r.Context(), form.Get("client_assertion"), s.audience(r))
	if aerr != nil {
		return writeError(w, aerr), ""
	}
	scopes := app.AppRestrictedScopes()
	if len(scopes) == 0 {
		return writeError(w, newError(http.StatusUnauthorized, CodeUnauthorizedClient, DescUnauthorizedClient)), app.APIKey
	}
	lifetime := AccessTokenLifetime
	if v := form.Get("_access_token_expiry_ms"); v != "" && app.AllowLifetimeOverrides {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ms <= 0 {
			return writeError(w, badRequest(DescExpiryOverride)), app.APIKey
		}
		if d := time.Duration(ms) * time.Millisecond; d < lifetime {
			lifetime = d
		}
	}
	now := s.now()
	tok, err := s.tokens.Issue(TokenInfo{
		APIKey: app.APIKey, AuthType: AuthTypeApp, Scopes: scopes,
		IssuedAt: now, ExpiresAt: now.Add(lifetime),
	})
	if err != nil {
		return writeError(w, newError(http.StatusInternalServerError, "server_error", "token generation failed")), app.APIKey
	}
	writeJSON(w, http.StatusOK, clientCredentialsResponse{
		AccessToken: tok,
		ExpiresIn:   strconv.FormatInt(reportedExpiresIn(lifetime), 10),
		TokenType:   "Bearer",
		IssuedAt:    strconv.FormatInt(now.UnixMilli(), 10),
	})
	return http.StatusOK, app.APIKey
}

// checkAssertionForm checks the client_assertion_type and the presence of
// client_assertion.
func checkAssertionForm(form url.Values) *Error {
	if len(form["client_assertion_type"]) != 1 || form.Get("client_assertion_type") != ClientAssertionType {
		return badRequest(DescClientAssertionType)
	}
	if form.Get("client_assertion") == "" {
		return badRequest(DescMissingAssertion)
	}
	return nil
}

// reportedExpiresIn is the lifetime in whole seconds less one, as APIM
// reports 600 s as "599".
func reportedExpiresIn(d time.Duration) int64 {
	return max(int64(d/time.Second)-1, 0)
}

// audience is the token URL assertions must name.
func (s *Server) audience(r *http.Request) string {
	if s.tokenURL != "" {
		return s.tokenURL
	}
	return "http://" + r.Host + TokenPath
}

// errorBody is APIM's error JSON; message_id is a random id per response.
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	MessageID   string `json:"message_id"`
}

func writeError(w http.ResponseWriter, e *Error) int {
	writeJSON(w, e.Status, errorBody{Error: e.Code, Description: e.Description, MessageID: rand.Text()})
	return e.Status
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	b, _ := json.Marshal(v)
	_, _ = io.Writer(w).Write(b)
}
