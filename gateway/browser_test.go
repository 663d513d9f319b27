package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ers-workstation/ers-workstation/gateway/broker"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// These tests drive the sign-in pages from the browser's side in real
// headless Chromium: the gateway's confirmation page, the mock CIS2 sign-in
// page (without login_hint auto-approval: the person picks on the page)
// and the gateway's answer. The workstation's side is the plain HTTP client
// of gateway_test.go.

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// requireChromiumEnv, set to 1 (as CI does), turns a missing browser into a
// failure instead of a skip.
const requireChromiumEnv = "ERS_TEST_REQUIRE_CHROMIUM"

// browserTimeout bounds one test's whole use of the browser; stepTimeout
// bounds the wait for one page, so that a flow stuck on the wrong page fails
// soon and says where it is.
const (
	browserTimeout = 60 * time.Second
	stepTimeout    = 10 * time.Second
)

// newBrowser starts headless Chromium for t and returns its context. The
// browser lives at most browserTimeout, and stops (its profile directory
// removed after it) when t ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("the headless Chromium sign-in tests do not run with -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := "no Chromium at " + chromiumPath + " (apt-get install chromium): " + err.Error()
		if os.Getenv(requireChromiumEnv) == "1" {
			t.Fatal(msg + "; " + requireChromiumEnv + "=1 requires it")
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	profile := t.TempDir() // removed after the browser has stopped (cleanups run last-in first-out)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.UserDataDir(profile),
	)
	// The timeout is the parent of the browser: the whole browser, its
	// start included, stops when it ends.
	ctx, cancelTimeout := context.WithTimeout(t.Context(), browserTimeout)
	t.Cleanup(cancelTimeout)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc) // waits for the browser process to exit
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// text reads the trimmed text of the element sel matches, waiting for it.
func text(ctx context.Context, sel string) (string, error) {
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	return strings.TrimSpace(s), err
}

// page is what the person sees: the address, the title, and the text of
// some elements.
type page struct {
	location, title string
	texts           map[string]string
}

// read waits (up to stepTimeout each) for the elements sels match and reads
// the page.
func read(ctx context.Context, sels ...string) (page, error) {
	var p page
	var err error
	p.texts = make(map[string]string, len(sels))
	for _, sel := range sels {
		stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
		p.texts[sel], err = text(stepCtx, sel)
		cancel()
		if err != nil {
			return p, fmt.Errorf("%s: %w (the browser is at %s)", sel, err, where(ctx))
		}
	}
	if p.location, err = chromedp.Run(ctx, chromedp.Location()); err != nil {
		return p, err
	}
	p.title, err = chromedp.Run(ctx, chromedp.Title())
	return p, err
}

