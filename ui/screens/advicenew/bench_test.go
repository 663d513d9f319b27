package advicenew

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// BenchmarkTypeAndView is one key typed into a request near e-RS's
// 8,000-character limit, then the frame drawn, at 120x40: written in
// paragraphs, and as one paragraph (the worst case: the text area re-wraps
// the whole edited line on each key).
func BenchmarkTypeAndView(b *testing.B) {
	para := strings.Repeat("Clinical background sentence. ", 8) + "\n"
	b.Run("paragraphs", func(b *testing.B) { benchTypeAndView(b, strings.Repeat(para, 32)) })
	b.Run("one-paragraph", func(b *testing.B) { benchTypeAndView(b, strings.Repeat("Clinical background sentence. ", 260)) })
}

func benchTypeAndView(b *testing.B, text string) {
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	m := newModel(c, testRequest(), func() (string, error) { return b.TempDir(), nil })
	m.SetSize(120, 40)
	m.setFocus(fieldText)
	m.Update(tea.PasteMsg{Content: text})
	key := uitest.Key("x")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Update(key)
		_ = m.View()
	}
}
