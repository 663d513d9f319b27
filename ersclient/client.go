package ersclient

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
)

// Size limits the API documents. Larger responses are refused rather than
// read into memory; larger uploads are refused before sending.
const (
	MaxWorklistBytes   = 10 << 20
	MaxAttachmentBytes = 5 << 20
	// MaxResponseBytes bounds every other response.
	MaxResponseBytes = 10 << 20
)

// Options configure a Client. The zero value of every field is a safe default.
type Options struct {
	// BaseURL is the FHIR base, ending in "/FHIR": for example
	// "https://int.api.service.nhs.uk/referrals/FHIR" or the gateway's
	// "http://127.0.0.1:8443/v1/ers/FHIR".
	BaseURL string
	// Transport carries the calls. For the gateway it is the session's
	// transport, which adds the session token and proof of possession.
	// Nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Token, if set, is sent as "Authorization: Bearer <token>" on every
	// e-RS call (direct access to e-RS or the simulator). It is never sent to
	// an attachment's redirect host.
	Token func(ctx context.Context) (string, error)
	// DownloadTransport fetches attachment bytes from the object-store URL
	// that A042 redirects to. It must not add credentials. Nil means a plain
	// transport.
	DownloadTransport http.RoundTripper
	// Context is the user's role, organisation and on-behalf-of user, sent as
	// headers. Leave it empty when the gateway sets the headers itself.
	Context UserContext
	// AppRestricted sends none of the user-context headers.
	AppRestricted bool
	// Retry governs retries of reads. Zero means DefaultRetryPolicy.
	Retry RetryPolicy
	// Timeout bounds each attempt. Zero means 60 seconds; the API's own
	// backend timeout is 180 seconds, so long operations may need more.
	Timeout time.Duration
	// UserAgent is sent as User-Agent.
	UserAgent string
	// NewCorrelationID makes the X-Correlation-ID of each call. Nil means a
	// random UUID.
	NewCorrelationID func() string
}

// Client calls the e-RS API. It is safe for concurrent use; WithContext
// returns a copy for another role.
type Client struct {
	base     *url.URL
	http     *http.Client
	download *http.Client
	opts     Options
	retry    RetryPolicy
	sleep    func(context.Context, time.Duration) error
}

// New returns a client for the FHIR base URL in opts.
func New(opts Options) (*Client, error) {
	if opts.BaseURL == "" {
		return nil, errors.New("ersclient: no base URL")
	}
	base, err := url.Parse(strings.TrimSuffix(opts.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("ersclient: base URL %q is not an absolute http(s) URL", opts.BaseURL)
	}
	rt := opts.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	dl := opts.DownloadTransport
	if dl == nil {
		dl = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	if opts.Timeout == 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.NewCorrelationID == nil {
		opts.NewCorrelationID = newUUID
	}
	retry := opts.Retry
	if retry.MaxAttempts == 0 {
		retry = DefaultRetryPolicy()
	}
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{
		base:     base,
		http:     &http.Client{Transport: rt, CheckRedirect: noRedirect},
		download: &http.Client{Transport: dl, CheckRedirect: noRedirect},
		opts:     opts,
		retry:    retry,
		sleep:    sleepCtx,
	}, nil
}

// WithContext returns a copy of the client that acts in another user context.
func (c *Client) WithContext(uc UserContext) *Client {
	cp := *c
	cp.opts.Context = uc
	return &cp
}

// Context returns the user context the client acts in.
func (c *Client) Context() UserContext { return c.opts.Context }

// ResponseInfo is what every call returns besides its body: the ids support
// needs and the version for the next write.
type ResponseInfo struct {
	Status        int
	CorrelationID string
	RequestID     string
	// ETag is the weak ETag as sent (W/"5"); Version is its number ("5").
	ETag    string
	Version string
	// Location is set by A020 (Binary/{id}) and A042 (the redirect URL).
	Location string
}

// Response is a typed resource with its response information.
type Response[T any] struct {
	ResponseInfo
	Resource *T
}

// call is one request to make.
type call struct {
	op          Operation
	pathValues  []string
	query       url.Values
	body        []byte
	contentType string
	ifMatch     string
	header      http.Header
	maxBytes    int64
}

// fhirJSON is the media type of FHIR bodies.
const fhirJSON = "application/fhir+json"

// resource marshals a FHIR body for the call.
func (cl *call) resource(v any) error {
	b, err := fhir.Marshal(v)
	if err != nil {
		return fmt.Errorf("ersclient: %s: encoding request: %w", cl.op.ID, err)
	}
	cl.body, cl.contentType = b, fhirJSON
	return nil
}

// do sends the call, retrying reads, and returns the response with its body
// read (up to the limit). A non-2xx/3xx status becomes an *Error.
func (c *Client) do(ctx context.Context, cl call) (*http.Response, []byte, ResponseInfo, error) {
	corrID := c.opts.NewCorrelationID()
	var lastErr error
	for attempt := 1; ; attempt++ {
		resp, body, info, err := c.attempt(ctx, cl, corrID)
		if err == nil {
			return resp, body, info, nil
		}
		lastErr = err
		delay, retry := c.retry.next(cl.op, attempt, err)
		if !retry || ctx.Err() != nil {
			return nil, nil, info, lastErr
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			return nil, nil, info, lastErr
		}
		if err := c.sleep(ctx, delay); err != nil {
			return nil, nil, info, lastErr
		}
	}
}

func (c *Client) attempt(ctx context.Context, cl call, corrID string) (*http.Response, []byte, ResponseInfo, error) {
	info := ResponseInfo{CorrelationID: corrID}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, cl, corrID)
	if err != nil {
		return nil, nil, info, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, info, transportError(cl.op, corrID, err)
	}
	defer resp.Body.Close()
	info = responseInfo(resp, corrID)
	limit := cl.maxBytes
	if limit == 0 {
		limit = MaxResponseBytes
	}
	body, err := readLimited(resp.Body, limit)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, nil, info, tooLargeError(cl.op, info, limit)
		}
		return nil, nil, info, transportError(cl.op, corrID, err)
	}
	if resp.StatusCode >= 400 {
		return nil, nil, info, decodeError(cl.op, resp, body, info)
	}
	return resp, body, info, nil
}

