package keys

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestJWKSHandler(t *testing.T) {
	clock := newClock()
	s := openTest(t, clock, "")
	url := serveJWKS(t, s)
	c := &http.Client{Timeout: 10 * time.Second}

	t.Run("serves public keys only, with kty n e kid alg use", func(t *testing.T) {
		resp, err := c.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if got := resp.Header.Get("Cache-Control"); got != "max-age=300" {
			t.Errorf("Cache-Control = %q, want max-age=300", got)
		}
		if got := resp.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type = %q", got)
		}
		var body struct {
			Keys []map[string]any `json:"keys"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		if len(body.Keys) != 1 {
			t.Fatalf("%d keys, want 1", len(body.Keys))
		}
		k := body.Keys[0]
		want := map[string]any{"kty": "RSA", "alg": "RS512", "use": "sig", "kid": s.Current(clock.Now()).KID}
		for name, v := range want {
			if k[name] != v {
				t.Errorf("%s = %v, want %v", name, k[name], v)
			}
		}
		for _, name := range []string{"n", "e"} {
			if v, _ := k[name].(string); v == "" {
				t.Errorf("%s missing", name)
			}
		}
		for _, private := range []string{"d", "p", "q", "dp", "dq", "qi"} {
			if _, ok := k[private]; ok {
				t.Errorf("private member %q published", private)
			}
		}
		set := fetchJWKS(t, url)
		if !set.Keys[0].IsPublic() || !set.Keys[0].Valid() {
			t.Error("published key is not a valid public key")
		}
	})

	t.Run("answers HEAD without a body and refuses other methods", func(t *testing.T) {
		h := s.JWKSHandler()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, JWKSPath, nil))
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Errorf("HEAD: %d with %d bytes", rec.Code, rec.Body.Len())
		}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, JWKSPath, nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST: %d, want 405", rec.Code)
		}
		b, _ := io.ReadAll(rec.Body)
		if len(b) == 0 {
			t.Error("POST: empty refusal")
		}
	})
}
