package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout bounds every call to CIS2 or APIM when the caller's
// client has none.
const DefaultTimeout = 15 * time.Second

// formContentType is sent exactly: APIM compares the whole header string.
const formContentType = "application/x-www-form-urlencoded"

// maxBody bounds what is read of any answer.
const maxBody = 1 << 20

// httpClient returns c, or a default one, always with a timeout (a copy is
// made when c has none, so the caller's client is left alone).
func httpClient(c *http.Client) *http.Client {
	if c == nil {
		return &http.Client{Timeout: DefaultTimeout}
	}
	if c.Timeout == 0 {
		cp := *c
		cp.Timeout = DefaultTimeout
		return &cp
	}
	return c
}

// oauthErrorBody is the error JSON of both CIS2 and APIM.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// postForm POSTs form to endpoint and returns the body of a 2xx answer.
// A 4xx answer is an *OAuthError, a transport failure or a 5xx answer is
// ErrUnavailable naming service. Neither the form nor the body ever reaches
// an error.
func postForm(ctx context.Context, c *http.Client, service, endpoint string, form url.Values) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("upstream: %s request: %w", service, err)
	}
	req.Header.Set("Content-Type", formContentType)
	req.Header.Set("Accept", "application/json")
	return do(c, service, req)
}

// do sends req and sorts the answer as postForm says.
func do(c *http.Client, service string, req *http.Request) ([]byte, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, unavailable(service, redactURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, unavailable(service, fmt.Errorf("reading the answer: %w", redactURLError(err)))
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return body, nil
	}
	var e oauthErrorBody
	_ = json.Unmarshal(body, &e) // a body that is not OAuth JSON leaves the code empty
	oe := &OAuthError{Status: resp.StatusCode, Code: truncate(e.Error, 64), Description: truncate(e.Description, maxDescription)}
	if resp.StatusCode >= 500 {
		return nil, unavailable(service, oe)
	}
	return nil, oe
}

// redactURLError drops the URL's query from a *url.Error (an authorize or
// userinfo URL could one day carry something); the operation and cause stay.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		u, perr := url.Parse(ue.URL)
		if perr == nil {
			u.RawQuery, u.Fragment, u.User = "", "", nil
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
		return &url.Error{Op: ue.Op, URL: "(url)", Err: ue.Err}
	}
	return err
}

// decodeJSON decodes body into v, naming the service on failure without
// quoting the body.
func decodeJSON(service string, body []byte, v any) error {
	d := json.NewDecoder(strings.NewReader(string(body)))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return unavailable(service, errors.New("an answer that is not the expected JSON"))
	}
	return nil
}
