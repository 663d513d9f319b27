package roles

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/gatewayapi"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// manyRoles is more roles than fit at 80x24, with long names.
func manyRoles() session.Roles {
	r := session.Roles{Clinicians: map[string][]gatewayapi.Clinician{}}
	bfs := []string{"SERVICE_PROVIDER_ADMIN", "SERVICE_PROVIDER_CLINICIAN", "SERVICE_PROVIDER_CLINICIAN_ADMIN", "REFERRING_ADMIN"}
	for i := range 8 {
		ods := fmt.Sprintf("R%02dX", i)
		for _, bf := range bfs {
			r.Choices = append(r.Choices, gatewayapi.RoleChoice{BusinessFunction: bf, ODS: ods,
				OrganisationName: "The Very Long Named Example University Hospitals NHS Foundation Trust Number " + fmt.Sprint(i)})
		}
		for j := range 30 {
			r.Clinicians[ods] = append(r.Clinicians[ods], gatewayapi.Clinician{SDSUserID: fmt.Sprintf("5550001%05d", j), Name: fmt.Sprintf("Dr Clinician O'Example-Smythe %d", j)})
		}
	}
	return r
}

func screens(t *testing.T) map[string]screen.Screen {
	t.Helper()
	out := map[string]screen.Screen{}
	out["list"] = newPicker(t, uitest.NewFakeAuth(), uitest.NewMemoryPrefs())

	prefs := uitest.NewMemoryPrefs()
	_ = prefs.SetLastRole(user.UserID, session.Role{BusinessFunction: "REFERRING_CLINICIAN", ODS: "A81001"})
	out["last_used"] = newPicker(t, uitest.NewFakeAuth(), prefs)

	refuses := uitest.NewFakeAuth()
	refuses.ChooseErr = &session.GatewayError{Status: 403, Code: gatewayapi.ErrRoleNotHeld}
	refused := newPicker(t, refuses, uitest.NewMemoryPrefs())
	s, _ := run(refused, uitest.Key("enter"))
	out["refused"] = s

	out["clinician"] = clinicianStep(t, uitest.NewFakeAuth(), uitest.NewMemoryPrefs())

	manyAuth := uitest.NewFakeAuth()
	manyAuth.RolesResult = manyRoles()
	many := newPicker(t, manyAuth, uitest.NewMemoryPrefs())
	s, _ = run(many, uitest.Key("j"), uitest.Key("j"), uitest.Key("j"), uitest.Key("j"), uitest.Key("j"), uitest.Key("j"))
	out["many"] = s
	s, push := run(s, uitest.Key("k"), uitest.Key("k"), uitest.Key("k"), uitest.Key("k"), uitest.Key("enter"))
	out["many_clinicians"] = push[0].(screen.Push).Screen
	return out
}

func TestGoldenViews(t *testing.T) {
	for name, s := range screens(t) {
		if strings.HasPrefix(name, "many") {
			continue
		}
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			s.SetSize(size[0], size[1])
			uitest.Golden(t, fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), s.View())
		}
	}
}

func TestEveryViewFillsTheSizeExactly(t *testing.T) {
	for name, s := range screens(t) {
		t.Run(name, func(t *testing.T) {
			for _, size := range uitest.Sizes() {
				s.SetSize(size.W, size.H)
				uitest.AssertFrame(t, s.View(), size.W, size.H)
			}
		})
	}
}

func TestTheCursorStaysInViewWhenTheListScrolls(t *testing.T) {
	s := screens(t)["many"]
	s.SetSize(80, 24)
	s, _ = run(s, uitest.Key("G"))
	if v := ansi.Strip(s.View()); !strings.Contains(v, "▶ Referring admin") || !strings.Contains(v, "… (R07X)") {
		t.Errorf("last role not in view:\n%s", v)
	}
	s, _ = run(s, uitest.Key("g"))
	if v := ansi.Strip(s.View()); !strings.Contains(v, "▶ Service provider admin") || !strings.Contains(v, "… (R00X)") {
		t.Errorf("first role not in view:\n%s", v)
	}
}
