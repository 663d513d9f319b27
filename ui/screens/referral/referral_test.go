package referral

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ersclient/fhir"
	"github.com/ers-workstation/ers-workstation/sandbox/pdf"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/screens/actions"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

const ubrn = "000000070002"

// referralFixture is a synthetic booked referral (testdata/booked.json),
// changed by edit.
func referralFixture(t *testing.T, version string, edit func(*fhir.ReferralRequest)) *ersclient.Referral {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "booked.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rr fhir.ReferralRequest
	if err := fhir.Unmarshal(raw, &rr); err != nil {
		t.Fatal(err)
	}
	rr.Meta.VersionID = version
	if edit != nil {
		edit(&rr)
	}
	return &ersclient.Referral{Resource: &rr, Version: version}
}

// withState sets the referral state.
func withState(code string) func(*fhir.ReferralRequest) {
	return func(rr *fhir.ReferralRequest) {
		for i, e := range rr.Extension {
			if e.URL == fhir.ExtReferralState {
				rr.Extension[i].Extension[0].Value = fhir.Value{ValueCoding: &fhir.Coding{Code: code}}
			}
		}
	}
}

// world is a scripted e-RS: the referral, its actions and documents.
type world struct {
	mu       sync.Mutex
	ref      *ersclient.Referral
	refErr   error
	codes    []ersclient.ActionCode
	actErr   error
	versions []string // the versions A029 was asked with
	pdfBytes []byte
	dlName   string
	dlErr    error
	// The system viewer: a display only when a test sets one, and the
	// file it was last asked to open.
	display string
	opened  string
}

func (w *world) fake() *uitest.FakeERS {
	return &uitest.FakeERS{
		Referral: func(string) (*ersclient.Referral, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			return w.ref, w.refErr
		},
		Actions: func(u, version string) (*ersclient.AvailableActions, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.versions = append(w.versions, version)
			if w.actErr != nil {
				return nil, w.actErr
			}
			out := &ersclient.AvailableActions{UBRN: u, Version: version}
			for _, c := range w.codes {
				out.Actions = append(out.Actions, ersclient.Action{Code: c, Label: strings.ReplaceAll(string(c), "_", " ")})
			}
			return out, nil
		},
		Appointment: func(id string) (*ersclient.AppointmentView, error) {
			return &ersclient.AppointmentView{ID: id, Status: "booked", ServiceName: "Synthetic Cardiology Service",
				Start: uitest.Now().AddDate(0, 0, 12), End: uitest.Now().AddDate(0, 0, 12).Add(30 * 60e9)}, nil
		},
		ClinicalInformation: func(u string, out io.Writer) (*ersclient.Download, error) {
			return w.download(out, u+"_Clinical_Information.pdf")
		},
		Attachment: func(id string, out io.Writer) (*ersclient.Download, error) {
			return w.download(out, "")
		},
	}
}

func (w *world) download(out io.Writer, name string) (*ersclient.Download, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dlErr != nil {
		return nil, w.dlErr
	}
	n, err := out.Write(w.pdfBytes)
	if w.dlName != "" {
		name = w.dlName
	}
	return &ersclient.Download{FileName: name, ContentType: "application/pdf", Size: int64(n)}, err
}

func newWorld(t *testing.T) *world {
	t.Helper()
	doc, err := pdf.Render(pdf.Document{Title: "Clinical Information", Lines: []string{
		"# Referral 000000070002", "Patient NHS number 999 000 0018", "Reason for referral: synthetic chest pain on exertion."}})
	if err != nil {
		t.Fatal(err)
	}
	return &world{ref: referralFixture(t, "3", nil),
		codes: []ersclient.ActionCode{ersclient.ActionCancelReferral}, pdfBytes: doc}
}

func common(t *testing.T, ers screen.ERS) screen.Common {
	c := uitest.Common(uitest.NewFakeAuth(), uitest.NewMemoryPrefs())
	c.ERS = ers
	c.Files = filepath.Join(t.TempDir(), "downloads")
	return c
}

