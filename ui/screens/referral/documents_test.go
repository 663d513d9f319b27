package referral

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/files"
	"github.com/ers-workstation/ers-workstation/sandbox/pdf"
	"github.com/ers-workstation/ers-workstation/ui/components/document"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

func lastToast(t *testing.T, msgs []any) screen.Toast {
	t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		if to, ok := msgs[i].(screen.Toast); ok {
			return to
		}
	}
	t.Fatalf("no toast in %v", msgs)
	return screen.Toast{}
}

func rootMsgs(m *Model, keys ...string) []any {
	var out []any
	for _, msg := range press(m, keys...).ToRoot() {
		out = append(out, msg)
	}
	return out
}

func TestClinicalInformationIsSavedPrivatelyAndPreviewed(t *testing.T) {
	w := newWorld(t)
	w.dlName = "../../etc/passwd.pdf"
	m, f := opened(t, w, ubrn)
	msgs := rootMsgs(m, "2", "enter")
	if f.CallCount(string(ersclient.OpRetrieveClinicalInfo)+" "+ubrn) != 1 {
		t.Fatalf("A007 not called for the referral: %v", f.Calls())
	}
	d := m.docs.Doc("ci:" + ubrn)
	if d == nil || d.Err != nil || d.Path == "" {
		t.Fatalf("not saved: %+v", d)
	}
	if filepath.Dir(d.Path) != m.c.Files || filepath.Base(d.Path) != "passwd.pdf" {
		t.Errorf("saved at %s, want passwd.pdf in %s", d.Path, m.c.Files)
	}
	info, err := os.Stat(d.Path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v (%v)", info.Mode().Perm(), err)
	}
	if to := lastToast(t, msgs); to.Level != screen.Success || !strings.Contains(to.Text, "passwd.pdf") {
		t.Errorf("toast %+v", to)
	}
	v := view(m)
	for _, want := range []string{"Reason for referral: synthetic chest pain on exertion.", "Patient NHS number 999 000 0018", "[saved]", d.Path} {
		if !strings.Contains(v, want) {
			t.Errorf("documents view lacks %q:\n%s", want, v)
		}
	}
}

func TestTheRelatedReferralsClinicalInformationIsOffered(t *testing.T) {
	w := newWorld(t)
	m, f := opened(t, w, ubrn)
	press(m, "2", "j", "enter")
	if f.CallCount(string(ersclient.OpRetrieveClinicalInfo)+" 000000070099") != 1 {
		t.Fatalf("A007 not called for the related referral: %v", f.Calls())
	}
}

func TestAttachmentsDownloadOnlyWhenAvailable(t *testing.T) {
	w := newWorld(t)
	m, f := opened(t, w, ubrn)
	press(m, "3", "j") // the PENDING scan
	if m.KeyMap().(keyMap).Download.Enabled() {
		t.Error("download enabled for a file still being checked")
	}
	press(m, "enter")
	if n := f.CallCount(string(ersclient.OpRetrieveAttachment)); n != 0 {
		t.Fatalf("a pending attachment was fetched (%d calls)", n)
	}
	if v := view(m); !strings.Contains(v, "Being checked for viruses") {
		t.Errorf("why it cannot be downloaded is not said:\n%s", v)
	}
	press(m, "k", "enter")
	if f.CallCount(string(ersclient.OpRetrieveAttachment)+" 719f6045-e791-4029-8e0f-1201c02b0a55") != 1 {
		t.Fatalf("the available attachment was not fetched: %v", f.Calls())
	}
	if v := view(m); !strings.Contains(v, "Saved at ") || !strings.Contains(v, "synthetic chest pain") {
		t.Fatalf("attachment not saved and previewed:\n%s", v)
	}
}

