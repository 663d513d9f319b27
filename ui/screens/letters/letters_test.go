package letters

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/session"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// Synthetic patient and referral: 9990000018 has a valid check digit.
const (
	testNHS  = "9990000018"
	testUBRN = "000000070002"
)

// referral builds a synthetic referral at a version with referral letters
// (Binary ids).
func referral(t testing.TB, version string, letters ...string) *ersclient.Referral {
	t.Helper()
	var docs []string
	for i, id := range letters {
		docs = append(docs, fmt.Sprintf(`{"resourceType":"DocumentReference","id":"doc%d","status":"current","indexed":"2026-11-20T10:00:00.000000+00:00",
		  "description":"letter-%s.pdf","type":{"coding":[{"system":%q,"code":"REFERRER"}]},
		  "content":[{"attachment":{"url":"Binary/%s","title":"letter-%s.pdf"}}]}`, i, id, fhir.CSAttachmentType, id, id))
	}
	body := fmt.Sprintf(`{"resourceType":"ReferralRequest","id":%q,"meta":{"versionId":%q},"contained":[%s],
	 "extension":[{"url":"https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralState-1",
	   "extension":[{"url":"state","valueCoding":{"system":"https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1","code":"NOT_BOOKED"}}]}],
	 "subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":%q}}}`,
		testUBRN, version, strings.Join(docs, ","), testNHS)
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal([]byte(body), &rr); err != nil {
		t.Fatal(err)
	}
	return &ersclient.Referral{Resource: &rr, Version: version}
}

// world is a scripted e-RS: uploads and letter sets recorded.
type world struct {
	mu      sync.Mutex
	uploads []ersclient.Upload
	sets    []ersclient.MaintainLettersRequest
}

func (w *world) fake(t *testing.T, answer func(n int, req ersclient.MaintainLettersRequest) (*ersclient.Referral, error)) *uitest.FakeERS {
	return &uitest.FakeERS{
		Upload: func(u ersclient.Upload) (*ersclient.UploadedFile, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.uploads = append(w.uploads, u)
			id := fmt.Sprintf("new%d", len(w.uploads))
			return &ersclient.UploadedFile{AttachmentID: id, URL: "Binary/" + id}, nil
		},
		Letters: func(req ersclient.MaintainLettersRequest) (*ersclient.Referral, error) {
			w.mu.Lock()
			w.sets = append(w.sets, req)
			n := len(w.sets)
			w.mu.Unlock()
			return answer(n, req)
		},
	}
}

// newScreen builds the screen for ref with a picker rooted in a temporary
// folder holding one letter.
func newScreen(t *testing.T, f *uitest.FakeERS, ref *ersclient.Referral) *Model {
	t.Helper()
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, "gp-letter.pdf"), []byte("%PDF-1.4 synthetic"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	c.ERS = f
	c.Files = t.TempDir()
	m := New(c, Request{Referral: ref})
	m.files = attach.New(c.Styles, func() (string, error) { return home, nil })
	m.files.Focus()
	m.SetSize(120, 40)
	return m
}

// choose adds the letter with the picker: a, then enter on the file.
func choose(t *testing.T, m *Model) {
	t.Helper()
	uitest.Run(screen.Screen(m), uitest.Keys("a", "enter")...)
	if len(m.files.Files()) != 1 {
		t.Fatalf("the file was not chosen: %q\n%s", m.files.Problem(), m.View())
	}
}

func confirmAndRun(t *testing.T, s screen.Screen, msgs []tea.Msg) (screen.Confirm, uitest.Result[screen.Screen]) {
	t.Helper()
	for _, msg := range msgs {
		if c, ok := msg.(screen.Confirm); ok {
			return c, uitest.RunInit(s, c.OnYes)
		}
	}
	t.Fatalf("no confirmation among %#v", msgs)
	return screen.Confirm{}, uitest.Result[screen.Screen]{}
}

