package worklist

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/demo"
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// These tests run the screen against the real gateway and simulators
// (package demo, in-process on 127.0.0.1), signed in as a provider
// clinician through the demo's browser.

func signedIn(t *testing.T, persona, bf string) (*ersclient.Client, session.Identity) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	d, err := demo.Start(ctx, demo.Options{Referrals: 60})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	mgr, err := session.New(session.Options{GatewayURL: d.GatewayURL, Mode: session.ModeLoopback,
		Keyring: memKeyring{}, OpenBrowser: d.Browser(persona)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mgr.StartSignIn(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := mgr.FinishSignIn(ctx); err != nil {
		t.Fatal(err)
	}
	id, err := mgr.ChooseRole(ctx, session.Role{BusinessFunction: bf, ODS: cis2.ProviderODS})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ersclient.New(ersclient.Options{BaseURL: d.GatewayURL + gatewayapi.ERSPrefix, Transport: mgr.Transport(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c, id
}

// memKeyring keeps nothing: the session lives in memory for the test.
type memKeyring struct{}

func (memKeyring) Get(service, user string) (string, error) { return "", session.ErrKeyringNotFound }
func (memKeyring) Set(service, user, secret string) error   { return nil }
func (memKeyring) Delete(service, user string) error        { return nil }

// drive runs a command to its end as the program would, feeding the
// screen every message, batches included.
func drive(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			drive(m, c)
		}
	case nil:
	default:
		_, next := m.Update(msg)
		drive(m, next)
	}
}

func TestAgainstTheSimulatorAnAcceptedReferralLeavesTheList(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the simulators and a gateway")
	}
	client, id := signedIn(t, cis2.PersonaProviderClinician, string(ersclient.ServiceProviderClinician))
	c := common(client)
	m := New(c, id)
	m.SetSize(120, 40)
	drive(m, m.Init())
	for _, tb := range m.tabs {
		if tb.err != nil || !tb.loaded {
			t.Fatalf("%s: loaded %v, %v", tb.list, tb.loaded, tb.err)
		}
	}
	review := m.tabs[0]
	var row ersclient.WorklistRow
	for _, r := range review.rows {
		if r.ReferralType == ersclient.ReferralTypeAppointment && r.Version != "" {
			row = r
			break
		}
	}
	if row.UBRN == "" {
		t.Fatalf("no booked referral to accept among %d rows", len(review.rows))
	}
	_, before := review.grid.Counts()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ref, err := client.AcceptReferral(ctx, row.UBRN, row.Version)
	if err != nil {
		t.Fatal(err)
	}
	m.Update(screen.ReferralChanged{UBRN: row.UBRN, Referral: ref, Action: "Accepted"})
	if _, after := review.grid.Counts(); after != before-1 || review.index(row.UBRN) >= 0 {
		t.Fatalf("after the broadcast %d rows (was %d)", after, before)
	}
	drive(m, m.load(review))
	if review.err != nil || review.index(row.UBRN) >= 0 {
		t.Errorf("after a refresh: err %v, the accepted referral listed: %v", review.err, review.index(row.UBRN) >= 0)
	}

	// The look-up finds the same referral with A041.
	m.lookup = nil
	drive(m, m.openLookup())
	for _, r := range row.UBRN {
		_, cmd := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		drive(m, cmd)
	}
	var opened tea.Msg
	if cmd := m.key(tea.KeyPressMsg{Code: tea.KeyEnter}); cmd != nil {
		msg := cmd()
		_, next := m.Update(msg)
		if next != nil {
			opened = next()
		}
	}
	if opened != (screen.Open{Route: RouteReferral, Arg: row.UBRN}) {
		t.Errorf("look-up sent %#v (lookup state %+v)", opened, m.lookup)
	}
}