// opened builds the screen for arg, sized, and runs its loading.
func opened(t *testing.T, w *world, arg any) (*Model, *uitest.FakeERS) {
	t.Helper()
	f := w.fake()
	m := newModel(common(t, f), arg, document.Viewer{
		Getenv: func(k string) string {
			if k == "WAYLAND_DISPLAY" {
				return w.display
			}
			return ""
		},
		Open: func(p string) error {
			if w.display == "" {
				t.Error("opened a viewer without a display")
			}
			w.opened = p
			return nil
		},
	})
	m.SetSize(120, 40)
	uitest.RunInit(screen.Screen(m), m.Init())
	return m, f
}

func press(m *Model, keys ...string) uitest.Result[screen.Screen] {
	return uitest.Run(screen.Screen(m), uitest.Keys(keys...)...)
}

func view(m *Model) string { return ansi.Strip(m.View()) }

func reviewRow() ersclient.WorklistRow {
	return ersclient.WorklistRow{UBRN: ubrn, ListType: ersclient.WorklistReferralsForReview,
		ReferralType: ersclient.ReferralTypeAppointment}
}

func TestItLoadsTheReferralThenItsActionsAtThatVersion(t *testing.T) {
	w := newWorld(t)
	m, f := opened(t, w, ubrn)
	calls := f.Calls()
	if len(calls) < 2 || calls[0] != string(ersclient.OpRetrieveReferral)+" "+ubrn {
		t.Fatalf("calls = %v, want A005 first", calls)
	}
	if f.CallCount(string(ersclient.OpAvailableActions)) != 1 || len(w.versions) != 1 || w.versions[0] != "3" {
		t.Fatalf("A029 asked with %v, want the referral's version 3 (calls %v)", w.versions, calls)
	}
	if f.CallCount(string(ersclient.OpRetrieveAppointment)) != 1 {
		t.Errorf("the appointment (A038) was not loaded: %v", calls)
	}
	v := view(m)
	for _, want := range []string{"999 000 0018", "URGENT", "Cardiology", "Booked", "Synthetic Cardiology Service",
		"Interpreter", "000000070099", "R69", "Triage-Related Indirect Business Service 2", "Pathway started"} {
		if !strings.Contains(v, want) {
			t.Errorf("summary lacks %q:\n%s", want, v)
		}
	}
	if m.Status() != "v3" {
		t.Errorf("status %q", m.Status())
	}
}

func TestARepliesFromAnOlderLoadAreDropped(t *testing.T) {
	w := newWorld(t)
	m, _ := opened(t, w, ubrn)
	old := m.gen - 1
	stale := referralFixture(t, "1", withState(ersclient.ReferralStateRejected))
	uitest.Run(screen.Screen(m), referralMsg{gen: old, ref: stale}, actionsMsg{gen: old, err: errors.New("late")})
	if m.ref.Version != "3" || m.actionsErr != nil {
		t.Fatalf("a stale reply was applied: version %s, actions error %v", m.ref.Version, m.actionsErr)
	}
}

func TestALoadErrorIsShownInWordsAndRRetries(t *testing.T) {
	w := newWorld(t)
	w.refErr = &ersclient.Error{Op: ersclient.OpRetrieveReferral, Kind: ersclient.KindAPI, Status: http.StatusNotFound,
		Code: "REFERRAL_NOT_FOUND", CorrelationID: "corr-123"}
	m, f := opened(t, w, ubrn)
	v := view(m)
	if !strings.Contains(v, "REFERRAL_NOT_FOUND") || !strings.Contains(v, "corr-123") || !strings.Contains(v, "retry") {
		t.Fatalf("error view lacks the code, correlation id or retry:\n%s", v)
	}
	if f.CallCount(string(ersclient.OpAvailableActions)) != 0 {
		t.Error("A029 was asked without a referral")
	}
	w.mu.Lock()
	w.refErr = nil
	w.mu.Unlock()
	press(m, "r")
	if m.loadErr != nil || m.ref == nil || !strings.Contains(view(m), "999 000 0018") {
		t.Fatalf("retry did not load the referral:\n%s", view(m))
	}
}

