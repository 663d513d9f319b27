package document

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// maxPreviewLines bounds the preview: it is for reading on screen, and the
// file itself is saved whole.
const maxPreviewLines = 5000

// Preview is the text of a downloaded file for the preview pane, or a
// note saying why there is none.
func Preview(data []byte, contentType, name string) ([]string, string) {
	ct := strings.ToLower(contentType)
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case strings.Contains(ct, "pdf") || ext == ".pdf" || bytes.HasPrefix(data, []byte("%PDF-")):
		lines, err := pdfText(data)
		if err != nil {
			return nil, "The PDF's text could not be read (" + err.Error() + "). Press o to open it."
		}
		if len(lines) == 0 {
			return nil, "The PDF has no text to preview (it may be scanned images). Press o to open it."
		}
		return lines, ""
	case strings.HasPrefix(ct, "text/plain") || ext == ".txt":
		if !utf8.Valid(data) {
			return nil, "The text file is not UTF-8. Press o to open it."
		}
		return capLines(strings.Split(clean(string(data)), "\n")), ""
	}
	kind := contentType
	if kind == "" {
		kind = "this kind of file"
	}
	return nil, "There is no text preview for " + kind + ". Press o to open it."
}

// pdfText reads the text of a PDF, a row at a time. The parser is given
// bytes from outside, so a panic in it is turned into an error.
func pdfText(data []byte) (lines []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			lines, err = nil, fmt.Errorf("unreadable PDF: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		if i > 1 {
			lines = append(lines, "", fmt.Sprintf("— page %d —", i), "")
		}
		lines = append(lines, pageRows(p.Content().Text)...)
		if len(lines) >= maxPreviewLines {
			return lines[:maxPreviewLines], nil
		}
	}
	return lines, nil
}

// pageRows puts a page's glyphs back into lines: grouped by baseline, top
// to bottom, left to right, with a space where a gap stands for one.
func pageRows(texts []pdf.Text) []string {
	type row struct {
		y     int
		texts []pdf.Text
	}
	var rows []*row
	byY := map[int]*row{}
	for _, t := range texts {
		y := int(math.Round(t.Y))
		r := byY[y]
		if r == nil {
			r = &row{y: y}
			byY[y] = r
			rows = append(rows, r)
		}
		r.texts = append(r.texts, t)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].y > rows[j].y })
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		sort.SliceStable(r.texts, func(i, j int) bool { return r.texts[i].X < r.texts[j].X })
		var b strings.Builder
		for j, t := range r.texts {
			if j > 0 {
				prev := r.texts[j-1]
				gap := t.X - (prev.X + prev.W)
				if prev.W > 0 && gap > 0.25*max(t.FontSize, 1) && !strings.HasSuffix(prev.S, " ") && !strings.HasPrefix(t.S, " ") {
					b.WriteByte(' ')
				}
			}
			b.WriteString(t.S)
		}
		out = append(out, clean(b.String()))
	}
	return out
}

// clean drops what a terminal would act on (escape sequences, other
// control characters) from text read out of a file.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
}

func capLines(lines []string) []string {
	if len(lines) > maxPreviewLines {
		return lines[:maxPreviewLines]
	}
	return lines
}
