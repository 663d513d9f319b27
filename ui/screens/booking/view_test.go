package booking

import (
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// screens are the states worth drawing: slots, a triage service, the
// cancel form, and the defer form with an error beside a field.
func screens(t *testing.T) map[string]*Model {
	t.Helper()
	slotsM := open(t, newFake(), Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS, svcTri, svcIBS)})
	run(slotsM, uitest.Key("j"), uitest.Key("j"), uitest.Key("j"))
	triage := open(t, newFake(), Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcTri)})
	f := newFake()
	f.Appointment = func(id string) (*ersclient.AppointmentView, error) {
		a := slots(0, 1)[0]
		return &ersclient.AppointmentView{ID: id, Version: "2", Status: ersclient.AppointmentBooked, Start: a.Start, ServiceName: "Cardiology Outpatients"}, nil
	}
	f.ReferenceData = func(string) (*ersclient.ReferenceData, error) { return cancelReasons(), nil }
	cancel := open(t, f, Request{Referral: referral(t, "4", ersclient.ReferralStateBooked, svcDBS), CancelFirst: true})
	deferM := open(t, newFake(), Request{Referral: referral(t, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	run(deferM, uitest.Key("d"), uitest.Key("up"))
	deferM.form.chosen = -1
	deferM.form.validate()
	return map[string]*Model{"slots": slotsM, "triage": triage, "cancel": cancel, "defer": deferM}
}

func TestEveryViewIsExactlyTheSizeGiven(t *testing.T) {
	for name, m := range screens(t) {
		t.Run(name, func(t *testing.T) {
			for _, sz := range uitest.Sizes() {
				m.SetSize(sz.W, sz.H)
				uitest.AssertFrame(t, m.View(), sz.W, sz.H)
			}
		})
	}
}

func TestGoldens(t *testing.T) {
	for name, m := range screens(t) {
		for _, sz := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
			m.SetSize(sz.W, sz.H)
			uitest.Golden(t, name+"_"+itoa(sz.W)+"x"+itoa(sz.H), m.View())
		}
	}
}

func TestKeysDoNotCollideWithTheRootsOrEachOther(t *testing.T) {
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	uitest.CheckKeys(t, []screen.Route{Route()}, c)
	for name, m := range screens(t) {
		uitest.CheckKeys(t, []screen.Route{{Name: name, New: func(screen.Common, any) screen.Screen { return m }}}, c)
	}
}

func TestRouteIsForReferrersOnly(t *testing.T) {
	r := Route()
	if r.Name != RouteName || r.OnHome || r.Key != "" {
		t.Fatalf("route %+v: want %q, not on home", r, RouteName)
	}
	for bf, want := range map[ersclient.BusinessFunction]bool{
		ersclient.ReferringClinician: true, ersclient.ReferringClinicianAdmin: true,
		ersclient.ServiceProviderClinician: false, ersclient.ServiceProviderAdmin: false,
	} {
		if got := r.For(session.Role{BusinessFunction: string(bf)}); got != want {
			t.Errorf("For(%s) = %v", bf, got)
		}
	}
}
