package attach

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/theme"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func TestEveryRefusalIsInWordsBeforeAnyUpload(t *testing.T) {
	dir := home(t)
	h := func() (string, error) { return dir, nil }
	for _, c := range []struct{ typed, problem string }{
		{"", "Type the path of a file to attach."},
		{"  ", "Type the path of a file to attach."},
		{filepath.Join(dir, "tool.exe"), "e-RS does not accept files like tool.exe"},
		{filepath.Join(dir, "missing.pdf"), "No file can be read at"},
		{filepath.Join(dir, "Letters"), "is a folder, not a file."},
		{filepath.Join(dir, "empty.pdf"), "empty.pdf is empty."},
		{filepath.Join(dir, "big-scan.tif"), "big-scan.tif is 5.0 MB; e-RS accepts files up to 5 MB."},
	} {
		f, problem := statFile(c.typed, h)
		if !strings.Contains(problem, c.problem) || f != (File{}) {
			t.Errorf("%q: %+v, problem %q; want %q", c.typed, f, problem, c.problem)
		}
	}
	for _, typed := range []string{filepath.Join(dir, "referral-letter.pdf"), "~/referral-letter.pdf", " ~/Letters/../referral-letter.pdf "} {
		f, problem := statFile(typed, h)
		want := File{Path: filepath.Join(dir, "referral-letter.pdf"), Name: "referral-letter.pdf", Size: 2048}
		if problem != "" || f != want {
			t.Errorf("%q: %+v, %q; want %+v", typed, f, problem, want)
		}
	}
}

func TestAnUnreadableFileIsRefused(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "locked.pdf")
	if err := os.WriteFile(p, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	if _, problem := statFile(p, nil); !strings.Contains(problem, "locked.pdf cannot be read") {
		t.Fatalf("problem %q", problem)
	}
}

func TestThePickerStartsAtHomeListingFoldersFirstAndOnlyWhatERSAccepts(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	if m.Capturing() {
		t.Fatal("capturing before the picker opened")
	}
	drive(t, m, "a")
	if !m.Capturing() {
		t.Fatal("the open picker does not capture the keys")
	}
	var got []string
	for _, e := range m.dir.entries {
		got = append(got, e.name)
	}
	want := []string{"Letters", "big-scan.tif", "empty.pdf", "notes.txt", "referral-letter.pdf"}
	if !slices.Equal(got, want) || m.dir.dir != dir {
		t.Fatalf("picker at %s lists %v, want %v at %s", m.dir.dir, got, want, dir)
	}
	view := ansi.Strip(m.View())
	for _, s := range []string{"Letters/", "2 KB", "5.0 MB — over 5 MB", "10 bytes"} {
		if !strings.Contains(view, s) {
			t.Errorf("the picker does not show %q:\n%s", s, view)
		}
	}
	drive(t, m, ".")
	if e, _ := m.dir.current(); !m.dir.hidden || len(m.dir.entries) != 7 || e.name != "Letters" {
		t.Fatalf("hidden shown: %v, %d entries, cursor on %q", m.dir.hidden, len(m.dir.entries), e.name)
	}
}

func TestBrowseIntoAFolderChooseAndComeBack(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	drive(t, m, "a", "enter") // into Letters
	if m.dir.dir != filepath.Join(dir, "Letters") || len(m.dir.entries) != 2 {
		t.Fatalf("in %s with %v", m.dir.dir, m.dir.entries)
	}
	drive(t, m, "left")
	if e, _ := m.dir.current(); m.dir.dir != dir || e.name != "Letters" {
		t.Fatalf("back in %s on %q; want %s on Letters", m.dir.dir, e.name, dir)
	}
	drive(t, m, "enter", "enter") // Letters, then discharge.pdf
	if got := names(m); !slices.Equal(got, []string{"discharge.pdf"}) || m.Capturing() || !m.Dirty() {
		t.Fatalf("files %v, capturing %v, dirty %v", got, m.Capturing(), m.Dirty())
	}
	drive(t, m, "a", "down", "enter") // the picker reopens where it was: photo.jpg
	if got := names(m); !slices.Equal(got, []string{"discharge.pdf", "photo.jpg"}) {
		t.Fatalf("files %v", got)
	}
	drive(t, m, "a", "up", "enter")
	if !strings.Contains(m.Problem(), "discharge.pdf is already attached.") || len(m.Files()) != 2 {
		t.Fatalf("a file chosen twice: %q, %v", m.Problem(), names(m))
	}
	drive(t, m, "esc", "k", "d")
	if got := names(m); !slices.Equal(got, []string{"photo.jpg"}) {
		t.Fatalf("after removing the first: %v", got)
	}
	drive(t, m, "delete")
	if m.Dirty() || len(m.Files()) != 0 {
		t.Fatalf("after removing both: %v", names(m))
	}
}