func TestADownloadErrorIsShownWithItsCode(t *testing.T) {
	w := newWorld(t)
	w.dlErr = &ersclient.Error{Op: ersclient.OpRetrieveClinicalInfo, Kind: ersclient.KindAPI, Status: 422,
		Code: "NO_CLINICAL_INFO", CorrelationID: "corr-dl"}
	m, _ := opened(t, w, ubrn)
	press(m, "2", "enter")
	v := view(m)
	for _, want := range []string{"The download failed", "NO_CLINICAL_INFO", "corr-dl", "[failed]"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if list, _ := files.New(m.c.Files).List(); len(list) != 0 {
		t.Errorf("a failed download left files: %v", list)
	}
}

func TestKeepMovesTheFileOutOfTheWayOfSignOut(t *testing.T) {
	m, _ := opened(t, newWorld(t), ubrn)
	press(m, "2", "enter")
	saved := m.docs.Path("ci:" + ubrn)
	msgs := rootMsgs(m, "K")
	d := m.docs.Doc("ci:" + ubrn)
	if !d.Kept || d.Path == saved {
		t.Fatalf("not kept: %+v", d)
	}
	if to := lastToast(t, msgs); !strings.Contains(to.Text, "Kept") {
		t.Errorf("toast %+v", to)
	}
	if err := files.New(m.c.Files).RemoveUnkept(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Path); err != nil {
		t.Fatalf("kept file removed at sign-out: %v", err)
	}
	if !strings.Contains(view(m), "[kept]") {
		t.Errorf("the list does not say kept:\n%s", view(m))
	}
}

func TestOpenSaysWhereTheFileIsWithoutADisplayAndOpensWithOne(t *testing.T) {
	w := newWorld(t)
	m, _ := opened(t, w, ubrn)
	press(m, "2", "enter")
	path := m.docs.Path("ci:" + ubrn)
	if to := lastToast(t, rootMsgs(m, "o")); !strings.Contains(to.Text, "No display") || !strings.Contains(to.Text, path) {
		t.Errorf("toast %+v", to)
	}
	w.display = "wayland-0"
	if to := lastToast(t, rootMsgs(m, "o")); !strings.Contains(to.Text, "Opened") {
		t.Errorf("toast %+v", to)
	}
	if w.opened != path {
		t.Errorf("opened %q, want %q", w.opened, path)
	}
}

func TestWithoutADownloadFolderNothingIsFetched(t *testing.T) {
	w := newWorld(t)
	f := w.fake()
	c := common(t, f)
	c.Files = ""
	m := New(c, ubrn)
	m.SetSize(120, 40)
	runInit(m)
	msgs := rootMsgs(m, "2", "enter")
	if f.CallCount(string(ersclient.OpRetrieveClinicalInfo)) != 0 {
		t.Error("fetched with nowhere to save")
	}
	if to := lastToast(t, msgs); to.Level != screen.Warning {
		t.Errorf("toast %+v", to)
	}
}

func TestPDFTextOfASimulatorDocument(t *testing.T) {
	lines, note := document.Preview(newWorld(t).pdfBytes, "application/pdf", "x.pdf")
	if note != "" {
		t.Fatal(note)
	}
	text := strings.Join(lines, "\n")
	for _, want := range []string{"Clinical Information", "Referral 000000070002", "Reason for referral: synthetic chest pain on exertion."} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if _, note := document.Preview([]byte("%PDF-1.4 garbage"), "application/pdf", "bad.pdf"); note == "" {
		t.Error("a broken PDF gave no note")
	}
	if lines, _ := document.Preview([]byte("line one\n\x1b[31mred\x1b[0m"), "text/plain", "a.txt"); strings.ContainsRune(strings.Join(lines, ""), '\x1b') {
		t.Errorf("escape sequences kept: %q", lines)
	}
	if _, note := document.Preview([]byte{0xff, 0xd8}, "image/jpeg", "a.jpg"); !strings.Contains(note, "image/jpeg") {
		t.Errorf("note %q", note)
	}
}

func TestThePreviewScrollsAndStartsAtTheTopOfAnotherDocument(t *testing.T) {
	w := newWorld(t)
	var rows []string
	for i := 1; i <= 90; i++ {
		rows = append(rows, fmt.Sprintf("Row %03d of the letter", i))
	}
	doc, err := pdf.Render(pdf.Document{Title: "Clinical Information", Lines: rows})
	if err != nil {
		t.Fatal(err)
	}
	w.pdfBytes = doc
	m, _ := opened(t, w, ubrn)
	press(m, "2", "enter")
	shows := func(step, row string, want bool) {
		t.Helper()
		if got := strings.Contains(view(m), row); got != want {
			t.Errorf("after %s: %q shown %v, want %v:\n%s", step, row, got, want, view(m))
		}
	}
	shows("the download", "Row 001", true)
	press(m, "pgdown")
	shows("pgdown", "Row 001", false)
	press(m, "1", "2")
	shows("the summary and back", "Row 001", false)
	press(m, "j", "k")
	shows("moving to another document and back", "Row 001", true)
	press(m, "pgdown", "3", "2")
	shows("the attachments and back", "Row 001", true)
	press(m, "G", "g", "ctrl+d")
	shows("ctrl+d", "Row 001", false)
	press(m, "ctrl+u")
	shows("ctrl+u", "Row 001", true)
}
