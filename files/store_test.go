package files

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	return New(filepath.Join(t.TempDir(), "downloads"))
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func TestSaveWritesPrivateFilesInAPrivateDirectory(t *testing.T) {
	s := newStore(t)
	path, err := s.Save("letter.pdf", strings.NewReader("%PDF-1.4"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != s.Dir() || filepath.Base(path) != "letter.pdf" {
		t.Errorf("saved at %s", path)
	}
	if got := mode(t, path); got != 0o600 {
		t.Errorf("file mode %v, want 0600", got)
	}
	if got := mode(t, s.Dir()); got != 0o700 {
		t.Errorf("directory mode %v, want 0700", got)
	}
	if b, _ := os.ReadFile(path); string(b) != "%PDF-1.4" {
		t.Errorf("content %q", b)
	}
}

func TestSaveNarrowsAWideExistingDirectory(t *testing.T) {
	s := newStore(t)
	if err := os.MkdirAll(s.Dir(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.Dir(), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save("a.txt", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, s.Dir()); got != 0o700 {
		t.Errorf("directory mode %v, want 0700", got)
	}
}

func TestSaveNeverLeavesTheDirectory(t *testing.T) {
	s := newStore(t)
	for _, name := range []string{"../../etc/passwd", "../escape.txt", `..\..\evil.bat`, "/etc/shadow", ".."} {
		path, err := s.Save(name, strings.NewReader("x"))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if filepath.Dir(path) != s.Dir() {
			t.Errorf("%q saved outside the directory: %s", name, path)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(s.Dir()), "escape.txt")); err == nil {
		t.Error("a file escaped into the parent directory")
	}
}

func TestSaveNumbersClashesInsteadOfOverwriting(t *testing.T) {
	s := newStore(t)
	var paths []string
	for i, body := range []string{"one", "two", "three"} {
		path, err := s.Save("Clinical Information.pdf", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
		if b, _ := os.ReadFile(path); string(b) != body {
			t.Errorf("save %d: content %q", i, b)
		}
	}
	want := []string{"Clinical Information.pdf", "Clinical Information (2).pdf", "Clinical Information (3).pdf"}
	for i, p := range paths {
		if filepath.Base(p) != want[i] {
			t.Errorf("save %d named %q, want %q", i, filepath.Base(p), want[i])
		}
	}
}

func TestSaveKeepsUnicodeNames(t *testing.T) {
	s := newStore(t)
	path, err := s.Save("Résumé – 日本.pdf", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "Résumé – 日本.pdf" {
		t.Errorf("named %q", filepath.Base(path))
	}
}

func TestSaveRemovesAPartialFileWhenTheCopyFails(t *testing.T) {
	s := newStore(t)
	boom := errors.New("connection reset")
	if _, err := s.Save("half.pdf", iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	files, err := s.List()
	if err != nil || len(files) != 0 {
		t.Fatalf("left behind %v (%v)", files, err)
	}
}

func TestSaveWithoutADirectoryFails(t *testing.T) {
	if _, err := New("").Save("a.txt", strings.NewReader("x")); err == nil {
		t.Fatal("saved with no directory configured")
	}
}

func TestKeepSurvivesRemoveUnkeptEvenFromAnotherStore(t *testing.T) {
	s := newStore(t)
	keep, _ := s.Save("keep.pdf", strings.NewReader("k"))
	drop, _ := s.Save("drop.pdf", strings.NewReader("d"))
	kept, err := s.Keep(keep)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(kept) != filepath.Join(s.Dir(), KeptDir) {
		t.Errorf("kept at %s", kept)
	}
	if again, err := s.Keep(kept); err != nil || again != kept {
		t.Errorf("keeping twice: %s, %v", again, err)
	}
	// Sign-out builds its own store on the same directory.
	if err := New(s.Dir()).RemoveUnkept(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(drop); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("unkept file still there: %v", err)
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != "k" {
		t.Errorf("kept file lost: %q %v", b, err)
	}
	if got := mode(t, filepath.Join(s.Dir(), KeptDir)); got != 0o700 {
		t.Errorf("kept directory mode %v", got)
	}
}

func TestKeepDoesNotReplaceAKeptFileOfTheSameName(t *testing.T) {
	s := newStore(t)
	first, _ := s.Save("same.pdf", strings.NewReader("first"))
	k1, err := s.Keep(first)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := s.Save("same.pdf", strings.NewReader("second"))
	k2, err := s.Keep(second)
	if err != nil {
		t.Fatal(err)
	}
	if k1 == k2 {
		t.Fatalf("both kept at %s", k1)
	}
	if b, _ := os.ReadFile(k1); string(b) != "first" {
		t.Errorf("first kept file now holds %q", b)
	}
}

func TestKeepRefusesPathsOutsideTheStore(t *testing.T) {
	s := newStore(t)
	if _, err := s.Save("a.txt", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "other.txt")
	if err := os.WriteFile(outside, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{outside, filepath.Join(s.Dir(), "..", "other.txt"), s.Dir()} {
		if _, err := s.Keep(p); err == nil {
			t.Errorf("kept %s", p)
		}
	}
}

func TestListShowsUnkeptThenKept(t *testing.T) {
	s := newStore(t)
	if files, err := s.List(); err != nil || len(files) != 0 {
		t.Fatalf("empty store lists %v, %v", files, err)
	}
	b, _ := s.Save("b.pdf", strings.NewReader("bb"))
	s.Save("a.pdf", strings.NewReader("a"))
	if _, err := s.Keep(b); err != nil {
		t.Fatal(err)
	}
	files, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != "a.pdf" || files[0].Kept || files[1].Name != "b.pdf" || !files[1].Kept || files[1].Size != 2 {
		t.Fatalf("list = %+v", files)
	}
}

func TestRemoveUnkeptWithNoDirectoryIsFine(t *testing.T) {
	if err := newStore(t).RemoveUnkept(); err != nil {
		t.Fatal(err)
	}
}