func TestThePickerRefusesWhatERSWouldRefuse(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	drive(t, m, "a", "down") // big-scan.tif
	drive(t, m, "enter")
	if !strings.Contains(m.Problem(), "e-RS accepts files up to 5 MB") || m.Dirty() {
		t.Fatalf("an oversized file: problem %q, files %v", m.Problem(), names(m))
	}
	if !strings.Contains(ansi.Strip(m.View()), "e-RS accepts files up to 5 MB") {
		t.Fatalf("the refusal is not shown:\n%s", ansi.Strip(m.View()))
	}
	drive(t, m, "down", "enter") // empty.pdf
	if !strings.Contains(m.Problem(), "empty.pdf is empty.") || m.Dirty() {
		t.Fatalf("an empty file: problem %q", m.Problem())
	}
	if err := os.Remove(filepath.Join(dir, "notes.txt")); err != nil {
		t.Fatal(err)
	}
	drive(t, m, "down", "enter") // notes.txt, gone since the folder was read
	if !strings.Contains(m.Problem(), "No file can be read at") || m.Dirty() {
		t.Fatalf("a vanished file: problem %q", m.Problem())
	}
}

func TestATypedPathIsCheckedAndTabSwitchesBack(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	drive(t, m, "a", "tab")
	if m.mode != modeTyped || !m.Capturing() || m.path.Value() != dir+"/" {
		t.Fatalf("mode %v, capturing %v, typed %q", m.mode, m.Capturing(), m.path.Value())
	}
	typeText(t, m, "tool.exe")
	drive(t, m, "enter")
	if !strings.Contains(m.Problem(), "does not accept files like tool.exe") || m.Dirty() {
		t.Fatalf("problem %q", m.Problem())
	}
	for range len("tool.exe") {
		drive(t, m, "backspace")
	}
	typeText(t, m, "notes.txt")
	drive(t, m, "enter")
	if got := names(m); !slices.Equal(got, []string{"notes.txt"}) || m.Capturing() || m.path.Value() != "" {
		t.Fatalf("files %v, capturing %v, typed %q", got, m.Capturing(), m.path.Value())
	}
	drive(t, m, "a", "tab", "tab")
	if m.mode != modeBrowse {
		t.Fatalf("tab from the typed path: mode %v", m.mode)
	}
	drive(t, m, "esc")
	if m.Capturing() || m.mode != modeList {
		t.Fatal("esc did not close the picker")
	}
}

func TestAnAnswerForAPathNoLongerChosenIsIgnored(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	drive(t, m, "a", "tab")
	first := m.check(filepath.Join(dir, "notes.txt"))
	second := m.check(filepath.Join(dir, "referral-letter.pdf"))
	run(t, m, first)
	if m.Dirty() || m.Problem() != "" {
		t.Fatalf("the answer for a path no longer chosen was used: %v %q", names(m), m.Problem())
	}
	run(t, m, second)
	if got := names(m); !slices.Equal(got, []string{"referral-letter.pdf"}) {
		t.Fatalf("files %v", got)
	}

	drive(t, m, "a", "tab")
	late := m.check(filepath.Join(dir, "notes.txt"))
	typeText(t, m, "x") // typed on while it was checked
	run(t, m, late)
	drive(t, m, "esc")
	closed := m.check(filepath.Join(dir, "notes.txt"))
	m.closePicker()
	run(t, m, closed)
	if got := names(m); !slices.Equal(got, []string{"referral-letter.pdf"}) {
		t.Fatalf("an answer after typing on or closing was used: %v", got)
	}
	other := newModel(t, dir)
	run(t, other, m.check(filepath.Join(dir, "notes.txt")))
	if other.Dirty() {
		t.Fatal("one component used another's answer")
	}
}

func TestAStaleFolderReadIsDropped(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	drive(t, m, "a")
	slow := m.readDir(filepath.Join(dir, "Letters"), "")
	run(t, m, m.readDir(dir, "notes.txt"))
	run(t, m, slow)
	if e, _ := m.dir.current(); m.dir.dir != dir || e.name != "notes.txt" {
		t.Fatalf("in %s on %q; the older read won", m.dir.dir, e.name)
	}
}

