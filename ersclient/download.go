package ersclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Download describes a file streamed to the caller's writer.
type Download struct {
	ResponseInfo
	// FileName is safe to create locally (see SanitizeFileName).
	FileName    string
	ContentType string
	Size        int64
}

// capWriter fails once more than max bytes are written.
type capWriter struct {
	w   io.Writer
	n   int64
	max int64
}

func (c *capWriter) Write(p []byte) (int, error) {
	if c.n+int64(len(p)) > c.max {
		return 0, errTooLarge
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// stream runs a call whose success body is a file and copies it to w, up to
// max bytes. Error bodies are decoded as usual.
func (c *Client) stream(ctx context.Context, cl call, w io.Writer, max int64, fallbackName string) (*Download, error) {
	corrID := c.opts.NewCorrelationID()
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, cl, corrID)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(cl.op, corrID, err)
	}
	defer resp.Body.Close()
	return c.copyFile(cl.op, resp, corrID, w, max, fallbackName)
}

func (c *Client) copyFile(op Operation, resp *http.Response, corrID string, w io.Writer, max int64, fallbackName string) (*Download, error) {
	info := responseInfo(resp, corrID)
	if resp.StatusCode >= 300 {
		body, _ := readLimited(resp.Body, MaxResponseBytes)
		return nil, decodeError(op, resp, body, info)
	}
	if resp.ContentLength > max {
		return nil, tooLargeError(op, info, max)
	}
	cw := &capWriter{w: w, max: max}
	n, err := io.Copy(cw, resp.Body)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, tooLargeError(op, info, max)
		}
		return nil, transportError(op, corrID, err)
	}
	return &Download{
		ResponseInfo: info,
		FileName:     FileNameFromDisposition(resp.Header.Get("Content-Disposition"), fallbackName),
		ContentType:  resp.Header.Get("Content-Type"),
		Size:         n,
	}, nil
}

// RetrieveAttachment is A042: it asks e-RS for the attachment, which answers
// with a 307 to a short-lived object-store URL, and fetches that URL at once
// with no credentials (the Authorization header never goes to the redirect
// host) and no caching. The bytes stream to w, at most 5 MB.
//
// Roles: RC, RCA, SPC, SPCA. Application-restricted: yes (provider).
func (c *Client) RetrieveAttachment(ctx context.Context, attachmentID string, w io.Writer) (*Download, error) {
	o := op(OpRetrieveAttachment)
	if attachmentID == "" {
		return nil, invalid(o.ID, "no attachment id")
	}
	_, _, info, err := c.do(ctx, call{op: o, pathValues: []string{attachmentID}})
	if err != nil {
		return nil, err
	}
	if info.Status != http.StatusTemporaryRedirect && info.Status != http.StatusFound && info.Status != http.StatusSeeOther {
		return nil, &Error{Op: o.ID, Kind: KindBadResponse, Status: info.Status, CorrelationID: info.CorrelationID,
			RequestID: info.RequestID, Err: fmt.Errorf("expected a redirect to the file, got status %d", info.Status)}
	}
	target, err := c.resolveRedirect(info.Location)
	if err != nil {
		return nil, &Error{Op: o.ID, Kind: KindBadResponse, Status: info.Status, CorrelationID: info.CorrelationID,
			RequestID: info.RequestID, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, &Error{Op: o.ID, Kind: KindBadResponse, CorrelationID: info.CorrelationID, Err: err}
	}
	req.Header.Set("Cache-Control", "no-store")
	resp, err := c.download.Do(req)
	if err != nil {
		return nil, transportError(o, info.CorrelationID, err)
	}
	defer resp.Body.Close()
	d, err := c.copyFile(o, resp, info.CorrelationID, w, MaxAttachmentBytes, attachmentID)
	if d != nil {
		d.RequestID = info.RequestID
	}
	return d, err
}

// resolveRedirect makes the Location absolute (relative to the FHIR base) and
// allows only http(s).
func (c *Client) resolveRedirect(location string) (string, error) {
	if location == "" {
		return "", errors.New("redirect without a Location")
	}
	u, err := url.Parse(location)
	if err != nil {
		return "", fmt.Errorf("redirect Location is not a URL: %w", err)
	}
	u = c.base.ResolveReference(u)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("redirect to a %q URL refused", u.Scheme)
	}
	return u.String(), nil
}