func find[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

func TestANewLetterIsUploadedOnceAndSetWithTheExistingOnes(t *testing.T) {
	w := &world{}
	f := w.fake(t, func(int, ersclient.MaintainLettersRequest) (*ersclient.Referral, error) {
		return referral(t, "4", "old1", "new1"), nil
	})
	m := newScreen(t, f, referral(t, "3", "old1"))
	if !strings.Contains(m.View(), "letter-old1.pdf") {
		t.Fatalf("the current letter is not listed:\n%s", m.View())
	}
	choose(t, m)
	if !m.Dirty() {
		t.Error("a chosen file is not reported as unsent")
	}
	res := uitest.Run(screen.Screen(m), uitest.Key("s"))
	conf, done := confirmAndRun(t, m, res.ToRoot())
	for _, want := range []string{"999 000 0018", testUBRN, "REPLACES", "letter-old1.pdf", "gp-letter.pdf"} {
		if !strings.Contains(conf.Body, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, conf.Body)
		}
	}
	if len(w.uploads) != 1 || w.uploads[0].ReferralID != testUBRN || w.uploads[0].FileName != "gp-letter.pdf" {
		t.Fatalf("uploads = %+v, want the file once, for the UBRN", w.uploads)
	}
	if len(w.sets) != 1 {
		t.Fatalf("calls = %v", f.Calls())
	}
	set := w.sets[0]
	if set.Version != "3" || len(set.Letters) != 2 || set.Letters[0].BinaryID != "old1" || set.Letters[1].BinaryID != "new1" {
		t.Errorf("A012 = %+v, want version 3 and the old letter with the new one", set)
	}
	if ch, ok := find[screen.ReferralChanged](done.Msgs); !ok || ch.Referral.Version != "4" {
		t.Errorf("no broadcast of the new version: %#v", done.Msgs)
	}
	if m.Dirty() || !strings.Contains(m.View(), "letter-new1.pdf") {
		t.Errorf("after setting: dirty %v, view:\n%s", m.Dirty(), m.View())
	}
}

func TestAConflictReloadsAndKeepsTheUploadedFile(t *testing.T) {
	w := &world{}
	f := w.fake(t, func(n int, req ersclient.MaintainLettersRequest) (*ersclient.Referral, error) {
		if n == 1 {
			return nil, &ersclient.Error{Op: ersclient.OpMaintainReferralLetter, Kind: ersclient.KindAPI, Status: 412}
		}
		return referral(t, "6", "old1", "old2", "new1"), nil
	})
	f.Referral = func(string) (*ersclient.Referral, error) { return referral(t, "5", "old1", "old2"), nil }
	m := newScreen(t, f, referral(t, "3", "old1"))
	choose(t, m)
	res := uitest.Run(screen.Screen(m), uitest.Key("s"))
	confirmAndRun(t, m, res.ToRoot())
	if !strings.Contains(m.View(), "Someone else changed this referral") || m.ref.Version != "5" {
		t.Fatalf("after the conflict:\n%s", m.View())
	}
	if got := m.files.Files(); len(got) != 1 || got[0].ID != "new1" {
		t.Fatalf("files = %+v, want the file kept with its upload id", got)
	}
	res = uitest.Run(screen.Screen(m), uitest.Key("s"))
	confirmAndRun(t, m, res.ToRoot())
	if len(w.uploads) != 1 {
		t.Errorf("uploads = %d, want the file uploaded once", len(w.uploads))
	}
	if len(w.sets) != 2 || w.sets[1].Version != "5" || len(w.sets[1].Letters) != 3 {
		t.Errorf("second A012 = %+v, want version 5 with both old letters and the new one", w.sets[1])
	}
}

func TestAFailedUploadSetsNothing(t *testing.T) {
	w := &world{}
	f := w.fake(t, nil)
	f.Upload = func(ersclient.Upload) (*ersclient.UploadedFile, error) {
		return nil, &ersclient.Error{Op: ersclient.OpUploadFile, Kind: ersclient.KindAPI, Status: 422, Code: "FILE_SIZE_ERROR"}
	}
	m := newScreen(t, f, referral(t, "3"))
	choose(t, m)
	res := uitest.Run(screen.Screen(m), uitest.Key("s"))
	confirmAndRun(t, m, res.ToRoot())
	if f.CallCount("A012") != 0 {
		t.Errorf("calls = %v: letters set after a failed upload", f.Calls())
	}
	if v := m.View(); !strings.Contains(v, "Uploading gp-letter.pdf failed") || !strings.Contains(v, "FILE_SIZE_ERROR") {
		t.Errorf("view:\n%s", v)
	}
}

func TestLettersWithNoAnswerAreReadBackNotResent(t *testing.T) {
	tests := []struct {
		name     string
		rec      func(t *testing.T) *ersclient.Reconciliation
		wantDone bool
		words    string
	}{
		{"applied", func(t *testing.T) *ersclient.Reconciliation {
			return &ersclient.Reconciliation{Applied: true, CurrentVersion: "4", Referral: referral(t, "4", "new1")}
		}, true, "letters are set"},
		{"not applied", func(t *testing.T) *ersclient.Reconciliation {
			return &ersclient.Reconciliation{NotApplied: true, CurrentVersion: "3", Referral: referral(t, "3")}
		}, false, "were NOT changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &world{}
			f := w.fake(t, func(int, ersclient.MaintainLettersRequest) (*ersclient.Referral, error) {
				return nil, &ersclient.Error{Op: ersclient.OpMaintainReferralLetter, Kind: ersclient.KindAPI, Status: 504}
			})
			rec := tt.rec(t)
			f.Reconcile = func(string, string) (*ersclient.Reconciliation, error) { return rec, nil }
			m := newScreen(t, f, referral(t, "3"))
			choose(t, m)
			res := uitest.Run(screen.Screen(m), uitest.Key("s"))
			_, done := confirmAndRun(t, m, res.ToRoot())
			if f.CallCount("A012") != 1 {
				t.Fatalf("calls = %v: resent", f.Calls())
			}
			if _, ok := find[screen.ReferralChanged](done.Msgs); ok != tt.wantDone {
				t.Errorf("broadcast = %v, want %v", ok, tt.wantDone)
			}
			if !strings.Contains(m.View(), tt.words) {
				t.Errorf("view lacks %q:\n%s", tt.words, m.View())
			}
		})
	}
}

