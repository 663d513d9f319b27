package uitest

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"

	"github.com/ers-workstation/ers-workstation/ui"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// CheckKeys builds the screen of every route (with a nil Open arg, sized
// 120x38) and fails on a key bound twice in one screen, or a screen key
// the root takes first (ctrl+c ? : esc q y). It reads the enabled bindings
// of KeyMap's ShortHelp and FullHelp as the screen is built; bindings for
// a capturing state (a filter's esc) belong disabled until it is entered.
func CheckKeys(t testing.TB, routes []screen.Route, c screen.Common) {
	t.Helper()
	global := map[string]string{}
	for _, b := range ui.GlobalKeys().Bindings() {
		for _, k := range b.Keys() {
			global[k] = b.Help().Desc
		}
	}
	names := map[string]bool{}
	for _, r := range routes {
		if names[r.Name] {
			t.Errorf("route %q is registered twice", r.Name)
		}
		names[r.Name] = true
		if r.New == nil {
			t.Errorf("route %q has no constructor", r.Name)
			continue
		}
		s := r.New(c, nil)
		s.SetSize(120, 38)
		km := s.KeyMap()
		if km == nil {
			continue
		}
		var all []key.Binding
		all = append(all, km.ShortHelp()...)
		for _, g := range km.FullHelp() {
			all = append(all, g...)
		}
		seen := map[string]string{}  // key -> the binding's identity
		checked := map[string]bool{} // the same binding in short and full help
		for _, b := range all {
			id := strings.Join(b.Keys(), ",") + "|" + b.Help().Desc
			if !b.Enabled() || checked[id] {
				continue
			}
			checked[id] = true
			for _, k := range b.Keys() {
				if g, ok := global[k]; ok {
					t.Errorf("screen %q binds %q (%s), which the root takes first (%s)", r.Name, k, b.Help().Desc, g)
				}
				if prev, ok := seen[k]; ok && prev != id {
					t.Errorf("screen %q binds %q twice: %q and %q", r.Name, k, prev, id)
				}
				seen[k] = id
			}
		}
	}
}
