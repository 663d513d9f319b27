package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
)

// localConfig is a gateway file for the local environment pointed at the
// simulators, with a key directory and an SQLite file.
func localConfig(t *testing.T, sims *simulators, listen, keysDir, dsn string) string {
	t.Helper()
	text := fmt.Sprintf(`listen = %q
environment = "local"
ers_base_url = %q
log_level = "debug"

[store]
dsn = %q

[keys]
dir = %q

[cis2]
issuer_url = %q

[apim]
token_url = %q
test_access_token_expiry = "10m"
`, listen, sims.urls.ERSBase, dsn, keysDir, sims.urls.CIS2Issuer, sims.urls.APIMTokenURL)
	return writeFile(t, t.TempDir(), "gateway.toml", text, 0o600)
}

func get(t *testing.T, u string) (int, []byte, http.Header) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), generous)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body, resp.Header
}

// TestServeSignInAndAudit runs the gateway as its main does against the
// simulators on 127.0.0.1: the operational endpoints answer, a whole
// sign-in and a proxied e-RS call succeed, no secret of the sign-in
// reaches the log, and the audit export shows the calls in both formats.
func TestServeSignInAndAudit(t *testing.T) {
	addr := freePort(t)
	sims := startSimulators(t, "http://"+addr)
	keysDir, _ := keyDir(t, 0o600)
	dsn := filepath.Join(t.TempDir(), "gateway.db")
	cfgFile := localConfig(t, sims, addr, keysDir, dsn)
	env := map[string]string{"ERS_STORE_SEAL_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}
	begin := time.Now().Add(-time.Minute)

	s := startRun(t, env, "--config", cfgFile)
	if s.url != "http://"+addr {
		t.Fatalf("serving at %q, want the listen address http://%s as the public URL", s.url, addr)
	}
	for _, ep := range []struct{ path, want string }{
		{"/healthz", "ok"},
		{"/readyz", "ready"},
		{"/.well-known/jwks.json", `"alg":"RS512"`},
	} {
		if status, body, _ := get(t, s.url+ep.path); status != http.StatusOK || !bytes.Contains(body, []byte(ep.want)) {
			t.Errorf("GET %s: %d %s", ep.path, status, body)
		}
	}

	ws := newWorkstation(t, s.url)
	ws.signIn(referrer)
	ws.secret(sims.rec.all()...)
	if status := ws.call(http.MethodGet, "/v1/session", nil, nil); status != http.StatusOK {
		t.Errorf("GET /v1/session: %d", status)
	}
	if status := ws.call(http.MethodGet, "/v1/ers/FHIR/STU3/CodeSystem/SPECIALTY", nil, nil); status != http.StatusOK {
		t.Errorf("A004 through the proxy: %d", status)
	}
	if status, body, _ := get(t, s.url+"/metrics"); status != http.StatusOK || !bytes.Contains(body, []byte("ers_gateway_proxy_requests_total")) {
		t.Errorf("GET /metrics: %d, want the proxy's series:\n%s", status, body)
	}
	if status := ws.call(http.MethodPost, "/v1/auth/logout", nil, nil); status != http.StatusNoContent {
		t.Errorf("POST /v1/auth/logout: %d", status)
	}
	// Everything the simulators saw, now that the sign-in, the call and
	// the logout are done (the refresh tokens and assertions included).
	ws.secret(sims.rec.all()...)
	if code := s.stop(t); code != exitOK {
		t.Errorf("exit status %d after cancel, want 0", code)
	}

	logs := s.stderr.String()
	t.Run("the log is JSON lines with a line per request, and no secret", func(t *testing.T) {
		if len(ws.secrets) < 10 {
			t.Fatalf("only %d secrets collected; the test lost track of the sign-in", len(ws.secrets))
		}
		noSecretIn(t, logs, ws.secrets...)
		for line := range strings.Lines(logs) {
			var v map[string]any
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Errorf("a log line is not JSON: %q", line)
			}
		}
		for _, want := range []string{`"msg":"serving"`, `"route":"POST /v1/auth/token"`, `"msg":"stopped"`} {
			if !strings.Contains(logs, want) {
				t.Errorf("the log lacks %s", want)
			}
		}
	})

	from, to := begin.UTC().Format(time.RFC3339), time.Now().Add(time.Minute).UTC().Format(time.RFC3339)
	export := func(t *testing.T, format string) string {
		var stdout, stderr bytes.Buffer
		code := testProgram(env, &stdout, &stderr).run(context.Background(),
			[]string{"audit", "--config", cfgFile, "--from", from, "--to", to, "--format", format})
		if code != exitOK {
			t.Fatalf("audit --format %s: exit %d, stderr %s", format, code, stderr.String())
		}
		noSecretIn(t, stdout.String(), ws.secrets...)
		return stdout.String()
	}
	t.Run("the audit export in JSON lines has the sign-in and the proxied call", func(t *testing.T) {
		kinds := map[string]bool{}
		ops := map[string]bool{}
		for line := range strings.Lines(export(t, "jsonl")) {
			var l auditLine
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				t.Fatalf("not JSON: %q", line)
			}
			kinds[l.Kind], ops[l.Operation] = true, true
			if l.Kind == "call" && (l.Status != http.StatusOK || l.User == "" || l.CorrelationID == "" || l.Completed == "") {
				t.Errorf("call record incomplete: %+v", l)
			}
		}
		if !kinds["sign_in"] || !kinds["call"] || !ops["A004"] {
			t.Errorf("kinds %v operations %v, want a sign_in and an A004 call", kinds, ops)
		}
	})
	t.Run("the audit export in CSV has the header and the same records", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(export(t, "csv"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 3 || !reflect.DeepEqual(rows[0], auditHeader()) {
			t.Fatalf("got %d rows, header %q", len(rows), rows[0])
		}
		found := false
		for _, r := range rows[1:] {
			found = found || (r[2] == "call" && r[8] == "A004" && r[10] == "200")
		}
		if !found {
			t.Errorf("no A004 call with status 200 in:\n%q", rows)
		}
	})
}

