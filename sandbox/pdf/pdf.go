// Package pdf writes the simple, valid PDF documents the simulator returns
// for clinical information (A007), patient letters (A019) and advice
// overviews (A043): a title and lines of text on A4 pages in Helvetica.
//
// It is a minimal PDF 1.4 writer, not a layout engine: no images, tables or
// embedded fonts. Content streams are left uncompressed so that tests (and
// people) can find the text in the bytes. The output depends only on the
// Document, so the same record always gives the same bytes.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Document is what to print.
type Document struct {
	// Title is printed in bold at the top of the first page and is the
	// document's title in its properties.
	Title string
	// Lines are printed one under another, wrapped at the page width. An
	// empty string is a blank line; a line starting with "# " is printed as
	// a bold heading (without the marker).
	Lines []string
}

// HeadingPrefix marks a line to print as a heading.
const HeadingPrefix = "# "

// MaxPages bounds a document, so that a runaway record cannot make the
// simulator build an enormous answer.
const MaxPages = 500

// ErrTooLong is returned when a document would need more than MaxPages pages.
var ErrTooLong = errors.New("pdf: document longer than the page limit")

// Page geometry in points (1/72 inch): A4 with 2 cm margins.
const (
	pageWidth    = 595.28
	pageHeight   = 841.89
	margin       = 56.69
	titleSize    = 16
	headingSize  = 12
	bodySize     = 10
	footerSize   = 8
	leading      = 1.35 // line height as a multiple of the font size
	textWidth    = pageWidth - 2*margin
	footerBottom = margin / 2
)

// Render lays out the document and returns the bytes of a PDF file.
func Render(d Document) ([]byte, error) {
	pages, err := layout(d)
	if err != nil {
		return nil, err
	}
	return write(d.Title, pages), nil
}

// fontID names the two fonts every document declares.
type fontID int

const (
	regular fontID = iota
	bold
)

func (f fontID) resource() string { return [...]string{"/F1", "/F2"}[f] }

// textLine is one line placed on a page: its baseline y, font and size, and
// its text already in WinAnsi bytes.
type textLine struct {
	y    float64
	font fontID
	size float64
	text []byte
}

// layout breaks the document into pages of placed lines.
func layout(d Document) ([][]textLine, error) {
	var pages [][]textLine
	var page []textLine
	y := pageHeight - margin
	place := func(font fontID, size float64, text []byte) error {
		step := size * leading
		if y-step < margin {
			pages = append(pages, page)
			if len(pages) >= MaxPages {
				return ErrTooLong
			}
			page, y = nil, pageHeight-margin
		}
		y -= step
		page = append(page, textLine{y: y, font: font, size: size, text: text})
		return nil
	}
	paragraph := func(font fontID, size float64, s string) error {
		for _, l := range wrap(winAnsi(s), font, size, textWidth) {
			if err := place(font, size, l); err != nil {
				return err
			}
		}
		return nil
	}
	if d.Title != "" {
		if err := paragraph(bold, titleSize, d.Title); err != nil {
			return nil, err
		}
		y -= bodySize * leading / 2
	}
	for _, line := range d.Lines {
		var err error
		if h, ok := strings.CutPrefix(line, HeadingPrefix); ok {
			y -= bodySize * leading / 2
			err = paragraph(bold, headingSize, h)
		} else {
			err = paragraph(regular, bodySize, line)
		}
		if err != nil {
			return nil, err
		}
	}
	return append(pages, page), nil
}

// wrap breaks text into lines no wider than width, at spaces where it can
// and inside a word only when the word alone is too wide. Spaces inside a
// line are kept (indentation shows); an empty text is one empty line.
func wrap(text []byte, font fontID, size, width float64) [][]byte {
	limit := width * 1000 / size // in glyph units
	var lines [][]byte
	var cur []byte
	curWidth := 0.0
	for _, word := range bytes.Split(text, []byte(" ")) {
		w := textUnits(word, font)
		space := float64(glyphWidth(font, ' '))
		switch {
		case cur != nil && curWidth+space+w <= limit:
			cur = append(append(cur, ' '), word...)
			curWidth += space + w
			continue
		case cur != nil:
			lines = append(lines, cur)
			cur, curWidth = nil, 0
		}
		for w > limit { // a word wider than a line: cut it
			n, nw := 0, 0.0
			for n < len(word) && nw+float64(glyphWidth(font, word[n])) <= limit {
				nw += float64(glyphWidth(font, word[n]))
				n++
			}
			n = max(n, 1)
			lines = append(lines, word[:n])
			word = word[n:]
			w = textUnits(word, font)
		}
		cur, curWidth = append(make([]byte, 0, len(word)), word...), w
	}
	return append(lines, cur)
}

func textUnits(b []byte, font fontID) float64 {
	w := 0
	for _, c := range b {
		w += glyphWidth(font, c)
	}
	return float64(w)
}

// write serialises the pages as a PDF file: header, objects, cross-reference
// table with the byte offset of each object, trailer.
func write(title string, pages [][]textLine) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") // the binary comment tells tools the file is not text
	var offsets []int                              // offsets[i] is object i+1's
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	// Objects 1-5 are fixed; each page then takes two: the page and its
	// content stream.
	const firstPage = 6
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", firstPage+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	obj(fmt.Sprintf("<< /Title %s /Producer (ers-sandbox) >>", textString(title)))
	for i, page := range pages {
		content := pageContent(page, i+1, len(pages))
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
			num(pageWidth), num(pageHeight), firstPage+2*i+1))
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n<< /Length %d >>\nstream\n", len(offsets), len(content))
		b.Write(content)
		b.WriteString("\nendstream\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off) // each entry exactly 20 bytes
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// pageContent is the content stream of one page: its lines and a footer
// with the page number.
func pageContent(lines []textLine, n, of int) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		fmt.Fprintf(&b, "BT %s %s Tf %s %s Td ", l.font.resource(), num(l.size), num(margin), num(l.y))
		b.Write(literal(l.text))
		b.WriteString(" Tj ET\n")
	}
	footer := fmt.Appendf(nil, "Page %d of %d", n, of)
	x := pageWidth - margin - textUnits(footer, regular)*footerSize/1000
	fmt.Fprintf(&b, "BT /F1 %s Tf %s %s Td ", num(footerSize), num(x), num(footerBottom))
	b.Write(literal(footer))
	b.WriteString(" Tj ET")
	return b.Bytes()
}

// num formats a coordinate with two decimals, the precision PDF readers use.
func num(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// literal writes bytes as a PDF literal string, escaping what the syntax
// needs: backslash, parentheses, and control characters as octal.
func literal(text []byte) []byte {
	out := make([]byte, 0, len(text)+2)
	out = append(out, '(')
	for _, c := range text {
		switch {
		case c == '\\' || c == '(' || c == ')':
			out = append(out, '\\', c)
		case c < 0x20 || c == 0x7f:
			out = fmt.Appendf(out, "\\%03o", c)
		default:
			out = append(out, c)
		}
	}
	return append(out, ')')
}

// textString encodes a document-information string: UTF-16BE with a byte
// order mark, in hex, which every reader accepts for any text.
func textString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, r := range s {
		if r == utf8.RuneError {
			r = '?'
		}
		if r > 0xFFFF {
			r -= 0x10000
			fmt.Fprintf(&b, "%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteString(">")
	return b.String()
}
