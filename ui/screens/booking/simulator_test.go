package booking

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
	"github.com/ers-workstation/ers-workstation/ui/uitest/live"
)

// candidates are NOT_BOOKED referrals on the referrer's AWAITING_BOOKING
// list, found in one pass that stops as soon as it has what the test needs
// (the gateway limits calls per session): one directly bookable referral
// with a one-service shortlist (the seed builds longer ones from services
// of the same specialty without checking the referral's clinic type, so the
// simulator refuses to take them back unchanged with A031,
// SHORTLISTED_SERVICE_NOT_IN_RESULTS, which rebooking needs), another
// directly bookable one, and one for a triage service. The screen starts on
// the first directly bookable or triage service, so that one decides.
type candidates struct {
	rebook, deferral, triage *ersclient.Referral
}

func findCandidates(t *testing.T, env *live.Env) candidates {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wl, err := env.ERS.RetrieveWorklist(ctx, ersclient.WorklistQuery{ListType: ersclient.WorklistAwaitingBooking})
	if err != nil {
		t.Fatal(err)
	}
	// Half the gateway's rate (10 calls a second, bursts of 20), so the
	// screens' own calls afterwards find the bucket full again.
	pace := rate.NewLimiter(5, 1)
	var c candidates
	for _, row := range wl.Rows {
		if c.rebook != nil && c.deferral != nil && c.triage != nil {
			break
		}
		if err := pace.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		ref, err := env.ERS.RetrieveReferral(ctx, row.UBRN)
		if err != nil {
			t.Fatal(err)
		}
		svcs := shortlistServices(ref)
		if ref.Summary().State.Code != ersclient.ReferralStateNotBooked || len(svcs) == 0 {
			continue
		}
		if len(svcs) > 1 && c.deferral != nil && c.triage != nil {
			continue
		}
		ids := make([]string, 0, len(svcs))
		for _, s := range svcs {
			ids = append(ids, s.ID)
		}
		if err := pace.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		list, err := env.ERS.SearchServices(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		applyDetails(svcs, list)
		for _, s := range svcs {
			switch k := s.kind(); {
			case k == kindDirect && len(svcs) == 1 && c.rebook == nil:
				c.rebook = ref
			case k == kindDirect && c.deferral == nil:
				c.deferral = ref
			case k == kindTriage && c.triage == nil:
				c.triage = ref
			case k != kindDirect && k != kindTriage:
				continue
			}
			break
		}
	}
	return c
}

// yes runs a Confirm's OnYes, as the root does when the user presses y.
func yes(t *testing.T, s screen.Screen, msgs []tea.Msg) []tea.Msg {
	t.Helper()
	for _, msg := range msgs {
		if c, ok := msg.(screen.Confirm); ok {
			return live.Drive(s, c.OnYes)
		}
	}
	t.Fatalf("no confirmation among %v", msgs)
	return nil
}

func press(s screen.Screen, keys ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range keys {
		_, cmd := s.Update(uitest.Key(k))
		out = append(out, live.Drive(s, cmd)...)
	}
	return out
}

func TestAgainstTheSimulatorBookCancelRebookDeferAndTriage(t *testing.T) {
	o := live.AsReferrer()
	o.Referrals = 200 // enough NOT_BOOKED referrals of each kind
	env := live.Start(t, o)
	ctx := context.Background()
	open := func(req Request) *Model {
		s := New(env.Common, req)
		s.SetSize(120, 40)
		live.Drive(s, s.Init())
		return s.(*Model)
	}
	state := func(ubrn string) string {
		ref, err := env.ERS.RetrieveReferral(ctx, ubrn)
		if err != nil {
			t.Fatal(err)
		}
		return ref.Summary().State.Code
	}
	found := findCandidates(t, env)
	need := func(t *testing.T, ref *ersclient.Referral) *ersclient.Referral {
		if ref == nil {
			t.Skip("the seed has no referral for this case")
		}
		return ref
	}

	// The lightest first: the gateway allows bursts of 20 calls.
	t.Run("triage", func(t *testing.T) {
		ref := need(t, found.triage)
		m := open(Request{Referral: ref})
		yes(t, m, press(m, "t"))
		if !m.done || state(ref.UBRN()) != ersclient.ReferralStateAwaitingTriage {
			t.Fatalf("not sent for triage:\n%s", view(m))
		}
	})

	t.Run("defer: refused while slots exist, accepted with a reason e-RS allows", func(t *testing.T) {
		ref := need(t, found.deferral)
		m := open(Request{Referral: ref})
		hadSlots := len(m.list.slots) > 0
		yes(t, m, press(m, "d", "enter", "tab", "enter"))
		if !hadSlots {
			// No slots: NO_SLOTS_AT_SERVICE is accepted at once.
			if !m.done || state(ref.UBRN()) != ersclient.ReferralStateDeferredToProvider {
				t.Fatalf("not deferred with no slots (failure %v):\n%s", m.failure, view(m))
			}
			return
		}
		if !ersclient.HasCode(m.failure, "SLOTS_CURRENTLY_AVAILABLE") || m.done {
			t.Fatalf("want SLOTS_CURRENTLY_AVAILABLE explained (failure %v):\n%s", m.failure, view(m))
		}
		// BOOKING_ATTEMPT_PROBLEM (a booking with no answer) is always accepted.
		press(m, "shift+tab", "shift+tab", "down", "down", "space", "tab", "tab")
		yes(t, m, press(m, "enter"))
		if !m.done || state(ref.UBRN()) != ersclient.ReferralStateDeferredToProvider {
			t.Fatalf("not deferred:\n%s", view(m))
		}
	})

	t.Run("book, cancel and rebook", func(t *testing.T) {
		ref := need(t, found.rebook)
		m := open(Request{Referral: ref})
		if len(m.list.slots) == 0 {
			t.Fatalf("no slots shown:\n%s", view(m))
		}
		yes(t, m, press(m, "enter"))
		if !m.done || state(ref.UBRN()) != ersclient.ReferralStateBooked {
			t.Fatalf("not booked:\n%s", view(m))
		}
		booked, _ := env.ERS.RetrieveReferral(ctx, ref.UBRN())
		m = open(Request{Referral: booked, CancelFirst: true})
		if m.appt == nil || len(m.form.options) == 0 {
			t.Fatalf("cancel form not ready:\n%s", view(m))
		}
		// A reason that needs no comment.
		for i, o := range m.form.options {
			if !o.commentMandatory {
				m.form.cursor = i
				break
			}
		}
		yes(t, m, press(m, "enter", "tab", "enter"))
		if got := state(ref.UBRN()); got != ersclient.ReferralStateApptCancelledByPatient && got != ersclient.ReferralStateApptCancelledByProvider {
			t.Fatalf("state after cancel %s:\n%s", got, view(m))
		}
		if m.mode != modeSlots || len(m.list.slots) == 0 {
			t.Fatalf("slots not offered again:\n%s", view(m))
		}
		yes(t, m, press(m, "j", "enter"))
		if !m.done || state(ref.UBRN()) != ersclient.ReferralStateBooked {
			t.Fatalf("not rebooked:\n%s", view(m))
		}
	})
}
