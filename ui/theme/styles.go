package theme

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// Styles is every style the workstation draws with, built once from a
// palette by New.
type Styles struct {
	Theme Name

	Text     lipgloss.Style // body text
	Faint    lipgloss.Style // secondary text: hints, timestamps
	Title    lipgloss.Style // a screen's heading
	Key      lipgloss.Style // a key in help ("?")
	KeyHelp  lipgloss.Style // its description
	Accent   lipgloss.Style // links, the user code, focused fields
	Selected lipgloss.Style // the selected row: reverse video (plus a "▶" the view draws)
	Error    lipgloss.Style
	Warning  lipgloss.Style
	Success  lipgloss.Style

	Bar        lipgloss.Style // top and bottom bars
	BarFaint   lipgloss.Style
	Banner     map[string]lipgloss.Style // environment banner by label: SANDBOX, INT, PRODUCTION
	Modal      lipgloss.Style            // the box of help, palette and confirmations
	ModalTitle lipgloss.Style
	Danger     lipgloss.Style // a destructive action's name in a confirmation
}

// Environment banner labels.
const (
	BannerSandbox     = "SANDBOX"
	BannerIntegration = "INT"
	BannerProduction  = "PRODUCTION"
)

// New builds the styles of a theme.
func New(n Name) *Styles {
	p := PaletteFor(n)
	fg := func(c color.Color) lipgloss.Style {
		s := lipgloss.NewStyle()
		if c != nil {
			s = s.Foreground(c)
		}
		return s
	}
	bar := lipgloss.NewStyle()
	if p.BarBackground != nil {
		bar = bar.Foreground(p.BarText).Background(p.BarBackground)
	} else {
		bar = bar.Reverse(true)
	}
	selected := lipgloss.NewStyle().Reverse(true)
	if p.SelectedBackground != nil {
		selected = lipgloss.NewStyle().Foreground(p.SelectedText).Background(p.SelectedBackground).Bold(true)
	}
	faint := fg(p.Faint)
	if p.UseFaint {
		faint = faint.Faint(true)
	}
	banner := func(bg color.Color) lipgloss.Style {
		s := lipgloss.NewStyle().Bold(true)
		if p.ColourlessBanner || bg == nil {
			return s.Reverse(true)
		}
		return s.Foreground(p.BannerText).Background(bg)
	}
	s := &Styles{
		Theme:    n,
		Text:     fg(p.Text),
		Faint:    faint,
		Title:    fg(p.Text).Bold(true),
		Key:      fg(p.Accent).Bold(true),
		KeyHelp:  faint,
		Accent:   fg(p.Accent).Bold(p.UseBold),
		Selected: selected,
		Error:    fg(p.Failure).Bold(true),
		Warning:  fg(p.Warning).Bold(true),
		Success:  fg(p.Success).Bold(p.UseBold),
		Bar:      bar,
		BarFaint: bar.Faint(p.UseFaint),
		Banner: map[string]lipgloss.Style{
			BannerSandbox:     banner(p.Sandbox),
			BannerIntegration: banner(p.Integration),
			BannerProduction:  banner(p.Production),
		},
		Modal:      lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(colourOr(p.Accent)).Padding(0, 1),
		ModalTitle: fg(p.Accent).Bold(true),
		Danger:     fg(p.Failure).Bold(true).Underline(true),
	}
	return s
}

// BannerStyle is the banner style of an environment label; an unknown label
// gets the production style, the most cautious.
func (s *Styles) BannerStyle(label string) lipgloss.Style {
	if b, ok := s.Banner[strings.ToUpper(label)]; ok {
		return b
	}
	return s.Banner[BannerProduction]
}

func colourOr(c color.Color) color.Color {
	if c == nil {
		return lipgloss.NoColor{}
	}
	return c
}