func TestThePatientLetterIsSavedPrivatelyAndItsPathShown(t *testing.T) {
	f := &uitest.FakeERS{PatientLetter: func(ubrn string, w io.Writer) (*ersclient.Download, error) {
		_, _ = io.WriteString(w, "Your booking reference is "+ubrn)
		return &ersclient.Download{FileName: ubrn + "_Patient_Letter.txt", ContentType: "text/plain"}, nil
	}}
	m := newScreen(t, f, referral(t, "3"))
	uitest.Run(screen.Screen(m), uitest.Key("P"))
	path := m.docs.Path(patientLetterKey)
	if path == "" || !strings.HasPrefix(path, m.c.Files) {
		t.Fatalf("saved at %q, want under the files folder", path)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("stat %v, mode %v, want 0600", err, info.Mode().Perm())
	}
	v := m.View()
	if !strings.Contains(v, filepath.Base(path)) || !strings.Contains(v, "Your booking reference is "+testUBRN) {
		t.Errorf("view does not show where the letter is, or its text:\n%s", v)
	}
}

func TestNoAccessCodeIsExplainedInPlainWords(t *testing.T) {
	f := &uitest.FakeERS{PatientLetter: func(string, io.Writer) (*ersclient.Download, error) {
		return nil, &ersclient.Error{Op: ersclient.OpGeneratePatientLetter, Kind: ersclient.KindAPI, Status: 422,
			Code: "NO_ACCESS_CODE", IssueType: "business-rule"}
	}}
	m := newScreen(t, f, referral(t, "3"))
	m.req.PatientLetter = true
	uitest.RunInit(screen.Screen(m), m.Init())
	if f.CallCount("A019") != 1 {
		t.Fatalf("opening for the patient letter did not ask for it: %v", f.Calls())
	}
	if !strings.Contains(m.View(), "The patient has no access code yet") {
		t.Errorf("view:\n%s", m.View())
	}
}

func TestTheScreenFillsEverySize(t *testing.T) {
	m := newScreen(t, &uitest.FakeERS{}, referral(t, "3", "old1", "old2"))
	empty := New(uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs()), nil)
	for _, s := range []*Model{m, empty} {
		for _, sz := range uitest.Sizes() {
			s.SetSize(sz.W, sz.H)
			uitest.AssertFrame(t, s.View(), sz.W, sz.H)
		}
	}
}

func TestGoldens(t *testing.T) {
	for _, sz := range []uitest.Size{{W: 80, H: 24}, {W: 120, H: 40}} {
		m := newScreen(t, &uitest.FakeERS{}, referral(t, "3", "old1"))
		m.SetSize(sz.W, sz.H)
		uitest.Golden(t, fmt.Sprintf("letters_%dx%d", sz.W, sz.H), m.View())
	}
}

func TestTheRouteIsForReferrersOnly(t *testing.T) {
	r := Route()
	if r.OnHome || r.Name != RouteName || !r.For(session.Role{BusinessFunction: "REFERRING_CLINICIAN"}) ||
		r.For(session.Role{BusinessFunction: "SERVICE_PROVIDER_ADMIN"}) {
		t.Errorf("route %+v", r)
	}
}

func TestNoKeyIsBoundTwiceOrTakenByTheRoot(t *testing.T) {
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	routes := []screen.Route{Route(),
		{Name: "letters-ready", New: func(screen.Common, any) screen.Screen {
			return newScreen(t, &uitest.FakeERS{}, referral(t, "3", "old1"))
		}},
	}
	uitest.CheckKeys(t, routes, c)
}

func TestThePickerCapturesTheKeysSoItsEscIsItsOwn(t *testing.T) {
	m := newScreen(t, &uitest.FakeERS{}, referral(t, "3"))
	uitest.Run(screen.Screen(m), uitest.Key("a"))
	if !m.Capturing() {
		t.Fatal("the open picker does not capture the keys")
	}
	uitest.Run(screen.Screen(m), uitest.Key("esc"))
	if m.Capturing() {
		t.Error("esc did not close the picker")
	}
}
