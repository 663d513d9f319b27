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
		return fmt.Errorf("demo browser: opening the sign-in link: %w", err)
	}
	action, csrf, err := confirmForm(page, pageURL)
	if err != nil {
		return fmt.Errorf("demo browser: confirmation page: %w", err)
	}
	resp, err := b.do(http.MethodPost, action, url.Values{"csrf": {csrf}})
	if err != nil {
		return fmt.Errorf("demo browser: continuing to CIS2: %w", err)
	}
	authorize, err := redirectTarget(resp)
	if err != nil {
		return fmt.Errorf("demo browser: continuing to CIS2: %w", err)
	}
	q := authorize.Query()
	q.Set("login_hint", b.persona) // the simulator's auto-approval stands in for the sign-in page
	authorize.RawQuery = q.Encode()
	page, last, err := b.follow(http.MethodGet, authorize.String(), nil)
	if err != nil {
		return fmt.Errorf("demo browser: signing in at CIS2 as %q and returning: %w", b.persona, err)
	}
	if last.Scheme+"://"+last.Host == b.cis2 {
		// Auto-approval declined (the persona cannot meet the assurance
		// asked for) and CIS2 shows its page for a person to act on.
		return fmt.Errorf("demo browser: CIS2 did not approve %q: it stopped at %s: %s", b.persona, where(last), pageText(page))
	}
	return nil
}

// follow makes the request and follows redirects to the final page, which
// must answer 200; it returns that page and its URL.
func (b *browser) follow(method, rawURL string, form url.Values) ([]byte, *url.URL, error) {
	for range maxHops {
		resp, err := b.do(method, rawURL, form)
		if err != nil {
			return nil, nil, err
		}
		if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
			next, err := redirectTarget(resp)
			if err != nil {
				return nil, nil, err
			}
			method, rawURL, form = http.MethodGet, next.String(), nil
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, nil, fmt.Errorf("%s answered %d: %s", where(resp.Request.URL), resp.StatusCode, pageText(body))
		}
		return body, resp.Request.URL, nil
	}
	return nil, nil, fmt.Errorf("more than %d redirects", maxHops)
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
