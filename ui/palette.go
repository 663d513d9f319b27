package ui

import (
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// paletteOverlay is the ":" command palette: typing filters the routes the
// role may use, the top screen's commands and the built-ins; enter runs the
// selected entry; esc closes.
type paletteOverlay struct {
	filter   string
	selected int
}

// paletteEntry is one runnable line of the palette.
type paletteEntry struct {
	name, summary, key string
	run                func(m *Model) tea.Cmd
}

// paletteEntries lists what the palette offers, filtered by the text typed:
// names that start with it first, then names or summaries that contain it.
func (m *Model) paletteEntries(filter string) []paletteEntry {
	var all []paletteEntry
	if m.identity != nil && m.identity.Role != nil {
		for _, r := range m.order {
			if r.Name == screen.RouteSignIn || !m.roleAllowed(r) {
				continue
			}
			open := screen.Open{Route: r.Name}
			all = append(all, paletteEntry{name: r.Name, summary: r.Summary, key: r.Key,
				run: func(m *Model) tea.Cmd { return m.open(open) }})
		}
	}
	if c, ok := m.top().(screen.Commander); ok {
		for _, cmd := range c.Commands() {
			run := cmd.Run
			all = append(all, paletteEntry{name: cmd.Name, summary: cmd.Summary, key: cmd.Key,
				run: func(*Model) tea.Cmd {
					if run == nil {
						return nil
					}
					return run()
				}})
		}
	}
	if m.identity != nil {
		all = append(all, paletteEntry{name: "logout", summary: "Sign out and wipe the session", run: (*Model).signOut})
	}
	all = append(all,
		paletteEntry{name: "theme", summary: "Next colour theme (default, high contrast, mono)", run: (*Model).nextTheme},
		paletteEntry{name: "help", summary: "Show the keys of this screen", key: "?",
			run: func(m *Model) tea.Cmd { m.overlay = &helpOverlay{}; return nil }},
		paletteEntry{name: "quit", summary: "Quit the workstation", key: "ctrl+c", run: (*Model).requestQuit},
	)
	f := strings.ToLower(strings.TrimSpace(filter))
	if f == "" {
		return all
	}
	var prefix, contains []paletteEntry
	for _, e := range all {
		name := strings.ToLower(e.name)
		switch {
		case strings.HasPrefix(name, f):
			prefix = append(prefix, e)
		case strings.Contains(name, f) || strings.Contains(strings.ToLower(e.summary), f):
			contains = append(contains, e)
		}
	}
	sort.SliceStable(prefix, func(i, j int) bool { return len(prefix[i].name) < len(prefix[j].name) })
	return append(prefix, contains...)
}

func (p *paletteOverlay) update(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	entries := m.paletteEntries(p.filter)
	switch msg.String() {
	case "esc":
		m.overlay = nil
		return nil
	case "enter":
		m.overlay = nil
		if p.selected < len(entries) {
			return entries[p.selected].run(m)
		}
		return nil
	case "up", "ctrl+p":
		p.selected = max(p.selected-1, 0)
		return nil
	case "down", "ctrl+n", "tab":
		p.selected = min(p.selected+1, max(len(entries)-1, 0))
		return nil
	case "backspace":
		if r := []rune(p.filter); len(r) > 0 {
			p.filter = string(r[:len(r)-1])
		}
	default:
		if msg.Text == "" {
			return nil
		}
		p.filter += msg.Text
	}
	p.selected = 0
	return nil
}

func (p *paletteOverlay) view(m *Model, width, height int) string {
	st := m.common.Styles
	w := min(width-6, 64)
	entries := m.paletteEntries(p.filter)
	lines := []string{st.ModalTitle.Render("Commands"), st.Accent.Render(":") + st.Text.Render(p.filter) + st.Faint.Render("_"), ""}
	rows := max(height-8, 1)
	first := 0
	if p.selected >= rows {
		first = p.selected - rows + 1
	}
	for i := first; i < len(entries) && i < first+rows; i++ {
		e := entries[i]
		k := ""
		if e.key != "" {
			k = "  [" + e.key + "]"
		}
		text := padRight(e.name, 12) + " " + e.summary + k
		if i == p.selected {
			lines = append(lines, st.Selected.Render(fit.Line("▶ "+text, w)))
		} else {
			lines = append(lines, "  "+st.Text.Render(padRight(e.name, 12))+" "+st.Faint.Render(fit.Line(e.summary+k, w-15)))
		}
	}
	if len(entries) == 0 {
		lines = append(lines, st.Faint.Render("  nothing matches"))
	}
	return strings.Join(lines, "\n")
}

// nextTheme cycles the theme live: the styles every screen holds are one
// shared value, replaced in place.
func (m *Model) nextTheme() tea.Cmd {
	names := theme.Names()
	next := names[0]
	for i, n := range names {
		if n == m.common.Styles.Theme {
			next = names[(i+1)%len(names)]
		}
	}
	*m.common.Styles = *theme.New(next)
	return m.showToast("Theme: "+string(next), screen.Info)
}

// padRight pads s to at least n cells and never cuts it: a command's name
// is what the user types, so it is shown whole.
func padRight(s string, n int) string {
	if w := ansi.StringWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
