package demo

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

// ErrStalled marks a browser failure after which no answer will reach the
// workstation: the chain broke before the gateway's callback (a bad link,
// no confirmation form, CIS2 not approving the persona), so a loopback
// listener or a poll would wait until the login expires. A failure at the
// last page is not one: the gateway has answered the workstation by then.
var ErrStalled = errors.New("the sign-in stopped before the gateway answered")

// stalled wraps err, at step, with ErrStalled.
func stalled(step string, err error) error {
	return fmt.Errorf("demo browser: %s: %w (%w)", step, err, ErrStalled)
}

// maxHops bounds the redirects the browser follows from one request.
const maxHops = 10

// The confirmation page's form: its action and its csrf field.
var (
	formAction = regexp.MustCompile(`<form[^>]*\baction="([^"]*)"`)
	csrfField  = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
)

// Browser returns an in-process stand-in for the system browser, signing in
// as persona: give it to session.Options.OpenBrowser. Given the gateway's
// verification URL it does what a person does, over real HTTP with its own
// cookie jar: opens the URL, presses Continue on the confirmation page (the
// form with its csrf field), arrives at the CIS2 authorize URL and signs in
// there as the persona (the simulator's auto-approval of login_hint stands
// in for the smartcard), comes back to the gateway's callback, and follows
// the gateway's redirect to the workstation's loopback listener (or, in
// remote mode, to the gateway's "return to your terminal" page).
//
// It returns when that last page has answered, with an error naming the
// step that failed. A real opener returns at once, so run it in a goroutine
// when the caller waits for the loopback before reading it. It only ever
// visits loopback addresses.
func (d *Demo) Browser(persona string) func(url string) error {
	return func(u string) error {
		jar, err := cookiejar.New(nil)
		if err != nil {
			return err
		}
		b := &browser{persona: persona, cis2: d.SimulatorURL, client: &http.Client{
			Jar: jar, Timeout: upstreamTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
		return b.signIn(u)
	}
}

type browser struct {
	persona string
	cis2    string // the simulators' origin: the chain must not end there
	client  *http.Client
}

// signIn runs the chain from the verification URL.
func (b *browser) signIn(verificationURL string) error {
	page, pageURL, err := b.follow(http.MethodGet, verificationURL, nil)
	if err != nil {
		return stalled("opening the sign-in link", err)
	}
	action, csrf, err := confirmForm(page, pageURL)
	if err != nil {
		return stalled("confirmation page", err)
	}
	resp, err := b.do(http.MethodPost, action, url.Values{"csrf": {csrf}})
	if err != nil {
		return stalled("continuing to CIS2", err)
	}
	authorize, err := redirectTarget(resp)
	if err != nil {
		return stalled("continuing to CIS2", err)
	}
	q := authorize.Query()
	q.Set("login_hint", b.persona) // the simulator's auto-approval stands in for the sign-in page
	authorize.RawQuery = q.Encode()
	step := fmt.Sprintf("signing in at CIS2 as %q", b.persona)
	_, last, err := b.follow(http.MethodGet, authorize.String(), nil)
	atCIS2 := last != nil && last.Scheme+"://"+last.Host == b.cis2
	switch {
	case err != nil && atCIS2:
		return stalled(step, err)
	case err != nil:
		// The gateway's callback or the loopback answered with an error:
		// the workstation has its answer (the loopback's query, or the
		// login's state when it polls).
		return fmt.Errorf("demo browser: %s and returning: %w", step, err)
	case atCIS2:
		// Auto-approval declined (the persona cannot meet the assurance
		// asked for) and CIS2 shows its page for a person to act on.
		return stalled(step, errors.New("CIS2 did not approve the persona (it cannot meet the assurance the gateway asks for) and showed its sign-in page; choose another persona"))
	}
	return nil
}

// follow makes the request and follows redirects to the final page, which
// must answer 200; it returns that page and the URL of the last request
// made, which it also returns with an error.
func (b *browser) follow(method, rawURL string, form url.Values) ([]byte, *url.URL, error) {
	var last *url.URL
	for range maxHops {
		last, _ = url.Parse(rawURL)
		resp, err := b.do(method, rawURL, form)
		if err != nil {
			return nil, last, err
		}
		if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
			next, err := redirectTarget(resp)
			if err != nil {
				return nil, last, err
			}
			method, rawURL, form = http.MethodGet, next.String(), nil
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			return nil, last, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, last, fmt.Errorf("%s answered %d: %s", where(resp.Request.URL), resp.StatusCode, pageText(body))
		}
		return body, last, nil
	}
	return nil, last, fmt.Errorf("more than %d redirects", maxHops)
}

// do makes one request, to loopback addresses only; a form is posted.
func (b *browser) do(method, rawURL string, form url.Values) (*http.Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("refusing to leave loopback for %q", u.Host)
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u.String(), body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return b.client.Do(req)
}

// redirectTarget is a redirect's absolute target; the body is discarded.
func redirectTarget(resp *http.Response) (*url.URL, error) {
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode < 300 || resp.StatusCode >= 400 || loc == "" {
		return nil, fmt.Errorf("%s answered %d, not a redirect", where(resp.Request.URL), resp.StatusCode)
	}
	return resp.Request.URL.Parse(loc)
}

// confirmForm finds the confirmation form's absolute action and csrf value.
func confirmForm(page []byte, pageURL *url.URL) (action, csrf string, err error) {
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return "", "", errors.New("no csrf field in the page")
	}
	csrf = html.UnescapeString(string(m[1]))
	target := pageURL
	if a := formAction.FindSubmatch(page); a != nil && len(a[1]) > 0 {
		if target, err = pageURL.Parse(html.UnescapeString(string(a[1]))); err != nil {
			return "", "", fmt.Errorf("form action: %w", err)
		}
	}
	return target.String(), csrf, nil
}

// tags strips markup from an error page for a one-line message.
var tags = regexp.MustCompile(`(?s)<head.*?</head>|<[^>]+>`)

// pageText is an error page's text, short, on one line.
func pageText(body []byte) string {
	s := strings.Join(strings.Fields(tags.ReplaceAllString(string(body), " ")), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return html.UnescapeString(s)
}

// where names a page without its query, which may carry a code or state.
func where(u *url.URL) string { return u.Scheme + "://" + u.Host + u.Path }
