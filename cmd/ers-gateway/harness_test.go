package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/gateway/keys"
	"github.com/ers-workstation/ers-workstation/sandbox/apim"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
	"github.com/ers-workstation/ers-workstation/sandbox/stack"
	"github.com/ers-workstation/ers-workstation/sandbox/store"
)

// generous bounds every wait of these tests; none asserts on wall time.
const generous = 30 * time.Second

// testBits keeps key generation fast; the gateway's default is 4096.
const testBits = 2048

// lockedBuffer is a bytes.Buffer safe to write from the program and read from the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// vars is a fixed environment, so tests never read or change the process's.
func vars(m map[string]string) config.LookupFunc {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// testProgram is the program with a fixed environment and the real clock.
func testProgram(env map[string]string, stdout, stderr io.Writer) program {
	return program{lookup: vars(env), now: time.Now, stdout: stdout, stderr: stderr}
}

// keyPEM is one 2048-bit key file, made once for the package's tests.
var keyPEM = sync.OnceValues(func() (string, []byte) {
	dir, err := os.MkdirTemp("", "ers-gateway-keys-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if _, err := keys.Open(keys.Options{Dir: dir, Bits: testBits}); err != nil {
		panic(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		panic("no key written")
	}
	b, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		panic(err)
	}
	return entries[0].Name(), b
})

// keyDir is a key directory holding the test key with the mode given.
func keyDir(t *testing.T, mode os.FileMode) (dir, file string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "keys")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	name, pem := keyPEM()
	file = filepath.Join(dir, name)
	if err := os.WriteFile(file, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, mode); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

// writeFile writes content to a new file in dir with the mode.
func writeFile(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// freePort returns a loopback address nobody listens on (for the gateway,
// whose URL the simulated CIS2 must know before it starts).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// recorder remembers every secret that crosses the simulators' wire: the
// gateway's client assertions, codes and refresh tokens it sends, and the
// tokens CIS2 and APIM answer, so the test can look for them in the log.
type recorder struct {
	mu      sync.Mutex
	secrets map[string]bool
}

func (rec *recorder) add(values ...string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, v := range values {
		if len(v) >= 8 {
			rec.secrets[v] = true
		}
	}
}

func (rec *recorder) all() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []string
	for s := range rec.secrets {
		out = append(out, s)
	}
	return out
}

// wrap records the secret form fields of each request and the token
// fields of each JSON answer.
func (rec *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if form, err := url.ParseQuery(string(body)); err == nil {
				for _, k := range []string{"client_assertion", "code", "code_verifier", "refresh_token", "subject_token", "client_secret"} {
					rec.add(form[k]...)
				}
			}
		}
		if a := r.Header.Get("Authorization"); a != "" {
			rec.add(strings.TrimPrefix(a, "Bearer "))
		}
		cw := &captureWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		var answer map[string]any
		if json.Unmarshal(cw.body.Bytes(), &answer) == nil {
			for _, k := range []string{"access_token", "refresh_token", "id_token"} {
				if s, ok := answer[k].(string); ok {
					rec.add(s)
				}
			}
		}
	})
}

type captureWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

// simulators is a sandbox/stack on 127.0.0.1 that knows the gateway at
// gatewayURL, with auto-approval by login_hint.
type simulators struct {
	urls stack.URLs
	rec  *recorder
}

func startSimulators(t *testing.T, gatewayURL string) *simulators {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	st, err := stack.New(stack.Options{
		BaseURL: "http://" + ln.Addr().String(),
		Seed: func() *store.State {
			return seed.Synthetic(seed.SyntheticOptions{Seed: 1, Referrals: 40, Services: 10, Now: time.Now()})
		},
		Clients: []cis2.Client{{
			ID: config.SandboxCIS2ClientID, RedirectURIs: []string{gatewayURL + config.GatewayCIS2CallbackPath},
			AuthMethod: cis2.AuthPrivateKeyJWT, JWKSURL: gatewayURL + config.GatewayJWKSPath,
			BackchannelLogoutURI: gatewayURL + config.GatewayBackchannelLogoutPath,
		}},
		Apps: []apim.App{{
			APIKey: config.SandboxAPIKey, Secret: config.SandboxAppSecret, Name: "ers-gateway under test",
			JWKSURL: gatewayURL + config.GatewayJWKSPath, ASID: config.SandboxASID,
			AllowedODS: []string{cis2.ReferrerODS, cis2.SecondGPODS, cis2.ProviderODS},
			Scopes:     []string{apim.ScopeUserAAL2, apim.ScopeUserAAL3}, AllowLifetimeOverrides: true,
		}},
		AutoApprove: true,
		KeyBits:     testBits,
		HTTPClient:  &http.Client{Timeout: 10 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{secrets: map[string]bool{}}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: rec.wrap(st.Handler())}}
	srv.Start()
	t.Cleanup(srv.Close)
	return &simulators{urls: st.URLs(), rec: rec}
}

// started is a run of the program in this process.
type started struct {
	url    string // as printed: "ers-gateway: serving at <url>"
	stderr *lockedBuffer
	cancel context.CancelFunc
	done   chan int
}

// startRun runs the server in-process with args and the environment and
// waits for its "serving at" line.
func startRun(t *testing.T, env map[string]string, args ...string) *started {
	t.Helper()
	return startProgram(t, func(p program) program { return p }, env, args...)
}

// startProgram is startRun with the test program changed by adjust first
// (a hangup channel, the key size).
func startProgram(t *testing.T, adjust func(program) program, env map[string]string, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &started{stderr: &lockedBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		code := adjust(testProgram(env, pw, s.stderr)).run(ctx, args)
		pw.Close()
		s.done <- code
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(generous):
			t.Errorf("run did not return after its context was cancelled")
		}
	})
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatalf("stdout ended before the URL was printed; stderr:\n%s", s.stderr)
		}
		rest, ok := strings.CutPrefix(line, "ers-gateway: serving at ")
		if !ok {
			t.Fatalf("unexpected first line on stdout: %q", line)
		}
		s.url = rest
	case <-time.After(generous):
		t.Fatalf("no URL printed within %v; stderr:\n%s", generous, s.stderr)
	}
	go func() {
		for range lines { //nolint:revive // drain until the program closes stdout
		}
	}()
	return s
}

// stop cancels the run's context and returns its exit status.
func (s *started) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(generous):
		t.Fatalf("run did not return within %v of its context being cancelled", generous)
		return -1
	}
}
