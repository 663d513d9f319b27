package actions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
)

func TestTypedAttachmentPathsAreCheckedBeforeUpload(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("x", int(size))), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("letter.pdf", 10)
	empty := write("empty.pdf", 0)
	big := write("scan.pdf", ersclient.MaxAttachmentBytes+1)
	home := func() (string, error) { return dir, nil }
	for _, c := range []struct {
		typed, problem string
	}{
		{"", "Type the path of a file to attach."},
		{filepath.Join(dir, "tool.exe"), "e-RS does not accept files like tool.exe"},
		{filepath.Join(dir, "missing.pdf"), "No file can be read at"},
		{dir + "/", "e-RS does not accept files like"},
		{empty, "empty.pdf is empty."},
		{big, "e-RS accepts files up to 5 MB"},
		{good, ""},
		{"~/letter.pdf", ""},
	} {
		a, problem := statAttachment(c.typed, home)
		if c.problem == "" {
			if problem != "" || a.path != good || a.size != 10 {
				t.Errorf("%q: %+v, %q; want the letter", c.typed, a, problem)
			}
			continue
		}
		if !strings.Contains(problem, c.problem) {
			t.Errorf("%q: problem %q, want %q", c.typed, problem, c.problem)
		}
	}
}

func TestACheckedFileIsAddedOnceAndOnlyForThePathStillTyped(t *testing.T) {
	f := &form{}
	f.path.SetValue("/tmp/a.pdf")
	ok := attachmentChecked{typed: "/tmp/a.pdf", file: attachment{path: "/tmp/a.pdf", name: "a.pdf", size: 1}}
	if p := f.addChecked(ok); p != "" || len(f.files) != 1 || f.path.Value() != "" {
		t.Fatalf("first add: %q, files %v, typed %q", p, f.files, f.path.Value())
	}
	f.path.SetValue("/tmp/a.pdf")
	if p := f.addChecked(ok); !strings.Contains(p, "already attached") || len(f.files) != 1 {
		t.Fatalf("second add: %q, files %v", p, f.files)
	}
	f.path.SetValue("/tmp/b.pdf") // typed on while the first was checked
	if p := f.addChecked(ok); p != "" || len(f.files) != 1 {
		t.Fatalf("an answer for a path no longer typed was used: %q, files %v", p, f.files)
	}
}
