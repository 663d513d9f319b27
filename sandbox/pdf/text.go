package pdf

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
)

// showText finds the text-showing operators this package writes: a literal
// string followed by Tj.
var showText = regexp.MustCompile(`\(((?:[^()\\]|\\[0-7]{1,3}|\\.)*)\) Tj`)

// Text returns the lines of text in a PDF written by Render, in order,
// including the page footers. It reads only what this package writes
// (uncompressed streams, literal strings, WinAnsi); it is for tests, here
// and in the handlers that serve PDFs, not for PDFs from elsewhere.
func Text(doc []byte) ([]string, error) {
	if !bytes.HasPrefix(doc, []byte("%PDF-")) {
		return nil, errors.New("pdf: not a PDF file")
	}
	var lines []string
	for _, m := range showText.FindAllSubmatch(doc, -1) {
		lines = append(lines, fromWinAnsi(unescape(m[1])))
	}
	return lines, nil
}

// unescape reverses literal.
func unescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		i++
		if b[i] < '0' || b[i] > '7' {
			out = append(out, b[i])
			continue
		}
		v, n := 0, 0
		for ; n < 3 && i+n < len(b) && b[i+n] >= '0' && b[i+n] <= '7'; n++ {
			v = v*8 + int(b[i+n]-'0')
		}
		out = append(out, byte(v))
		i += n - 1
	}
	return out
}

// fromWinAnsi reverses winAnsi for the bytes it writes.
func fromWinAnsi(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c >= 0x80 && c <= 0x9f {
			if r, ok := winAnsiRune(c); ok {
				s.WriteRune(r)
				continue
			}
		}
		s.WriteRune(rune(c))
	}
	return s.String()
}

func winAnsiRune(c byte) (rune, bool) {
	for r, b := range winAnsiHigh {
		if b == c {
			return r, true
		}
	}
	return 0, false
}
