package worklist

import (
	"fmt"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func TestGoldenViewsAndLayout(t *testing.T) {
	referrer := fakeFor(map[ersclient.WorklistType][]ersclient.WorklistRow{
		ersclient.WorklistAwaitingBooking: {{UBRN: "000000200001", ListType: ersclient.WorklistAwaitingBooking,
			NHSNumber: nhsNumber(7), Priority: ersclient.PriorityUrgent, StatusCode: "APP_CANCELLED_BY_PATIENT",
			ReasonDisplay: "Patient unwell", ClinicalContext: "ORTHOPAEDICS/KNEE", Referrer: "555000000201"}},
	})
	views := map[string]func() *Model{
		"provider": func() *Model { return started(t, providerFake(30), identity("SERVICE_PROVIDER_ADMIN")) },
		"referrer": func() *Model { return started(t, referrer, identity("REFERRING_CLINICIAN")) },
		"lookup_error": func() *Model {
			m := started(t, providerFake(3), identity("SERVICE_PROVIDER_ADMIN"))
			run(m, append(uitest.Keys("u"), uitest.Type("12")...)...)
			run(m, uitest.Key("enter"))
			return m
		},
		"picker": func() *Model {
			m := started(t, providerFake(3), identity("SERVICE_PROVIDER_ADMIN"))
			run(m, uitest.Key("f"))
			return m
		},
		"filtering": func() *Model {
			m := started(t, providerFake(30), identity("SERVICE_PROVIDER_ADMIN"))
			run(m, append(uitest.Keys("/"), uitest.Type("derm")...)...)
			return m
		},
	}
	for name, build := range views {
		m := build()
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

func TestKeysDoNotCollide(t *testing.T) {
	uitest.CheckKeys(t, []screen.Route{Route()}, common(providerFake(1)))
}
