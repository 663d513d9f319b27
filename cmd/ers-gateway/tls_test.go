package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/internal/testcert"
)

// certFiles writes a self-signed certificate for 127.0.0.1 and its key
// (0600) and returns their paths and the pool that trusts it.
func certFiles(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	c := testcert.New(t)
	dir := t.TempDir()
	certFile = writeFile(t, dir, "gateway.crt", string(c.CertPEM), 0o644)
	keyFile = writeFile(t, dir, "gateway.key", string(c.KeyPEM), 0o600)
	return certFile, keyFile, c.Pool
}

func TestPlainHTTPIsForLoopbackOnly(t *testing.T) {
	sims := startSimulators(t, "http://127.0.0.1:1")
	keysDir, _ := keyDir(t, 0o600)
	cfgFile := localConfig(t, sims, "127.0.0.1:0", keysDir, "")

	t.Run("a listen address that is not loopback without TLS is refused at start", func(t *testing.T) {
		for _, addr := range []string{"0.0.0.0:0", ":0"} {
			var stdout, stderr bytes.Buffer
			code := testProgram(nil, &stdout, &stderr).run(context.Background(), []string{"--config", cfgFile, "--listen", addr})
			if code != exitUsage {
				t.Errorf("--listen %s: exit %d, want %d", addr, code, exitUsage)
			}
			if want := "tls.cert_file: required because listen"; !strings.Contains(stderr.String(), want) {
				t.Errorf("--listen %s: stderr lacks %q:\n%s", addr, want, stderr.String())
			}
			if stdout.Len() > 0 {
				t.Errorf("--listen %s: it said it was serving: %q", addr, stdout.String())
			}
		}
	})

	t.Run("with a certificate it serves HTTPS on that address, and only HTTPS", func(t *testing.T) {
		certFile, keyFile, pool := certFiles(t)
		env := map[string]string{"ERS_TLS_CERT_FILE": certFile, "ERS_TLS_KEY_FILE": keyFile}
		s := startRun(t, env, "--config", cfgFile, "--listen", "0.0.0.0:0")
		rest, ok := strings.CutPrefix(s.url, "https://")
		if !ok {
			t.Fatalf("serving at %q, want an https URL", s.url)
		}
		_, port, err := net.SplitHostPort(rest)
		if err != nil {
			t.Fatal(err)
		}
		trusting := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
		defer trusting.CloseIdleConnections()
		c := &http.Client{Timeout: generous, Transport: trusting}
		resp, err := c.Get("https://127.0.0.1:" + port + "/healthz")
		if err != nil {
			t.Fatalf("GET /healthz over TLS: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "ok") {
			t.Fatalf("GET /healthz over TLS: %d %s", resp.StatusCode, body)
		}
		plain := &http.Client{Timeout: generous}
		if resp, err := plain.Get("http://127.0.0.1:" + port + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Fatal("plain HTTP was served on the TLS port")
			}
		}
		if code := s.stop(t); code != exitOK {
			t.Errorf("exit %d after cancel", code)
		}
	})

	t.Run("a certificate and key that do not load stop the start before it serves", func(t *testing.T) {
		certFile, keyFile, _ := certFiles(t)
		broken := writeFile(t, filepath.Dir(keyFile), "broken.key", "not a key", 0o600)
		var stdout, stderr bytes.Buffer
		code := testProgram(map[string]string{"ERS_TLS_CERT_FILE": certFile, "ERS_TLS_KEY_FILE": broken}, &stdout, &stderr).
			run(context.Background(), []string{"--config", cfgFile, "--listen", "0.0.0.0:0"})
		if code != exitError || stdout.Len() > 0 {
			t.Fatalf("exit %d, stdout %q; want %d and nothing served", code, stdout.String(), exitError)
		}
		if !strings.Contains(stderr.String(), "do not load") {
			t.Errorf("stderr does not say the pair does not load:\n%s", stderr.String())
		}
	})
}
