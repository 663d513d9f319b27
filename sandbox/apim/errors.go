package apim

import "net/http"

// The error codes of the token endpoint.
const (
	CodeInvalidRequest       = "invalid_request"
	CodeUnsupportedGrantType = "unsupported_grant_type"
	CodeUnauthorizedClient   = "unauthorized_client"
	CodePublicKey            = "public_key error"
)

// The error descriptions of the identity-service proxy, verbatim.
const (
	DescContentType = "Content-Type header must be application/x-www-form-urlencoded"

	DescGrantTypeMissing = "grant_type is missing"
	DescGrantTypeInvalid = "grant_type is invalid"

	DescClientAssertionType = "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'"
	DescMissingAssertion    = "Missing client_assertion"
	DescMalformedAssertion  = "Malformed JWT in client_assertion"

	DescMissingKid   = "Missing 'kid' header in client_assertion JWT"
	DescUnknownKid   = "Invalid 'kid' header in client_assertion JWT - no matching public key"
	DescInvalidTyp   = "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"
	DescMissingAlg   = "Missing 'alg' header in client_assertion JWT"
	DescInvalidAlg   = "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'"
	DescIssSub       = "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"
	DescUnknownIss   = "Invalid 'iss'/'sub' claims in client_assertion JWT"
	DescMissingJti   = "Missing 'jti' claim in client_assertion JWT"
	DescInvalidJti   = "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID"
	DescReusedJti    = "Non-unique 'jti' claim in client_assertion JWT"
	DescAud          = "Missing or invalid 'aud' claim in client_assertion JWT"
	DescMissingExp   = "Missing 'exp' claim in client_assertion JWT"
	DescExpired      = "Invalid 'exp' claim in client_assertion JWT - JWT has expired"
	DescExpTooLong   = "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"
	DescExpInteger   = "Invalid 'exp' claim in client_assertion JWT - must be an integer"
	DescBadSignature = "JWT signature verification failed"
	DescNoPublicKey  = "You need to register a public key to use this authentication method - please contact support to configure"
	DescJWKSDown     = "The JWKS endpoint, for your client_assertion can't be reached"

	DescUnauthorizedClient = "you have tried to request authorization but your application is not configured to use this authorization grant type"

	// DescNotYetSupported is the simulator's own answer for grants it does
	// not implement yet (not an APIM string).
	DescNotYetSupported = "grant_type is not yet supported by the APIM simulator"
	// DescExpiryOverride is the simulator's own answer for a malformed
	// _access_token_expiry_ms (not an APIM string).
	DescExpiryOverride = "_access_token_expiry_ms must be a positive integer"
)

// Error is a token-endpoint error: the HTTP status and the JSON body's
// error and error_description.
type Error struct {
	Status      int
	Code        string
	Description string
}

func (e *Error) Error() string {
	return "apim: " + http.StatusText(e.Status) + ": " + e.Code + ": " + e.Description
}

func newError(status int, code, desc string) *Error {
	return &Error{Status: status, Code: code, Description: desc}
}

func badRequest(desc string) *Error { return newError(http.StatusBadRequest, CodeInvalidRequest, desc) }
func unauthorized(desc string) *Error {
	return newError(http.StatusUnauthorized, CodeInvalidRequest, desc)
}