func TestServeRefusesAnOpenKeyFile(t *testing.T) {
	sims := startSimulators(t, "http://127.0.0.1:1")
	keysDir, keyFile := keyDir(t, 0o644)
	cfgFile := localConfig(t, sims, "127.0.0.1:0", keysDir, "")
	var stdout, stderr bytes.Buffer
	code := testProgram(nil, &stdout, &stderr).run(context.Background(), []string{"--config", cfgFile})
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	if want := "chmod 600 " + keyFile; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
	}
	if stdout.Len() > 0 {
		t.Errorf("it said it was serving: %q", stdout.String())
	}
}

func TestCheckConfig(t *testing.T) {
	dir := t.TempDir()
	keysDir, _ := keyDir(t, 0o600)
	sealKey := writeFile(t, dir, "seal.key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 0o600)
	appSecret := writeFile(t, dir, "app-secret", "the-int-app-secret\n", 0o600)
	openSecret := writeFile(t, dir, "open-secret", "the-int-app-secret\n", 0o644)
	openSeal := writeFile(t, dir, "open-seal.key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 0o640)
	intFile := func(extra string) string {
		return writeFile(t, t.TempDir(), "gateway.toml", fmt.Sprintf(`listen = "127.0.0.1:8443"
environment = "int"
public_url = "https://ers-gateway.int.example.nhs.uk"
[store]
dsn = %q
seal_key_file = %q
[keys]
dir = %q
[cis2]
client_id = "999999999999.apps.national"
[apim]
api_key = "int-api-key"
app_secret_file = %q
%s`, filepath.Join(dir, "gateway.db"), sealKey, keysDir, appSecret, extra), 0o600)
	}
	check := func(t *testing.T, env map[string]string, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := testProgram(env, &stdout, &stderr).run(context.Background(), append([]string{"--check-config"}, args...))
		return code, stdout.String(), stderr.String()
	}

	t.Run("a complete INT file is OK and the settings are printed without the secret", func(t *testing.T) {
		code, out, errOut := check(t, nil, "--config", intFile(""))
		if code != exitOK || !strings.HasPrefix(out, "configuration OK\n") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		for _, want := range []string{`environment = "int"`, "effective CIS2 issuer: https://am.nhsint", "signing with ers-gw-", "does not exist yet"} {
			if !strings.Contains(out, want) {
				t.Errorf("stdout lacks %q:\n%s", want, out)
			}
		}
		noSecretIn(t, out, "the-int-app-secret", "AAAAAAAAAAAAAAAAAAAAAAAA")
		if _, err := os.Stat(filepath.Join(dir, "gateway.db")); err == nil {
			t.Error("--check-config created the database")
		}
	})
	t.Run("the defaults are OK", func(t *testing.T) {
		if code, out, errOut := check(t, nil); code != exitOK || !strings.Contains(out, `environment = "local"`) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("an empty key directory is OK and left empty", func(t *testing.T) {
		empty := t.TempDir()
		code, out, _ := check(t, nil, "--config", intFile(""), "--environment", "local")
		_ = out
		if code != exitOK {
			t.Fatalf("exit %d", code)
		}
		code, out, errOut := check(t, map[string]string{"ERS_KEYS_DIR": empty}, "--config", intFile(""))
		if code != exitOK || !strings.Contains(out, "holds no key yet") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if entries, _ := os.ReadDir(empty); len(entries) > 0 {
			t.Errorf("--check-config wrote %d files in the key directory", len(entries))
		}
	})

	bad := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{name: "a key file others may read is refused with the chmod to run",
			env: map[string]string{"ERS_KEYS_DIR": func() string { d, _ := keyDir(t, 0o644); return d }()}, args: []string{"--config", intFile("")},
			want: []string{"keys.dir:", "chmod 600"}},
		{name: "an app secret file others may read is refused", env: map[string]string{"ERS_APIM_APP_SECRET_FILE": openSecret},
			args: []string{"--config", intFile("")}, want: []string{"apim.app_secret_file:", "chmod 600 " + openSecret}},
		{name: "a seal key file the group may read is refused", env: map[string]string{"ERS_STORE_SEAL_KEY_FILE": openSeal},
			args: []string{"--config", intFile("")}, want: []string{"store.seal_key_file:", "chmod 600 " + openSeal}},
		{name: "a seal key that is not base64 is named without its value", env: map[string]string{"ERS_STORE_SEAL_KEY_FILE": "", "ERS_STORE_SEAL_KEY": "not-a-key!"},
			args: []string{"--config", intFile("")}, want: []string{"store.seal_key: store: seal key is not base64"}},
		{name: "an app secret written in an INT file is refused", env: map[string]string{"ERS_APIM_APP_SECRET_FILE": ""},
			args: []string{"--config", intFile(`app_secret = "in-the-file"`)}, want: []string{"apim.app_secret: is a secret and may not be written in the configuration file"}},
		{name: "each bad key is named, with the flag that set it",
			args: []string{"--config", intFile(`test_access_token_expiry = "1m"`), "--listen", "0.0.0.0:8443", "--log-level", "loud"},
			want: []string{"tls.cert_file: required because listen", "apim.test_access_token_expiry:", `log_level: "loud" is not allowed`, "(set by --log-level)"}},
		{name: "a store directory that does not exist is named", env: map[string]string{"ERS_STORE_DSN": "/nonexistent/dir/gateway.db"},
			args: []string{"--config", intFile("")}, want: []string{"store.dsn: the directory /nonexistent/dir"}},
		{name: "a file that is not TOML is named", args: []string{"--config", writeFile(t, dir, "broken.toml", "listen = \"x\n", 0o600)},
			want: []string{"broken.toml", "line 1"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := check(t, tt.env, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stdout %q", code, exitUsage, out)
			}
			if strings.Contains(out, "configuration OK") {
				t.Error("said OK")
			}
			for _, w := range append(tt.want, "--help") {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			noSecretIn(t, errOut, "in-the-file", "not-a-key!", "the-int-app-secret")
		})
	}
}

func TestBadCommandLines(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown flag is named", []string{"--nope"}, "flag provided but not defined: -nope"},
		{"an argument that is not a flag is refused", []string{"serve"}, `unexpected argument "serve"`},
		{"an empty config file name is refused", []string{"--config", ""}, "--config needs a file name"},
		{"a missing config file is named", []string{"--config", "/nonexistent/gateway.toml"}, "config /nonexistent/gateway.toml"},
		{"an unknown environment names the allowed ones", []string{"--environment", "staging"}, "use one of sandbox, int, production, local (set by --environment)"},
		{"audit without a range says what it needs", []string{"audit"}, "--from is required"},
		{"audit with a time that is not RFC 3339", []string{"audit", "--from", "yesterday", "--to", "2026-01-01T00:00:00Z"}, `--from "yesterday" is not an RFC 3339 time`},
		{"audit with an unknown format", []string{"audit", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z", "--format", "xml"}, "use one of jsonl, csv"},
		{"audit with a range that ends before it starts", []string{"audit", "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-01T00:00:00Z"}, "is not before --to"},
		{"audit of an in-memory store", []string{"audit", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z"}, "store.dsn is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // should a command line be accepted after all, nothing serves
			var stdout, stderr bytes.Buffer
			if code := testProgram(nil, &stdout, &stderr).run(ctx, tt.args); code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr.String(), tt.want) || !strings.Contains(stderr.String(), "--help") {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.want)
			}
			if stdout.Len() > 0 {
				t.Errorf("wrote to stdout: %q", stdout.String())
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		t.Run(arg+" prints the help on stdout and exits 0", func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := testProgram(nil, &stdout, &stderr).run(context.Background(), []string{arg}); code != exitOK || stderr.Len() > 0 {
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
	words := strings.Join(strings.Fields(help), " ") // phrases may be wrapped
	t.Run("every flag is documented with its default, key and variable", func(t *testing.T) {
		for _, f := range gatewayFlags() {
			block := strings.Join(strings.Fields(flagBlock(help, f.name)), " ")
			if block == "" {
				t.Errorf("--%s is not in the help", f.name)
				continue
			}
			if !strings.Contains(block, "Default "+f.def+".") {
				t.Errorf("--%s does not show its default %q:\n%s", f.name, f.def, block)
			}
			if f.key != "" && !strings.Contains(block, "Key "+f.key+", variable "+variableOf(f.key)+".") {
				t.Errorf("--%s does not name its key and variable:\n%s", f.name, block)
			}
		}
	})
	t.Run("every key has a flag, or is listed as file and environment only with its variable and reason", func(t *testing.T) {
		flags := map[string]bool{}
		for _, f := range gatewayFlags() {
			if f.key != "" {
				flags[f.key] = true
			}
		}
		reasons := fileOnlyKeys()
		for _, s := range config.DefaultGateway().Settings() {
			_, fileOnly := reasons[s.Key]
			switch {
			case flags[s.Key] && fileOnly:
				t.Errorf("%s has a flag and is listed as file only", s.Key)
			case flags[s.Key]:
			case !fileOnly:
				t.Errorf("%s has neither a flag nor a reason to have none", s.Key)
			case !strings.Contains(words, s.Key+" Variable "+s.Variable+". Default "):
				t.Errorf("%s is not listed with its variable %s", s.Key, s.Variable)
			}
			if s.Secret && flags[s.Key] {
				t.Errorf("the secret %s has a flag", s.Key)
			}
			delete(reasons, s.Key)
		}
		for k := range reasons {
			t.Errorf("fileOnlyKeys names %s, which config.Gateway does not have", k)
		}
	})
	t.Run("it names the audit subcommand and its formats", func(t *testing.T) {
		for _, want := range []string{"ers-gateway audit --from TIME --to TIME", "--format jsonl", "--format csv", "chmod 600"} {
			if !strings.Contains(words, want) {
				t.Errorf("help lacks %q", want)
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
		if _, rest, ok = strings.Cut(help, "\n  --"+name+"\n"); !ok {
			return ""
		}
	}
	if i := strings.Index(rest, "\n  -"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://gw:s3cret@db.example/ers":           "postgres://gw:xxxxx@db.example/ers",
		"host=db user=gw password=s3cret dbname=ers":    "host=db user=gw password=xxxxx dbname=ers",
		"host=db password='two words' dbname=ers":       "host=db password=xxxxx dbname=ers",
		"postgres://db.example/ers?password=s3cret&x=1": "postgres://db.example/ers?password=xxxxx&x=1",
		"/var/lib/ers-gateway/gateway.db":               "/var/lib/ers-gateway/gateway.db",
	} {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}
