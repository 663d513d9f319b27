package pdf

import "unicode/utf8"

// winAnsi converts text to the WinAnsiEncoding bytes the standard fonts are
// declared with. Tabs become spaces, other control characters and runes the
// encoding lacks become '?', so nothing the caller passes can break the
// file.
func winAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\t':
			out = append(out, ' ')
		case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xff:
			out = append(out, byte(r))
		case r == utf8.RuneError:
			out = append(out, '?')
		default:
			if c, ok := winAnsiHigh[r]; ok {
				out = append(out, c)
			} else {
				out = append(out, '?')
			}
		}
	}
	return out
}

// winAnsiHigh maps the runes WinAnsiEncoding puts at 0x80-0x9F.
var winAnsiHigh = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b,
	'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
}

// glyphWidth is the advance width of a WinAnsi byte in thousandths of the
// font size, from the Adobe metrics of Helvetica and Helvetica-Bold. Bytes
// above 0x7E use a typical width, or a wide one for the glyphs known to be
// wide, so wrapping errs on the side of a shorter line.
func glyphWidth(f fontID, c byte) int {
	if c >= 0x20 && c <= 0x7e {
		if f == bold {
			return helveticaBold[c-0x20]
		}
		return helvetica[c-0x20]
	}
	switch c {
	case 0x85, 0x89, 0x97, 0x99, 0x8c, 0x9c, 0xc6, 0xe6, 0xbc, 0xbd, 0xbe: // … ‰ — ™ Œ œ Æ æ ¼ ½ ¾
		return 1000
	case 0xa9, 0xae: // © ®
		return 737
	case 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde:
		return 778 // accented capitals: as wide as the widest base letter
	}
	return 611
}

// helvetica and helveticaBold are the widths of 0x20-0x7E.
var helvetica = [95]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
}

var helveticaBold = [95]int{
	278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
	975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
	333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
	611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
}
