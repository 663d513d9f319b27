package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/gateway/keys"
	"github.com/ers-workstation/ers-workstation/gateway/store"
)

// runKeys runs "ers-gateway keys args..." in-process with test-sized keys
// and the clock given.
func runKeys(t *testing.T, now func() time.Time, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	p := testProgram(nil, &out, &errOut)
	p.keyBits, p.now = testBits, now
	code = p.run(context.Background(), append([]string{"keys"}, args...))
	return code, out.String(), errOut.String()
}

// pemFiles lists the key files of dir by name.
func pemFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.pem"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

// listRows parses "keys list" output into kid -> state.
func listRows(t *testing.T, out string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if i == 0 {
			if !slices.Equal(f, []string{"KID", "CREATED", "STATE", "SIGNS", "FROM", "FILE"}) {
				t.Fatalf("header %q", line)
			}
			continue
		}
		if len(f) != 5 {
			t.Fatalf("row %q has %d fields", line, len(f))
		}
		rows[f[0]] = f[2]
	}
	return rows
}

func TestKeysCommand(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 7, 30, 0, 0, time.UTC)
	clock := func() time.Time { return t0 }

	t.Run("list of an empty directory writes nothing", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "keys")
		code, out, _ := runKeys(t, clock, "list", "--key-dir", dir)
		if code != exitOK || !strings.Contains(out, "holds no key yet") {
			t.Fatalf("exit %d, stdout %q", code, out)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("list created the directory: %v", err)
		}
	})

	t.Run("rotate writes the first key, then a pending one, 0600, and list shows both", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "keys")
		code, out, errOut := runKeys(t, clock, "rotate", "--key-dir", dir)
		if code != exitOK || !strings.Contains(out, "signs at once") {
			t.Fatalf("first rotate: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		later := func() time.Time { return t0.Add(10 * time.Minute) }
		code, out, errOut = runKeys(t, later, "rotate", "--key-dir", dir)
		if code != exitOK || !strings.Contains(out, "SIGHUP") || !strings.Contains(out, "2026-11-21T08:41:00Z") {
			t.Fatalf("second rotate: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		files := pemFiles(t, dir)
		if !slices.Equal(files, []string{"ers-gw-20261121T0730Z.pem", "ers-gw-20261121T0740Z.pem"}) {
			t.Fatalf("files %v", files)
		}
		for _, f := range files {
			st, err := os.Stat(filepath.Join(dir, f))
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v, %v; want 0600", f, st.Mode().Perm(), err)
			}
		}
		code, out, _ = runKeys(t, later, "list", "--key-dir", dir)
		rows := listRows(t, out)
		if code != exitOK || rows["ers-gw-20261121T0730Z"] != string(keys.StateSigning) || rows["ers-gw-20261121T0740Z"] != string(keys.StatePending) {
			t.Fatalf("exit %d, list:\n%s", code, out)
		}
		if !strings.Contains(out, filepath.Join(dir, "ers-gw-20261121T0740Z.pem")) {
			t.Errorf("list does not name the file:\n%s", out)
		}
		afterLead := func() time.Time { return t0.Add(2 * time.Hour) }
		_, out, _ = runKeys(t, afterLead, "list", "--key-dir", dir)
		rows = listRows(t, out)
		if rows["ers-gw-20261121T0730Z"] != string(keys.StatePublished) || rows["ers-gw-20261121T0740Z"] != string(keys.StateSigning) {
			t.Fatalf("two hours on, list:\n%s", out)
		}
	})

	t.Run("the key directory comes from the configuration file", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "keys")
		cfg := writeFile(t, t.TempDir(), "gateway.toml", "[keys]\ndir = \""+dir+"\"\n", 0o600)
		if code, _, errOut := runKeys(t, clock, "rotate", "--config", cfg); code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if len(pemFiles(t, dir)) != 1 {
			t.Fatal("no key written in keys.dir")
		}
	})

	bad := []struct {
		name string
		args []string
		want string
	}{
		{"no action", nil, "say rotate or list"},
		{"an unknown action", []string{"delete"}, "say rotate or list"},
		{"no key directory", []string{"rotate"}, "no key directory"},
		{"an unknown flag", []string{"list", "--nope"}, "-nope"},
		{"a stray argument", []string{"list", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range bad {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			code, out, errOut := runKeys(t, clock, tt.args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, errOut, exitUsage, tt.want)
			}
		})
	}

	t.Run("an open key file is refused, naming the fix", func(t *testing.T) {
		dir, file := keyDir(t, 0o644)
		code, _, errOut := runKeys(t, clock, "list", "--key-dir", dir)
		if code != exitError || !strings.Contains(errOut, "chmod 600 "+file) {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
	})
}

