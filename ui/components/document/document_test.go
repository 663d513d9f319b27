package document

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/files"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/theme"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func text(body string) Fetch {
	return func(_ context.Context, w io.Writer) (*ersclient.Download, error) {
		_, _ = io.WriteString(w, body)
		return &ersclient.Download{FileName: "../note.txt", ContentType: "text/plain"}, nil
	}
}

func TestSaveWritesAPrivateSafeFileAndReadsItsText(t *testing.T) {
	dir := t.TempDir()
	saved, err := Save(context.Background(), files.New(dir), Source{Key: "k", Title: "Note", Fetch: text("line one\n\x1b[31mred")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(saved.Path, "/note.txt") || !strings.HasPrefix(saved.Path, dir) {
		t.Errorf("saved at %s", saved.Path)
	}
	if info, _ := os.Stat(saved.Path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", info.Mode().Perm())
	}
	if strings.ContainsRune(strings.Join(saved.Text, ""), '\x1b') || saved.Text[0] != "line one" {
		t.Errorf("text %q", saved.Text)
	}
}

func TestAFailedFetchLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	failing := func(_ context.Context, w io.Writer) (*ersclient.Download, error) {
		_, _ = io.WriteString(w, "partial")
		return nil, errors.New("connection reset")
	}
	if _, err := Save(context.Background(), files.New(dir), Source{Key: "k", Fetch: failing}); err == nil {
		t.Fatal("no error")
	}
	if list, _ := files.New(dir).List(); len(list) != 0 {
		t.Errorf("files left: %v", list)
	}
}

func TestTextWrapsOncePerWidth(t *testing.T) {
	tx := NewText([]string{strings.Repeat("word ", 40)})
	a := tx.Lines(20)
	if len(a) < 10 {
		t.Fatalf("not wrapped: %q", a)
	}
	if &tx.Lines(20)[0] != &a[0] {
		t.Error("the same width wrapped again")
	}
	if len(tx.Lines(100)) >= len(a) {
		t.Error("a wider width did not re-wrap")
	}
}

func TestSetDownloadsKeepsAndShowsThePane(t *testing.T) {
	dir := t.TempDir()
	s := New(theme.New(theme.Default), Options{Dir: dir, Viewer: Viewer{Getenv: func(string) string { return "" }}})
	s.Focus("k")
	src := Source{Key: "k", Title: "Note", Fetch: text("synthetic preview text")}
	drive(s, s.Download(src))
	d := s.Doc("k")
	if d == nil || d.Path == "" || d.Badge() != "[saved]" {
		t.Fatalf("not saved: %+v", d)
	}
	for _, w := range [][2]int{{40, 6}, {80, 10}} {
		v := s.View("", w[0], w[1])
		uitest.AssertFrame(t, v, w[0], w[1])
		if !strings.Contains(ansi.Strip(v), "synthetic preview text") {
			t.Errorf("pane lacks the preview:\n%s", v)
		}
	}
	drive(s, s.Keep("k"))
	if !s.Doc("k").Kept || s.CanKeep("k") {
		t.Errorf("not kept: %+v", s.Doc("k"))
	}
	out := drive(s, s.Open("k"))
	if len(out) == 0 || !strings.Contains(out[len(out)-1].(screen.Toast).Text, "No display") {
		t.Errorf("open without a display: %v", out)
	}
}

func TestWithoutAFolderNothingIsFetched(t *testing.T) {
	s := New(theme.New(theme.Default), Options{})
	called := false
	out := drive(s, s.Download(Source{Key: "k", Fetch: func(context.Context, io.Writer) (*ersclient.Download, error) {
		called = true
		return nil, nil
	}}))
	if called || len(out) == 0 || out[0].(screen.Toast).Level != screen.Warning {
		t.Errorf("called %v, out %v", called, out)
	}
}
