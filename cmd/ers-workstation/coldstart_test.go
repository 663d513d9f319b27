package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/demo"
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// signInToRoles is the demo's path from nothing to the role picker's data,
// as the program takes it: start the demo, build the session, sign in
// through the in-process browser, read the roles. It returns the roles and
// the session, and the backend, which the caller closes.
func signInToRoles(tb testing.TB, ctx context.Context, mode string, inv invocation) (session.Roles, session.Identity, screen.Auth, *backend) {
	tb.Helper()
	log := slog.New(slog.DiscardHandler)
	cfg := config.DefaultWorkstation()
	cfg.SignInMode = mode
	b, err := startBackend(ctx, cfg, inv, time.Now, log)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := b.newManager(time.Now, log)
	if err != nil {
		b.close()
		tb.Fatal(err)
	}
	auth := b.auth(m)
	if _, err := auth.Resume(ctx); err == nil {
		tb.Error("a fresh demo resumed a session")
	}
	if _, err := auth.StartSignIn(ctx); err != nil {
		b.close()
		tb.Fatal(err)
	}
	id, err := auth.FinishSignIn(ctx)
	if err != nil {
		b.close()
		tb.Fatal(err)
	}
	roles, err := auth.Roles(ctx)
	if err != nil {
		b.close()
		tb.Fatal(err)
	}
	return roles, id, auth, b
}

func TestTheDemoSignsThePersonInThroughTheSessionAndOffersTheirRoles(t *testing.T) {
	for _, mode := range []string{"loopback", "remote"} {
		t.Run("in "+mode+" mode", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			roles, id, auth, b := signInToRoles(t, ctx, mode, invocation{persona: cis2.PersonaProviderAdmin, referrals: 20})
			defer b.close()
			if b.environment != "SANDBOX" {
				t.Errorf("environment %q, want SANDBOX", b.environment)
			}
			if id.Name == "" || id.Role != nil {
				t.Errorf("identity %+v, want a named user with no role yet", id)
			}
			if len(roles.Choices) != 1 || roles.Choices[0].BusinessFunction != string(ersclient.ServiceProviderAdmin) ||
				roles.Choices[0].ODS != cis2.ProviderODS {
				t.Errorf("roles %+v, want the provider admin's one role at %s", roles.Choices, cis2.ProviderODS)
			}
			if got := auth.Storage(); got != session.StorageMemory {
				t.Errorf("storage %q, want the demo's session in memory only", got)
			}
		})
	}
}

// BenchmarkColdStartToRolePicker measures the demo from nothing to the
// roles the role picker shows: the simulators and gateway started (keys
// generated, data seeded), a loopback sign-in through the in-process
// browser, and the roles read.
func BenchmarkColdStartToRolePicker(b *testing.B) {
	ctx := context.Background()
	inv := invocation{persona: demo.DefaultPersona, referrals: demo.DefaultReferrals}
	for b.Loop() {
		roles, _, _, be := signInToRoles(b, ctx, "loopback", inv)
		if len(roles.Choices) == 0 {
			b.Fatal("no roles")
		}
		b.StopTimer()
		if err := be.close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

func TestAPersonaCIS2WillNotApproveEndsTheWaitWithTheReason(t *testing.T) {
	for _, mode := range []string{"loopback", "remote"} {
		t.Run("in "+mode+" mode", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			log := slog.New(slog.DiscardHandler)
			cfg := config.DefaultWorkstation()
			cfg.SignInMode = mode
			b, err := startBackend(ctx, cfg, invocation{persona: cis2.PersonaAAL1, referrals: 10}, time.Now, log)
			if err != nil {
				t.Fatal(err)
			}
			defer b.close()
			m, err := b.newManager(time.Now, log)
			if err != nil {
				t.Fatal(err)
			}
			auth := b.auth(m)
			if _, err := auth.StartSignIn(ctx); err != nil {
				t.Fatal(err)
			}
			_, err = auth.FinishSignIn(ctx)
			if !errors.Is(err, demo.ErrStalled) || !strings.Contains(err.Error(), `"aal1"`) {
				t.Fatalf("FinishSignIn: %v, want the browser's stall naming the persona", err)
			}
			if ctx.Err() != nil {
				t.Fatal("the wait ran to the test's deadline")
			}
		})
	}
}