func (c *Client) newRequest(ctx context.Context, cl call, corrID string) (*http.Request, error) {
	target := c.base.String() + cl.op.expand(cl.pathValues...)
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.op.Method, target, body)
	if err != nil {
		return nil, fmt.Errorf("ersclient: %s: %w", cl.op.ID, err)
	}
	h := req.Header
	h.Set("Accept", fhirJSON)
	h.Set("X-Correlation-ID", corrID)
	if c.opts.UserAgent != "" {
		h.Set("User-Agent", c.opts.UserAgent)
	}
	if cl.body != nil {
		h.Set("Content-Type", cl.contentType)
	}
	if cl.ifMatch != "" {
		h.Set("If-Match", cl.ifMatch)
	}
	for k, vs := range cl.header {
		h[k] = vs
	}
	c.setContextHeaders(h, cl.op)
	if c.opts.Token != nil {
		tok, err := c.opts.Token(ctx)
		if err != nil {
			return nil, &Error{Op: cl.op.ID, CorrelationID: corrID, Kind: KindAuth, Err: err}
		}
		h.Set("Authorization", "Bearer "+tok)
	}
	return req, nil
}

// setContextHeaders adds the user-context headers. They are omitted in
// application-restricted mode, on A030, and when no context is configured
// (the gateway sets them from the session).
func (c *Client) setContextHeaders(h http.Header, op Operation) {
	uc := c.opts.Context
	if c.opts.AppRestricted || op.NoContext {
		return
	}
	if uc.BusinessFunction != "" {
		h.Set("NHSD-eRS-Business-Function", string(uc.BusinessFunction))
	}
	if uc.Organisation != "" {
		h.Set("NHSD-End-User-Organisation-ODS", uc.Organisation)
	}
	// Only a clinician admin acts on behalf of someone; e-RS refuses the
	// header with any other role.
	if uc.BusinessFunction == ServiceProviderClinicianAdmin && uc.OnBehalfOf != "" {
		h.Set("NHSD-eRS-On-Behalf-Of-User-ID", uc.OnBehalfOf)
	}
}

func responseInfo(resp *http.Response, corrID string) ResponseInfo {
	info := ResponseInfo{
		Status:        resp.StatusCode,
		CorrelationID: corrID,
		RequestID:     resp.Header.Get("X-Request-ID"),
		ETag:          resp.Header.Get("ETag"),
		Location:      resp.Header.Get("Location"),
	}
	if echoed := resp.Header.Get("X-Correlation-ID"); echoed != "" {
		info.CorrelationID = echoed
	}
	info.Version = VersionFromETag(info.ETag)
	return info
}

// VersionFromETag returns n from W/"n" (or "n"), or "" if it is not one.
func VersionFromETag(etag string) string {
	v := strings.TrimPrefix(etag, "W/")
	v = strings.Trim(v, `"`)
	for _, r := range v {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return v
}

// IfMatch formats a version as the weak ETag e-RS expects: W/"n".
func IfMatch(version string) string { return `W/"` + version + `"` }

var errTooLarge = errors.New("response too large")

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

// decodeInto decodes a FHIR body into a new T.
func decodeInto[T any](op Operation, body []byte, info ResponseInfo) (*T, error) {
	v := new(T)
	if err := fhir.Unmarshal(body, v); err != nil {
		return nil, &Error{Op: op.ID, Status: info.Status, CorrelationID: info.CorrelationID, RequestID: info.RequestID,
			Kind: KindBadResponse, Err: err}
	}
	return v, nil
}

// fetch runs a call and decodes its body into T.
func fetch[T any](ctx context.Context, c *Client, cl call) (*Response[T], error) {
	_, body, info, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	v, err := decodeInto[T](cl.op, body, info)
	if err != nil {
		return nil, err
	}
	return &Response[T]{ResponseInfo: info, Resource: v}, nil
}

func pathEscape(s string) string { return url.PathEscape(s) }

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// op returns the catalogue entry for an ID; the IDs used are constants
// listed in the catalogue, which a test checks.
func op(id OperationID) Operation {
	o, _ := LookupOperation(id)
	return o
}
