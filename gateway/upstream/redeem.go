package upstream

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Identity is the verified result of a CIS2 sign-in.
type Identity struct {
	Subject, Name, SessionID string // sub, name (or given + family), sid
	IAL, AAL                 int
	ACR                      string
	AMR                      []string
	// IDToken is the raw ID token, for the APIM exchange and end-session.
	// It is a credential: never log it.
	IDToken string
	Expiry  time.Time
}

// The assurance e-RS needs (notes 1.5).
const (
	MinIAL = 3
	MinAAL = 2
)

// AssuranceError says which assurance level was too low; errors.Is(err,
// ErrAssurance) holds. Its message is for the user.
type AssuranceError struct {
	// Level is "IAL" or "AAL".
	Level string
	// Got is the level the ID token stated (0 when absent or malformed).
	Got int
}

func (e *AssuranceError) Error() string {
	if e.Level == "IAL" {
		return fmt.Sprintf("your NHS identity has not been verified to the level e-RS needs "+
			"(identity assurance level %d, yours is %d): ask your registration authority", MinIAL, e.Got)
	}
	return fmt.Sprintf("the way you signed in is not strong enough for e-RS "+
		"(authentication assurance level %d or 3 needed, this sign-in was %d): "+
		"sign in again with a smartcard, security key or authenticator app", MinAAL, e.Got)
}

// Is makes errors.Is(err, ErrAssurance) true.
func (e *AssuranceError) Is(target error) bool { return target == ErrAssurance }

// cis2TokenResponse is the part of the /access_token answer used here.
type cis2TokenResponse struct {
	IDToken     string `json:"id_token"`
	AccessToken string `json:"access_token"`
}

// idClaims are the CIS2 claims read from a verified ID token.
type idClaims struct {
	Nonce      string          `json:"nonce"`
	Name       string          `json:"name"`
	GivenName  string          `json:"given_name"`
	FamilyName string          `json:"family_name"`
	SessionID  string          `json:"sid"`
	ACR        string          `json:"acr"`
	AMR        json.RawMessage `json:"amr"`
	IAL        json.RawMessage `json:"id_assurance_level"`
	AAL        json.RawMessage `json:"authentication_assurance_level"`
}