func TestOnlyTheActionsA029OffersAreShownAsKeys(t *testing.T) {
	w := newWorld(t)
	w.codes = []ersclient.ActionCode{ersclient.ActionCancelReferral, ersclient.ActionCreateAppointment}
	m, _ := opened(t, w, ubrn)
	v := view(m)
	if !strings.Contains(v, "c Cancel referral") {
		t.Errorf("CANCEL_REFERRAL is not offered:\n%s", v)
	}
	for _, absent := range []string{"Accept referral", "Reject referral", "Record review outcome"} {
		if strings.Contains(v, absent) {
			t.Errorf("%q shown though A029 did not offer it", absent)
		}
	}
	if !strings.Contains(v, "b Book appointment") {
		t.Errorf("CREATE_APPOINTMENT is not offered as a key:\n%s", v)
	}
	if res := press(m, "a"); len(res.ToRoot()) != 0 {
		t.Errorf("a key for an action not offered did something: %v", res.ToRoot())
	}
	res := press(m, "c")
	open := onlyOpen(t, res)
	req, ok := open.Arg.(actions.Request)
	if open.Route != "action" || !ok || req.Action != "CANCEL_REFERRAL" || req.Referral.Version != "3" {
		t.Fatalf("open = %+v", open)
	}
}

func onlyOpen(t *testing.T, res uitest.Result[screen.Screen]) screen.Open {
	t.Helper()
	for _, msg := range res.ToRoot() {
		if o, ok := msg.(screen.Open); ok {
			return o
		}
	}
	t.Fatalf("no screen.Open in %v", res.Msgs)
	return screen.Open{}
}

func TestTheReviewActionsNeedTheReviewListABookingAndA029(t *testing.T) {
	cases := []struct {
		name  string
		arg   any
		state string
		codes []ersclient.ActionCode
		want  bool
	}{
		{"a booked referral from the review list", reviewRow(), "", []ersclient.ActionCode{ersclient.ActionCancelReferral}, true},
		{"the same from a pointer to the row", func() any { r := reviewRow(); return &r }(), "", []ersclient.ActionCode{ersclient.ActionCancelReferral}, true},
		{"opened by UBRN alone", ubrn, "", []ersclient.ActionCode{ersclient.ActionCancelReferral}, false},
		{"A029 lets the provider do nothing", reviewRow(), "", nil, false},
		{"no longer booked", reviewRow(), ersclient.ReferralStateRejected, []ersclient.ActionCode{ersclient.ActionCancelReferral}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.codes = tc.codes
			if tc.state != "" {
				w.ref = referralFixture(t, "3", withState(tc.state))
			}
			m, _ := opened(t, w, tc.arg)
			v := view(m)
			for _, label := range []string{"a Accept referral", "x Reject referral", "p Cancel appointment, action later"} {
				if strings.Contains(v, label) != tc.want {
					t.Errorf("%q shown = %v, want %v:\n%s", label, !tc.want, tc.want, v)
				}
			}
			if tc.want {
				if req := onlyOpen(t, press(m, "x")).Arg.(actions.Request); req.Action != actReject {
					t.Errorf("x opened %q", req.Action)
				}
			}
		})
	}
}

func TestNoActionIsOfferedUntilA029AnswersOrWhenItFails(t *testing.T) {
	w := newWorld(t)
	w.actErr = &ersclient.Error{Op: ersclient.OpAvailableActions, Kind: ersclient.KindAPI, Status: 400,
		Code: "HISTORY_NOT_SUPPORTED", CorrelationID: "corr-9"}
	m, _ := opened(t, w, reviewRow())
	v := view(m)
	if !strings.Contains(v, "Actions could not be loaded") || !strings.Contains(v, "HISTORY_NOT_SUPPORTED") || !strings.Contains(v, "corr-9") {
		t.Fatalf("the A029 error is not explained:\n%s", v)
	}
	if len(m.offered()) != 0 {
		t.Fatalf("actions offered after A029 failed: %v", m.offered())
	}
	w.mu.Lock()
	w.actErr = nil
	w.mu.Unlock()
	press(m, "r")
	if len(m.offered()) == 0 {
		t.Fatalf("r did not load the actions again:\n%s", view(m))
	}
}