func TestAnUnreadableFolderKeepsThePickerWhereItWas(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	drive(t, m, "a")
	run(t, m, m.readDir(filepath.Join(dir, "gone"), ""))
	if m.dir.dir != dir || !strings.Contains(m.Problem(), "cannot be read") {
		t.Fatalf("in %s, problem %q", m.dir.dir, m.Problem())
	}
	noHome := New(theme.New(theme.Default), func() (string, error) { return "", errors.New("no home") })
	noHome.SetSize(80, 10)
	noHome.Focus()
	drive(t, noHome, "a")
	if noHome.dir.dir != "/" || !strings.Contains(noHome.Problem(), "home folder cannot be found") {
		t.Fatalf("without a home: in %q, problem %q", noHome.dir.dir, noHome.Problem())
	}
}

func TestKeysAreOnlyEnabledWhenUsable(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	enabled := func() []string {
		var out []string
		for _, b := range m.KeyMap() {
			if b.Enabled() {
				out = append(out, b.Help().Key)
			}
		}
		return out
	}
	if got := enabled(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("empty list: %v", got)
	}
	if m.Handles(uitest.Key("d")) || m.Handles(uitest.Key("tab")) || !m.Handles(uitest.Key("a")) {
		t.Fatal("Handles disagrees with the keys enabled")
	}
	drive(t, m, "a")
	if got := enabled(); !slices.Contains(got, "esc") || !slices.Contains(got, "←") {
		t.Fatalf("picker: %v", got)
	}
	if !m.Handles(uitest.Key("q")) {
		t.Fatal("the open picker lets keys go")
	}
	m.Blur()
	for _, b := range m.KeyMap() {
		if b.Enabled() {
			t.Fatalf("blurred, %q is enabled", b.Help().Key)
		}
	}
	if m.Capturing() || m.Handles(uitest.Key("a")) {
		t.Fatal("blurred, still capturing")
	}
	if cmd := m.Update(uitest.Key("a")); cmd != nil || m.mode != modeList {
		t.Fatal("blurred, a key was used")
	}
	var _ []key.Binding = m.KeyMap()
}

func TestSetFilesKeepsTheUploadIDs(t *testing.T) {
	m := newModel(t, home(t))
	m.SetFiles([]File{{Path: "/a.pdf", Name: "a.pdf", Size: 1, ID: "att-1"}, {Path: "/b.pdf", Name: "b.pdf", Size: 2}})
	files := m.Files()
	files[0].ID = "changed"
	if got := m.Files(); got[0].ID != "att-1" || got[1].ID != "" {
		t.Fatalf("files %+v", got)
	}
	if !strings.Contains(ansi.Strip(m.View()), "a.pdf  1 bytes  (uploaded)") {
		t.Fatalf("view:\n%s", ansi.Strip(m.View()))
	}
}

func TestTheFrameIsExactAtEverySizeAndMode(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	sizes := []uitest.Size{{W: 1, H: 1}, {W: 10, H: 1}, {W: 20, H: 3}, {W: 40, H: 2}}
	for _, s := range uitest.Sizes() {
		sizes = append(sizes, uitest.Size{W: s.W, H: s.H / 3})
	}
	for _, keys := range [][]string{nil, {"a"}, {"enter"}, {"tab"}, {"tab"}, {"esc", "a", "esc", "j"}} {
		drive(t, m, keys...)
		for _, s := range sizes {
			m.SetSize(s.W, s.H)
			uitest.AssertFrame(t, m.View(), s.W, s.H)
		}
		m.SetSize(80, 12)
	}
}

func TestViewGoldens(t *testing.T) {
	dir := home(t)
	m := newModel(t, dir)
	// The temporary home is named for the golden; lines lose the padding
	// that its length changed.
	view := func() string {
		lines := strings.Split(strings.ReplaceAll(ansi.Strip(m.View()), dir, "/home/clerk"), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		return strings.Join(lines, "\n")
	}
	uitest.Golden(t, "empty_80x12", view())
	drive(t, m, "a")
	uitest.Golden(t, "picker_80x12", view())
	drive(t, m, "enter")
	m.SetSize(120, 8)
	uitest.Golden(t, "folder_120x8", view())
	drive(t, m, "enter", "a", "down", "enter", "a", "tab")
	m.SetSize(80, 12)
	uitest.Golden(t, "typed_80x12", view())
	drive(t, m, "esc")
	uitest.Golden(t, "chosen_80x12", view())
}

var _ = ersclient.MaxAttachmentBytes
