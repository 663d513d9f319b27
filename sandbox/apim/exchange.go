package apim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// CIS2JWKSCacheTTL is how long the CIS2 key set is kept
// (PopulateCache.TokenExchangeJWKS.xml: 86400 s); an unknown kid refetches.
const CIS2JWKSCacheTTL = 24 * time.Hour

// The subject-token error descriptions of the identity-service proxy
// (validate-subject-token-claims.js, SelectIdTokenIssuer.js), verbatim.
const (
	DescSubjectMissingKid = "Missing 'kid' header in subject_token JWT"
	DescSubjectInvalidTyp = "Invalid 'typ' header in subject_token JWT - must be 'JWT'"
	DescSubjectMissingAlg = "Missing 'alg' header in subject_token JWT"
	DescSubjectMissingExp = "Missing 'exp' claim in subject_token JWT"
	DescSubjectExpInteger = "Invalid 'exp' claim in subject_token JWT - must be an integer"
	DescSubjectExpired    = "Invalid 'exp' claim in subject_token JWT - JWT has expired"
	DescSubjectMissingIss = "Missing 'iss' claim in subject_token JWT"
	DescSubjectMissingAud = "Missing 'aud' claim in subject_token JWT"
	DescSubjectIss        = "Missing or non-matching 'iss' claim in subject_token JWT"
	DescSubjectUnknownKid = "Invalid 'kid' header in subject_token JWT - no matching public key"
)

// The simulator's own subject-token answers where the APIM string is not
// known (not APIM strings).
const (
	DescSubjectMissing      = "Missing subject_token"
	DescSubjectMalformed    = "Malformed JWT in subject_token"
	DescSubjectBadSignature = "Signature verification failed for subject_token JWT"
	DescSubjectJWKSDown     = "The CIS2 JWKS endpoint can't be reached"
)

// subjectAlgs are the signature algorithms APIM accepts on a CIS2 ID
// token (VerifyJWT.SubjectToken.xml).
var subjectAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS512}

// subjectHeader is the JOSE header of a subject token.
type subjectHeader struct {
	Alg any `json:"alg"`
	Kid any `json:"kid"`
	Typ any `json:"typ"`
}

// subjectClaims keeps raw values so types can be checked as APIM does.
type subjectClaims struct {
	Iss any             `json:"iss"`
	Sub any             `json:"sub"`
	Aud any             `json:"aud"`
	Exp json.RawMessage `json:"exp"`
	Sid any             `json:"sid"`
	Acr any             `json:"acr"`
	Amr any             `json:"amr"`
	AAL any             `json:"authentication_assurance_level"`
	IAL any             `json:"id_assurance_level"`
}

// subjectValidator checks CIS2 ID tokens presented as subject tokens.
type subjectValidator struct {
	issuer  string
	jwksURL string
	jwks    *jwksCache
	now     func() time.Time
}

// validate returns the verified claims or the error to answer with. As
// APIM, it does not compare aud with any client id.
func (v *subjectValidator) validate(ctx context.Context, token string) (subjectClaims, *Error) {
	var hdr subjectHeader
	var claims subjectClaims
	if !decodeCompact(token, &hdr, &claims) {
		return claims, badRequest(DescSubjectMalformed)
	}
	now := v.now()
	exp, expPresent, expInteger := parseExp(claims.Exp)
	kid, _ := hdr.Kid.(string)
	iss, _ := claims.Iss.(string)
	switch {
	case expInteger && now.UnixMilli() > exp*1000:
		return claims, badRequest(DescSubjectExpired)
	case isFalsy(hdr.Alg):
		return claims, badRequest(DescSubjectMissingAlg)
	case kid == "":
		return claims, badRequest(DescSubjectMissingKid)
	case !isJWTTyp(hdr.Typ):
		return claims, badRequest(DescSubjectInvalidTyp)
	case !expPresent:
		return claims, badRequest(DescSubjectMissingExp)
	case !expInteger:
		return claims, badRequest(DescSubjectExpInteger)
	case iss == "":
		return claims, badRequest(DescSubjectMissingIss)
	case isFalsy(claims.Aud):
		return claims, unauthorized(DescSubjectMissingAud)
	case v.issuer == "" || iss != v.issuer:
		return claims, badRequest(DescSubjectIss)
	}
	if v.jwksURL == "" {
		return claims, newError(http.StatusInternalServerError, "server_error", DescSubjectJWKSDown)
	}
	set, err := v.jwks.get(ctx, v.jwksURL)
	if err == nil && len(set.Key(kid)) == 0 {
		set, err = v.jwks.refetch(ctx, v.jwksURL)
	}
	if err != nil {
		return claims, newError(http.StatusInternalServerError, "server_error", DescSubjectJWKSDown)
	}
	keys := set.Key(kid)
	if len(keys) == 0 {
		return claims, unauthorized(DescSubjectUnknownKid)
	}
	jws, err := jose.ParseSigned(token, subjectAlgs)
	if err != nil {
		return claims, unauthorized(DescSubjectBadSignature)
	}
	for _, k := range keys {
		if _, err := jws.Verify(k); err == nil {
			return claims, nil
		}
	}
	return claims, unauthorized(DescSubjectBadSignature)
}

