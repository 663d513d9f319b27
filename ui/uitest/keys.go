package uitest

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// Key builds the key press whose String() is name: "ctrl+c", "enter", "esc",
// "space", "up", "shift+tab", "G", "?". It panics on a name it cannot build,
// which is a mistake in the test.
func Key(name string) tea.KeyPressMsg {
	var k tea.Key
	rest := name
	for {
		mod, after, ok := strings.Cut(rest, "+")
		if !ok || after == "" {
			break
		}
		switch mod {
		case "ctrl":
			k.Mod |= tea.ModCtrl
		case "alt":
			k.Mod |= tea.ModAlt
		case "shift":
			k.Mod |= tea.ModShift
		default:
			panic("uitest.Key: unknown modifier in " + name)
		}
		rest = after
	}
	if code, ok := specialKey(rest); ok {
		k.Code = code
		if code == tea.KeySpace && k.Mod == 0 {
			k.Text = " "
		}
	} else if utf8.RuneCountInString(rest) == 1 {
		r, _ := utf8.DecodeRuneInString(rest)
		k.Code = r
		if k.Mod&^tea.ModShift == 0 {
			k.Text = rest
		}
	} else {
		panic("uitest.Key: unknown key " + name)
	}
	msg := tea.KeyPressMsg(k)
	if msg.String() != name {
		panic("uitest.Key: built " + msg.String() + " for " + name)
	}
	return msg
}

// Keys builds a sequence of key presses, as messages for Run.
func Keys(names ...string) []tea.Msg {
	out := make([]tea.Msg, len(names))
	for i, n := range names {
		out[i] = Key(n)
	}
	return out
}

// Type builds the key presses that type text.
func Type(text string) []tea.Msg {
	var out []tea.Msg
	for _, r := range text {
		if r == ' ' {
			out = append(out, Key("space"))
			continue
		}
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// specialKey finds a named key (enter, esc, up, f1...) by asking Bubble Tea
// for the name of each special key code, so the names always agree.
func specialKey(name string) (rune, bool) {
	if name == "space" {
		return tea.KeySpace, true
	}
	for c := tea.KeyExtended + 1; c < tea.KeyExtended+400; c++ {
		if k := (tea.Key{Code: c}); k.Keystroke() == name {
			return c, true
		}
	}
	for _, c := range []rune{tea.KeyEnter, tea.KeyTab, tea.KeyBackspace, tea.KeyEscape} {
		if k := (tea.Key{Code: c}); k.Keystroke() == name {
			return c, true
		}
	}
	return 0, false
}
