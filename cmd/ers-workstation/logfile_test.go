package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheLogLivesInTheStateDirectory(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	tests := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"XDG_STATE_HOME when absolute", map[string]string{"XDG_STATE_HOME": "/s"}, "/s/ers-workstation/ers-workstation.log"},
		{"~/.local/state when unset", nil, "/home/ann/.local/state/ers-workstation/ers-workstation.log"},
		{"~/.local/state when relative, as XDG says", map[string]string{"XDG_STATE_HOME": "rel"}, "/home/ann/.local/state/ers-workstation/ers-workstation.log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := logPath(env(tt.vars), "/home/ann")
			if err != nil || got != tt.want {
				t.Errorf("logPath = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := logPath(env(nil), ""); err == nil {
		t.Error("no home and no XDG_STATE_HOME gave a path")
	}
}

func TestTheLogFileIsOwnerOnlyEvenWhenItExisted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "ers-workstation", "ers-workstation.log")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := openLog(path)
	if err != nil {
		t.Fatal(err)
	}
	newLogger(f).Info("hello")
	f.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "old\n") || !strings.Contains(string(b), "msg=hello") {
		t.Errorf("the log was not appended to: %q", b)
	}
}

func TestTheLogNeverHoldsASecret(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf)
	log.Info("event",
		"session_token", "st-abc123", "code", "hc-1", "code_verifier", "v-1", "dpop", "eyJhbGciOi.x.y",
		"private_key", "-----BEGIN", "err", "loopback http://127.0.0.1:5000/callback?code=hc-2&state=s-2 refused",
		"authorization", "DPoP st-xyz", "note", "sent Authorization: DPoP st-0123456789abcdef",
		"gateway_url", "http://127.0.0.1:9000", "persona", "provider-admin")
	out := buf.String()
	for _, secret := range []string{"st-abc123", "hc-1", "v-1", "eyJhbGciOi", "BEGIN", "hc-2", "s-2", "st-xyz", "st-0123456789abcdef"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q: %s", secret, out)
		}
	}
	for _, kept := range []string{"http://127.0.0.1:5000/callback?[redacted]", "gateway_url=http://127.0.0.1:9000", "persona=provider-admin"} {
		if !strings.Contains(out, kept) {
			t.Errorf("the log lost %q: %s", kept, out)
		}
	}
}
