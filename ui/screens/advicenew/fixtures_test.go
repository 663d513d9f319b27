package advicenew

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// Synthetic patient (9990000018 has a valid check digit), service and user.
const (
	testNHS     = "9990000018"
	testUBRN    = "000000070100"
	testService = "svc-ag-cardio"
	testUser    = "555000000001"
)

func testRequest() Request {
	return Request{
		NHSNumber: testNHS,
		Service: ersclient.ServiceResult{ID: testService, Name: "Cardiology Advice", LocationName: "Synthetic General Hospital",
			LocationCode: "RV1", ReferrerAlert: "Include the latest ECG and blood pressure readings.",
			RequestFlowTypes: []string{ersclient.FlowAdviceAndGuidance},
			Specialty:        fhir.Coding{System: "x/SPECIALTY", Code: "CARDIOLOGY", Display: "Cardiology"}},
		Criteria: ersclient.SearchCriteria{Priority: ersclient.PriorityCoding(ersclient.PriorityRoutine),
			Specialty: fhir.Coding{System: "x/SPECIALTY", Code: "CARDIOLOGY", Display: "Cardiology"}},
	}
}

// testIdentity is the signed-in referring clinician.
func testIdentity() session.Identity {
	return session.Identity{UserID: testUser, Name: "Dr Synthetic",
		Role: &session.Role{BusinessFunction: string(ersclient.ReferringClinician), ODS: "Y10001"}}
}

// fixture is a form built on a fake e-RS with a drafts directory and a
// home folder holding one letter.
type fixture struct {
	t      *testing.T
	ers    *uitest.FakeERS
	auth   *uitest.FakeAuth // signed in as testIdentity
	common screen.Common
	home   string
	letter string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	auth := uitest.NewFakeAuth()
	auth.ResumeIdentity = testIdentity()
	c := uitest.Common(auth, uitest.NewMemoryPrefs())
	f := &fixture{t: t, ers: &uitest.FakeERS{}, auth: auth, home: t.TempDir()}
	c.ERS = f.ers
	c.Drafts = filepath.Join(t.TempDir(), "drafts")
	f.common = c
	f.letter = filepath.Join(f.home, "ecg.pdf")
	if err := os.WriteFile(f.letter, []byte("%PDF-1.4 synthetic"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// open builds the form for req, sized, its Init run (the draft read).
func (f *fixture) open(req Request, w, h int) *Model {
	f.t.Helper()
	m := newModel(f.common, req, func() (string, error) { return f.home, nil })
	m.d.delay = 0 // write the draft at once: the tests do not wait
	m.SetSize(w, h)
	s, _ := runCmd(m, m.Init())
	return s
}

// runCmd runs cmd (an Init, a confirmation's OnYes) to its end, then feeds
// what it produced as run does. cmd must not tick.
func runCmd(s *Model, cmd tea.Cmd) (*Model, []tea.Msg) {
	var msgs []tea.Msg
	var do func(tea.Cmd)
	do = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				do(c)
			}
		default:
			msgs = append(msgs, msg)
		}
	}
	do(cmd)
	s, out := run(s, msgs...)
	return s, append(msgs, out...)
}

func (f *fixture) form() *Model { return f.open(testRequest(), 120, 40) }

// run feeds msgs and waits for every command: the form's text has a
// steady cursor, so nothing of it ticks for ever. The attachments' typed
// path does blink: drive it with runShort.
func run(s *Model, msgs ...tea.Msg) (*Model, []tea.Msg) {
	r := uitest.RunWith(uitest.Runner{Timeout: 10 * time.Second}, screen.Screen(s), msgs...)
	return r.Model.(*Model), r.Msgs
}

// runShort is uitest.Run: commands that take longer than a moment (a
// cursor's blink) are dropped.
func runShort(s *Model, msgs ...tea.Msg) (*Model, []tea.Msg) {
	r := uitest.Run(screen.Screen(s), msgs...)
	return r.Model.(*Model), r.Msgs
}

func keys(names ...string) []tea.Msg { return uitest.Keys(names...) }

func seq(groups ...[]tea.Msg) []tea.Msg {
	var out []tea.Msg
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// fill types the text and says yes to conversion, leaving the focus on
// the attachments.
func fill(text string) []tea.Msg {
	return seq(uitest.Type(text), keys("tab", "enter"))
}

// toSend moves from the attachments to the send button and presses it.
func toSend() []tea.Msg { return keys("tab", "enter") }

func confirmOf(t *testing.T, msgs []tea.Msg) screen.Confirm {
	t.Helper()
	if c, ok := has[screen.Confirm](msgs); ok {
		return c
	}
	t.Fatalf("no confirmation asked for; got %#v", msgs)
	return screen.Confirm{}
}

// yes answers the confirmation as the root does.
func yes(s *Model, c screen.Confirm) (*Model, []tea.Msg) {
	return runCmd(s, c.OnYes)
}

func has[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func view(s screen.Screen) string { return ansi.Strip(s.View()) }

func created(ubrn string) *ersclient.AdviceSent {
	return &ersclient.AdviceSent{UBRN: ubrn, Version: "1"}
}

// draftFiles lists the drafts directory.
func draftFiles(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return es
}
