package session

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ers-workstation/ers-workstation/demo"
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
)

// These tests sign in against the real gateway and simulators, started
// in-process on 127.0.0.1 by package demo, with demo's in-process browser
// following the real redirect chain to the Manager's loopback listener.

// lockedBuffer is a log sink safe for the Manager's goroutines.
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

// startDemo runs the simulators and a gateway on clk.
func startDemo(t *testing.T, clk *clock) *demo.Demo {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	d, err := demo.Start(ctx, demo.Options{Referrals: 10, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// newManager is a Manager on the demo's gateway, signing in as persona
// through the demo's browser.
func newManager(t *testing.T, d *demo.Demo, clk *clock, k Keyring, persona string, change ...func(*Options)) *Manager {
	t.Helper()
	o := Options{GatewayURL: d.GatewayURL, Mode: ModeLoopback, Keyring: k, Now: clk.Now, OpenBrowser: d.Browser(persona)}
	for _, c := range change {
		c(&o)
	}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func signInAs(t *testing.T, m *Manager) Identity {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ch, err := m.StartSignIn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ch.URL == "" || ch.UserCode == "" || ch.ExpiresAt.IsZero() {
		t.Errorf("challenge without URL, code or expiry: %+v", ch)
	}
	id, err := m.FinishSignIn(ctx)
	if err != nil {
		t.Fatalf("finish sign-in: %v (browser: %v)", err, ch.BrowserError)
	}
	return id
}

func ers(t *testing.T, m *Manager) *ersclient.Client {
	t.Helper()
	c, err := ersclient.New(ersclient.Options{BaseURL: m.GatewayURL() + gatewayapi.ERSPrefix, Transport: m.Transport(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestALoopbackSignInChoosesARoleCallsERSAndResumesAfterARestart(t *testing.T) {
	clk := newClock()
	d := startDemo(t, clk)
	k := newMemKeyring()
	logs := &lockedBuffer{}
	m := newManager(t, d, clk, k, cis2.PersonaClinicianAdmin, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ctx := context.Background()

	id := signInAs(t, m)
	if id.Name == "" || id.UserID == "" || id.Role != nil || id.IdleTimeout != 15*time.Minute {
		t.Errorf("identity after sign-in %+v", id)
	}
	if m.Storage() != StorageKeyring || k.len() != 1 {
		t.Errorf("storage %q with %d keyring entries, want the keyring with one", m.Storage(), k.len())
	}
	if got, want := m.Deadline(), clk.Now().Add(15*time.Minute); !got.Equal(want) {
		t.Errorf("deadline %v, want %v", got, want)
	}
	kept, _ := k.Get(KeyringService, d.GatewayURL)
	entry, err := decodeEntry(kept)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if logs.String() == "" || strings.Contains(logs.String(), entry.token) {
			t.Errorf("the log is empty or holds the session token:\n%s", logs.String())
		}
	}()

	roles, err := m.Roles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(roles.Choices) == 0 || len(roles.Clinicians[cis2.ProviderODS]) == 0 {
		t.Fatalf("roles %+v, want a clinician admin role with clinicians", roles)
	}
	choice, clinician := roles.Choices[0], roles.Clinicians[cis2.ProviderODS][0]
	id, err = m.ChooseRole(ctx, Role{BusinessFunction: choice.BusinessFunction, ODS: choice.ODS, OnBehalfOf: clinician.SDSUserID})
	if err != nil {
		t.Fatal(err)
	}
	if id.Role == nil || id.Role.OrganisationName != choice.OrganisationName || id.Role.OnBehalfOfName != clinician.Name {
		t.Errorf("role %+v, want the names from the roles answer", id.Role)
	}
	if _, err := m.ChooseRole(ctx, Role{BusinessFunction: string(ersclient.ReferringClinician), ODS: cis2.ReferrerODS}); err == nil {
		t.Error("a role the user does not hold was accepted")
	} else if ge := (*GatewayError)(nil); !errors.As(err, &ge) || ge.Code != gatewayapi.ErrRoleNotHeld {
		t.Errorf("a role not held: %v, want role_not_held", err)
	}
	if _, err := ers(t, m).RetrieveReferenceData(ctx, "SPECIALTY"); err != nil {
		t.Fatalf("an e-RS call through the gateway: %v", err)
	}

	t.Run("a new Manager with the same keyring resumes the session and its role", func(t *testing.T) {
		again := newManager(t, d, clk, k, cis2.PersonaClinicianAdmin)
		rid, err := again.Resume(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rid.UserID != id.UserID || rid.Role == nil || *rid.Role != *id.Role || rid.IdleTimeout != 15*time.Minute {
			t.Errorf("resumed %+v role %+v, want %+v role %+v", rid, rid.Role, id, id.Role)
		}
		if _, err := ers(t, again).RetrieveReferenceData(ctx, "SPECIALTY"); err != nil {
			t.Fatalf("an e-RS call after resuming: %v", err)
		}
	})

	t.Run("signing out wipes the keyring and the gateway session", func(t *testing.T) {
		if err := m.SignOut(ctx); err != nil {
			t.Fatal(err)
		}
		if k.len() != 0 {
			t.Error("the keyring entry survived sign-out")
		}
		if _, err := m.Roles(ctx); !errors.Is(err, ErrSignInRequired) {
			t.Errorf("roles after sign-out: %v, want ErrSignInRequired", err)
		}
		if _, err := newManager(t, d, clk, k, cis2.PersonaClinicianAdmin).Resume(ctx); !errors.Is(err, ErrSignInRequired) {
			t.Errorf("resume after sign-out: %v, want ErrSignInRequired", err)
		}
		_, err := ers(t, m).RetrieveReferenceData(ctx, "SPECIALTY")
		if e, ok := ersclient.AsError(err); !ok || e.Status != 401 {
			t.Errorf("an e-RS call after sign-out: %v, want a 401 at once", err)
		}
		select {
		case err := <-m.Ended():
			t.Errorf("sign-out signalled Ended: %v", err)
		default:
		}
	})
}

func TestRemoteModeSignsInByPollingTheRealGateway(t *testing.T) {
	clk := newClock()
	d := startDemo(t, clk)
	var (
		mu        sync.Mutex
		url       string
		waits     int
		browseErr error
	)
	browser := d.Browser(cis2.PersonaProviderAdmin)
	m := newManager(t, d, clk, newMemKeyring(), cis2.PersonaProviderAdmin, func(o *Options) {
		o.Mode = ModeRemote
		o.OpenBrowser = func(string) error { t.Error("remote mode opened a browser"); return nil }
		// The person signs in while the workstation waits for its second
		// poll: the first finds the sign-in pending.
		o.After = func(dur time.Duration) <-chan time.Time {
			mu.Lock()
			waits++
			if waits == 2 {
				browseErr = browser(url)
			}
			mu.Unlock()
			clk.Advance(dur)
			c := make(chan time.Time, 1)
			c <- clk.Now()
			return c
		}
	})
	ch, err := m.StartSignIn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ch.Mode != ModeRemote || ch.BrowserOpened || ch.UserCode == "" {
		t.Errorf("challenge %+v", ch)
	}
	mu.Lock()
	url = ch.URL
	mu.Unlock()
	id, err := m.FinishSignIn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if browseErr != nil {
		t.Fatalf("the browser: %v", browseErr)
	}
	if id.Name == "" || waits != 2 {
		t.Errorf("identity %+v after %d waits, want a name after 2", id, waits)
	}
	if _, err := m.Roles(context.Background()); err != nil {
		t.Errorf("roles after a remote sign-in: %v", err)
	}
}

func TestAnIdleSessionEndsSignalsEndedAndSignsInAgain(t *testing.T) {
	clk := newClock()
	d := startDemo(t, clk)
	k := newMemKeyring()
	m := newManager(t, d, clk, k, cis2.PersonaProviderAdmin)
	ctx := context.Background()
	signInAs(t, m)
	roles, err := m.Roles(ctx)
	if err != nil || len(roles.Choices) == 0 {
		t.Fatalf("roles: %v %+v", err, roles)
	}
	if _, err := m.ChooseRole(ctx, Role{BusinessFunction: roles.Choices[0].BusinessFunction, ODS: roles.Choices[0].ODS}); err != nil {
		t.Fatal(err)
	}

	clk.Advance(16 * time.Minute)
	_, err = ers(t, m).RetrieveReferenceData(ctx, "SPECIALTY")
	if e, ok := ersclient.AsError(err); !ok || e.Status != 401 {
		t.Fatalf("a call after the idle limit: %v, want a 401", err)
	}
	select {
	case reason := <-m.Ended():
		if !errors.Is(reason, ErrSignInRequired) {
			t.Errorf("ended with %v, want ErrSignInRequired", reason)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Ended did not fire")
	}
	if k.len() != 0 || !m.Deadline().IsZero() {
		t.Errorf("after the end: %d keyring entries, deadline %v", k.len(), m.Deadline())
	}
	if _, err := m.Roles(ctx); !errors.Is(err, ErrSignInRequired) {
		t.Errorf("roles after the end: %v, want ErrSignInRequired", err)
	}

	signInAs(t, m)
	if _, err := m.Roles(ctx); err != nil {
		t.Errorf("roles after signing in again: %v", err)
	}
	select {
	case err := <-m.Ended():
		t.Errorf("Ended fired again: %v", err)
	default:
	}
}

func TestAGatewayCallRefusedAsLoginRequiredEndsTheSession(t *testing.T) {
	clk := newClock()
	d := startDemo(t, clk)
	m := newManager(t, d, clk, newMemKeyring(), cis2.PersonaProviderAdmin)
	signInAs(t, m)
	clk.Advance(16 * time.Minute)
	_, err := m.Roles(context.Background())
	var ge *GatewayError
	if !errors.Is(err, ErrSignInRequired) || !errors.As(err, &ge) || ge.Code != gatewayapi.ErrLoginRequired {
		t.Fatalf("roles after the idle limit: %v, want login_required", err)
	}
	select {
	case <-m.Ended():
	default:
		t.Error("Ended did not fire")
	}
}

func TestASignInRefusedForLowAssuranceIsADeniedError(t *testing.T) {
	clk := newClock()
	d := startDemo(t, clk)
	m := newManager(t, d, clk, newMemKeyring(), cis2.PersonaIAL2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := m.StartSignIn(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := m.FinishSignIn(ctx)
	var de *DeniedError
	if !errors.As(err, &de) || de.Code != gatewayapi.ErrAccessDenied || de.Description != gatewayapi.ReasonAssuranceTooLow {
		t.Fatalf("err %v, want access_denied for assurance_too_low", err)
	}
	if _, ok := m.Identity(); ok {
		t.Error("a refused sign-in left a session")
	}
}

func TestAKeyringThatDoesNotAnswerLeavesTheSessionInMemory(t *testing.T) {
	clk := newClock()
	d := startDemo(t, clk)
	k := blockingKeyring{release: make(chan struct{})}
	t.Cleanup(func() { close(k.release) }) // the abandoned calls end
	m := newManager(t, d, clk, k, cis2.PersonaProviderAdmin, func(o *Options) { o.KeyringTimeout = 50 * time.Millisecond })
	ctx := context.Background()

	if _, err := m.Resume(ctx); !errors.Is(err, ErrSignInRequired) {
		t.Fatalf("resume with a silent keyring: %v, want ErrSignInRequired", err)
	}
	if m.Storage() != StorageMemory {
		t.Errorf("storage %q after the keyring timed out, want memory", m.Storage())
	}
	signInAs(t, m)
	if _, err := m.Roles(ctx); err != nil {
		t.Errorf("a session in memory: %v", err)
	}
	if err := m.SignOut(ctx); err != nil {
		t.Errorf("sign-out: %v", err)
	}
}

func TestAStaleKeyringEntryIsWipedOnResume(t *testing.T) {
	clk := newClock()
	d := startDemo(t, clk)
	k := newMemKeyring()
	signInAs(t, newManager(t, d, clk, k, cis2.PersonaProviderAdmin))
	clk.Advance(16 * time.Minute)
	fresh := newManager(t, d, clk, k, cis2.PersonaProviderAdmin)
	if _, err := fresh.Resume(context.Background()); !errors.Is(err, ErrSignInRequired) {
		t.Fatalf("resume of an idle-expired session: %v, want ErrSignInRequired", err)
	}
	if k.len() != 0 {
		t.Error("the stale entry is still in the keyring")
	}
	select {
	case err := <-fresh.Ended():
		t.Errorf("a stale entry signalled Ended: %v", err)
	default:
	}
	if err := k.Set(KeyringService, d.GatewayURL, "not json"); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Resume(context.Background()); !errors.Is(err, ErrSignInRequired) || k.len() != 0 {
		t.Errorf("a damaged entry: %v with %d entries, want ErrSignInRequired and none", err, k.len())
	}
}
