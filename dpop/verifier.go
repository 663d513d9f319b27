package dpop

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Defaults for [VerifierOptions], from section 5.3 of the auth notes.
const (
	DefaultWindow         = 60 * time.Second
	DefaultReplayMemory   = 5 * time.Minute
	DefaultReplayCapacity = 100_000

	maxProofLen = 8 << 10 // an ES256 proof is under 1 KiB; this leaves room for long URLs
	maxJTILen   = 256
)

// VerifierOptions configures a [Verifier]. The zero value gives the defaults.
type VerifierOptions struct {
	// Now is the clock; nil means time.Now. Injected so skew and replay are testable.
	Now func() time.Time
	// Window is how far iat may be from now, each way. Default 60 s.
	Window time.Duration
	// ReplayMemory is how long an accepted jti is remembered. Default 5 min; it must be at
	// least twice Window, or a proof could be replayed after its jti was forgotten.
	ReplayMemory time.Duration
	// ReplayCapacity bounds the remembered proofs; when full, proofs are refused with
	// CodeUnavailable rather than risking a replay. Default 100000.
	ReplayCapacity int
}

// Verifier checks proofs on the gateway. It is safe for concurrent use. Its replay memory is
// per process and cheap; the gateway's broker also records each accepted proof in its shared
// store, so gateways sharing PostgreSQL refuse a proof another instance already accepted.
type Verifier struct {
	now    func() time.Time
	window time.Duration
	replay *replayMemory
}

// NewVerifier builds a Verifier, refusing options that would make replay possible.
func NewVerifier(opts VerifierOptions) (*Verifier, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Window == 0 {
		opts.Window = DefaultWindow
	}
	if opts.ReplayMemory == 0 {
		opts.ReplayMemory = DefaultReplayMemory
	}
	if opts.ReplayCapacity == 0 {
		opts.ReplayCapacity = DefaultReplayCapacity
	}
	if opts.Window < 0 || opts.ReplayCapacity < 0 {
		return nil, errors.New("dpop: negative window or capacity")
	}
	if opts.ReplayMemory < 2*opts.Window {
		return nil, errors.New("dpop: replay memory must be at least twice the iat window")
	}
	return &Verifier{now: opts.Now, window: opts.Window, replay: newReplayMemory(opts.ReplayMemory, opts.ReplayCapacity)}, nil
}

// proofHeader is read before go-jose parses the proof, to name the refusal precisely
// (wrong alg, private key in jwk) instead of a generic parse error.
type proofHeader struct {
	Typ string          `json:"typ"`
	Alg string          `json:"alg"`
	JWK json.RawMessage `json:"jwk"`
}

// receivedClaims tells a missing claim from an empty one.
type receivedClaims struct {
	JTI *string         `json:"jti"`
	HTM *string         `json:"htm"`
	HTU *string         `json:"htu"`
	IAT json.RawMessage `json:"iat"`
	ATH *string         `json:"ath"`
}

// Verify checks one proof against the request it came with and returns the thumbprint of the
// key that signed it; the caller compares that with the session's ([CheckBinding]). requestURL
// is the URL as the client addressed it (the gateway's public base URL plus the path); its
// query is ignored. accessToken is the session token from "Authorization: DPoP"; when given,
// the proof must carry its hash. Refusals are *Error; any other error is the caller's bug
// (an unparsable requestURL).
func (v *Verifier) Verify(proof, method, requestURL, accessToken string) (string, error) {
	wantURL, err := normaliseHTU(requestURL)
	if err != nil {
		return "", err
	}
	pub, payload, err := verifySignature(proof)
	if err != nil {
		return "", err
	}
	c, err := decodeClaims(payload)
	if err != nil {
		return "", err
	}
	if *c.HTM != method {
		return "", refuse(ErrMethod, "htm does not match the request method")
	}
	if got, err := normaliseHTU(*c.HTU); err != nil || got != wantURL {
		return "", refuse(ErrURL, "htu does not match the request URL")
	}
	now := v.now()
	iat, err := numericDate(c.IAT)
	if err != nil {
		return "", refuse(ErrMalformed, "iat is not a number")
	}
	if iat.Before(now.Add(-v.window)) {
		return "", refuse(ErrIssuedAt, "proof is too old")
	}
	if iat.After(now.Add(v.window)) {
		return "", refuse(ErrIssuedAt, "proof is issued in the future")
	}
	if accessToken != "" {
		if c.ATH == nil || subtle.ConstantTimeCompare([]byte(*c.ATH), []byte(accessTokenHash(accessToken))) != 1 {
			return "", refuse(ErrAccessTokenHash, "ath is missing or does not match the token")
		}
	}
	jwk, err := jwkFromECDSA(pub)
	if err != nil {
		return "", refuse(ErrKey, "jwk is not an EC P-256 public key")
	}
	thumb, err := Thumbprint(jwk)
	if err != nil {
		return "", refuse(ErrKey, "jwk is not an EC P-256 public key")
	}
	// Last, so proofs that fail any other check never take room in the memory.
	key := sha256.Sum256([]byte(thumb + "\x00" + *c.JTI))
	switch err := v.replay.remember(key, now); {
	case errors.Is(err, ErrReplay):
		return "", refuse(ErrReplay, "proof has already been used")
	case err != nil:
		return "", &Error{Code: CodeUnavailable, Description: "too many proofs in flight, retry shortly", Reason: err}
	}
	return thumb, nil
}

