// Package live is for tests that run screens against the real gateway and
// simulators (package demo, in-process on 127.0.0.1): sign a persona in
// through the demo's browser, choose a role, and get the e-RS client the
// workstation would use, plus a screen.Common built on it. It starts
// servers, so tests using it skip under -short.
package live

import (
	"context"
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/demo"
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// Options choose who signs in and how much the simulator holds.
type Options struct {
	// Persona is a cis2 persona (cis2.PersonaProviderAdmin, ...).
	Persona string
	// BusinessFunction and ODS pick the role (ersclient's business
	// functions; cis2.ProviderODS or cis2.ReferrerODS).
	BusinessFunction ersclient.BusinessFunction
	ODS              string
	// Referrals is how many synthetic referrals the simulator seeds; zero
	// means 60.
	Referrals int
}

// Env is one signed-in user against a fresh simulator and gateway.
type Env struct {
	Demo     *demo.Demo
	Session  *session.Manager
	Identity session.Identity
	ERS      *ersclient.Client
	// Common is uitest.Common with the real session (Auth), client (ERS),
	// and documents and drafts in the test's temporary directories; its
	// clock is the real one (the simulator's dates are relative to now) and
	// calls time out after 10 s.
	Common screen.Common
}

// Start starts a fresh simulator and gateway, then signs in and chooses the
// role; the servers stop when the test ends.
func Start(t testing.TB, o Options) *Env {
	t.Helper()
	return SignIn(t, NewDemo(t, o.Referrals), o)
}

// NewDemo starts a simulator holding referrals synthetic referrals (zero
// means 60) and a gateway; they stop when the test ends. Sign several users
// in against one demo with SignIn (a referrer and a provider answering).
func NewDemo(t testing.TB, referrals int) *demo.Demo {
	t.Helper()
	if testing.Short() {
		t.Skip("starts the simulators and a gateway")
	}
	if referrals == 0 {
		referrals = 60
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// Screens driven by a test call e-RS far faster than a person can, so
	// the gateway's per-session limit (10 a second) is raised: the tests
	// are of the screens, not of the limit, which the gateway tests cover.
	d, err := demo.Start(ctx, demo.Options{Referrals: referrals, Rate: 1000, Burst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// SignIn signs o.Persona in against d and chooses the role (o.Referrals is
// ignored: d holds what it holds).
func SignIn(t testing.TB, d *demo.Demo, o Options) *Env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	mgr, err := session.New(session.Options{GatewayURL: d.GatewayURL, Mode: session.ModeLoopback,
		Keyring: memKeyring{}, OpenBrowser: d.Browser(o.Persona)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mgr.StartSignIn(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := mgr.FinishSignIn(ctx); err != nil {
		t.Fatal(err)
	}
	id, err := mgr.ChooseRole(ctx, session.Role{BusinessFunction: string(o.BusinessFunction), ODS: o.ODS})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ersclient.New(ersclient.Options{BaseURL: d.GatewayURL + gatewayapi.ERSPrefix,
		Transport: mgr.Transport(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	common := uitest.Common(mgr, uitest.NewMemoryPrefs())
	common.ERS = c
	common.Files = t.TempDir()
	common.Drafts = t.TempDir()
	common.Now = time.Now
	common.Timeout = 10 * time.Second
	return &Env{Demo: d, Session: mgr, Identity: id, ERS: c, Common: common}
}

// AsProviderAdmin is the provider admin (SPA at cis2.ProviderODS): the
// clerk who triages the review list. The As functions give Start's or, for
// several users against one demo, SignIn's options.
func AsProviderAdmin() Options {
	return Options{Persona: cis2.PersonaProviderAdmin, BusinessFunction: ersclient.ServiceProviderAdmin, ODS: cis2.ProviderODS}
}

// AsProviderClinician is the provider clinician (SPC at cis2.ProviderODS):
// reviews referrals and answers A&G.
func AsProviderClinician() Options {
	return Options{Persona: cis2.PersonaProviderClinician, BusinessFunction: ersclient.ServiceProviderClinician, ODS: cis2.ProviderODS}
}

// AsReferrer is the GP referring clinician (RC at cis2.ReferrerODS).
func AsReferrer() Options {
	return Options{Persona: cis2.PersonaReferrer, BusinessFunction: ersclient.ReferringClinician, ODS: cis2.ReferrerODS}
}

// ProviderAdmin starts a demo and signs the provider admin in.
func ProviderAdmin(t testing.TB) *Env { return Start(t, AsProviderAdmin()) }

// ProviderClinician starts a demo and signs the provider clinician in.
func ProviderClinician(t testing.TB) *Env { return Start(t, AsProviderClinician()) }

// Referrer starts a demo and signs the referring clinician in.
func Referrer(t testing.TB) *Env { return Start(t, AsReferrer()) }

// memKeyring keeps nothing: the session lives in memory for the test.
type memKeyring struct{}

func (memKeyring) Get(service, user string) (string, error) { return "", session.ErrKeyringNotFound }
func (memKeyring) Set(service, user, secret string) error   { return nil }
func (memKeyring) Delete(service, user string) error        { return nil }

// Drive runs a command to its end as the program would, feeding the screen
// every message it produces (batches and sequences included) and returning,
// in order, the messages meant for the root (uitest.IsRootMsg: Open, Back,
// Confirm, Toast...), which are not fed back, and the broadcasts
// (ReferralChanged), which are returned and fed back as the root would.
// Run a confirmation's OnYes the same way. Commands run synchronously with
// no timeout, so use it only with screens whose commands end (no ticks).
func Drive(s screen.Screen, cmd tea.Cmd) []tea.Msg {
	var toRoot []tea.Msg
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		default:
			// tea.Sequence's message is unexported: a slice of commands.
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
				for i := range v.Len() {
					run(v.Index(i).Interface().(tea.Cmd))
				}
				return
			}
			if uitest.IsRootMsg(msg) {
				toRoot = append(toRoot, msg)
				return
			}
			if _, ok := msg.(screen.Broadcast); ok {
				toRoot = append(toRoot, msg)
			}
			_, next := s.Update(msg)
			run(next)
		}
	}
	run(cmd)
	return toRoot
}
