package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/session"
)

func TestAConfiguredGatewayStartsNoDemoAndShowsItsEnvironment(t *testing.T) {
	cfg := config.DefaultWorkstation()
	cfg.GatewayURL, cfg.Environment, cfg.SignInMode = "https://ers-gateway.example.nhs.uk", "int", "remote"
	b, err := startBackend(context.Background(), cfg, invocation{}, time.Now, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	if b.demo != nil || b.browser != nil {
		t.Error("a configured gateway started the demo")
	}
	if b.gatewayURL != cfg.GatewayURL || b.environment != "INT" || b.mode != session.ModeRemote {
		t.Errorf("backend %+v", b)
	}
	m, err := b.newManager(time.Now, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if m.Mode() != session.ModeRemote || m.GatewayURL() != cfg.GatewayURL {
		t.Errorf("manager mode %q gateway %q", m.Mode(), m.GatewayURL())
	}
}

func TestTheSignInModeMapsOntoTheSessionsModes(t *testing.T) {
	for in, want := range map[string]session.Mode{"auto": session.ModeAuto, "loopback": session.ModeLoopback, "remote": session.ModeRemote} {
		if got := sessionMode(in); got != want {
			t.Errorf("sessionMode(%q) = %q, want %q", in, got, want)
		}
	}
}
