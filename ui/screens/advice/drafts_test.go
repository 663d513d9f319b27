package advice

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDraftsAreKeptPrivatelyUnderAHashedNameAndRemoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "drafts")
	d := NewDrafts(dir)
	if err := d.Save("000000000201", "advice-response:"+ubrn, "synthetic advice text"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode %v (%v)", info.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("want one file, got %v", entries)
	}
	name := entries[0].Name()
	for _, secret := range []string{ubrn, "000000000201", "synthetic"} {
		if strings.Contains(name, secret) {
			t.Errorf("file name %q reveals %q", name, secret)
		}
	}
	fi, _ := entries[0].Info()
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", fi.Mode().Perm())
	}
	if text, ok, err := d.Load("000000000201", "advice-response:"+ubrn); err != nil || !ok || text != "synthetic advice text" {
		t.Fatalf("load: %q %v %v", text, ok, err)
	}
	if _, ok, _ := d.Load("000000000999", "advice-response:"+ubrn); ok {
		t.Error("another user's draft was loaded")
	}
	if err := d.Remove("000000000201", "advice-response:"+ubrn); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := d.Load("000000000201", "advice-response:"+ubrn); ok {
		t.Error("draft still there after removal")
	}
}

func TestWithoutAFolderOrUserDraftsDoNothing(t *testing.T) {
	if err := NewDrafts("").Save("u", "k", "x"); err != nil {
		t.Fatal(err)
	}
	d := NewDrafts(t.TempDir())
	if err := d.Save("", "k", "x"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := d.Load("", "k"); ok {
		t.Error("a draft without a user was kept")
	}
}