// jwksKIDs fetches the kids the gateway at base publishes.
func jwksKIDs(t *testing.T, base string) []string {
	t.Helper()
	status, body, _ := get(t, base+keys.JWKSPath)
	if status != http.StatusOK {
		t.Fatalf("GET JWKS: %d", status)
	}
	var set struct {
		Keys []struct {
			KID string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range set.Keys {
		out = append(out, k.KID)
	}
	return out
}

// TestRunningGatewayTakesUpARotatedKeyOnSIGHUP runs the gateway on a key
// directory, rotates from a separate "process" and sends the hangup: the
// new key appears in the JWKS while the old one goes on signing.
func TestRunningGatewayTakesUpARotatedKeyOnSIGHUP(t *testing.T) {
	addr := freePort(t)
	sims := startSimulators(t, "http://"+addr)
	keysDir, _ := keyDir(t, 0o600)
	cfgFile := localConfig(t, sims, addr, keysDir, "")
	hup := make(chan os.Signal, 1)
	s := startProgram(t, func(p program) program {
		p.hangup = func() (<-chan os.Signal, func()) { return hup, func() {} }
		return p
	}, nil, "--config", cfgFile)
	before := jwksKIDs(t, s.url)
	if len(before) != 1 {
		t.Fatalf("JWKS kids %v, want the one key", before)
	}

	code, out, errOut := runKeys(t, time.Now, "rotate", "--key-dir", keysDir)
	if code != exitOK {
		t.Fatalf("rotate: exit %d, %s", code, errOut)
	}
	kid := regexp.MustCompile(`\(kid ([^)]+)\)`).FindStringSubmatch(out)
	if kid == nil {
		t.Fatalf("rotate named no kid: %q", out)
	}
	if got := jwksKIDs(t, s.url); slices.Contains(got, kid[1]) {
		t.Fatal("published before any reload")
	}
	hup <- os.Interrupt // any value: the program only waits for one to arrive
	deadline := time.Now().Add(generous)
	for !slices.Contains(jwksKIDs(t, s.url), kid[1]) {
		if time.Now().After(deadline) {
			t.Fatalf("the rotated key %s was not published after the hangup; log:\n%s", kid[1], s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := jwksKIDs(t, s.url); !slices.Contains(got, before[0]) {
		t.Fatalf("JWKS kids %v lost the signing key %s", got, before[0])
	}
	if !strings.Contains(s.stderr.String(), `"msg":"key published"`) || !strings.Contains(s.stderr.String(), `"trigger":"SIGHUP"`) {
		t.Errorf("the log does not record the publication:\n%s", s.stderr)
	}
}

func TestHousekeepingReloadsTheKeysEveryInterval(t *testing.T) {
	dir, _ := keyDir(t, 0o600)
	ks, err := keys.Open(keys.Options{Dir: dir, Bits: testBits})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenSQLite(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	p := program{now: time.Now}
	go func() {
		defer close(done)
		p.housekeepEvery(ctx, 10*time.Millisecond, nil, st, ks, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() { cancel(); <-done }()

	if code, _, errOut := runKeys(t, time.Now, "rotate", "--key-dir", dir); code != exitOK {
		t.Fatalf("rotate: %s", errOut)
	}
	deadline := time.Now().Add(generous)
	for len(ks.Keys(time.Now())) != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the housekeeping loop did not take up the rotated key")
		}
		time.Sleep(10 * time.Millisecond)
	}
	states := map[keys.KeyState]int{}
	for _, k := range ks.Keys(time.Now()) {
		states[k.State]++
	}
	if states[keys.StateSigning] != 1 || states[keys.StatePending] != 1 {
		t.Errorf("states %v, want the old key signing and the new one pending", states)
	}
}
