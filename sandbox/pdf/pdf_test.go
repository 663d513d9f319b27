package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func render(t *testing.T, d Document) []byte {
	t.Helper()
	b, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	checkStructure(t, b)
	return b
}

// checkStructure checks what makes a PDF file readable: the header, the
// trailer, a cross-reference table whose every offset points at its object,
// and stream lengths that match the streams.
func checkStructure(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) {
		t.Fatalf("does not start with %%PDF-1.4: %q", b[:min(len(b), 16)])
	}
	if !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatalf("does not end with %%%%EOF: %q", b[max(0, len(b)-16):])
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	var first, count int
	if _, err := fmt.Sscanf(string(b[xref:]), "xref\n%d %d\n", &first, &count); err != nil || first != 0 {
		t.Fatalf("bad xref header: %v", err)
	}
	entries := b[xref+len(fmt.Sprintf("xref\n0 %d\n", count)):]
	if !bytes.HasPrefix(entries, []byte("0000000000 65535 f \n")) {
		t.Fatalf("entry 0 is not the free list head: %q", entries[:20])
	}
	for i := 1; i < count; i++ {
		e := string(entries[20*i : 20*i+20])
		if !strings.HasSuffix(e, " 00000 n \n") {
			t.Fatalf("entry %d is not 20 bytes in use: %q", i, e)
		}
		off, _ := strconv.Atoi(e[:10])
		if want := fmt.Sprintf("%d 0 obj\n", i); !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Fatalf("entry %d points at %q, want %q", i, b[off:off+len(want)], want)
		}
	}
	if !bytes.Contains(b, fmt.Appendf(nil, "trailer\n<< /Size %d /Root 1 0 R", count)) {
		t.Errorf("the trailer's /Size is not %d", count)
	}
	for _, s := range regexp.MustCompile(`(?s)<< /Length (\d+) >>\nstream\n`).FindAllSubmatchIndex(b, -1) {
		n, _ := strconv.Atoi(string(b[s[2]:s[3]]))
		if end := s[1] + n; !bytes.HasPrefix(b[end:], []byte("\nendstream")) {
			t.Errorf("a stream of /Length %d does not end there", n)
		}
	}
}

