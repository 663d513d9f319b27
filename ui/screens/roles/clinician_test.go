package roles

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// clinicianStep opens the clinician admin role's second step.
func clinicianStep(t *testing.T, auth *uitest.FakeAuth, prefs *uitest.MemoryPrefs) screen.Screen {
	t.Helper()
	m := newPicker(t, auth, prefs)
	_, out := run(m, uitest.Key("j"), uitest.Key("j"), uitest.Key("k"), uitest.Key("enter"))
	if len(out) != 1 {
		t.Fatalf("sent %#v, want the clinician step", out)
	}
	push, ok := out[0].(screen.Push)
	if !ok {
		t.Fatalf("sent %#v, want screen.Push", out[0])
	}
	if len(auth.Chosen()) != 0 {
		t.Fatal("role chosen before the clinician")
	}
	push.Screen.SetSize(80, 24)
	return push.Screen
}

func TestClinicianAdminPicksTheClinicianWithAFilter(t *testing.T) {
	auth, prefs := uitest.NewFakeAuth(), uitest.NewMemoryPrefs()
	p := clinicianStep(t, auth, prefs)
	if v := ansi.Strip(p.View()); !strings.Contains(v, "Dr Alice Adams") || !strings.Contains(v, "Service provider clinician admin at Example Hospital Trust (R1A)") {
		t.Fatalf("view:\n%s", v)
	}
	p, _ = run(p, uitest.Key("/"))
	if !p.Capturing() {
		t.Fatal("filter focused but not capturing")
	}
	p, _ = run(p, uitest.Type("bob")...)
	v := ansi.Strip(p.View())
	if strings.Contains(v, "Alice") || !strings.Contains(v, "▶ Dr Bob Brown") {
		t.Fatalf("filter did not narrow:\n%s", v)
	}
	if p.Status() != "1 of 3 clinicians" {
		t.Errorf("status %q", p.Status())
	}
	p, _ = run(p, uitest.Key("enter"))
	if p.Capturing() {
		t.Fatal("enter did not leave the filter")
	}
	_, out := run(p, uitest.Key("enter"))
	chosen := auth.Chosen()
	want := session.Role{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R1A", OrganisationName: "Example Hospital Trust",
		OnBehalfOf: "555000000102", OnBehalfOfName: "Dr Bob Brown"}
	if len(chosen) != 1 || chosen[0] != want {
		t.Fatalf("ChooseRole with %#v", chosen)
	}
	if !hasMsg[screen.RoleChosen](out) {
		t.Errorf("sent %#v", out)
	}
	if last, _ := prefs.LastRole(user.UserID); last != want {
		t.Errorf("remembered %#v", last)
	}
}

func TestEscClearsTheClinicianFilter(t *testing.T) {
	p := clinicianStep(t, uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	keys := append(append([]tea.Msg{uitest.Key("/")}, uitest.Type("zz")...), uitest.Key("esc"))
	p, _ = run(p, keys...)
	if p.Capturing() || !strings.Contains(ansi.Strip(p.View()), "Dr Carol Cole") {
		t.Errorf("esc did not clear:\n%s", ansi.Strip(p.View()))
	}
}

func TestLastClinicianIsPreselected(t *testing.T) {
	prefs := uitest.NewMemoryPrefs()
	_ = prefs.SetLastRole(user.UserID, session.Role{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R1A", OnBehalfOf: "555000000103"})
	auth := uitest.NewFakeAuth()
	m := newPicker(t, auth, prefs)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "▶ Service provider clinician admin") {
		t.Fatalf("last role not preselected:\n%s", v)
	}
	_, out := run(m, uitest.Key("enter"))
	p := out[0].(screen.Push).Screen
	p.SetSize(80, 24)
	if v := ansi.Strip(p.View()); !strings.Contains(v, "▶ Dr Carol Cole   555000000103   (last used)") {
		t.Errorf("last clinician not preselected:\n%s", v)
	}
}
