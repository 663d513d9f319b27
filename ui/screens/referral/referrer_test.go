package referral

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/actions"
	"github.com/ers-workstation/ers-workstation/ui/screens/booking"
	"github.com/ers-workstation/ers-workstation/ui/screens/letters"
	"github.com/ers-workstation/ers-workstation/ui/screens/search"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func TestTheReferrersKeysOpenTheirScreens(t *testing.T) {
	cases := []struct {
		name  string
		state string
		codes []ersclient.ActionCode
		key   string
		route string
		check func(t *testing.T, arg any)
	}{
		{"b books a referral not booked", ersclient.ReferralStateNotBooked,
			[]ersclient.ActionCode{ersclient.ActionCreateAppointment, ersclient.ActionCancelReferral}, "b", booking.RouteName,
			func(t *testing.T, arg any) {
				if r, ok := arg.(booking.Request); !ok || r.CancelFirst || r.Referral.Version != "3" {
					t.Errorf("arg = %#v", arg)
				}
			}},
		{"B cancels the booked appointment to rebook", ersclient.ReferralStateBooked,
			[]ersclient.ActionCode{ersclient.ActionCancelDirectlyBookedAppointment, ersclient.ActionCancelReferral}, "B", booking.RouteName,
			func(t *testing.T, arg any) {
				if r, ok := arg.(booking.Request); !ok || !r.CancelFirst {
					t.Errorf("arg = %#v", arg)
				}
			}},
		{"s changes the shortlist from the referral", ersclient.ReferralStateRejected,
			[]ersclient.ActionCode{ersclient.ActionChangeShortlistAndSendForTriage, ersclient.ActionCancelReferral}, "s", search.RouteName,
			func(t *testing.T, arg any) {
				if r, ok := arg.(search.Request); !ok || r.Referral == nil || r.NHSNumber != "9990000018" {
					t.Errorf("arg = %#v", arg)
				}
			}},
		{"c cancels with the referrer's reasons", ersclient.ReferralStateNotBooked,
			[]ersclient.ActionCode{ersclient.ActionCreateAppointment, ersclient.ActionCancelReferral}, "c", actions.RouteName,
			func(t *testing.T, arg any) {
				if r, ok := arg.(actions.Request); !ok || r.Action != actions.CancelReferral || !r.Role.IsReferrer() {
					t.Errorf("arg = %#v", arg)
				}
			}},
		{"l opens the letters", ersclient.ReferralStateNotBooked,
			[]ersclient.ActionCode{ersclient.ActionCreateAppointment}, "l", letters.RouteName,
			func(t *testing.T, arg any) {
				if r, ok := arg.(letters.Request); !ok || r.PatientLetter || r.Referral == nil {
					t.Errorf("arg = %#v", arg)
				}
			}},
		{"P asks for the patient letter", ersclient.ReferralStateDeferredToProvider,
			[]ersclient.ActionCode{ersclient.ActionCancelReferral}, "P", letters.RouteName,
			func(t *testing.T, arg any) {
				if r, ok := arg.(letters.Request); !ok || !r.PatientLetter {
					t.Errorf("arg = %#v", arg)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.ref = referralFixture(t, "3", withState(tc.state))
			w.codes = tc.codes
			m, _ := opened(t, w, ubrn)
			open := onlyOpen(t, press(m, tc.key))
			if open.Route != tc.route {
				t.Fatalf("route = %q, want %q", open.Route, tc.route)
			}
			tc.check(t, open.Arg)
		})
	}
}

func TestOnlyWhatA029OffersTheReferrerHasAKey(t *testing.T) {
	w := newWorld(t)
	w.ref = referralFixture(t, "3", withState(ersclient.ReferralStateNotBooked))
	w.codes = []ersclient.ActionCode{ersclient.ActionChangeShortlist, ersclient.ActionChangeShortlistAndSendForTriage}
	m, _ := opened(t, w, ubrn)
	v := view(m)
	if !strings.Contains(v, "s Change shortlist") || strings.Count(v, "Change shortlist") != 1 {
		t.Errorf("the two shortlist codes are not one key:\n%s", v)
	}
	if strings.Contains(v, "Not in this workstation") {
		t.Errorf("a referrer action is named as missing:\n%s", v)
	}
	for _, k := range []string{"b", "B", "c"} {
		if res := press(m, k); len(res.ToRoot()) != 0 {
			t.Errorf("%s did something though A029 did not offer it: %v", k, res.ToRoot())
		}
	}
	enabled := map[string]bool{}
	for _, b := range m.KeyMap().ShortHelp() {
		if b.Enabled() {
			enabled[b.Help().Desc] = true
		}
	}
	for desc, want := range map[string]bool{"Change shortlist": true, "Referral letters": true, "Patient letter": true,
		"Book appointment": false, "Cancel appointment and rebook": false} {
		if enabled[desc] != want {
			t.Errorf("help shows %q enabled = %v, want %v", desc, enabled[desc], want)
		}
	}
}

func TestAProvidersReferralOffersNoReferrerKeys(t *testing.T) {
	w := newWorld(t)
	w.ref = referralFixture(t, "3", withState(ersclient.ReferralStateAwaitingTriage))
	w.codes = []ersclient.ActionCode{ersclient.ActionRecordReviewOutcome, ersclient.ActionCancelReferral}
	m, _ := opened(t, w, ubrn)
	for _, k := range []string{"l", "P", "b", "s"} {
		if res := press(m, k); len(res.ToRoot()) != 0 {
			t.Errorf("%s did something on a provider's referral: %v", k, res.ToRoot())
		}
	}
	open := onlyOpen(t, press(m, "c"))
	if r, ok := open.Arg.(actions.Request); !ok || r.Role != "" {
		t.Errorf("the provider's cancel carries a role: %#v", open.Arg)
	}
}

func TestTheReferrersKeysAreNotBoundTwice(t *testing.T) {
	w := newWorld(t)
	w.ref = referralFixture(t, "3", withState(ersclient.ReferralStateNotBooked))
	w.codes = []ersclient.ActionCode{ersclient.ActionCreateAppointment, ersclient.ActionChangeShortlist, ersclient.ActionCancelReferral}
	m, _ := opened(t, w, ubrn)
	seen := map[string]string{}
	for _, group := range m.KeyMap().FullHelp() {
		for _, b := range group {
			if !b.Enabled() {
				continue
			}
			for _, k := range b.Keys() {
				if prev, ok := seen[k]; ok && prev != b.Help().Desc {
					t.Errorf("%q is bound to %q and %q", k, prev, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
			}
		}
	}
}

func TestTheReferrersFooterGoldens(t *testing.T) {
	w := newWorld(t)
	w.ref = referralFixture(t, "3", withState(ersclient.ReferralStateNotBooked))
	w.codes = []ersclient.ActionCode{ersclient.ActionCreateAppointment, ersclient.ActionChangeShortlist, ersclient.ActionCancelReferral}
	m, _ := opened(t, w, ubrn)
	for _, sz := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
		m.SetSize(sz.W, sz.H)
		v := m.View()
		uitest.AssertFrame(t, v, sz.W, sz.H)
		uitest.Golden(t, fmt.Sprintf("referrer_%dx%d", sz.W, sz.H), v)
	}
}

// Where both sides may only cancel (a booked referral at an indirectly
// bookable service), the session's role decides the side: a referrer gets
// the letter keys and the referrer's cancellation reasons.
func TestTheSessionsRoleDecidesTheSideWhereA029CannotTell(t *testing.T) {
	for _, tc := range []struct {
		bf       ersclient.BusinessFunction
		referrer bool
	}{{ersclient.ReferringClinician, true}, {ersclient.ServiceProviderClinician, false}} {
		t.Run(string(tc.bf), func(t *testing.T) {
			w := newWorld(t)
			w.ref = referralFixture(t, "3", nil)
			w.codes = []ersclient.ActionCode{ersclient.ActionCancelReferral}
			f := w.fake()
			c := common(t, f)
			auth := uitest.NewFakeAuth()
			auth.ResumeIdentity = session.Identity{UserID: "555000000001", Role: &session.Role{BusinessFunction: string(tc.bf)}}
			c.Auth = auth
			m := New(c, ubrn)
			m.SetSize(120, 40)
			uitest.RunInit(screen.Screen(m), m.Init())
			if got := strings.Contains(view(m), "l Referral letters"); got != tc.referrer {
				t.Errorf("letters key shown %v, want %v:\n%s", got, tc.referrer, view(m))
			}
			res := press(m, "c")
			var arg any
			for _, msg := range res.ToRoot() {
				if o, ok := msg.(screen.Open); ok {
					arg = o.Arg
				}
			}
			r, ok := arg.(actions.Request)
			if !ok || r.Action != actions.CancelReferral {
				t.Fatalf("c opened %#v", arg)
			}
			if r.Role.IsReferrer() != tc.referrer {
				t.Errorf("cancel with role %q, want the referrer's %v", r.Role, tc.referrer)
			}
		})
	}
}
