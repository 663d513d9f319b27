// Package theme maps the workstation's semantic colours (primary, faint,
// error, selected, the environment banners) onto the terminal's own palette,
// and builds every lipgloss style the screens use once, in Styles.
//
// Views never call lipgloss.NewStyle themselves: they take a style from
// Styles, so a theme change or NO_COLOR reaches every screen. Colour never
// carries meaning alone: selection is also reverse video and a "▶" gutter,
// levels and priorities are also words.
package theme

import (
	"fmt"
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// Name is a theme's name as given to --theme.
type Name string

const (
	Default      Name = "default"       // the terminal's own 16-colour palette
	HighContrast Name = "high-contrast" // bright colours, bold text, no faint
	Mono         Name = "monochrome"    // no colour at all: bold, reverse, underline
)

// Names lists the themes in the order --help shows them.
func Names() []Name { return []Name{Default, HighContrast, Mono} }

// Parse reads a theme name; "" is Default.
func Parse(s string) (Name, error) {
	switch n := Name(strings.ToLower(strings.TrimSpace(s))); n {
	case "":
		return Default, nil
	case Default, HighContrast, Mono:
		return n, nil
	case "mono":
		return Mono, nil
	}
	return "", fmt.Errorf("unknown theme %q: use default, high-contrast or monochrome", s)
}

// Palette is a theme's semantic colours. A nil colour means "the terminal's
// default".
type Palette struct {
	Text, Faint, Accent                 color.Color
	Success, Warning, Failure           color.Color
	BarText, BarBackground              color.Color
	Sandbox, Integration, Production    color.Color // banner backgrounds
	BannerText                          color.Color
	SelectedText, SelectedBackground    color.Color
	UseFaint, UseBold, ColourlessBanner bool
}

// PaletteFor returns the palette of a theme. Default and high-contrast use
// ANSI indexes, so the user's terminal scheme decides the actual shades.
func PaletteFor(n Name) Palette {
	switch n {
	case Mono:
		return Palette{UseBold: true, ColourlessBanner: true}
	case HighContrast:
		return Palette{
			Text: lipgloss.ANSIColor(15), Faint: lipgloss.ANSIColor(15), Accent: lipgloss.ANSIColor(14),
			Success: lipgloss.ANSIColor(10), Warning: lipgloss.ANSIColor(11), Failure: lipgloss.ANSIColor(9),
			BarText: lipgloss.ANSIColor(0), BarBackground: lipgloss.ANSIColor(15),
			Sandbox: lipgloss.ANSIColor(10), Integration: lipgloss.ANSIColor(11), Production: lipgloss.ANSIColor(9),
			BannerText:   lipgloss.ANSIColor(0),
			SelectedText: lipgloss.ANSIColor(0), SelectedBackground: lipgloss.ANSIColor(14),
			UseBold: true,
		}
	default:
		return Palette{
			Accent:  lipgloss.ANSIColor(6),
			Success: lipgloss.ANSIColor(2), Warning: lipgloss.ANSIColor(3), Failure: lipgloss.ANSIColor(1),
			BarText: lipgloss.ANSIColor(0), BarBackground: lipgloss.ANSIColor(7),
			Sandbox: lipgloss.ANSIColor(2), Integration: lipgloss.ANSIColor(3), Production: lipgloss.ANSIColor(1),
			BannerText: lipgloss.ANSIColor(0),
			UseFaint:   true,
		}
	}
}
