package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"iter"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/sandbox/seed"
)

// generous bounds every wait of these tests; none asserts on wall time.
const generous = 30 * time.Second

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

// urls are what the program prints on stdout when it is serving.
type urls struct {
	api   string // http://127.0.0.1:port/referrals/FHIR
	admin string // http://127.0.0.1:port/_admin, or empty
	cis2  string // the CIS2 issuer
	apim  string // the APIM token URL
}

// ping is the /_ping of the API whose FHIR base is api.
func (u urls) ping() string { return strings.TrimSuffix(u.api, "/FHIR") + "/_ping" }

// readURLs reads the program's stdout lines until it has the URLs it expects
// (the admin one only when wantAdmin), then keeps draining stdout.
func readURLs(t *testing.T, stdout io.Reader, wantAdmin bool) urls {
	t.Helper()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var u urls
	timeout := time.After(generous)
	for u.api == "" || u.cis2 == "" || u.apim == "" || (wantAdmin && u.admin == "") {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("stdout ended before the URLs were printed; got %+v", u)
			}
			if rest, ok := strings.CutPrefix(line, "ers-sandbox: serving e-RS at "); ok {
				u.api = rest
			} else if rest, ok := strings.CutPrefix(line, "ers-sandbox: CIS2 issuer "); ok {
				u.cis2 = rest
			} else if rest, ok := strings.CutPrefix(line, "ers-sandbox: APIM token URL "); ok {
				u.apim = rest
			} else if rest, ok := strings.CutPrefix(line, "ers-sandbox: admin API at "); ok {
				u.admin = rest
			} else {
				t.Errorf("unexpected line on stdout: %q", line)
			}
		case <-timeout:
			t.Fatalf("no URL printed within %v; got %+v", generous, u)
		}
	}
	go func() {
		for range lines { //nolint:revive // drain until the program closes stdout
		}
	}()
	if !strings.HasPrefix(u.api, "http://127.0.0.1:") || !strings.HasSuffix(u.api, "/referrals/FHIR") || strings.HasSuffix(u.api, ":0/referrals/FHIR") {
		t.Fatalf("API URL %q is not http://127.0.0.1:<actual port>/referrals/FHIR", u.api)
	}
	return u
}

// started is a run of the program in this process.
type started struct {
	urls
	stderr *lockedBuffer
	cancel context.CancelFunc
	done   chan int
}

// startRun runs the program in-process with args and waits for its URLs.
func startRun(t *testing.T, wantAdmin bool, args ...string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &started{stderr: &lockedBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		code := run(ctx, args, pw, s.stderr)
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
	s.urls = readURLs(t, pr, wantAdmin)
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

// get sends a GET with the headers and returns the status and body.
func get(t *testing.T, url string, headers map[string]string) (int, []byte) {
	t.Helper()
	return send(t, http.MethodGet, url, headers)
}

func send(t *testing.T, method, url string, headers map[string]string) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), generous)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return resp.StatusCode, body
}

// referringClinician are the headers of an open-access call by the
// examples' referring clinician.
var referringClinician = map[string]string{
	"X-Sandbox-User-ID":              seed.ExampleRC,
	"NHSD-End-User-Organisation-ODS": seed.ExampleReferringOrg,
	"NHSD-eRS-Business-Function":     "REFERRING_CLINICIAN",
}

func TestRunServesTheExamplesUntilCancelled(t *testing.T) {
	s := startRun(t, false, "--listen", "127.0.0.1:0", "--seed", "examples", "--open-access")

	if status, body := get(t, s.ping(), nil); status != http.StatusOK || !bytes.Contains(body, []byte(`"version"`)) {
		t.Errorf("GET /referrals/_ping: %d %s", status, body)
	}
	if status, body := get(t, s.api+"/STU3/CodeSystem/SPECIALTY", referringClinician); status != http.StatusOK {
		t.Errorf("A004 as the example referring clinician: %d %s", status, body)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit status %d after cancel, want 0; stderr:\n%s", code, s.stderr)
	}
	logs := s.stderr.String()
	for _, want := range []string{"msg=serving", "op=A004", "status=200", "msg=stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, logs)
		}
	}
	if !strings.Contains(logs, "open access") {
		t.Error("stderr does not warn that e-RS is open")
	}
}