// where describes the browser's page for a failure message: the address
// without its query (which may hold a code), the title and any error CIS2
// shows.
func where(ctx context.Context) string {
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "an unknown page: " + err.Error()
	}
	if u, err := url.Parse(loc); err == nil {
		u.RawQuery, u.Fragment = "", ""
		loc = u.String()
	}
	title, _ := chromedp.Run(ctx, chromedp.Title())
	problem, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('error-summary') || {innerText: ''}).innerText`))
	return fmt.Sprintf("%s, titled %q %s", loc, title, strings.Join(strings.Fields(problem), " "))
}

// toCIS2 starts a remote-mode login as the workstation, opens its link in
// the browser, checks the confirmation page, presses Continue and waits for
// the mock CIS2 sign-in page.
func toCIS2(ctx context.Context, t *testing.T, e *env) *workstation {
	t.Helper()
	w := e.newWorkstation()
	if status, eb := w.startLogin("remote"); status != http.StatusOK {
		t.Fatalf("login: %d %+v", status, eb)
	}
	if _, _, eb := w.redeem(""); eb.Error != "authorization_pending" {
		t.Fatalf("the poll before the browser: %q, want authorization_pending", eb.Error)
	}
	e.clock.Advance(broker.DefaultPollInterval + time.Second) // the next poll is not too soon

	if err := chromedp.Do(ctx, chromedp.Navigate(w.login.VerificationURI)); err != nil {
		t.Fatalf("opening the sign-in link: %v", err)
	}
	confirm, err := read(ctx, "#user-code", "#requesting-host")
	if err != nil {
		t.Fatalf("the confirmation page: %v", err)
	}
	if !strings.HasPrefix(confirm.title, "Confirm your sign-in") {
		t.Errorf("confirmation page title %q", confirm.title)
	}
	if confirm.texts["#user-code"] != w.login.UserCode { // no values in the message: the code is a credential
		t.Errorf("the confirmation page shows a user code (%d characters) that is not the login's", len(confirm.texts["#user-code"]))
	}
	if host := confirm.texts["#requesting-host"]; host != "127.0.0.1" {
		t.Errorf("the confirmation page says the sign-in came from %q, want 127.0.0.1", host)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("continue")),
		chromedp.WaitVisible(chromedp.CSS("button[name=action][value=approve]")),
	); err != nil {
		t.Fatalf("continuing to CIS2: %v", err)
	}
	signin, err := read(ctx, "h1")
	if err != nil {
		t.Fatalf("the CIS2 page: %v", err)
	}
	if !strings.HasPrefix(signin.location, e.simURL+"/") {
		t.Fatalf("after Continue the browser is not at the CIS2 simulator (%s)", e.simURL)
	}
	if !strings.Contains(signin.title, "NHS CIS2") || strings.HasPrefix(signin.title, "Error") {
		t.Fatalf("CIS2 page title %q, want its sign-in page", signin.title)
	}
	return w
}

// gatewayAnswer waits for the gateway's page after CIS2 and returns its
// title and message.
func gatewayAnswer(ctx context.Context, t *testing.T, e *env) (title, message string) {
	t.Helper()
	p, err := read(ctx, "#title", "#message")
	if err != nil {
		t.Fatalf("the gateway's answer page: %v", err)
	}
	// The callback redirects to a clean URL: CIS2's code and state do not
	// stay in the address bar.
	if p.location != e.gwURL+broker.DonePath {
		t.Fatalf("the answer page is at %s, want the gateway's result page %s", p.location, e.gwURL+broker.DonePath)
	}
	return p.texts["#title"], p.texts["#message"]
}

func TestARemoteSignInInHeadlessChromium(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t)
	persona, ok := cis2.FindPersona(cis2.Personas(), cis2.PersonaProviderClinician)
	if !ok {
		t.Fatal("no provider clinician persona")
	}
	w := toCIS2(ctx, t, e)

	// Without login_hint nobody is preselected: the person picks
	// themselves and the smartcard with the mouse, then signs in.
	preselected, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=persona]:checked') !== null`))
	if err != nil {
		t.Fatal(err)
	}
	if preselected {
		t.Error("the CIS2 page preselected a persona without login_hint")
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`label[for="persona-`+persona.Key+`"]`)),
		chromedp.Click(chromedp.CSS(`label[for="authenticator-smartcard"]`)),
	); err != nil {
		t.Fatalf("choosing on the CIS2 page: %v", err)
	}
	chosen, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`document.getElementById('persona-`+persona.Key+`').checked && document.getElementById('authenticator-smartcard').checked`))
	if err != nil {
		t.Fatal(err)
	}
	if !chosen {
		t.Fatal("clicking the labels did not choose the persona and the smartcard")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("button[name=action][value=approve]"))); err != nil {
		t.Fatalf("pressing Sign in: %v", err)
	}
	title, message := gatewayAnswer(ctx, t, e)
	if title != "Signed in" || !strings.Contains(message, persona.DisplayName()) {
		t.Fatalf("the gateway's page: %q / %q, want Signed in as %s", title, message, persona.DisplayName())
	}

	// The workstation's next poll gets the session.
	status, tr, eb := w.redeem("")
	if status != http.StatusOK || tr.TokenType != "DPoP" || tr.SessionToken == "" {
		t.Fatalf("the poll after the browser: %d %+v", status, eb)
	}
	status, body := w.call(http.MethodGet, broker.SessionPath, nil)
	if status != http.StatusOK {
		t.Fatalf("session: %d", status)
	}
	var info broker.SessionInfo
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	if info.User.Name != persona.DisplayName() || info.User.Subject != persona.ID {
		t.Errorf("session user %+v, want %s (%s)", info.User, persona.DisplayName(), persona.ID)
	}
	if info.Assurance["aal"] != 3 {
		t.Errorf("session assurance %v, want AAL3 from the smartcard", info.Assurance)
	}
}

func TestCancellingAtCIS2InHeadlessChromium(t *testing.T) {
	ctx := newBrowser(t)
	e := newEnv(t)
	w := toCIS2(ctx, t, e)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("button[name=action][value=cancel]"))); err != nil {
		t.Fatalf("pressing Cancel: %v", err)
	}
	title, message := gatewayAnswer(ctx, t, e)
	if title != "Sign-in cancelled" || !strings.Contains(message, "cancelled") {
		t.Errorf("the gateway's page: %q / %q, want Sign-in cancelled", title, message)
	}
	status, _, eb := w.redeem("")
	if eb.Error != "access_denied" || eb.Description != "cancelled" {
		t.Errorf("the poll after Cancel: %d %+v, want access_denied cancelled", status, eb)
	}
}