func text(t *testing.T, b []byte) []string {
	t.Helper()
	lines, err := Text(b)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestRender(t *testing.T) {
	t.Run("a short document is one page with the title, the lines and a footer", func(t *testing.T) {
		b := render(t, Document{Title: "Clinical Information Summary", Lines: []string{"UBRN: 0000 0007 0000", "", "# Referral", "Priority: Routine"}})
		got := text(t, b)
		want := []string{"Clinical Information Summary", "UBRN: 0000 0007 0000", "", "Referral", "Priority: Routine", "Page 1 of 1"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("text %q, want %q", got, want)
		}
		if !bytes.Contains(b, []byte("/Count 1 ")) {
			t.Error("not one page")
		}
	})
	t.Run("the title and headings are bold and the body regular", func(t *testing.T) {
		b := render(t, Document{Title: "T", Lines: []string{"# H", "body"}})
		for _, want := range []string{"/F2 16 Tf", "/F2 12 Tf", "/F1 10 Tf", "/BaseFont /Helvetica-Bold", "/BaseFont /Helvetica "} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("missing %q", want)
			}
		}
	})
	t.Run("the title is the document's title in its properties", func(t *testing.T) {
		b := render(t, Document{Title: "Ab"})
		if !bytes.Contains(b, []byte("/Title <FEFF00410062>")) {
			t.Errorf("no UTF-16 title in %s", b)
		}
	})
	t.Run("parentheses and backslashes are escaped and read back unchanged", func(t *testing.T) {
		line := `Dr (locum) \ C:\path (nested (deep)) )(`
		b := render(t, Document{Lines: []string{line}})
		if got := text(t, b); got[0] != line {
			t.Errorf("read back %q, want %q", got[0], line)
		}
		if !bytes.Contains(b, []byte(`(Dr \(locum\) \\ C:\\path`)) {
			t.Error("not escaped in the stream")
		}
	})
	t.Run("control characters cannot break the file", func(t *testing.T) {
		b := render(t, Document{Lines: []string{"a\x00b\rc\nd\te"}})
		if got := text(t, b); got[0] != "a?b?c?d e" {
			t.Errorf("read back %q", got[0])
		}
	})
	t.Run("Latin letters and typographic punctuation survive, other scripts become ?", func(t *testing.T) {
		b := render(t, Document{Lines: []string{"Zoë Brontë – “quoted” £5 €6 … 日本", string([]byte{0xff, 'x'})}})
		got := text(t, b)
		if got[0] != "Zoë Brontë – “quoted” £5 €6 … ??" || got[1] != "?x" {
			t.Errorf("read back %q", got[:2])
		}
	})
	t.Run("a long line wraps at spaces within the page width", func(t *testing.T) {
		long := strings.Repeat("The patient reports chest pain on exertion. ", 20)
		b := render(t, Document{Lines: []string{long}})
		got := text(t, b)
		body := got[:len(got)-1]
		if len(body) < 3 {
			t.Fatalf("not wrapped: %d lines", len(body))
		}
		for _, l := range body {
			if w := textUnits(winAnsi(l), regular) * bodySize / 1000; w > textWidth {
				t.Errorf("line %q is %.0fpt, wider than %.0fpt", l, w, textWidth)
			}
			if strings.HasPrefix(l, " ") {
				t.Errorf("wrapped line starts with a space: %q", l)
			}
		}
		if joined := strings.Join(body, " "); joined != strings.TrimSpace(long)+" " && joined != strings.TrimSpace(long) {
			t.Errorf("words lost or changed in wrapping:\n%q", joined)
		}
	})
	t.Run("a word wider than the page is cut, not lost", func(t *testing.T) {
		word := strings.Repeat("W", 200)
		got := text(t, render(t, Document{Lines: []string{word}}))
		if strings.Join(got[:len(got)-1], "") != word || len(got) < 3 {
			t.Errorf("got %d lines %q", len(got), got)
		}
	})
	t.Run("indentation inside a line is kept", func(t *testing.T) {
		if got := text(t, render(t, Document{Lines: []string{"  indented"}})); got[0] != "  indented" {
			t.Errorf("got %q", got[0])
		}
	})
	t.Run("many lines break onto numbered pages", func(t *testing.T) {
		lines := make([]string, 200)
		for i := range lines {
			lines[i] = fmt.Sprintf("Line %03d", i)
		}
		b := render(t, Document{Title: "Long", Lines: lines})
		got := text(t, b)
		pages := 0
		for _, l := range got {
			if strings.HasPrefix(l, "Page ") {
				pages++
			}
		}
		if pages < 3 || !bytes.Contains(b, fmt.Appendf(nil, "/Count %d ", pages)) {
			t.Errorf("%d footers, want at least 3 matching /Count", pages)
		}
		if want := fmt.Sprintf("Page %d of %d", pages, pages); got[len(got)-1] != want {
			t.Errorf("last footer %q, want %q", got[len(got)-1], want)
		}
		for i := range lines {
			if !strings.Contains(strings.Join(got, "\n"), lines[i]) {
				t.Fatalf("line %q lost", lines[i])
			}
		}
	})
	t.Run("an empty document is still a valid one-page file", func(t *testing.T) {
		if got := text(t, render(t, Document{})); len(got) != 1 || got[0] != "Page 1 of 1" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("the same document always gives the same bytes", func(t *testing.T) {
		d := Document{Title: "Same", Lines: []string{"a", "b"}}
		if !bytes.Equal(render(t, d), render(t, d)) {
			t.Error("output differs")
		}
	})
	t.Run("a document beyond the page limit is refused", func(t *testing.T) {
		_, err := Render(Document{Lines: make([]string, MaxPages*80)})
		if err != ErrTooLong {
			t.Errorf("err = %v, want ErrTooLong", err)
		}
	})
}

func TestTextRefusesWhatIsNotAPDF(t *testing.T) {
	if _, err := Text([]byte("hello")); err == nil {
		t.Error("no error")
	}
}

// TestPopplerReadsTheFile checks the output with a real reader when one is
// installed (poppler-utils' pdftotext); it is not needed for the other tests.
func TestPopplerReadsTheFile(t *testing.T) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	lines := []string{"UBRN 000000070000", "Zoë (locum) \\ £5", strings.Repeat("wrap me ", 40)}
	for i := range 120 {
		lines = append(lines, fmt.Sprintf("row %d", i))
	}
	b := render(t, Document{Title: "Poppler check", Lines: lines})
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("Syntax Error")) {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, want := range []string{"Poppler check", "UBRN 000000070000", "Zoë (locum) \\ £5", "row 119", "Page 2 of"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	lines := make([]string, 60)
	for i := range lines {
		lines[i] = fmt.Sprintf("Line %d: the referral letter says something moderately long about the patient.", i)
	}
	d := Document{Title: "Clinical Information Summary", Lines: lines}
	for b.Loop() {
		if _, err := Render(d); err != nil {
			b.Fatal(err)
		}
	}
}
