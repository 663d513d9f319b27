package grid

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/ers-workstation/ers-workstation/ui/components/fit"
	"github.com/ers-workstation/ers-workstation/ui/components/scroll"
	"github.com/ers-workstation/ers-workstation/ui/theme"
)

// paint is a style split into what goes before and after the text, so a
// row is styled by two writes instead of a lipgloss render per frame.
type paint struct{ open, close string }

// marker stands for the text when a style is split.
const marker = "\uE000"

func split(s lipgloss.Style) paint {
	open, close, _ := strings.Cut(s.Render(marker), marker)
	return paint{open: open, close: close}
}

// paints are the row styles of one theme. The root changes a theme by
// rewriting *Styles in place, so they are rebuilt when its name changes.
type paints struct {
	theme                         theme.Name
	ready                         bool
	header, text, selected, empty paint
	attention, changed, done      paint
}

func (m *Model) paints() *paints {
	st := m.styles
	if m.paint.ready && m.paint.theme == st.Theme {
		return &m.paint
	}
	m.paint = paints{
		theme: st.Theme, ready: true,
		header: split(st.Title), text: split(st.Text), selected: split(st.Selected), empty: split(st.Faint),
		attention: split(st.Warning), changed: split(st.Accent), done: split(st.Faint),
	}
	return &m.paint
}

func (p *paints) forMark(k Mark) paint {
	switch k {
	case Attention:
		return p.attention
	case Changed:
		return p.changed
	case Done:
		return p.done
	}
	return p.text
}

// scrollToCursor keeps the highlighted row among the rows drawn.
func (m *Model) scrollToCursor() {
	m.top = scroll.Window(m.top, m.cursor, len(m.shown), max(m.height-1, 0))
}

// View draws the header and the rows that fit, exactly the size given:
// each row is its prepared line behind the gutter, in one style.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	p := m.paints()
	var b strings.Builder
	b.Grow((m.width + 24) * m.height)
	m.writeRow(&b, p.header, "    ", m.header())
	rows := m.height - 1
	if len(m.shown) == 0 && rows > 0 {
		b.WriteByte('\n')
		m.writeRow(&b, p.empty, "    ", fitPlain(m.emptyText(), m.layout.body))
		rows--
	}
	m.scrollToCursor()
	for i := 0; i < rows; i++ {
		b.WriteByte('\n')
		at := m.top + i
		if at >= len(m.shown) {
			pad(&b, m.width)
			continue
		}
		r := int(m.shown[at])
		g, style := "  ", p.forMark(m.mark(r))
		if at == m.cursor {
			g, style = "▶ ", p.selected
		}
		m.writeRow(&b, style, g+m.mark(r).Glyph()+" ", m.line(r))
	}
	return b.String()
}

// writeRow writes gutter and body in one style, exactly the width.
func (m *Model) writeRow(b *strings.Builder, p paint, gutterText, body string) {
	if m.width < gutter {
		b.WriteString(fit.Line(p.open+gutterText+body+p.close, m.width))
		return
	}
	b.WriteString(p.open)
	b.WriteString(gutterText)
	b.WriteString(body)
	b.WriteString(p.close)
}

func (m *Model) emptyText() string {
	switch {
	case m.empty != "" && m.query == "":
		return m.empty
	case m.query != "":
		return "No rows match the filter."
	}
	return "Nothing to show."
}
