package gateway

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/dpop"
	"github.com/ers-workstation/ers-workstation/gateway/broker"
	"github.com/ers-workstation/ers-workstation/internal/testcert"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// selfSigned makes a certificate for 127.0.0.1 and the pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	c := testcert.New(t)
	return c.TLS, c.Pool
}

// tlsWorkstation is a workstation whose client trusts the gateway's
// certificate and signs every gateway request with its proof key.
type tlsWorkstation struct {
	t      *testing.T
	gwURL  string
	key    *dpop.Key
	client *http.Client

	mu    sync.Mutex
	token string
}

func (w *tlsWorkstation) currentToken() string { w.mu.Lock(); defer w.mu.Unlock(); return w.token }
func (w *tlsWorkstation) setToken(s string)    { w.mu.Lock(); w.token = s; w.mu.Unlock() }

// send makes a gateway call and decodes a 2xx JSON answer into out.
func (w *tlsWorkstation) send(method, path string, in, out any) int {
	w.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, w.gwURL+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, out); err != nil {
			w.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func TestTheGatewayOverTLSSignsInAndProxies(t *testing.T) {
	cert, pool := selfSigned(t)
	trusting := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	t.Cleanup(trusting.CloseIdleConnections)
	e := newTLSEnv(t, tlsServing{cert: cert, trusting: trusting})
	gwURL := e.gwURL

	t.Run("a client that does not trust the certificate is refused", func(t *testing.T) {
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}
		resp, err := c.Get(gwURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			t.Fatal("an untrusted certificate was accepted")
		}
	})

	key, err := dpop.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	w := &tlsWorkstation{t: t, gwURL: gwURL, key: key}
	w.client = &http.Client{Timeout: 10 * time.Second,
		Transport: &dpop.Transport{Base: trusting, Key: key, Token: w.currentToken, Origin: gwURL, Now: e.clock.Now}}

	v := make([]byte, 48)
	rand.Read(v)
	verifier := base64.RawURLEncoding.EncodeToString(v)
	const loopback, state = "http://127.0.0.1:49152/callback", "tls-state"
	var login broker.LoginResponse
	status := w.send(http.MethodPost, broker.LoginPath, broker.LoginRequest{
		Mode: "loopback", CodeChallenge: challenge(verifier), CodeChallengeMethod: "S256", JWK: key.PublicJWK(),
		RedirectURI: loopback, State: state,
	}, &login)
	if status != http.StatusOK || !strings.HasPrefix(login.VerificationURI, gwURL+"/") {
		t.Fatalf("login: %d, verification URI %q, want below %s", status, login.VerificationURI, gwURL)
	}

	// The env's browser trusts the certificate too and follows the real chain.
	resp := e.browse(login.VerificationURI, cis2.PersonaReferrer)
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), loopback+"?") || loc.Query().Get("state") != state {
		t.Fatalf("callback over TLS: %d to %q, want the loopback", resp.StatusCode, resp.Header.Get("Location"))
	}

	var tok broker.TokenResponse
	if status := w.send(http.MethodPost, broker.TokenPath, broker.TokenRequest{
		LoginID: login.LoginID, Code: loc.Query().Get("code"), CodeVerifier: verifier,
	}, &tok); status != http.StatusOK || tok.SessionToken == "" {
		t.Fatalf("redeem over TLS: %d", status)
	}
	w.setToken(tok.SessionToken)

	var ctxResp broker.ContextResponse
	if status := w.send(http.MethodPut, broker.ContextPath, broker.ContextBody{
		BusinessFunction: "REFERRING_CLINICIAN", ODS: cis2.SecondGPODS,
	}, &ctxResp); status != http.StatusOK {
		t.Fatalf("choose role over TLS: %d", status)
	}
	w.setToken(ctxResp.SessionToken)
	var specialties map[string]any
	if status := w.send(http.MethodGet, "/v1/ers/FHIR/STU3/CodeSystem/SPECIALTY", nil, &specialties); status != http.StatusOK {
		t.Fatalf("A004 through the proxy over TLS: %d", status)
	}
	if specialties["resourceType"] != "CodeSystem" {
		t.Fatalf("A004 answered a %v, want a CodeSystem", specialties["resourceType"])
	}
}