func TestAChangeBroadcastShowsTheNewStateAtOnceAndAsksA029Again(t *testing.T) {
	w := newWorld(t)
	m, f := opened(t, w, reviewRow())
	before := f.CallCount(string(ersclient.OpRetrieveReferral))
	rejected := referralFixture(t, "4", withState(ersclient.ReferralStateRejected))
	w.mu.Lock()
	w.codes = nil
	w.mu.Unlock()
	uitest.Run(screen.Screen(m), screen.ReferralChanged{UBRN: ubrn, Referral: rejected, Action: "Rejected"})
	v := view(m)
	if !strings.Contains(v, "REJECTED") || !strings.Contains(v, "Rejected at 09:30:00") {
		t.Errorf("the new state is not shown:\n%s", v)
	}
	if got := w.versions[len(w.versions)-1]; got != "4" {
		t.Errorf("A029 asked again with version %s, want 4", got)
	}
	if f.CallCount(string(ersclient.OpRetrieveReferral)) != before {
		t.Error("the referral was reloaded though the change carried it")
	}
	if strings.Contains(v, "Accept referral") {
		t.Error("review actions still offered after the change")
	}
	// A change to another referral is not this screen's.
	uitest.Run(screen.Screen(m), screen.ReferralChanged{UBRN: "000000099999", Referral: referralFixture(t, "9", nil)})
	if m.ref.Version != "4" {
		t.Errorf("another referral's change was applied")
	}
	// A change without the referral reloads it.
	uitest.Run(screen.Screen(m), screen.ReferralChanged{UBRN: ubrn, Action: "Cancelled"})
	if f.CallCount(string(ersclient.OpRetrieveReferral)) != before+1 {
		t.Error("a change without the referral did not reload it")
	}
}

func TestFocusChoosesTheIdentifierToCopy(t *testing.T) {
	m, _ := opened(t, newWorld(t), ubrn)
	if label, value, ok := m.FocusedID(); !ok || label != "UBRN" || value != ubrn {
		t.Fatalf("focused %s %s %v", label, value, ok)
	}
	press(m, "f")
	if label, value, _ := m.FocusedID(); label != "NHS number" || value != "9990000018" {
		t.Fatalf("focused %s %s", label, value)
	}
}

func TestTabsAndScrolling(t *testing.T) {
	m, _ := opened(t, newWorld(t), ubrn)
	m.SetSize(80, 24)
	press(m, "G")
	if m.top == 0 {
		t.Fatal("G did not scroll a summary longer than the screen")
	}
	press(m, "g")
	if m.top != 0 {
		t.Fatal("g did not go back to the top")
	}
	press(m, "tab")
	if m.tab != tabClinical || !strings.Contains(view(m), "[2 Clinical information]") {
		t.Fatalf("tab did not move to clinical information:\n%s", view(m))
	}
	press(m, "shift+tab", "shift+tab")
	if m.tab != tabAttachments {
		t.Fatalf("shift+tab twice from 2 gave tab %d", m.tab)
	}
	press(m, "1")
	if m.tab != tabSummary {
		t.Fatal("1 did not go to the summary")
	}
}

func TestKeysDoNotCollideWithTheRoot(t *testing.T) {
	w := newWorld(t)
	uitest.CheckKeys(t, []screen.Route{Route()}, common(t, w.fake()))
	// And with everything enabled.
	m, _ := opened(t, w, reviewRow())
	m.tab = tabClinical
	uitest.CheckKeys(t, []screen.Route{{Name: "referral-loaded", New: func(screen.Common, any) screen.Screen { return m }}}, common(t, w.fake()))
}

var _ tea.Msg = referralMsg{}

func runInit(m *Model) { uitest.RunInit(screen.Screen(m), m.Init()) }