// Redeem exchanges the authorization code at CIS2 (private_key_jwt with a
// fresh assertion, the PKCE verifier) and verifies the ID token: signature,
// issuer, audience, expiry (go-oidc), then the nonce in constant time, then
// IAL >= 3 and AAL >= 2. Only an Identity that passed all of them is
// returned, so nothing unverified can reach APIM. When the ID token has no
// name, userinfo supplies it: a userinfo that names another subject fails
// the sign-in, one that cannot be reached or read leaves Name empty (the
// name is for display and audit only, not worth refusing a sign-in for).
func (c *CIS2) Redeem(ctx context.Context, code, pkceVerifier, nonce string) (Identity, error) {
	if code == "" || pkceVerifier == "" || nonce == "" {
		return Identity{}, errors.New("upstream: redeeming a code needs the code, the PKCE verifier and the nonce")
	}
	assertion, err := c.opts.Signer.Assertion(c.opts.ClientID, c.tokenURL)
	if err != nil {
		return Identity{}, fmt.Errorf("upstream: CIS2 client assertion: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.http.Timeout)
	defer cancel()
	body, err := postForm(ctx, c.http, "CIS2 token endpoint", c.tokenURL, url.Values{
		"grant_type":            {"authorization_code"},
		"code":                  {code},
		"redirect_uri":          {c.opts.RedirectURL},
		"client_id":             {c.opts.ClientID},
		"code_verifier":         {pkceVerifier},
		"client_assertion_type": {ClientAssertionType},
		"client_assertion":      {assertion},
	})
	if err != nil {
		return Identity{}, err
	}
	var tr cis2TokenResponse
	if err := decodeJSON("CIS2 token endpoint", body, &tr); err != nil {
		return Identity{}, err
	}
	if tr.IDToken == "" {
		return Identity{}, fmt.Errorf("%w: CIS2 answered without an ID token", ErrIDTokenInvalid)
	}
	id, err := c.verifyIDToken(ctx, tr.IDToken, nonce)
	if err != nil {
		return Identity{}, err
	}
	if id.Name == "" && tr.AccessToken != "" && c.userInfo != "" {
		name, err := c.userName(ctx, tr.AccessToken, id.Subject)
		if errors.Is(err, ErrIDTokenInvalid) {
			return Identity{}, err
		}
		id.Name = name
	}
	return id, nil
}

// verifyIDToken checks raw as Redeem says and reads the identity.
func (c *CIS2) verifyIDToken(ctx context.Context, raw, nonce string) (Identity, error) {
	tok, err := c.idVerifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, verifyError(ErrIDTokenInvalid, err)
	}
	var cl idClaims
	if err := tok.Claims(&cl); err != nil {
		return Identity{}, fmt.Errorf("%w: unreadable claims", ErrIDTokenInvalid)
	}
	if subtle.ConstantTimeCompare([]byte(cl.Nonce), []byte(nonce)) != 1 {
		return Identity{}, fmt.Errorf("%w: the nonce does not match this sign-in", ErrIDTokenInvalid)
	}
	if tok.Subject == "" {
		return Identity{}, fmt.Errorf("%w: no subject", ErrIDTokenInvalid)
	}
	ial, aal := level(cl.IAL), level(cl.AAL)
	if ial < MinIAL {
		return Identity{}, &AssuranceError{Level: "IAL", Got: ial}
	}
	if aal < MinAAL {
		return Identity{}, &AssuranceError{Level: "AAL", Got: aal}
	}
	name := cl.Name
	if name == "" {
		name = strings.TrimSpace(cl.GivenName + " " + cl.FamilyName)
	}
	return Identity{
		Subject: tok.Subject, Name: name, SessionID: cl.SessionID, IAL: ial, AAL: aal,
		ACR: cl.ACR, AMR: stringList(cl.AMR), IDToken: raw, Expiry: tok.Expiry,
	}, nil
}

// verifyError is the error for a token go-oidc refused: ErrUnavailable
// when CIS2's key set could not be fetched (go-oidc flattens that error to
// text), else sentinel with the reason.
func verifyError(sentinel, err error) error {
	if strings.Contains(err.Error(), "fetching keys") {
		return unavailable("CIS2 key set", errors.New("could not fetch the signing keys"))
	}
	return fmt.Errorf("%w: %s", sentinel, verifyReason(err))
}

// verifyReason says why go-oidc refused a token, in words that hold no
// part of it.
func verifyReason(err error) string {
	var expired *oidc.TokenExpiredError
	if errors.As(err, &expired) {
		return "expired at " + expired.Expiry.UTC().Format(time.RFC3339)
	}
	return strings.TrimPrefix(err.Error(), "oidc: ")
}

// level reads an assurance level given as a number or a numeric string;
// 0 when absent or malformed.
func level(raw json.RawMessage) int {
	var n json.Number
	if len(raw) == 0 || json.Unmarshal(raw, &n) != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0
		}
		n = json.Number(strings.TrimSpace(s))
	}
	v, err := n.Int64()
	if err != nil || v < 0 || v > 9 {
		return 0
	}
	return int(v)
}

// stringList reads amr: an array of strings or a single string.
func stringList(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one string
	if json.Unmarshal(raw, &one) == nil && one != "" {
		return []string{one}
	}
	return nil
}

// userInfoClaims are the profile claims read from userinfo.
type userInfoClaims struct {
	Subject    string `json:"sub"`
	Name       string `json:"name"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
}

// userName asks userinfo for the user's name with CIS2's access token and
// checks it names the ID token's subject.
func (c *CIS2) userName(ctx context.Context, accessToken, subject string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.userInfo, nil)
	if err != nil {
		return "", fmt.Errorf("upstream: CIS2 userinfo request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	body, err := do(c.http, "CIS2 userinfo", req)
	if err != nil {
		return "", err
	}
	var u userInfoClaims
	if err := decodeJSON("CIS2 userinfo", body, &u); err != nil {
		return "", err
	}
	if subtle.ConstantTimeCompare([]byte(u.Subject), []byte(subject)) != 1 {
		return "", fmt.Errorf("%w: userinfo names another subject", ErrIDTokenInvalid)
	}
	if u.Name != "" {
		return u.Name, nil
	}
	return strings.TrimSpace(u.GivenName + " " + u.FamilyName), nil
}
