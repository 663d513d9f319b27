package files

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeNameKeepsOnlyAHarmlessLastElement(t *testing.T) {
	cases := []struct{ in, want string }{
		{"../../etc/passwd", "passwd"},
		{`..\..\Windows\system.ini`, "system.ini"},
		{"/absolute/path/letter.pdf", "letter.pdf"},
		{"..", DefaultName},
		{".hidden", "hidden"},
		{"...pdf", "pdf"},
		{"", DefaultName},
		{"   ", DefaultName},
		{"bell\a and\nnewline.pdf", "bell_ and_newline.pdf"},
		{"tab\tname.txt", "tab_name.txt"},
		{`a<b>c:d"e|f?g*h.pdf`, "a_b_c_d_e_f_g_h.pdf"},
		{"report\u202Efdp.exe", "report_fdp.exe"},
		{"Clinical Information – Müller.pdf", "Clinical Information – Müller.pdf"},
		{"trailing dots...", "trailing dots"},
		{"CON.txt", "_CON.txt"},
		{"nul", "_nul"},
		{"COM1.pdf", "_COM1.pdf"},
		{"COMMON.pdf", "COMMON.pdf"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := SafeName(c.in); got != c.want {
				t.Errorf("SafeName(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestSafeNameCapsLongNamesAndKeepsTheExtension(t *testing.T) {
	for _, in := range []string{strings.Repeat("é", 200) + ".pdf", strings.Repeat("x", 500) + ".pdf", strings.Repeat("日本", 100)} {
		got := SafeName(in)
		if len(got) > MaxNameBytes {
			t.Errorf("%d bytes: %q", len(got), got)
		}
		if !utf8.ValidString(got) {
			t.Errorf("a rune was cut in half: %q", got)
		}
		if strings.HasSuffix(in, ".pdf") && !strings.HasSuffix(got, ".pdf") {
			t.Errorf("extension lost: %q", got)
		}
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"../../etc/passwd", "a/b\\c", ".", "\x00", "é.pdf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SafeName(in)
		if got == "" || strings.ContainsAny(got, `/\`) || strings.HasPrefix(got, ".") || len(got) > MaxNameBytes {
			t.Fatalf("SafeName(%q) = %q", in, got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("SafeName(%q) = %q keeps a control character", in, got)
			}
		}
	})
}