// decodeCompact splits a compact JWS and decodes its header and claims
// without verifying anything.
func decodeCompact(s string, hdr, claims any) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return false
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(h, hdr) != nil {
		return false
	}
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	return err == nil && json.Unmarshal(p, claims) == nil
}

// isFalsy mirrors JavaScript's !x for decoded JSON values.
func isFalsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	}
	return false
}

func isJWTTyp(v any) bool {
	s, ok := v.(string)
	return ok && strings.EqualFold(s, "JWT")
}

// assuranceLevel reads an assurance level given as a number or a string
// of digits; 0 when absent or malformed.
func assuranceLevel(v any) int {
	switch x := v.(type) {
	case float64:
		if x == float64(int(x)) && x > 0 {
			return int(x)
		}
	case string:
		if n, err := strconv.Atoi(x); err == nil && n > 0 {
			return n
		}
	}
	return 0
}

// stringList reads amr: an array of strings or a single string.
func stringList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// UserScopesForAAL returns the application's scopes a token-exchange
// token for a user authenticated at the assurance level may carry: those
// containing ":aal<level>:" (FilterScopesTokenExchange.js).
func (a App) UserScopesForAAL(level int) []string {
	if level <= 0 {
		return nil
	}
	marker := ":aal" + strconv.Itoa(level) + ":"
	var out []string
	for _, s := range a.Scopes {
		if strings.Contains(s, marker) {
			out = append(out, s)
		}
	}
	return out
}

// tokenExchange answers the RFC 8693 grant with a CIS2 ID token as the
// subject token.
func (s *Server) tokenExchange(w http.ResponseWriter, r *http.Request) (int, string) {
	form := r.PostForm
	if e := checkAssertionForm(form); e != nil {
		return writeError(w, e), ""
	}
	subject := form.Get("subject_token")
	if subject == "" {
		return writeError(w, badRequest(DescSubjectMissing)), ""
	}
	app, aerr := s.assert.validate(r.Context(), form.Get("client_assertion"), s.audience(r))
	if aerr != nil {
		return writeError(w, aerr), ""
	}
	claims, serr := s.subject.validate(r.Context(), subject)
	if serr != nil {
		return writeError(w, serr), app.APIKey
	}
	aal := assuranceLevel(claims.AAL)
	scopes := app.UserScopesForAAL(aal)
	if len(scopes) == 0 {
		return writeError(w, newError(http.StatusUnauthorized, CodeUnauthorizedClient, DescUnauthorizedClient)), app.APIKey
	}
	l, lerr := userLifetimes(form, app)
	if lerr != nil {
		return writeError(w, lerr), app.APIKey
	}
	sub, _ := claims.Sub.(string)
	sid, _ := claims.Sid.(string)
	acr, _ := claims.Acr.(string)
	g, err := s.tokens.issueUser(TokenInfo{
		APIKey: app.APIKey, AuthType: AuthTypeUser, Scopes: scopes,
		Subject: sub, SessionID: sid, ACR: acr, AMR: stringList(claims.Amr),
		AAL: aal, IAL: assuranceLevel(claims.IAL),
	}, l)
	if err != nil {
		return writeError(w, newError(http.StatusInternalServerError, "server_error", "token generation failed")), app.APIKey
	}
	writeJSON(w, http.StatusOK, newUserTokenResponse(g, IssuedTokenTypeAccessToken))
	return http.StatusOK, app.APIKey
}
