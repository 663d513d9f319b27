package ersclient

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFileNamesFromContentDisposition(t *testing.T) {
	cases := []struct {
		name, header, want string
	}{
		{"a quoted plain name", `attachment; filename="000000070000_Clinical_Information_Summary_20210706114852.pdf"`, "000000070000_Clinical_Information_Summary_20210706114852.pdf"},
		{"an unquoted name", `attachment; filename=example_attachment.pdf`, "example_attachment.pdf"},
		{"the RFC 5987 form wins over the encoded word", `attachment; filename="=?UTF-8?Q?The_filenam=C3=A9.pdf?="; filename*=UTF-8''The%20filenam%C3%A9.pdf`, "The filenamé.pdf"},
		{"an RFC 2047 encoded word alone", `attachment; filename="=?UTF-8?Q?The_filenam=C3=A9.pdf?="`, "The filenamé.pdf"},
		{"a path is reduced to its last part", `attachment; filename="../../etc/passwd"`, "passwd"},
		{"a Windows path too", `attachment; filename="..\\..\\boot.ini"`, "boot.ini"},
		{"a hidden file loses its dot", `attachment; filename=".bashrc"`, "bashrc"},
		{"dots alone fall back", `attachment; filename=".."`, "fallback.pdf"},
		{"reserved characters are replaced", `attachment; filename="a:b*c?.pdf"`, "a_b_c_.pdf"},
		{"no header falls back", ``, "fallback.pdf"},
		{"a malformed header still yields its name", `attachment; filename=report.pdf; size=`, "report.pdf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := FileNameFromDisposition(c.header, "fallback.pdf"); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestLongFileNamesKeepTheirExtension(t *testing.T) {
	got := SanitizeFileName(strings.Repeat("é", 200) + ".pdf")
	if len(got) > maxFileName || !strings.HasSuffix(got, ".pdf") || !utf8.ValidString(got) {
		t.Errorf("got %q (%d bytes)", got, len(got))
	}
}

func FuzzContentDisposition(f *testing.F) {
	for _, seed := range []string{
		`attachment; filename="x.pdf"`,
		`attachment; filename="=?UTF-8?Q?The_filenam=C3=A9.pdf?="; filename*=UTF-8''The%20filenam%C3%A9.pdf`,
		`attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd`,
		`inline; filename="a\\b/c"`,
		``, `;;;`, `attachment; filename="\x00evil"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		name := FileNameFromDisposition(header, "fallback.bin")
		if name == "" {
			t.Fatal("empty file name")
		}
		if strings.ContainsAny(name, "/\\\x00") || name == "." || name == ".." || strings.HasPrefix(name, ".") {
			t.Fatalf("unsafe file name %q from %q", name, header)
		}
		if len(name) > maxFileName+16 {
			t.Fatalf("file name of %d bytes", len(name))
		}
	})
}
