package create

import (
	"fmt"
	"testing"

	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func TestTheFormFillsEverySize(t *testing.T) {
	forms := map[string]*Model{
		"create": newForm(&uitest.FakeERS{}, services()),
		"triage": newForm(&uitest.FakeERS{}, triageService()),
		"change": New(common(&uitest.FakeERS{}), Request{NHSNumber: testNHS, Services: services(),
			Referral: referral(t, testUBRN, "3", "REJECTED", "svc-0")}),
		"empty": New(common(&uitest.FakeERS{}), nil),
	}
	for name, m := range forms {
		t.Run(name, func(t *testing.T) {
			for _, sz := range uitest.Sizes() {
				m.SetSize(sz.W, sz.H)
				uitest.AssertFrame(t, m.View(), sz.W, sz.H)
			}
		})
	}
}

func TestGoldens(t *testing.T) {
	for _, sz := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
		m := newForm(&uitest.FakeERS{}, services())
		m.SetSize(sz.W, sz.H)
		uitest.Golden(t, fmt.Sprintf("create_%dx%d", sz.W, sz.H), m.View())

		tr := newForm(&uitest.FakeERS{}, triageService())
		tr.SetSize(sz.W, sz.H)
		uitest.Run(screen.Screen(tr), uitest.Keys("tab", "tab", "space")...)
		uitest.Golden(t, fmt.Sprintf("triage_%dx%d", sz.W, sz.H), tr.View())
	}
}

func TestNoKeyIsBoundTwiceOrTakenByTheRoot(t *testing.T) {
	c := common(&uitest.FakeERS{})
	routes := []screen.Route{Route(),
		{Name: "create-filled", New: func(screen.Common, any) screen.Screen { return newForm(&uitest.FakeERS{}, services()) }},
		{Name: "create-days", New: func(screen.Common, any) screen.Screen {
			m := newForm(&uitest.FakeERS{}, triageService())
			m.focus = fieldDays
			return m
		}},
	}
	uitest.CheckKeys(t, routes, c)
}
