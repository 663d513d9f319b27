package advice

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

const (
	ubrn = "000000070000"
	nhsN = "9990000018" // synthetic, valid check digit
)

func request(version string, cat ersclient.AdviceStatus) *ersclient.AdviceRequest {
	return requestAs(version, cat, "")
}

// requestAs is a request with the referrer's conversion authorisation
// code ("" for none given).
func requestAs(version string, cat ersclient.AdviceStatus, conversion string) *ersclient.AdviceRequest {
	cr := &fhir.CommunicationRequest{
		DomainResource: fhir.DomainResource{ResourceType: "CommunicationRequest", ID: ubrn, Meta: &fhir.Meta{VersionID: version}},
		Status:         "active",
		Category:       []fhir.CodeableConcept{{Coding: []fhir.Coding{{System: fhir.CSAdviceAndGuidanceStatus, Code: string(cat)}}}},
		Subject:        &fhir.Reference{Identifier: &fhir.Identifier{Value: nhsN}},
	}
	if conversion != "" {
		cr.Extension = fhir.Extensions{{URL: fhir.ExtProviderConversion,
			Value: fhir.Value{ValueCoding: &fhir.Coding{System: fhir.CSProviderConversionAuth, Code: conversion}}}}
	}
	return &ersclient.AdviceRequest{Resource: cr, Version: version}
}

func thread(n int) *ersclient.AdviceThread {
	th := &ersclient.AdviceThread{UBRN: ubrn, Version: "5"}
	for i := range n {
		by := ersclient.SentByRequester
		if i%2 == 1 {
			by = ersclient.SentByResponder
		}
		th.Messages = append(th.Messages, ersclient.AdviceMessage{
			ID: fmt.Sprint(i), SentBy: by, SenderSDS: "000000000101", SenderOrg: "Y10001", SenderRole: "Referring clinician",
			Sent: time.Date(2026, 11, 20, 9, i%60, 0, 0, time.UTC),
			Text: fmt.Sprintf("Message %d: synthetic question about a synthetic patient. ", i) + strings.Repeat("More synthetic words follow here. ", 6),
		})
	}
	return th
}

type world struct {
	t    *testing.T
	fake *uitest.FakeERS
	auth *uitest.FakeAuth
	c    screen.Common
	ver  string
	cat  ersclient.AdviceStatus
	// conversion is the referrer's authorisation code, "" for none.
	conversion string
	// home is where the file picker starts: it holds letter.pdf.
	home string
}

func newWorld(t *testing.T, bf ersclient.BusinessFunction) *world {
	w := &world{t: t, ver: "5", cat: ersclient.AdviceProviderResponseRequired}
	w.fake = &uitest.FakeERS{}
	w.fake.AdviceRequest = func(string) (*ersclient.AdviceRequest, error) { return requestAs(w.ver, w.cat, w.conversion), nil }
	w.fake.AdviceConversation = func(_, _ string) (*ersclient.AdviceThread, error) { return thread(3), nil }
	w.auth = uitest.NewFakeAuth()
	w.auth.ResumeIdentity = session.Identity{UserID: "000000000201", Name: "Synthetic Clinician",
		Role: &session.Role{BusinessFunction: string(bf), ODS: "RV1"}}
	w.c = uitest.Common(w.auth, uitest.NewMemoryPrefs())
	w.c.ERS = w.fake
	w.c.Drafts = t.TempDir()
	w.c.Files = t.TempDir()
	w.home = t.TempDir()
	if err := os.WriteFile(filepath.Join(w.home, "letter.pdf"), []byte("%PDF-1.4 synthetic"), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// open builds the screen (a new object, as after a restart) and loads it.
func (w *world) open() *Model {
	m := NewWithHome(w.c, ubrn, func() (string, error) { return w.home, nil })
	m.form.delay = 0
	m.docs = document.New(w.c.Styles, document.Options{Dir: w.c.Files, Timeout: time.Second,
		Viewer: document.Viewer{Getenv: func(string) string { return "" }}})
	m.SetSize(120, 40)
	uitest.RunInit(screen.Screen(m), m.Init())
	return m
}

func press(m *Model, msgs ...tea.Msg) uitest.Result[screen.Screen] {
	return uitest.Run(screen.Screen(m), msgs...)
}

func keys(m *Model, names ...string) uitest.Result[screen.Screen] {
	return press(m, uitest.Keys(names...)...)
}

func view(m *Model) string { return ansi.Strip(m.View()) }

// confirm runs the last Confirm's OnYes, as the root does on "y".
func confirm(t *testing.T, m *Model, res uitest.Result[screen.Screen]) uitest.Result[screen.Screen] {
	t.Helper()
	for i := len(res.Msgs) - 1; i >= 0; i-- {
		if c, ok := res.Msgs[i].(screen.Confirm); ok {
			out := uitest.RunInit(screen.Screen(m), c.OnYes)
			return out
		}
	}
	t.Fatalf("no confirmation asked: %v", res.Msgs)
	return res
}
