package advicenew

import (
	"errors"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// states builds the form in each state worth drawing.
func states(t *testing.T) map[string]func(w, h int) screen.Screen {
	unknown := &ersclient.Error{Op: ersclient.OpCreateAdviceRequest, Kind: ersclient.KindOutcomeUnknown, Err: errors.New("deadline"), CorrelationID: "corr-7"}
	return map[string]func(w, h int) screen.Screen{
		"form": func(w, h int) screen.Screen { return newFixture(t).open(testRequest(), w, h) },
		"long": func(w, h int) screen.Screen {
			f := newFixture(t)
			req := testRequest()
			req.Service.ReferrerAlert = strings.Repeat("Send the last three ECGs and a medication list. ", 8)
			s, _ := run(f.open(req, w, h), tea.PasteMsg{Content: strings.Repeat("word ", 400)})
			return s
		},
		"unknown": func(w, h int) screen.Screen {
			f := newFixture(t)
			f.ers.CreateAdvice = func(ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) { return nil, unknown }
			s, out := run(f.open(testRequest(), w, h), seq(fill(question), toSend())...)
			s, _ = yes(s, confirmOf(t, out))
			return s
		},
		"picker": func(w, h int) screen.Screen {
			f := newFixture(t)
			s, _ := runShort(f.open(testRequest(), w, h), seq(fill(question), keys("a"))...)
			return s
		},
		"sent": func(w, h int) screen.Screen {
			f := newFixture(t)
			f.ers.CreateAdvice = func(ersclient.CreateAdviceRequest) (*ersclient.AdviceSent, error) { return created(testUBRN), nil }
			s, out := run(f.open(testRequest(), w, h), seq(fill(question), toSend())...)
			s, _ = yes(s, confirmOf(t, out))
			return s
		},
		"empty": func(w, h int) screen.Screen {
			s := New(newFixture(t).common, nil)
			s.SetSize(w, h)
			return s
		},
	}
}

func TestEveryStateFillsTheFrameExactlyAtEverySize(t *testing.T) {
	for name, build := range states(t) {
		t.Run(name, func(t *testing.T) {
			s := build(80, 24)
			for _, sz := range uitest.Sizes() {
				s.SetSize(sz.W, sz.H)
				uitest.AssertFrame(t, s.View(), sz.W, sz.H)
			}
		})
	}
}

func TestGoldens(t *testing.T) {
	all := states(t)
	for _, name := range []string{"form", "unknown"} {
		for _, sz := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
			s := all[name](sz.W, sz.H)
			uitest.Golden(t, name+"_"+sizeName(sz), s.View())
		}
	}
}

func sizeName(s uitest.Size) string {
	return strings.Join([]string{itoa(s.W), itoa(s.H)}, "x")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestTheReferrerAlertAndConversionAreExplained(t *testing.T) {
	v := view(newFixture(t).open(testRequest(), 80, 24))
	for _, want := range []string{"! Referrer alert: Include the latest ECG", "999 000 0018", "Cardiology Advice"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	// A long alert is cut in the heading and shown whole above the form.
	f := newFixture(t)
	req := testRequest()
	req.Service.ReferrerAlert = strings.Repeat("Send the last three ECGs. ", 12) + "END OF ALERT"
	s := f.open(req, 80, 24)
	s, _ = run(s, keys("tab")...) // off the text, so the form scrolls to its top
	s.top = 0
	if v := view(s); !strings.Contains(v, "the whole alert is below") {
		t.Errorf("long alert not marked as continued:\n%s", v)
	}
	lines, _, _ := s.body()
	if !strings.Contains(strings.Join(lines, "\n"), "END OF ALERT") {
		t.Error("the whole alert is not in the form")
	}
	s = f.form()
	s, _ = run(s, keys("tab")...)
	if v := view(s); !strings.Contains(v, "without asking you again") {
		t.Errorf("conversion not explained:\n%s", v)
	}
}

// TestKeysNeverCollide checks the enabled keys of every focus, with the
// root's globals, and the registry-wide check on the route.
func TestKeysNeverCollide(t *testing.T) {
	global := map[string]bool{}
	for _, b := range ui.GlobalKeys().Bindings() {
		for _, k := range b.Keys() {
			global[k] = true
		}
	}
	f := newFixture(t)
	s := f.form()
	for step, press := range []string{"", "tab", "tab", "a", "tab", "esc", "tab"} {
		if press != "" {
			s, _ = runShort(s, keys(press)...)
		}
		km := s.KeyMap()
		var all []key.Binding
		all = append(all, km.ShortHelp()...)
		for _, g := range km.FullHelp() {
			all = append(all, g...)
		}
		seen := map[string]string{}
		for _, b := range all {
			if !b.Enabled() {
				continue
			}
			id := strings.Join(b.Keys(), ",") + "|" + b.Help().Desc
			for _, k := range b.Keys() {
				if prev, ok := seen[k]; ok && prev != id {
					t.Errorf("step %d (focus %d): %q bound twice: %s and %s", step, s.f.focus, k, prev, id)
				}
				seen[k] = id
				if global[k] && !s.Capturing() {
					t.Errorf("step %d: %q is a root key but the form binds it (%s)", step, k, id)
				}
			}
		}
	}
	uitest.CheckKeys(t, []screen.Route{Route()}, f.common)
}
