package home

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func providerAdmin() session.Identity {
	return session.Identity{UserID: "555000000003", Name: "Pat Provider", Role: &session.Role{
		BusinessFunction: "SERVICE_PROVIDER_ADMIN", ODS: "R1A", OrganisationName: "Example Hospital Trust"}}
}

func clinicianAdmin() session.Identity {
	return session.Identity{UserID: "555000000004", Name: "Chris Admin", Role: &session.Role{
		BusinessFunction: "SERVICE_PROVIDER_CLINICIAN_ADMIN", ODS: "R1A", OrganisationName: "Example Hospital Trust",
		OnBehalfOf: "555000000102", OnBehalfOfName: "Dr Bob Brown"}}
}

// laterRoutes stand for the screens later issues add.
func laterRoutes() []screen.Route {
	providerOnly := func(r session.Role) bool { return strings.HasPrefix(r.BusinessFunction, "SERVICE_PROVIDER") }
	referrerOnly := func(r session.Role) bool { return strings.HasPrefix(r.BusinessFunction, "REFERRING") }
	return []screen.Route{
		{Name: "signin", Title: "Sign in"},
		{Name: "worklist", Title: "Worklists", Summary: "Referrals waiting for you", Key: "w", OnHome: true, For: providerOnly},
		{Name: "advice", Title: "Advice and guidance", Summary: "Requests for advice", Key: "a", OnHome: true},
		{Name: "create", Title: "New referral", Summary: "Start a referral", Key: "n", OnHome: true, For: referrerOnly},
	}
}

func newHome(id session.Identity, routes []screen.Route) *Model {
	m := New(uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs()), routes, id)
	m.SetSize(80, 24)
	return m
}

func TestHomeSaysWhoAndInWhichRole(t *testing.T) {
	v := strings.Join(strings.Fields(ansi.Strip(newHome(providerAdmin(), nil).View())), " ")
	if !strings.Contains(v, "Signed in as Pat Provider, Service provider admin at Example Hospital Trust (R1A).") {
		t.Errorf("view:\n%s", v)
	}
	v = ansi.Strip(newHome(clinicianAdmin(), nil).View())
	if !strings.Contains(v, "Acting on behalf of Dr Bob Brown.") {
		t.Errorf("view:\n%s", v)
	}
}

func TestHomeListsTheRoutesTheRoleMayUse(t *testing.T) {
	v := ansi.Strip(newHome(providerAdmin(), laterRoutes()).View())
	for _, want := range []string{"w  Worklists", "a  Advice and guidance", "c  Change role", "L  Sign out"} {
		if !strings.Contains(v, want) {
			t.Errorf("lacks %q:\n%s", want, v)
		}
	}
	for _, not := range []string{"New referral", "Sign in  "} {
		if strings.Contains(v, not) {
			t.Errorf("lists %q, which is not for this role or not on home:\n%s", not, v)
		}
	}
}

func TestKeysAndEnterOpenEntries(t *testing.T) {
	id := providerAdmin()
	tests := []struct {
		keys []string
		want any
	}{
		{[]string{"w"}, screen.Open{Route: "worklist"}},
		{[]string{"enter"}, screen.Open{Route: "worklist"}},
		{[]string{"j", "enter"}, screen.Open{Route: "advice"}},
		{[]string{"G", "k", "enter"}, screen.Open{Route: screen.RouteRoles, Arg: id}},
		{[]string{"c"}, screen.Open{Route: screen.RouteRoles, Arg: id}},
		{[]string{"L"}, screen.SignOut{}},
		{[]string{"G", "j", "j", "enter"}, screen.SignOut{}},
		{[]string{"n"}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, " "), func(t *testing.T) {
			out := uitest.Run(screen.Screen(newHome(id, laterRoutes())), uitest.Keys(tt.keys...)...).ToRoot()
			if tt.want == nil {
				if len(out) != 0 {
					t.Errorf("sent %#v", out)
				}
				return
			}
			if len(out) != 1 || fmt.Sprintf("%#v", out[0]) != fmt.Sprintf("%#v", tt.want) {
				t.Errorf("sent %#v, want %#v", out, tt.want)
			}
		})
	}
}

func TestGoldenViewsAndLayout(t *testing.T) {
	views := map[string]*Model{
		"provider":        newHome(providerAdmin(), laterRoutes()),
		"clinician_admin": newHome(clinicianAdmin(), nil),
	}
	for name, m := range views {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			m.SetSize(size[0], size[1])
			uitest.Golden(t, fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), m.View())
		}
		for _, size := range uitest.Sizes() {
			m.SetSize(size.W, size.H)
			uitest.AssertFrame(t, m.View(), size.W, size.H)
		}
	}
}
