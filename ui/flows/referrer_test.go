package flows_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens"
	"github.com/ers-workstation/ers-workstation/ui/screens/create"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
	"github.com/ers-workstation/ers-workstation/ui/uitest/live"
)

// referrerNHS is a synthetic patient the simulator knows (valid check digit).
const referrerNHS = "9990000018"

// Issue 8's journey through the real screens, each built by the registry's
// Route.New and driven by keys against the real gateway and simulator:
// search, shortlist a directly bookable service, create, upload a letter,
// book, cancel and rebook; then defer a second referral, and send a third,
// to a triage service, for triage. After each write A005 says what e-RS
// holds.
func TestAReferrerSearchesCreatesUploadsBooksCancelsRebooksDefersAndTriages(t *testing.T) {
	t.Setenv("HOME", t.TempDir()) // the letters' picker starts in the home folder
	env := live.Referrer(t)
	rd := newReferrerDesk(t, env)

	// The A010 search the screen makes, to know where a service of each
	// kind stands in the results.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	found, err := env.ERS.SearchServicesForPatient(ctx, ersclient.ServiceSearch{NHSNumber: referrerNHS,
		RequestType: ersclient.RequestAppointment,
		Criteria:    ersclient.SearchCriteria{Priority: ersclient.PriorityCoding(ersclient.PriorityRoutine)}})
	if err != nil {
		t.Fatal(err)
	}
	direct := slices.IndexFunc(found.Services, func(s ersclient.ServiceResult) bool {
		return s.DirectlyBookable() && s.Supports("APPOINTMENT_REQUEST") && !s.Supports("TRIAGE_REQUEST")
	})
	triage := slices.IndexFunc(found.Services, func(s ersclient.ServiceResult) bool { return s.Supports("TRIAGE_REQUEST") })
	if direct < 0 {
		t.Fatalf("the seed has no directly bookable service for %s: %+v", referrerNHS, found.Services)
	}

	state := func(ubrn, want string) *ersclient.Referral {
		t.Helper()
		ref, err := env.ERS.RetrieveReferral(ctx, ubrn)
		if err != nil {
			t.Fatal(err)
		}
		if got := ref.Summary().State.Code; got != want {
			t.Fatalf("%s: e-RS says %s, want %s", ubrn, got, want)
		}
		return ref
	}

	t.Run("search, shortlist, create, upload a letter, book, cancel, rebook", func(t *testing.T) {
		ubrn, refScreen := rd.createFromSearch(t, direct, found.Services[direct], false)
		state(ubrn, ersclient.ReferralStateNotBooked)

		// The letter, chosen by typing its path into the attach picker.
		letter := filepath.Join(t.TempDir(), "gp-letter.txt")
		if err := os.WriteFile(letter, []byte("Synthetic referral letter for a test patient."), 0o600); err != nil {
			t.Fatal(err)
		}
		ls := rd.open(mustOpen(t, "letters", rd.press(refScreen, "l"), refScreen))
		rd.press(ls, "a", "tab", "ctrl+u") // the typed path starts at the picker's folder
		rd.typeText(ls, letter)
		rd.press(ls, "enter")
		if !strings.Contains(plain(ls), "gp-letter.txt") {
			t.Fatalf("the letter typed is not listed:\n%s", plain(ls))
		}
		rd.broadcast(refScreen, rd.yes(t, ls, rd.press(ls, "s"), ubrn))
		after := state(ubrn, ersclient.ReferralStateNotBooked)
		if got := ersclient.LettersOnReferral(after.Resource); len(got) != 1 || got[0].Description != "gp-letter.txt" {
			t.Fatalf("letters on the referral = %+v, want the one uploaded\n%s", got, plain(ls))
		}

		// Book the first slot.
		bk := rd.open(mustOpen(t, "book", rd.press(refScreen, "b"), refScreen))
		rd.broadcast(refScreen, rd.yes(t, bk, rd.press(bk, "enter"), ubrn))
		state(ubrn, ersclient.ReferralStateBooked)

		// Cancel (the first reason, with a comment in case it needs one),
		// then rebook the next slot offered.
		bk = rd.open(mustOpen(t, "cancel and rebook", rd.press(refScreen, "B"), refScreen))
		rd.press(bk, "enter") // chooses the reason and moves on to the comment
		rd.typeText(bk, "Synthetic: the patient cannot attend that day.")
		rd.yes(t, bk, rd.press(bk, "tab", "enter"), ubrn)
		if got := stateOf(t, ctx, env, ubrn); got != ersclient.ReferralStateApptCancelledByPatient && got != ersclient.ReferralStateApptCancelledByProvider {
			t.Fatalf("%s: e-RS says %s after the cancellation:\n%s", ubrn, got, plain(bk))
		}
		rd.broadcast(refScreen, rd.yes(t, bk, rd.press(bk, "j", "enter"), ubrn))
		state(ubrn, ersclient.ReferralStateBooked)
	})

	t.Run("defer a second referral to the provider", func(t *testing.T) {
		ubrn, refScreen := rd.createFromSearch(t, direct, found.Services[direct], false)
		bk := rd.open(mustOpen(t, "book", rd.press(refScreen, "b"), refScreen))
		// The reason chosen for the deferral first; with slots offered
		// e-RS refuses it (SLOTS_CURRENTLY_AVAILABLE), and a booking with
		// no answer (the third reason) is always accepted.
		rd.yes(t, bk, rd.press(bk, "d", "enter", "tab", "enter"), ubrn)
		if stateOf(t, ctx, env, ubrn) != ersclient.ReferralStateDeferredToProvider {
			if !strings.Contains(plain(bk), "slot") {
				t.Errorf("the refusal is not explained:\n%s", plain(bk))
			}
			rd.press(bk, "shift+tab", "shift+tab", "down", "down", "space", "tab", "tab")
			rd.yes(t, bk, rd.press(bk, "enter"), ubrn)
		}
		state(ubrn, ersclient.ReferralStateDeferredToProvider)
	})

	t.Run("send a referral to a triage service for triage", func(t *testing.T) {
		if triage < 0 {
			t.Skip("the seed has no triage service for the patient")
		}
		ubrn, _ := rd.createFromSearch(t, triage, found.Services[triage], true)
		state(ubrn, ersclient.ReferralStateAwaitingTriage)
	})
}

