package broker

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// remoteToCallback starts a remote-mode login as a workstation, confirms it
// in a browser (with a cookie jar) and returns the browser and the CIS2
// callback URL CIS2 would send it to, with a code.
func remoteToCallback(t *testing.T, g *gateway) (*http.Client, string) {
	t.Helper()
	key, err := dpop.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(strings.Repeat("v", 43)))
	body, _ := json.Marshal(LoginRequest{Mode: "remote", CodeChallenge: base64.RawURLEncoding.EncodeToString(sum[:]),
		CodeChallengeMethod: "S256", JWK: key.PublicJWK()})
	resp, err := testClient().Post(g.url+LoginPath, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var lr LoginResponse
	if err := json.NewDecoder(resp.Body).Decode(&lr); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	stay := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err = browser.Get(lr.VerificationURI)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("confirmation page without a form: %d", resp.StatusCode)
	}
	resp, err = stay.PostForm(lr.VerificationURI, url.Values{"csrf": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	authorize, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("confirm: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	q := url.Values{"code": {"cis2-code-synthetic"}, "state": {authorize.Query().Get("state")}}
	return browser, g.url + CallbackPath + "?" + q.Encode()
}

func TestTheRemoteSignInResultIsShownAtACleanURL(t *testing.T) {
	h := newHarness(t)
	g := h.serve("", nil)
	browser, callback := remoteToCallback(t, g)

	resp, err := browser.Get(callback)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	final := resp.Request.URL
	if final.String() != g.url+DonePath || final.RawQuery != "" || strings.Contains(final.String(), "cis2-code-synthetic") {
		t.Fatalf("the result page is at %s, want %s with no code", final.Redacted(), g.url+DonePath)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Signed in") ||
		!strings.Contains(string(page), "Dr Synthetic Test") || !strings.Contains(string(page), "Return to your terminal") {
		t.Fatalf("result page: %d %s", resp.StatusCode, page)
	}
	if len(resp.Request.Response.Header.Values("Location")) != 1 || resp.Request.Response.StatusCode != http.StatusSeeOther {
		t.Errorf("the callback answered %d, want 303", resp.Request.Response.StatusCode)
	}

	// Without the browser's cookie the page shows nobody's name.
	resp, err = testClient().Get(g.url + DonePath)
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.Contains(string(page), "Dr Synthetic Test") {
		t.Fatalf("result page without the cookie: %d %s", resp.StatusCode, page)
	}
}

func TestARefusedRemoteSignInIsShownAtACleanURLWithItsStatus(t *testing.T) {
	h := newHarness(t)
	g := h.serve("", nil)
	browser, callback := remoteToCallback(t, g)
	u, _ := url.Parse(callback)
	q := u.Query()
	q.Del("code")
	q.Set("error", "access_denied")
	u.RawQuery = q.Encode()

	resp, err := browser.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Request.URL.String() != g.url+DonePath {
		t.Fatalf("the result page is at %s, want %s", resp.Request.URL.Redacted(), g.url+DonePath)
	}
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(page), "Sign-in cancelled") {
		t.Fatalf("result page: %d %s", resp.StatusCode, page)
	}
}

func TestAForgedResultCookieShowsTheNeutralPage(t *testing.T) {
	h := newHarness(t)
	g := h.serve("", nil)
	req, err := http.NewRequest(http.MethodGet, g.url+DonePath, nil)
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := json.Marshal(pageData{Title: "Signed in", Message: "You are signed in as Mallory."})
	req.AddCookie(&http.Cookie{Name: doneCookie, Value: base64.RawURLEncoding.EncodeToString(forged)})
	resp, err := testClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(page), "Mallory") {
		t.Fatalf("an unsealed cookie was shown: %s", page)
	}
}
