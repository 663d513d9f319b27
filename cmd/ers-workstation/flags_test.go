package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/demo"
)

func TestHelpDocumentsEveryFlagKeyAndPersonaWithoutStartingAnything(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	help := out.String()
	want := []string{"--config FILE", "--remote", "--theme NAME", "--no-color", "NO_COLOR", "--plain", "Working…", "--demo-browser",
		"--persona KEY", "--referrals N", "--version", "--help",
		"gateway_url", "environment", "sign_in_mode", "theme", "ERS_GATEWAY_URL",
		"Default: " + demo.DefaultPersona, "Default: 200", "ers-workstation.log"}
	for _, k := range demo.PersonaKeys() {
		want = append(want, "  "+k+"\n")
	}
	for _, w := range want {
		if !strings.Contains(help, w) {
			t.Errorf("--help lacks %q", w)
		}
	}
	for i, line := range strings.Split(help, "\n") {
		if len(line) > 80 {
			t.Errorf("line %d is %d columns wide: %q", i+1, len(line), line)
		}
	}
}

func TestVersionPrintsTheVersion(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--version"}, &out, &out); code != exitOK || !strings.HasPrefix(out.String(), "ers-workstation ") {
		t.Fatalf("exit %d, %q", code, out.String())
	}
}

func TestBadCommandLinesExitWithUsageAndSayWhy(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown persona names the personas", []string{"--persona", "nobody"}, "use one of referrer, provider-clinician"},
		{"referrals out of range", []string{"--referrals", "0"}, "--referrals 0 is out of range"},
		{"an unknown flag", []string{"--colour"}, "flag provided but not defined: -colour"},
		{"a stray argument", []string{"demo"}, `unexpected argument "demo"`},
		{"an unknown theme names the flag", []string{"--theme", "dark"}, `theme: "dark" is not allowed; use one of default, high-contrast, monochrome (set by --theme)`},
		{"a missing config file", []string{"--config", "/nonexistent/ws.toml"}, "/nonexistent/ws.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tt.args, &out, &errOut)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errOut.String(), tt.want) || !strings.Contains(errOut.String(), seeHelp) {
				t.Errorf("stderr %q, want it to contain %q and the pointer to --help", errOut.String(), tt.want)
			}
		})
	}
}

func TestTheRemoteFlagSetsTheSignInMode(t *testing.T) {
	inv, err := parseArgs([]string{"--remote", "--theme", "monochrome", "--no-color", "--plain", "--persona", "referrer", "--referrals", "5"})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.overrides) != 2 || inv.overrides[0].Key != "sign_in_mode" || inv.overrides[0].Values[0] != "remote" ||
		inv.overrides[1].Key != "theme" || !inv.noColor || !inv.plain || inv.persona != "referrer" || inv.referrals != 5 {
		t.Errorf("parsed %+v", inv)
	}
	if inv, err := parseArgs(nil); err != nil || inv.plain || inv.noColor {
		t.Errorf("with no flags: %+v, %v; want animation and colour on", inv, err)
	}
}
