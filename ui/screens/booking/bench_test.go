package booking

import (
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// BenchmarkSlotsKeyAndView is one key and one frame with 2,000 slots loaded
// (20 pages of 100): the cost must not grow with the slots.
func BenchmarkSlotsKeyAndView(b *testing.B) {
	all := slots(0, 2000)
	f := newFake()
	f.Slots = pager(all)
	m := open(b, f, Request{Referral: referral(b, "3", ersclient.ReferralStateNotBooked, svcDBS)})
	for m.list.hasNext {
		run(m, uitest.Key("n"))
	}
	if len(m.list.slots) != 2000 {
		b.Fatalf("%d slots loaded", len(m.list.slots))
	}
	m.SetSize(120, 40)
	_ = m.View()
	down, up := uitest.Key("j"), uitest.Key("k")
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := down
		if (i/1500)%2 == 1 {
			k = up
		}
		m.Update(k)
		_ = m.View()
	}
}
