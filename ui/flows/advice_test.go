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
	"github.com/ers-workstation/ers-workstation/sandbox/cis2"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/advicenew"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
	"github.com/ers-workstation/ers-workstation/ui/uitest/live"
)

// adviceNHS is a synthetic patient (valid check digit).
const adviceNHS = "9990000018"

// Issue 9's journey against one simulator and gateway, through the real
// screens built by the registry and driven by keys: a referring clinician
// asks an advice service in the new A&G request screen; a provider
// clinician (a second sign-in) finds it on the worklist's A&G tab, opens it
// in the A&G screen and answers with a file attached; the referrer reads
// the answer and the file in the A&G screen. Then the referrer asks again
// allowing conversion, and the provider converts that request in the A&G
// screen, with final guidance, review comments and a file each for the
// referrer and the referral; the referral opens, and the referrer reads the
// final guidance.
//
// e-RS has no API for the referrer to reply to a request for more
// information, so a request the provider answered stays with the referrer
// and cannot then be converted: the conversion is shown on a second
// request, and the refusal on the first.
func TestAdviceAskedAnsweredReadAndConverted(t *testing.T) {
	home := t.TempDir() // the file picker starts in the home folder
	t.Setenv("HOME", home)
	// The picker lists them in this order.
	const leaflet, note = "exercise-leaflet.txt", "review-note.txt"
	for name, text := range map[string]string{leaflet: "Synthetic exercise leaflet.", note: "Synthetic note for the admin team."} {
		if err := os.WriteFile(filepath.Join(home, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d := live.NewDemo(t, 0)
	ref := live.SignIn(t, d, live.AsReferrer())
	prov := live.SignIn(t, d, live.AsProviderClinician())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	refDesk, provDesk := newReferrerDesk(t, ref), newReferrerDesk(t, prov)

	// The advice search (A010) the search screen makes, to get two
	// advice services of the provider's trust.
	found, err := ref.ERS.SearchServicesForPatient(ctx, ersclient.ServiceSearch{
		RequestType: ersclient.RequestAdviceAndGuidance, NHSNumber: adviceNHS,
		Criteria: ersclient.SearchCriteria{Priority: ersclient.PriorityCoding(ersclient.PriorityRoutine)}})
	if err != nil {
		t.Fatal(err)
	}
	var services []ersclient.ServiceResult
	for _, s := range found.Services {
		if s.Supports(ersclient.FlowAdviceAndGuidance) && strings.HasPrefix(s.LocationCode, cis2.ProviderODS) {
			services = append(services, s)
		}
	}
	if len(services) < 2 {
		t.Fatalf("the seed offers %d advice services at %s, want 2: %+v", len(services), cis2.ProviderODS, found.Services)
	}
	ask := func(svc ersclient.ServiceResult, question string, authorise bool) string {
		t.Helper()
		return askThroughTheScreen(t, ref, advicenew.Request{NHSNumber: adviceNHS, Service: svc, Criteria: found.Criteria},
			question, authorise)
	}

	t.Run("the referrer asks, the provider answers with a file, the referrer reads the answer", func(t *testing.T) {
		const question = "Intermittent tingling in both hands for 3 months. Nerve conduction studies first?"
		ubrn := ask(services[0], question, false)

		// The provider finds it on the worklist's A&G tab (A023), by its
		// UBRN, and opens it (A024, A025).
		wl := provDesk.open(screen.Open{Route: "worklist", Arg: prov.Identity})
		provDesk.press(wl, "3", "/")
		provDesk.typeText(wl, ubrn)
		provDesk.press(wl, "enter")
		adv := provDesk.open(mustOpen(t, "open the A&G request", provDesk.press(wl, "enter"), wl))
		mustShow(t, adv, ubrn, question, ersclient.AdviceProviderResponseRequired.Label(),
			"Convert (c) is not available: The referrer has not allowed")

		// The answer: text, advice with a recommendation, the request's
		// priority, and a leaflet chosen in the file picker.
		const guidance = "Yes: arrange nerve conduction studies; refer if they show entrapment."
		keysTo(adv, "w")
		typeInto(adv, guidance)
		keysTo(adv, "tab", "right", "tab", "right", "tab", "tab", "a", "enter")
		mustShow(t, adv, leaflet, "Files for the referrer")
		c := mustConfirm(t, adv, keysTo(adv, "ctrl+s"), ubrn, "1 file for the referrer")
		done := live.Drive(adv, c.OnYes)
		changed := mustFind[screen.AdviceChanged](t, "the response", done, adv)
		live.Drive(wl, func() tea.Msg { return changed }) // the root's broadcast
		mustShow(t, adv, ersclient.AdviceReferrerToReviewResponse.Label(), guidance)
		if enabled(adv, "c") || enabled(adv, "w") {
			t.Error("respond or convert still offered on a request back with the referrer")
		}
		if es, _ := os.ReadDir(prov.Common.Drafts); len(es) != 0 {
			t.Errorf("the provider's draft was not removed once sent: %v", es)
		}

		// The referrer reads the answer and the leaflet.
		mine := refDesk.open(screen.Open{Route: "advice", Arg: ubrn})
		mustShow(t, mine, ersclient.AdviceReferrerToReviewResponse.Label(), question, guidance)
		refDesk.press(mine, "d")
		mustShow(t, mine, leaflet)
		if enabled(mine, "w") || enabled(mine, "c") {
			t.Error("the referrer is offered the provider's keys")
		}

		// With the request back with the referrer, e-RS refuses a
		// conversion too.
		req, err := prov.ERS.RetrieveAdviceRequest(ctx, ubrn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := prov.ERS.ConvertAdviceToReferral(ctx, ersclient.ConvertAdviceRequest{UBRN: ubrn, Version: req.Version,
			Guidance: "Converting.", NewReferralPriority: ersclient.PriorityRoutine, ReviewComments: "Book."}); err == nil {
			t.Error("e-RS converted a request that is back with the referrer and not allowed to be converted")
		}
	})

	t.Run("the referrer asks allowing conversion, the provider converts, the referrer reads the outcome", func(t *testing.T) {
		const question = "Knee pain after a fall, stable on examination. Physiotherapy or orthopaedics?"
		ubrn := ask(services[1], question, true)

		adv := provDesk.open(screen.Open{Route: "advice", Arg: ubrn})
		mustShow(t, adv, question, "Conversion to a referral: allowed by the referrer")
		const guidance = "We will see the patient in the physiotherapy clinic."
		const comments = "Book into the next knee clinic; the leaflet is attached."
		keysTo(adv, "c")
		typeInto(adv, guidance)
		keysTo(adv, "tab")
		typeInto(adv, comments)
		// The request's priority stays; the leaflet for the referrer, the
		// note for the referral's admin team.
		keysTo(adv, "tab", "tab", "a", "enter", "tab", "a", "down", "enter")
		mustShow(t, adv, "Files kept with the referral", leaflet, note)
		c := mustConfirm(t, adv, keysTo(adv, "ctrl+s"), ubrn, "cannot be undone")
		done := live.Drive(adv, c.OnYes)
		if changed := mustFind[screen.ReferralChanged](t, "the conversion", done, adv); changed.UBRN != ubrn {
			t.Errorf("the conversion broadcast %s, want the same UBRN %s", changed.UBRN, ubrn)
		}
		referral := provDesk.open(mustOpen(t, "the referral after converting", done, adv))
		mustShow(t, referral, ubrn)
		if got := stateOf(t, ctx, prov, ubrn); got != ersclient.ReferralStateTriagedProviderToAction {
			t.Errorf("the referral is %s, want %s", got, ersclient.ReferralStateTriagedProviderToAction)
		}
		r, err := prov.ERS.RetrieveReferral(ctx, ubrn)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{leaflet, note} {
			if !slices.ContainsFunc(r.Summary().Attachments, func(a ersclient.AttachmentSummary) bool { return a.Title == name }) {
				t.Errorf("%s is not with the referral: %+v", name, r.Summary().Attachments)
			}
		}

		// The referrer reads the final guidance where the conversation
		// ended.
		mine := refDesk.open(screen.Open{Route: "advice", Arg: ubrn})
		mustShow(t, mine, ersclient.AdviceConvertedToReferral.Label(), guidance)
	})
}

// keysTo presses keys in a screen whose text may have focus: the commands
// of each run for a moment only, so a cursor's blink (a tick that never
// ends) is dropped. It returns what was asked of the root.
func keysTo(s screen.Screen, keys ...string) []tea.Msg {
	return uitest.Run(s, uitest.Keys(keys...)...).ToRoot()
}

func typeInto(s screen.Screen, text string) { uitest.Run(s, uitest.Type(text)...) }

// mustShow fails unless the screen shows every text.
func mustShow(t *testing.T, s screen.Screen, texts ...string) {
	t.Helper()
	v := plain(s)
	for _, want := range texts {
		if !strings.Contains(v, want) {
			t.Errorf("the screen lacks %q:\n%s", want, v)
		}
	}
}

// mustConfirm is the confirmation among msgs, which must name the patient,
// the request and the other texts given.
func mustConfirm(t *testing.T, s screen.Screen, msgs []tea.Msg, texts ...string) screen.Confirm {
	t.Helper()
	c, ok := findMsg[screen.Confirm](msgs)
	if !ok {
		t.Fatalf("no confirmation among %#v; the screen:\n%s", msgs, plain(s))
	}
	for _, want := range append(texts, ersclient.FormatNHSNumber(adviceNHS)) {
		if !strings.Contains(c.Body, want) {
			t.Errorf("the confirmation lacks %q: %q", want, c.Body)
		}
	}
	return c
}

// enabled reports a key the screen offers now.
func enabled(s screen.Screen, k string) bool {
	for _, b := range s.KeyMap().ShortHelp() {
		if b.Enabled() && b.Help().Key == k {
			return true
		}
	}
	return false
}

func mustFind[T any](t *testing.T, what string, msgs []tea.Msg, s screen.Screen) T {
	t.Helper()
	v, ok := findMsg[T](msgs)
	if !ok {
		t.Fatalf("%s: no %T among %#v; the screen:\n%s", what, v, msgs, plain(s))
	}
	return v
}

// askThroughTheScreen fills the new A&G request form by keys as a person
// would, confirms, and returns the UBRN of the request it opens.
func askThroughTheScreen(t *testing.T, env *live.Env, req advicenew.Request, question string, authorise bool) string {
	t.Helper()
	s := advicenew.New(env.Common, req)
	s.SetSize(120, 40)
	// Keys run through uitest.Run, which does not wait for the text's
	// cursor blink (a tick that never ends); the write runs to its end
	// with live.Drive.
	r := uitest.RunInit(s, s.Init())
	conversion := []string{"tab", "enter"} // Yes is first
	if !authorise {
		conversion = []string{"tab", "down", "space", "tab"}
	}
	msgs := uitest.Type(question)
	msgs = append(msgs, uitest.Keys(conversion...)...)
	msgs = append(msgs, uitest.Keys("tab", "enter")...)
	r = uitest.Run(r.Model, msgs...)
	s = r.Model
	c, ok := findMsg[screen.Confirm](r.ToRoot())
	if !ok {
		t.Fatalf("no confirmation; the form:\n%s", ansi.Strip(s.View()))
	}
	if !strings.Contains(c.Body, ersclient.FormatNHSNumber(req.NHSNumber)) || !strings.Contains(c.Body, req.Service.Name) {
		t.Errorf("the confirmation does not name the patient and service: %q", c.Body)
	}
	out := live.Drive(s, c.OnYes)
	open, ok := findMsg[screen.Open](out)
	if !ok || open.Route != "advice" {
		t.Fatalf("sending opened %+v (%v); the form:\n%s", open, ok, ansi.Strip(s.View()))
	}
	ubrn, _ := open.Arg.(string)
	if toast, ok := findMsg[screen.Toast](out); !ok || !strings.Contains(toast.Text, ubrn) {
		t.Errorf("no toast naming %s: %+v", ubrn, toast)
	}
	if s.Dirty() {
		t.Error("the form is still dirty once sent")
	}
	if es, _ := os.ReadDir(env.Common.Drafts); len(es) != 0 {
		t.Errorf("the draft was not removed once sent: %v", es)
	}
	return ubrn
}

func findMsg[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}