func TestRunRequiresATokenUnlessOpen(t *testing.T) {
	s := startRun(t, false, "--listen", "127.0.0.1:0", "--seed", "examples")
	if !strings.HasSuffix(s.cis2, "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare") ||
		s.apim != strings.TrimSuffix(s.api, "/referrals/FHIR")+"/oauth2/token" {
		t.Errorf("CIS2 %q and APIM %q are not on the API's origin %q", s.cis2, s.apim, s.api)
	}
	headers := maps.Clone(referringClinician)
	headers["Authorization"] = "Bearer any-token"
	if status, body := get(t, s.api+"/STU3/CodeSystem/SPECIALTY", headers); status != http.StatusUnauthorized {
		t.Errorf("A004 with a token APIM never issued: %d %s, want 401", status, body)
	}
	if status, body := get(t, s.cis2+"/.well-known/openid-configuration", nil); status != http.StatusOK || !bytes.Contains(body, []byte(s.cis2)) {
		t.Errorf("CIS2 discovery: %d %s", status, body)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	if strings.Contains(s.stderr.String(), "any-token") {
		t.Error("the bearer token reached the log")
	}
}

func TestRunAppliesTheRateLimitAndTheFaults(t *testing.T) {
	s := startRun(t, false, "--listen", "127.0.0.1:0", "--seed", "examples", "--log-format", "json",
		"--open-access", "--rate", "0.001", "--burst", "1", "--fault", "op=A004,error_rate=1,status=503,retry_after=7s")

	status, body := get(t, s.api+"/STU3/CodeSystem/SPECIALTY", referringClinician)
	if status != http.StatusServiceUnavailable || !bytes.Contains(body, []byte("SYSTEM_UNAVAILABLE")) {
		t.Errorf("first call: %d %s, want the injected 503 SYSTEM_UNAVAILABLE", status, body)
	}
	// A burst of one at a call every 1000 s: the second call is over the limit.
	if status, body := get(t, s.api+"/STU3/CodeSystem/SPECIALTY", referringClinician); status != http.StatusTooManyRequests {
		t.Errorf("second call: %d %s, want 429", status, body)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	for line := range strings.Lines(s.stderr.String()) {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("--log-format json wrote a line that is not JSON: %q", line)
		}
	}
}

func TestRunServesTheAdminAPIWhenAsked(t *testing.T) {
	s := startRun(t, true, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--seed", "synthetic",
		"--referrals", "100", "--services", "10", "--write-hold", "1ms")
	if !strings.HasSuffix(s.admin, "/_admin") {
		t.Fatalf("admin URL %q", s.admin)
	}
	status, body := get(t, s.admin+"/faults", nil)
	if status != http.StatusOK || !bytes.Contains(body, []byte(`"write_hold":"1ms"`)) {
		t.Errorf("GET /_admin/faults: %d %s, want the write hold from the flag", status, body)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
}

// TestTheBinary builds ers-sandbox and runs it as a user would: it prints its
// URLs, serves, resets on the admin API and exits 0 on SIGINT.
func TestTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("sends SIGINT, which Windows processes cannot receive")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "ers-sandbox")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.CommandContext(ctx, bin, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--seed", "synthetic", "--referrals", "200")
	cmd.Env = withoutSandboxVariables(os.Environ())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	u := readURLs(t, stdout, true)
	go func() { exited <- cmd.Wait() }()
	// Should the test fail before SIGINT stops it; after, Kill does nothing.
	defer cmd.Process.Kill() //nolint:errcheck // "process already finished" is the usual answer

	if status, body := get(t, u.ping(), nil); status != http.StatusOK {
		t.Errorf("GET /referrals/_ping: %d %s", status, body)
	}
	if status, body := send(t, http.MethodPost, u.admin+"/reset", nil); status != http.StatusNoContent {
		t.Errorf("POST /_admin/reset: %d %s, want 204", status, body)
	}
	status, body := get(t, u.admin+"/state", nil)
	var counts struct{ Referrals int }
	if err := json.Unmarshal(body, &counts); status != http.StatusOK || err != nil || counts.Referrals != 200 {
		t.Errorf("GET /_admin/state after reset: %d %s, want 200 referrals", status, body)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGINT: %v, want exit status 0; stderr:\n%s", err, stderr)
		}
	case <-time.After(generous):
		t.Fatalf("still running %v after SIGINT; stderr:\n%s", generous, stderr)
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Errorf("stderr does not say it stopped:\n%s", stderr)
	}
}

// withoutSandboxVariables drops ERS_SANDBOX_ variables from env, so that the
// developer's shell cannot change what the binary test runs.
func withoutSandboxVariables(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "ERS_SANDBOX_") {
			out = append(out, kv)
		}
	}
	return out
}

