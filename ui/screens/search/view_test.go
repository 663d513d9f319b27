package search

import (
	"fmt"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// states are the screen in each of its views, built at a size.
func states(t *testing.T) map[string]func(w, h int) *Model {
	return map[string]func(w, h int) *Model{
		"form": func(w, h int) *Model {
			m := openScreen(t, newFake(3), nil, w, h)
			press(m, append(keys("tab"), typed(badNHS, "enter")...)...)
			return m
		},
		"picker": func(w, h int) *Model {
			m := openScreen(t, newFake(3), nil, w, h)
			press(m, keys("tab", "tab", "tab", "enter")...)
			return m
		},
		"results": func(w, h int) *Model {
			f := newFake(30)
			f.Service = func(id string) (*ersclient.Service, error) { return serviceFixture(t), nil }
			m := openScreen(t, f, nil, w, h)
			searchRoutine(m, testNHS)
			press(m, keys("space", "j", "j", "space", "k", "i")...)
			return m
		},
		"error": func(w, h int) *Model {
			f := newFake(0)
			f.ServiceSearch = func(ersclient.ServiceSearch) (*ersclient.ServiceSearchResults, error) { return nil, errGateway }
			m := openScreen(t, f, nil, w, h)
			searchRoutine(m, testNHS)
			return m
		},
		"change": func(w, h int) *Model {
			return openScreen(t, newFake(4), Request{Referral: referralWithShortlist(t)}, w, h)
		},
	}
}

func TestViewIsExactlyTheSizeInEveryState(t *testing.T) {
	for name, build := range states(t) {
		for _, sz := range uitest.Sizes() {
			m := build(sz.W, sz.H)
			uitest.AssertFrame(t, m.View(), sz.W, sz.H)
			// A resize after the fact draws at the new size too.
			m.SetSize(sz.W+7, sz.H+3)
			uitest.AssertFrame(t, m.View(), sz.W+7, sz.H+3)
			_ = name
		}
	}
}

func TestGoldens(t *testing.T) {
	for _, name := range []string{"form", "picker", "results", "error", "change"} {
		for _, sz := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
			m := states(t)[name](sz.W, sz.H)
			uitest.Golden(t, fmt.Sprintf("%s_%dx%d", name, sz.W, sz.H), m.View())
		}
	}
}

// TestNoKeyIsBoundTwiceInAnyState walks the enabled keys of every state:
// none bound twice, and none of the root's globals while nothing captures.
func TestNoKeyIsBoundTwiceInAnyState(t *testing.T) {
	root := map[string]bool{"?": true, ":": true, "esc": true, "q": true, "y": true, "ctrl+c": true}
	for name, build := range states(t) {
		m := build(120, 40)
		seen := map[string]string{}
		for _, group := range m.KeyMap().FullHelp() {
			for _, b := range group {
				if !b.Enabled() {
					continue
				}
				for _, k := range b.Keys() {
					if prev, dup := seen[k]; dup {
						t.Errorf("%s: %q is bound to %q and %q", name, k, prev, b.Help().Desc)
					}
					seen[k] = b.Help().Desc
					if root[k] && !m.Capturing() {
						t.Errorf("%s: %q is a root key", name, k)
					}
				}
			}
		}
	}
}