// referrerDesk is the referrer's screens, opened as the root opens them.
type referrerDesk struct {
	t      *testing.T
	env    *live.Env
	routes map[string]screen.Route
}

func newReferrerDesk(t *testing.T, env *live.Env) *referrerDesk {
	routes := map[string]screen.Route{}
	for _, r := range screens.Registry() {
		routes[r.Name] = r
	}
	return &referrerDesk{t: t, env: env, routes: routes}
}

// open builds the screen an Open names with the registry's constructor,
// sizes it and runs its Init to the end.
func (d *referrerDesk) open(o screen.Open) screen.Screen {
	d.t.Helper()
	r, ok := d.routes[o.Route]
	if !ok {
		d.t.Fatalf("no route %q in the registry", o.Route)
	}
	s := r.New(d.env.Common, o.Arg)
	s.SetSize(120, 40)
	live.Drive(s, s.Init())
	return s
}

// press sends keys as a person types them, running each key's commands
// to their end; it returns what was asked of the root.
func (d *referrerDesk) press(s screen.Screen, keys ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range keys {
		out = append(out, live.Drive(s, func() tea.Msg { return uitest.Key(k) })...)
	}
	return out
}

func (d *referrerDesk) typeText(s screen.Screen, text string) {
	for _, msg := range uitest.Type(text) {
		live.Drive(s, func() tea.Msg { return msg })
	}
}

// yes answers the confirmation among msgs as the root does on y, after
// checking it names the patient and, when known, the referral.
func (d *referrerDesk) yes(t *testing.T, s screen.Screen, msgs []tea.Msg, ubrn string) []tea.Msg {
	t.Helper()
	c, ok := findMsg[screen.Confirm](msgs)
	if !ok {
		t.Fatalf("no confirmation among %#v; the screen:\n%s", msgs, plain(s))
	}
	if !strings.Contains(c.Body, ersclient.FormatNHSNumber(referrerNHS)) || (ubrn != "" && !strings.Contains(c.Body, ubrn)) {
		t.Errorf("the confirmation does not name the patient and referral %s: %q", ubrn, c.Body)
	}
	return live.Drive(s, c.OnYes)
}

// broadcast passes a write's ReferralChanged to a screen beneath, as the
// root does, so its next action starts from the referral's new version.
func (d *referrerDesk) broadcast(s screen.Screen, msgs []tea.Msg) {
	for _, m := range msgs {
		if c, ok := m.(screen.ReferralChanged); ok {
			live.Drive(s, func() tea.Msg { return c })
		}
	}
}

// createFromSearch searches from an empty search screen, shortlists the
// service at row i (want), continues to the create screen and creates
// the referral, sent for triage when asked; it returns the UBRN and the
// referral screen it opens.
func (d *referrerDesk) createFromSearch(t *testing.T, i int, want ersclient.ServiceResult, sendForTriage bool) (string, screen.Screen) {
	t.Helper()
	se := d.open(screen.Open{Route: "search", Arg: d.env.Identity})
	d.press(se, "tab")
	d.typeText(se, referrerNHS)
	d.press(se, "tab", "enter")
	d.typeText(se, "routine")
	d.press(se, "enter", "shift+tab", "shift+tab", "enter")
	for range i {
		d.press(se, "j")
	}
	d.press(se, "space")
	o := mustOpen(t, "continue", d.press(se, "c"), se)
	if req, _ := o.Arg.(create.Request); len(req.Services) != 1 || req.Services[0].ID != want.ID {
		t.Fatalf("continued with %+v, want %s (%s); the search:\n%s", o.Arg, want.ID, want.Name, plain(se))
	}

	cr := d.open(o)
	if sendForTriage {
		d.press(cr, "tab", "tab", "space") // to the triage line, and on
	}
	opened := mustOpen(t, "create", d.yes(t, cr, d.press(cr, "enter"), ""), cr)
	ubrn, _ := opened.Arg.(string)
	if ubrn == "" {
		t.Fatalf("create opened %+v", opened)
	}
	ref := d.open(opened)
	if !strings.Contains(plain(ref), ubrn) {
		t.Fatalf("the referral screen does not show %s:\n%s", ubrn, plain(ref))
	}
	return ubrn, ref
}

func mustOpen(t *testing.T, what string, msgs []tea.Msg, s screen.Screen) screen.Open {
	t.Helper()
	return mustFind[screen.Open](t, what, msgs, s)
}

// stateOf is the referral's state in e-RS, for steps with more than one
// right answer.
func stateOf(t *testing.T, ctx context.Context, env *live.Env, ubrn string) string {
	t.Helper()
	ref, err := env.ERS.RetrieveReferral(ctx, ubrn)
	if err != nil {
		t.Fatal(err)
	}
	return ref.Summary().State.Code
}

func plain(s screen.Screen) string { return ansi.Strip(s.View()) }