func TestBadCommandLinesExitTwoNamingTheProblem(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.toml")
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
		not  []string
	}{
		{name: "an unknown flag is named", args: []string{"--nope"},
			want: []string{"ers-sandbox: flag provided but not defined: -nope"}},
		{name: "a flag without its value is named", args: []string{"--listen"},
			want: []string{"flag needs an argument: -listen"}},
		{name: "an argument that is not a flag is refused", args: []string{"serve"},
			want: []string{`unexpected argument "serve"`}},
		{name: "an unknown seed names the key, the allowed values and the flag", args: []string{"--seed", "random"},
			want: []string{`seed: "random" is not allowed; use one of examples, synthetic (set by --seed)`}},
		{name: "a count that is not a number names the flag", args: []string{"--referrals", "lots"},
			want: []string{`--referrals: "lots" is not a whole number; it sets referrals`}},
		{name: "a duration without a unit names the flag", args: []string{"--write-hold", "5"},
			want: []string{`--write-hold: "5" is not a duration`}},
		{name: "a bad fault rule names its position and the problem, once", args: []string{"--fault", "latency=1s", "--fault", "op=A016,error_rate=0.5,status=200"},
			want: []string{`faults: rule 2 "op=A016,error_rate=0.5,status=200": status 200 cannot be injected; use 500, 502, 503 or 504 (set by --fault)`},
			not:  []string{"rule 1"}},
		{name: "a fault rule that is not key=value is named", args: []string{"--fault", "slow"},
			want: []string{`faults: rule 1 "slow": "slow" is not key=value`}},
		{name: "a bad rule from the environment names the variable", env: map[string]string{"ERS_SANDBOX_FAULTS": "latency=1s;op=A016,drop_rate=2"},
			want: []string{`faults: rule 2 "op=A016,drop_rate=2": error_rate and drop_rate are shares from 0 to 1 (set by ERS_SANDBOX_FAULTS)`}},
		{name: "a bad environment variable is named", env: map[string]string{"ERS_SANDBOX_LOG_FORMAT": "xml"},
			want: []string{`log_format: "xml" is not allowed; use one of text, json (set by ERS_SANDBOX_LOG_FORMAT)`}},
		{name: "a missing config file is named", args: []string{"--config", missing},
			want: []string{"config " + missing + ": file does not exist"}},
		{name: "an empty config file name is refused", args: []string{"--config", ""},
			want: []string{"--config needs a file name"}},
		{name: "every problem is listed at once", args: []string{"--listen", "nowhere", "--rate", "-1", "--log-level", "loud", "--fault", "x=1"},
			want: []string{"config: 4 problems:", `listen: "nowhere"`, "rate: -1", `log_level: "loud"`, `unknown key "x"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			// Already cancelled: should the command line be accepted after
			// all, the run stops at once instead of serving.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, tt.args, &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if stdout.Len() > 0 {
				t.Errorf("wrote to stdout: %q", stdout.String())
			}
			msg := stderr.String()
			for _, w := range append(tt.want, "--help") {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q does not contain %q", msg, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(msg, n) {
					t.Errorf("stderr %q contains %q", msg, n)
				}
			}
			if strings.Contains(msg, "goroutine ") || strings.Contains(msg, "panic") {
				t.Errorf("stderr has a stack trace:\n%s", msg)
			}
		})
	}
}

func TestSettingsPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox.toml")
	if err := os.WriteFile(file, []byte("referrals = 50\nservices = 10\nfaults = [\"latency=1s\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lookup := func(vars map[string]string) config.LookupFunc {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	env := lookup(map[string]string{"ERS_SANDBOX_REFERRALS": "60", "ERS_SANDBOX_FAULTS": "latency=2s;latency=3s"})
	tests := []struct {
		name          string
		args          []string
		env           config.LookupFunc
		wantReferrals int
		wantServices  int
		wantRules     int
	}{
		{"the file wins over the defaults", []string{"--config", file}, lookup(nil), 50, 10, 1},
		{"the environment wins over the file", []string{"--config", file}, env, 60, 10, 2},
		{"a flag wins over the environment", []string{"--config", file, "--referrals", "70", "--fault", "latency=4s", "--fault", "latency=5s", "--fault", "latency=6s"}, env, 70, 10, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, err := parseArgs(tt.args)
			if err != nil {
				t.Fatal(err)
			}
			cfg, plan, err := loadSettings(inv, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Referrals != tt.wantReferrals || cfg.Services != tt.wantServices || len(plan.Rules) != tt.wantRules {
				t.Errorf("got referrals %d services %d rules %d, want %d %d %d",
					cfg.Referrals, cfg.Services, len(plan.Rules), tt.wantReferrals, tt.wantServices, tt.wantRules)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h", "-help"} {
		t.Run(arg+" prints the help on stdout and exits 0", func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{arg}, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
				t.Errorf("exit %d, stderr %q", code, stderr.String())
			}
			if !strings.Contains(stdout.String(), "Usage:") {
				t.Errorf("no usage in %q", stdout.String())
			}
		})
	}

	var out bytes.Buffer
	writeUsage(&out)
	help := out.String()
	t.Run("it says what the program is", func(t *testing.T) {
		words := strings.Join(strings.Fields(help), " ") // phrases may be wrapped
		for _, want := range []string{"simulator", "e-Referral Service", "synthetic data only", "requires the access tokens", "loopback (127.0.0.1)"} {
			if !strings.Contains(words, want) {
				t.Errorf("help lacks %q", want)
			}
		}
	})
	t.Run("every flag is documented with its default, key and variable", func(t *testing.T) {
		d := config.DefaultSandbox()
		for _, f := range sandboxFlags() {
			block := strings.Join(strings.Fields(flagBlock(help, f.name)), " ") // phrases may be wrapped
			if block == "" {
				t.Errorf("--%s is not in the help", f.name)
				continue
			}
			if !strings.Contains(block, "Default "+f.def(d)+".") {
				t.Errorf("--%s does not show its default %q:\n%s", f.name, f.def(d), block)
			}
			if f.key != "" && !strings.Contains(block, "Key "+f.key+", variable "+envVar(f.key)+".") {
				t.Errorf("--%s does not name its key and variable:\n%s", f.name, block)
			}
		}
	})
	t.Run("no line is wider than the help's width", func(t *testing.T) {
		for line := range strings.Lines(help) {
			if len(strings.TrimRight(line, "\n")) > helpWidth {
				t.Errorf("line wider than %d: %q", helpWidth, line)
			}
		}
	})
}

// flagBlock is the part of the help about one flag, or "".
func flagBlock(help, name string) string {
	_, rest, ok := strings.Cut(help, "\n  --"+name+" ")
	if !ok {
		if _, rest, ok = strings.Cut(help, "\n  --"+name+"\n"); !ok { // a boolean flag
			return ""
		}
	}
	if i := strings.Index(rest, "\n  -"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// TestEveryKeyHasAFlag keeps the flags and the configuration in step: each
// key of config.Sandbox has a flag, and the variable --help names for it is
// the one package config reads.
func TestEveryKeyHasAFlag(t *testing.T) {
	flags := map[string]flagDef{}
	for _, f := range sandboxFlags() {
		if f.key != "" {
			flags[f.key] = f
		}
	}
	for field, key := range sandboxKeys(reflect.TypeFor[config.Sandbox](), "") {
		f, ok := flags[key]
		if !ok {
			t.Errorf("key %s has no flag", key)
			continue
		}
		if env := field.Tag.Get("env"); env != envVar(key) {
			t.Errorf("--%s: help names variable %s, config reads %s", f.name, envVar(key), env)
		}
		delete(flags, key)
	}
	for key, f := range flags {
		t.Errorf("--%s sets %q, which config.Sandbox does not have", f.name, key)
	}
}

// sandboxKeys yields each leaf field of a configuration struct with its
// dotted TOML key.
func sandboxKeys(typ reflect.Type, prefix string) iter.Seq2[reflect.StructField, string] {
	return func(yield func(reflect.StructField, string) bool) {
		for i := range typ.NumField() {
			field := typ.Field(i)
			key := prefix + field.Tag.Get("toml")
			if field.Type.Kind() == reflect.Struct && field.Type != reflect.TypeFor[time.Duration]() {
				for f, k := range sandboxKeys(field.Type, key+".") {
					if !yield(f, k) {
						return
					}
				}
				continue
			}
			if !yield(field, key) {
				return
			}
		}
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:9000", true},
		{"[::1]:9000", true},
		{"0.0.0.0:9000", false},
		{"[::]:9000", false},
		{"192.0.2.10:9000", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			a, err := net.ResolveTCPAddr("tcp", tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got := isLoopback(a); got != tt.want {
				t.Errorf("isLoopback(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}
