package apim

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The client assertion rules.
const (
	// ClientAssertionType is the only accepted client_assertion_type.
	ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// AssertionAlg is the only accepted assertion algorithm.
	AssertionAlg = "RS512"
	// MaxAssertionLifetime is how far ahead exp may be: five minutes plus
	// the ten seconds APIM allows for edge cases.
	MaxAssertionLifetime = 310 * time.Second
)

// assertionHeader is the JOSE header of a client assertion.
type assertionHeader struct {
	Alg any `json:"alg"`
	Kid any `json:"kid"`
	Typ any `json:"typ"`
}

// assertionClaims keeps raw values so types can be checked as APIM does.
type assertionClaims struct {
	Iss any             `json:"iss"`
	Sub any             `json:"sub"`
	Aud any             `json:"aud"`
	Jti any             `json:"jti"`
	Exp json.RawMessage `json:"exp"`
}

// assertionValidator checks client assertions in the identity-service
// proxy's order: the claim checks of validate-client-assertion-claims.js,
// then the API key, the audience, the JWKS and the signature.
type assertionValidator struct {
	apps *Registry
	jwks *jwksCache
	jtis *jtiCache
	now  func() time.Time
}

// validate returns the application whose assertion it is, or the error to
// answer with. tokenURL is the audience the assertion must name. On
// success the jti is remembered for JTICacheTTL.
func (v *assertionValidator) validate(ctx context.Context, assertion, tokenURL string) (App, *Error) {
	hdr, claims, ok := decodeAssertion(assertion)
	if !ok {
		return App{}, badRequest(DescMalformedAssertion)
	}
	now := v.now()

	alg, _ := hdr.Alg.(string)
	if alg == "" {
		return App{}, badRequest(DescMissingAlg)
	}
	if alg != AssertionAlg {
		return App{}, badRequest(DescInvalidAlg)
	}
	exp, expPresent, expInteger := parseExp(claims.Exp)
	if expInteger && now.UnixMilli() > exp*1000 {
		return App{}, badRequest(DescExpired)
	}
	if kid, _ := hdr.Kid.(string); kid == "" {
		return App{}, badRequest(DescMissingKid)
	}
	if typ, ok := hdr.Typ.(string); !ok || !strings.EqualFold(typ, "JWT") {
		return App{}, badRequest(DescInvalidTyp)
	}
	if !expPresent {
		return App{}, badRequest(DescMissingExp)
	}
	if !expInteger {
		return App{}, badRequest(DescExpInteger)
	}
	iss, _ := claims.Iss.(string)
	sub, _ := claims.Sub.(string)
	if iss == "" || iss != sub {
		return App{}, badRequest(DescIssSub)
	}
	if claims.Jti == nil || claims.Jti == "" {
		return App{}, badRequest(DescMissingJti)
	}
	jti, ok := claims.Jti.(string)
	if !ok {
		return App{}, badRequest(DescInvalidJti)
	}
	if v.jtis.used(sub, jti) {
		return App{}, badRequest(DescReusedJti)
	}
	if exp-now.Unix() > int64(MaxAssertionLifetime/time.Second) {
		return App{}, badRequest(DescExpTooLong)
	}

	app, known := v.apps.App(iss)
	if !known {
		return App{}, unauthorized(DescUnknownIss)
	}
	if !audienceMatches(claims.Aud, tokenURL) {
		return App{}, unauthorized(DescAud)
	}
	if app.JWKSURL == "" {
		return App{}, newError(http.StatusForbidden, CodePublicKey, DescNoPublicKey)
	}
	set, err := v.jwks.get(ctx, app.JWKSURL)
	if err != nil {
		return App{}, newError(http.StatusForbidden, CodePublicKey, DescJWKSDown)
	}
	kid := hdr.Kid.(string)
	keys := set.Key(kid)
	if len(keys) == 0 {
		return App{}, unauthorized(DescUnknownKid)
	}
	if !verifySignature(assertion, keys) {
		return App{}, newError(http.StatusUnauthorized, CodePublicKey, DescBadSignature)
	}
	if !v.jtis.claim(sub, jti) {
		return App{}, badRequest(DescReusedJti)
	}
	return app, nil
}

// decodeAssertion splits a compact JWS and decodes its header and claims
// without verifying anything.
func decodeAssertion(s string) (assertionHeader, assertionClaims, bool) {
	var hdr assertionHeader
	var claims assertionClaims
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return hdr, claims, false
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(h, &hdr) != nil {
		return hdr, claims, false
	}
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(p, &claims) != nil {
		return hdr, claims, false
	}
	return hdr, claims, true
}

// parseExp reads exp: present (and not null or zero, as APIM's !exp) and
// integral.
func parseExp(raw json.RawMessage) (exp int64, present, integer bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "0" || string(raw) == `""` || string(raw) == "false" {
		return 0, false, false
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil || raw[0] == '"' {
		return 0, true, false
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, true, false
	}
	return int64(f), true, true
}

// audienceMatches accepts aud as the token URL or an array holding it.
func audienceMatches(aud any, tokenURL string) bool {
	switch a := aud.(type) {
	case string:
		return a == tokenURL
	case []any:
		for _, x := range a {
			if s, ok := x.(string); ok && s == tokenURL {
				return true
			}
		}
	}
	return false
}

// verifySignature checks the RS512 signature against any of the keys.
func verifySignature(assertion string, keys []jose.JSONWebKey) bool {
	jws, err := jose.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.RS512})
	if err != nil {
		return false
	}
	for _, k := range keys {
		if _, err := jws.Verify(k); err == nil {
			return true
		}
	}
	return false
}
