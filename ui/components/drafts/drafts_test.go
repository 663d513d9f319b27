package drafts_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ui/components/drafts"
)

func TestSaveLoadRemoveKeepsOneDraftPerKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "drafts")
	s := drafts.New(dir)
	k := drafts.Key("advice-new", "555000000001", "svc-1", "9990000018")

	if _, ok, err := s.Load(k); ok || err != nil {
		t.Fatalf("Load before any save = ok %v, err %v; want none", ok, err)
	}
	if err := s.Save(k, "first"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(k, "second, longer text"); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Load(k)
	if err != nil || !ok || got != "second, longer text" {
		t.Fatalf("Load = %q, %v, %v; want the second text", got, ok, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d files, want 1 (no temporary files left)", len(entries))
	}
	if err := s.Remove(k); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Load(k); ok {
		t.Fatal("draft still there after Remove")
	}
	if err := s.Remove(k); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
}

func TestSaveIsPrivateAndNamedByHashOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	dir := filepath.Join(t.TempDir(), "drafts")
	s := drafts.New(dir)
	k := drafts.Key("advice-new", "user", "svc", "9990000018")
	if err := s.Save(k, "clinical text"); err != nil {
		t.Fatal(err)
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", di.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := e.Info()
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
		if strings.Contains(e.Name(), "9990000018") || strings.Contains(e.Name(), "svc") {
			t.Errorf("file name %q discloses a key part", e.Name())
		}
	}
}

func TestEmptyTextRemovesTheDraft(t *testing.T) {
	s := drafts.New(t.TempDir())
	k := drafts.Key("x")
	if err := s.Save(k, "text"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(k, ""); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Load(k); ok {
		t.Fatal("an empty save left a draft")
	}
}

func TestKeyTellsPartsApart(t *testing.T) {
	if drafts.Key("ab", "c") == drafts.Key("a", "bc") {
		t.Fatal("parts run together")
	}
	if drafts.Key("a") != drafts.Key("a") {
		t.Fatal("key not stable")
	}
}

func TestNoDirectoryIsSaidPlainly(t *testing.T) {
	s := drafts.New("")
	if err := s.Save(drafts.Key("a"), "t"); !errors.Is(err, drafts.ErrNoDir) {
		t.Fatalf("Save without a directory = %v, want ErrNoDir", err)
	}
	if _, _, err := s.Load(drafts.Key("a")); !errors.Is(err, drafts.ErrNoDir) {
		t.Fatalf("Load without a directory = %v, want ErrNoDir", err)
	}
}

func TestBadKeysAreRefused(t *testing.T) {
	s := drafts.New(t.TempDir())
	for _, k := range []string{"", "../x", "a/b", "a.b"} {
		if err := s.Save(k, "t"); err == nil {
			t.Errorf("Save(%q) accepted", k)
		}
	}
}
