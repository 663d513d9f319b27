package apim

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestConcurrentReplaysOfOneAssertionGetOneToken(t *testing.T) {
	h := newHarness(t)
	body := ccForm(h.validAssertion(appOK).sign(t)).Encode()
	const n = 8
	statuses := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, h.srv.URL+TokenPath, strings.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", FormContentType)
			resp, err := h.client.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	ok := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if statuses[i] == http.StatusOK {
			ok++
		} else if statuses[i] != http.StatusBadRequest {
			t.Errorf("status %d, want 200 or 400", statuses[i])
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d replays got a token, want exactly 1", ok, n)
	}
}

func TestLogsCarryNoTokensOrAssertions(t *testing.T) {
	var buf syncBuffer
	h := newHarness(t, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&buf, nil)) })
	signed := h.validAssertion(appOK).sign(t)
	status, body := h.postForm(ccForm(signed))
	if status != http.StatusOK {
		t.Fatalf("status %d, body %v", status, body)
	}
	h.postForm(ccForm(signed)) // a failure is logged too
	logs := buf.String()
	if !strings.Contains(logs, "op=oauth2_token") || !strings.Contains(logs, "status=400") {
		t.Errorf("missing log lines: %s", logs)
	}
	for _, secret := range append(strings.Split(signed, "."), body["access_token"].(string)) {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains a token or assertion part: %s", logs)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
