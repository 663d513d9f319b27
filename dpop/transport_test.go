package dpop

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// gatewayStub checks every request the way the gateway will: DPoP session token, proof,
// binding. It answers 204, or 401 with the RFC 9449 header.
func gatewayStub(t *testing.T, v *Verifier, token, thumb string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusTemporaryRedirect)
			return
		}
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "DPoP ")
		if got != token || len(r.Header.Values("DPoP")) != 1 {
			w.Header().Set("WWW-Authenticate", `DPoP error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		jkt, err := v.Verify(r.Header.Get("DPoP"), r.Method, "http://"+r.Host+r.URL.Path, got)
		if err == nil {
			err = CheckBinding(jkt, thumb)
		}
		var e *Error
		if errors.As(err, &e) {
			w.Header().Set("WWW-Authenticate", e.WWWAuthenticate())
			w.WriteHeader(e.Status())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTransportSignsEveryRequest(t *testing.T) {
	k := mustKey(t)
	const token = "opaque-session-token"
	v := mustVerifier(t, VerifierOptions{Now: fixed(t0)})
	gw := gatewayStub(t, v, token, k.Thumbprint())
	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &Transport{Key: k, Token: func() string { return token }, Now: fixed(t0), Origin: gw.URL},
	}

	t.Run("each call gets a fresh proof, so repeating a request is not a replay", func(t *testing.T) {
		req, _ := http.NewRequest("GET", gw.URL+"/v1/session?x=1", nil)
		for i := 0; i < 3; i++ { // as a retry loop would resend it
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusNoContent {
				t.Fatalf("attempt %d: %d %s", i, res.StatusCode, res.Header.Get("WWW-Authenticate"))
			}
		}
		if req.Header.Get("DPoP") != "" || req.Header.Get("Authorization") != "" {
			t.Error("the caller's request was modified")
		}
	})

	t.Run("a POST with a body", func(t *testing.T) {
		res, err := client.Post(gw.URL+"/v1/auth/logout", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("status %d", res.StatusCode)
		}
	})

	t.Run("a proof from another key is refused by the binding", func(t *testing.T) {
		thief := &http.Client{Timeout: 5 * time.Second, Transport: &Transport{Key: mustKey(t), Token: func() string { return token }, Now: fixed(t0)}}
		res, err := thief.Get(gw.URL + "/v1/session")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Fatalf("stolen token with another key: %d %s", res.StatusCode, res.Header.Get("WWW-Authenticate"))
		}
	})
}

func TestTransportKeepsCredentialsAtTheGateway(t *testing.T) {
	k := mustKey(t)
	const token = "opaque-session-token"
	v := mustVerifier(t, VerifierOptions{Now: fixed(t0)})
	gw := gatewayStub(t, v, token, k.Thumbprint())
	var mu sync.Mutex
	var seen http.Header
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = r.Header.Clone()
		mu.Unlock()
		io.WriteString(w, "%PDF-")
	}))
	t.Cleanup(store.Close)

	follow := func(t *testing.T, origin string) http.Header {
		t.Helper()
		c := &http.Client{Timeout: 5 * time.Second, Transport: &Transport{Key: k, Token: func() string { return token }, Now: fixed(t0), Origin: origin}}
		res, err := c.Get(gw.URL + "/redirect?to=" + store.URL + "/bucket/doc")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		mu.Lock()
		defer mu.Unlock()
		return seen
	}

	t.Run("with Origin set, the object store gets no session token or proof", func(t *testing.T) {
		h := follow(t, gw.URL)
		if h.Get("Authorization") != "" || h.Get("DPoP") != "" {
			t.Errorf("credentials sent to the object store: %v", h)
		}
	})
	t.Run("without Origin, every request is signed (why Origin should be set)", func(t *testing.T) {
		h := follow(t, "")
		if h.Get("DPoP") == "" {
			t.Error("expected a proof on every request when Origin is empty")
		}
	})
}

func TestTransportWithoutKeyClosesTheBody(t *testing.T) {
	body := &closeRecorder{Reader: strings.NewReader("x")}
	req, _ := http.NewRequest("POST", "http://127.0.0.1:1/x", body)
	if _, err := (&Transport{}).RoundTrip(req); err == nil {
		t.Fatal("no key accepted")
	}
	if !body.closed {
		t.Error("body not closed on error")
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }
