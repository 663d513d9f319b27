package advice

import (
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// A 200-message conversation: a resize lays every message out again
// (target under 5 ms); a scroll only slices the cached lines (under 1 ms).
func benchScreen(b *testing.B) *Model {
	w := newWorld(&testing.T{}, ersclient.ServiceProviderClinician)
	w.c.Drafts, w.c.Files = b.TempDir(), b.TempDir()
	w.fake.AdviceConversation = func(_, _ string) (*ersclient.AdviceThread, error) { return thread(200), nil }
	return w.open()
}

func BenchmarkResize200Messages(b *testing.B) {
	m := benchScreen(b)
	for i := 0; b.Loop(); i++ {
		m.SetSize(100+i%40, 40)
		_ = m.View()
	}
}

func BenchmarkScroll200Messages(b *testing.B) {
	m := benchScreen(b)
	down := uitest.Key("pgdown")
	for b.Loop() {
		m.Update(down)
		_ = m.View()
	}
}