// verifySignature checks typ, alg and the embedded key, then the signature, and returns the
// key and the verified payload.
func verifySignature(proof string) (*ecdsa.PublicKey, []byte, error) {
	if proof == "" || len(proof) > maxProofLen {
		return nil, nil, refuse(ErrMalformed, "proof is missing or too long")
	}
	parts := strings.Split(proof, ".")
	if len(parts) != 3 {
		return nil, nil, refuse(ErrMalformed, "proof is not a compact JWS")
	}
	rawHeader, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, nil, refuse(ErrMalformed, "proof header is not base64url")
	}
	var h proofHeader
	if err := json.Unmarshal(rawHeader, &h); err != nil {
		return nil, nil, refuse(ErrMalformed, "proof header is not JSON")
	}
	if h.Alg != string(jose.ES256) {
		return nil, nil, refuse(ErrAlgorithm, "only ES256 proofs are accepted")
	}
	if !strings.EqualFold(h.Typ, proofType) {
		return nil, nil, refuse(ErrType, "typ must be dpop+jwt")
	}
	var jwk JWK
	if len(h.JWK) == 0 || bytes.Equal(h.JWK, []byte("null")) {
		return nil, nil, refuse(ErrKey, "jwk header is missing")
	}
	if err := json.Unmarshal(h.JWK, &jwk); err != nil {
		return nil, nil, refuse(ErrKey, "jwk header must be a public key")
	}
	if _, err := jwk.ECDSA(); err != nil {
		return nil, nil, refuse(ErrKey, "jwk is not an EC P-256 public key")
	}

	// go-jose is the authority from here on: it parses the same header again and checks the
	// signature against the key it parsed, so our pre-checks cannot be bypassed by ambiguity.
	jws, err := jose.ParseSignedCompact(proof, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, nil, refuse(ErrMalformed, "proof cannot be parsed")
	}
	sh := jws.Signatures[0].Header
	if typ, _ := sh.ExtraHeaders[jose.HeaderType].(string); !strings.EqualFold(typ, proofType) {
		return nil, nil, refuse(ErrType, "typ must be dpop+jwt")
	}
	if sh.JSONWebKey == nil || !sh.JSONWebKey.IsPublic() {
		return nil, nil, refuse(ErrKey, "jwk header must be a public key")
	}
	pub, ok := sh.JSONWebKey.Key.(*ecdsa.PublicKey)
	if !ok {
		return nil, nil, refuse(ErrKey, "jwk is not an EC P-256 public key")
	}
	if _, err := jwkFromECDSA(pub); err != nil {
		return nil, nil, refuse(ErrKey, "jwk is not an EC P-256 public key")
	}
	payload, err := jws.Verify(pub)
	if err != nil {
		return nil, nil, refuse(ErrSignature, "signature does not verify with the embedded jwk")
	}
	return pub, payload, nil
}

func decodeClaims(payload []byte) (receivedClaims, error) {
	var c receivedClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return c, refuse(ErrMalformed, "claims are not a JSON object")
	}
	if c.JTI == nil || *c.JTI == "" || len(*c.JTI) > maxJTILen || c.HTM == nil || c.HTU == nil || len(c.IAT) == 0 {
		return c, refuse(ErrMalformed, "jti, htm, htu and iat are required")
	}
	return c, nil
}

// numericDate reads a JWT NumericDate: a JSON number (not a string), which may have a fraction.
func numericDate(raw json.RawMessage) (time.Time, error) {
	if raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
		return time.Time{}, errors.New("not a number")
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e12 {
		return time.Time{}, errors.New("bad number")
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), nil
}

// CheckBinding compares the thumbprint [Verifier.Verify] returned with the one the session was
// bound to at login, in constant time. A mismatch is CodeInvalidToken: the proof is fine but
// the token was stolen or belongs to another key.
func CheckBinding(got, want string) error {
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return &Error{Code: CodeInvalidToken, Description: "the session is bound to a different key", Reason: ErrBinding}
	}
	return nil
}
