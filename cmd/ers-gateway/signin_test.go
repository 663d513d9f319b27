package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// workstation plays ers-workstation and the person's browser against a
// running gateway, remembering every secret it sees on the way.
type workstation struct {
	t       *testing.T
	gw      string
	key     *dpop.Key
	client  *http.Client
	browser *http.Client
	token   string   // the current session token
	secrets []string // everything that must never reach the log
}

func newWorkstation(t *testing.T, gw string) *workstation {
	t.Helper()
	key, err := dpop.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &workstation{
		t: t, gw: gw, key: key,
		client:  &http.Client{Timeout: generous, CheckRedirect: noRedirect},
		browser: &http.Client{Timeout: generous, Jar: jar, CheckRedirect: noRedirect},
	}
}

func (w *workstation) secret(values ...string) {
	for _, v := range values {
		if v != "" {
			w.secrets = append(w.secrets, v)
		}
	}
}

// call sends a JSON request to the gateway with a fresh proof (and the
// session token when there is one) and decodes the JSON answer into out.
func (w *workstation) call(method, path string, body, out any) int {
	w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			w.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, w.gw+path, rd)
	if err != nil {
		w.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	proof, err := w.key.Proof(method, w.gw+path, w.token, time.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	w.secret(proof)
	req.Header.Set("DPoP", proof)
	if w.token != "" {
		req.Header.Set("Authorization", "DPoP "+w.token)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			w.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	if resp.StatusCode >= 300 {
		w.t.Logf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

// follow sends the browser to u and returns the answer's status and Location.
func (w *workstation) follow(method, u string, form url.Values) (int, *url.URL) {
	w.t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		resp, err = w.browser.PostForm(u, form)
	} else {
		resp, err = w.browser.Get(u)
	}
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, u, err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return resp.StatusCode, loc
}

// signIn runs a loopback sign-in of the persona to its end: the session
// token in hand and the first of the user's roles chosen.
func (w *workstation) signIn(persona string) {
	t := w.t
	t.Helper()
	raw := make([]byte, 32)
	rand.Read(raw) //nolint:errcheck // never fails
	verifier := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(verifier))
	w.secret(verifier)

	var login struct {
		LoginID, VerificationURI, UserCode string
	}
	var loginAnswer map[string]any
	status := w.call(http.MethodPost, "/v1/auth/login", map[string]any{
		"mode": "loopback", "redirect_uri": "http://127.0.0.1:1/callback", "state": "workstation-state",
		"code_challenge": base64.RawURLEncoding.EncodeToString(sum[:]), "code_challenge_method": "S256",
		"jwk": w.key.PublicJWK(),
	}, &loginAnswer)
	if status != http.StatusOK {
		t.Fatalf("POST /v1/auth/login: %d", status)
	}
	login.LoginID, _ = loginAnswer["login_id"].(string)
	login.VerificationURI, _ = loginAnswer["verification_uri"].(string)
	login.UserCode, _ = loginAnswer["user_code"].(string)

	// The browser: the confirmation page, Continue, CIS2 (auto-approved
	// by login_hint), the gateway's callback, the loopback redirect.
	if status, _ := w.follow(http.MethodGet, login.VerificationURI, nil); status != http.StatusOK {
		t.Fatalf("GET %s: %d", login.VerificationURI, status)
	}
	vu, _ := url.Parse(login.VerificationURI)
	csrf := ""
	for _, c := range w.browser.Jar.Cookies(vu) {
		if c.Name == "ers-csrf" {
			csrf = c.Value
		}
	}
	status, authorize := w.follow(http.MethodPost, login.VerificationURI, url.Values{"csrf": {csrf}})
	if status != http.StatusSeeOther || authorize == nil {
		t.Fatalf("POST %s: %d, want 303 to CIS2", login.VerificationURI, status)
	}
	q := authorize.Query()
	w.secret(q.Get("state"), q.Get("nonce"))
	q.Set("login_hint", persona)
	authorize.RawQuery = q.Encode()
	status, callback := w.follow(http.MethodGet, authorize.String(), nil)
	if status != http.StatusFound || callback == nil || callback.Query().Get("code") == "" {
		t.Fatalf("CIS2 authorize: %d to %v, want 302 with a code", status, callback)
	}
	w.secret(callback.Query().Get("code"))
	status, loopback := w.follow(http.MethodGet, callback.String(), nil)
	if status != http.StatusFound || loopback == nil || loopback.Query().Get("code") == "" {
		t.Fatalf("gateway callback: %d to %v, want 302 to the loopback with a handoff code", status, loopback)
	}
	handoff := loopback.Query().Get("code")
	w.secret(handoff)

	var tok struct {
		SessionToken string `json:"session_token"`
	}
	if status := w.call(http.MethodPost, "/v1/auth/token", map[string]string{
		"login_id": login.LoginID, "code": handoff, "code_verifier": verifier,
	}, &tok); status != http.StatusOK || tok.SessionToken == "" {
		t.Fatalf("POST /v1/auth/token: %d", status)
	}
	w.token = tok.SessionToken
	w.secret(w.token)

	var roles struct {
		Roles []struct {
			BusinessFunction string `json:"business_function"`
			ODS              string `json:"ods"`
		} `json:"roles"`
	}
	if status := w.call(http.MethodGet, "/v1/session/roles", nil, &roles); status != http.StatusOK || len(roles.Roles) == 0 {
		t.Fatalf("GET /v1/session/roles: %d %+v", status, roles)
	}
	var changed struct {
		SessionToken string `json:"session_token"`
	}
	if status := w.call(http.MethodPut, "/v1/session/context", map[string]string{
		"business_function": roles.Roles[0].BusinessFunction, "ods": roles.Roles[0].ODS,
	}, &changed); status != http.StatusOK || changed.SessionToken == "" {
		t.Fatalf("PUT /v1/session/context: %d", status)
	}
	w.token = changed.SessionToken
	w.secret(w.token)
}

// referrer is the persona the sign-in tests use.
const referrer = cis2.PersonaReferrer

// noSecretIn fails for each secret found in the log.
func noSecretIn(t *testing.T, log string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(log, s) {
			shown := s
			if len(shown) > 12 {
				shown = shown[:12] + "..."
			}
			t.Errorf("the log contains a secret (%s)", shown)
		}
	}
}
