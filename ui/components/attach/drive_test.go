package attach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ui/theme"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// drive feeds keys to m and runs what they start to its end, feeding the
// component's own answers back, as a program would.
func drive(t *testing.T, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		run(t, m, m.Update(uitest.Key(k)))
	}
}

// typeText types text into m.
func typeText(t *testing.T, m *Model, text string) {
	t.Helper()
	for _, msg := range uitest.Type(text) {
		run(t, m, m.Update(msg))
	}
}

func run(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("a command did not finish")
	}
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			run(t, m, c)
		}
	case dirRead, checked:
		run(t, m, m.Update(msg))
	}
}

// home is a home folder of letters, scans and things e-RS would refuse.
func home(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, size int) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("referral-letter.pdf", 2048)
	write("notes.txt", 10)
	write("empty.pdf", 0)
	write("tool.exe", 10)
	write("big-scan.tif", 5<<20+1)
	write(".secret.pdf", 10)
	write("Letters/discharge.pdf", 3<<20)
	write("Letters/photo.jpg", 100)
	write(".config/x.txt", 1)
	return dir
}

func newModel(t *testing.T, dir string) *Model {
	t.Helper()
	m := New(theme.New(theme.Default), func() (string, error) { return dir, nil })
	m.SetSize(80, 12)
	m.Focus()
	return m
}

func names(m *Model) []string {
	var out []string
	for _, f := range m.Files() {
		out = append(out, f.Name)
	}
	return out
}
