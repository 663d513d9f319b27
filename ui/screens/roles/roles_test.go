package roles

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

var user = session.Identity{UserID: "555000000002", Name: "Sam Clerk"}

func sampleRoles() session.Roles {
	return session.Roles{
		Choices: []gatewayapi.RoleChoice{
			{BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "R1A", OrganisationName: "Example Hospital Trust"},
			{BusinessFunction: "REFERRING_ADMIN", ODS: "A81001", OrganisationName: "Example Surgery"},
			{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R1A", OrganisationName: "Example Hospital Trust"},
			{BusinessFunction: "REFERRING_CLINICIAN", ODS: "A81001", OrganisationName: "Example Surgery"},
		},
		Clinicians: map[string][]gatewayapi.Clinician{
			"R1A": {
				{SDSUserID: "555000000101", Name: "Dr Alice Adams"},
				{SDSUserID: "555000000102", Name: "Dr Bob Brown"},
				{SDSUserID: "555000000103", Name: "Dr Carol Cole"},
			},
		},
	}
}

func newPicker(t *testing.T, auth *uitest.FakeAuth, prefs *uitest.MemoryPrefs) *Model {
	t.Helper()
	if auth.RolesResult.Choices == nil {
		auth.RolesResult = sampleRoles()
	}
	m := New(uitest.Common(auth, prefs), user)
	m.SetSize(80, 24)
	return uitest.RunInit(screen.Screen(m), m.Init()).Model.(*Model)
}

// run feeds msgs to s and returns it and what it sent to the root.
func run(s screen.Screen, msgs ...tea.Msg) (screen.Screen, []tea.Msg) {
	res := uitest.Run(s, msgs...)
	return res.Model, res.ToRoot()
}

func text(v string) string { return strings.Join(strings.Fields(ansi.Strip(v)), " ") }

func TestRolesAreGroupedByOrganisation(t *testing.T) {
	m := newPicker(t, uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	var order []string
	for _, l := range lines {
		for _, want := range []string{"Example Hospital Trust (R1A)", "Service provider admin", "Service provider clinician admin",
			"Example Surgery (A81001)", "Referring admin", "Referring clinician "} {
			if strings.Contains(l, want) {
				order = append(order, want)
			}
		}
	}
	want := []string{"Example Hospital Trust (R1A)", "Service provider admin", "Service provider clinician admin",
		"Example Surgery (A81001)", "Referring admin", "Referring clinician "}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order %q, want %q\n%s", order, want, ansi.Strip(m.View()))
	}
	if !strings.Contains(text(m.View()), "SERVICE_PROVIDER_ADMIN") {
		t.Error("role code not shown")
	}
}

func TestChoosingARoleSetsItRemembersItAndTellsTheRoot(t *testing.T) {
	auth, prefs := uitest.NewFakeAuth(), uitest.NewMemoryPrefs()
	m := newPicker(t, auth, prefs)
	_, out := run(m, uitest.Key("G"), uitest.Key("enter"))
	chosen := auth.Chosen()
	if len(chosen) != 1 || chosen[0].BusinessFunction != "REFERRING_CLINICIAN" || chosen[0].ODS != "A81001" {
		t.Fatalf("ChooseRole with %#v", chosen)
	}
	if !hasMsg[screen.RoleChosen](out) || !busyOnOff(out) {
		t.Errorf("sent %#v, want Busy on, RoleChosen, Busy off", out)
	}
	if last, ok := prefs.LastRole(user.UserID); !ok || last != chosen[0] {
		t.Errorf("last role %#v %v", last, ok)
	}
}

func TestLastRoleIsPreselectedAndMarked(t *testing.T) {
	prefs := uitest.NewMemoryPrefs()
	_ = prefs.SetLastRole(user.UserID, session.Role{BusinessFunction: "REFERRING_ADMIN", ODS: "A81001"})
	auth := uitest.NewFakeAuth()
	m := newPicker(t, auth, prefs)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "▶ Referring admin   REFERRING_ADMIN   (last used)") {
		t.Errorf("last role not preselected:\n%s", v)
	}
	run(m, uitest.Key("enter"))
	if c := auth.Chosen(); len(c) != 1 || c[0].BusinessFunction != "REFERRING_ADMIN" {
		t.Errorf("chose %#v", c)
	}
}

func TestRefusedRoleIsExplainedAndTheListStays(t *testing.T) {
	auth := uitest.NewFakeAuth()
	auth.ChooseErr = &session.GatewayError{Status: 403, Code: gatewayapi.ErrRoleNotHeld, Description: "not in A030"}
	prefs := uitest.NewMemoryPrefs()
	m := newPicker(t, auth, prefs)
	s, out := run(m, uitest.Key("enter"))
	if hasMsg[screen.RoleChosen](out) {
		t.Fatal("RoleChosen sent for a refused role")
	}
	v := text(s.View())
	if !strings.Contains(v, "do not hold this role") || !strings.Contains(v, "Service provider admin") {
		t.Errorf("view:\n%s", v)
	}
	if _, ok := prefs.LastRole(user.UserID); ok {
		t.Error("a refused role was remembered")
	}
	if !s.KeyMap().ShortHelp()[2].Enabled() {
		t.Error("enter is not offered again")
	}
}

func TestRolesThatFailToLoadCanBeRetried(t *testing.T) {
	auth := uitest.NewFakeAuth()
	auth.RolesErr = &session.NetworkError{GatewayURL: "https://gw.example", Err: errors.New("refused")}
	m := newPicker(t, auth, uitest.NewMemoryPrefs())
	if v := text(m.View()); !strings.Contains(v, "Your roles could not be loaded") {
		t.Fatalf("view:\n%s", v)
	}
	auth.Set(func() { auth.RolesErr = nil })
	s, _ := run(m, uitest.Key("r"))
	if v := text(s.View()); !strings.Contains(v, "Service provider admin") {
		t.Errorf("after r:\n%s", v)
	}
}

func TestPrefsFailureStillChoosesAndWarns(t *testing.T) {
	m := newPicker(t, uitest.NewFakeAuth(), &uitest.MemoryPrefs{Err: errors.New("disk full")})
	_, out := run(m, uitest.Key("enter"))
	if !hasMsg[screen.RoleChosen](out) || !hasMsg[screen.Toast](out) {
		t.Errorf("sent %#v, want RoleChosen and a warning", out)
	}
}

func hasMsg[T any](msgs []tea.Msg) bool {
	for _, m := range msgs {
		if _, ok := m.(T); ok {
			return true
		}
	}
	return false
}

func busyOnOff(msgs []tea.Msg) bool {
	on, off := false, false
	for _, m := range msgs {
		if b, ok := m.(screen.Busy); ok {
			on, off = on || b.On, off || !b.On
		}
	}
	return on && off
}
