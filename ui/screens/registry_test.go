package screens

import (
	"path/filepath"
	"testing"

	"github.com/ers-workstation/ers-workstation/config"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func TestRegistryHoldsTheRoutesTheRootOpens(t *testing.T) {
	byName := map[string]screen.Route{}
	for _, r := range Registry() {
		byName[r.Name] = r
	}
	for _, name := range []string{screen.RouteSignIn, screen.RouteRoles, screen.RouteHome} {
		r, ok := byName[name]
		if !ok || r.New == nil {
			t.Fatalf("route %q missing", name)
		}
		s := r.New(uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs()), nil)
		if s.Title() == "" {
			t.Errorf("route %q: screen has no title", name)
		}
	}
}

func TestNoScreenKeyIsBoundTwiceOrTakenByTheRoot(t *testing.T) {
	uitest.CheckKeys(t, Registry(), uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs()))
}

func TestHomeOffersTheRegisteredRoutes(t *testing.T) {
	var home screen.Route
	for _, r := range Registry() {
		if r.Name == screen.RouteHome {
			home = r
		}
	}
	id := session.Identity{Name: "Pat", Role: &session.Role{BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "R1A"}}
	s := home.New(uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs()), id)
	s.SetSize(80, 24)
	out := uitest.Run(s, uitest.Key("c")).ToRoot()
	if len(out) != 1 || out[0].(screen.Open).Route != screen.RouteRoles {
		t.Errorf("c sent %#v", out)
	}
}

func TestPrefsFileServesTheRolePicker(t *testing.T) {
	p := Prefs(config.NewPrefsFile(filepath.Join(t.TempDir(), "prefs.json")))
	role := session.Role{BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R1A", OnBehalfOf: "555000000102", OnBehalfOfName: "Dr Bob Brown"}
	if err := p.SetLastRole("555000000001", role); err != nil {
		t.Fatal(err)
	}
	if got, ok := p.LastRole("555000000001"); !ok || got != role {
		t.Errorf("LastRole = %#v %v", got, ok)
	}
}
