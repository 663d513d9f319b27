package actions

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/components/attach"
	"github.com/ers-workstation/ers-workstation/ui/screen"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

// withHome points the form's file picker at dir instead of the user's home.
func withHome(s screen.Screen, dir string) {
	m := s.(*Model)
	m.f.att = attach.New(m.c.Styles, func() (string, error) { return dir, nil })
	m.focusCmd()
}

func TestUploadIDsAreKeptForTheFilesStillChosen(t *testing.T) {
	chosen := []attach.File{{Path: "/a.pdf", Name: "a.pdf"}, {Path: "/b.pdf", Name: "b.pdf", ID: "old-b"}, {Path: "/c.pdf", Name: "c.pdf"}}
	uploaded := []attach.File{{Path: "/a.pdf", ID: "id-a"}, {Path: "/gone.pdf", ID: "id-gone"}, {Path: "/c.pdf"}}
	got := keepIDs(chosen, uploaded)
	if got[0].ID != "id-a" || got[1].ID != "old-b" || got[2].ID != "" || len(got) != 3 || chosen[0].ID != "" {
		t.Fatalf("keepIDs = %+v (chosen %+v)", got, chosen)
	}
}

func TestAFileChosenInThePickerIsUploadedOnceAcrossAFailedSend(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"note-a.txt", "note-b.pdf"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("synthetic "+n), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f := &uitest.FakeERS{}
	var uploads []string
	f.Upload = func(u ersclient.Upload) (*ersclient.UploadedFile, error) {
		if u.FileName == "note-b.pdf" && len(uploads) == 1 {
			uploads = append(uploads, "failed "+u.FileName)
			return nil, errors.New("store unavailable")
		}
		uploads = append(uploads, u.FileName)
		return &ersclient.UploadedFile{AttachmentID: "bin-" + u.FileName}, nil
	}
	var got ersclient.ReviewOutcomeRequest
	f.ReviewOutcome = func(r ersclient.ReviewOutcomeRequest) (*ersclient.Referral, error) {
		got = r
		return referral(t, "6", "TRIAGED_PROVIDER_TO_ACTION", "", "ROUTINE", ""), nil
	}
	s := newAction(t, f, RecordReviewOutcome, referral(t, "5", "AWAITING_TRIAGE", "", "ROUTINE", ""))
	withHome(s, dir)
	msgs := keys("enter") // accept, book later
	msgs = append(msgs, uitest.Type("Seen in clinic")...)
	msgs = append(msgs, keys("tab", "tab")...)                       // past the priority, to the files
	msgs = append(msgs, keys("a", "enter", "a", "down", "enter")...) // both files from the picker
	s, _ = run(s, msgs...)
	if v := view(s); !strings.Contains(v, "note-a.txt") || !strings.Contains(v, "note-b.pdf") || !s.Dirty() {
		t.Fatalf("files not listed:\n%s", v)
	}
	s, out := run(s, keys("tab", "enter")...)
	s, _ = yes(s, confirmOf(t, out))
	if v := view(s); !strings.Contains(v, "Uploading note-b.pdf failed, so nothing was sent.") || got.Outcome != "" {
		t.Fatalf("after the failed upload:\n%s", v)
	}
	s, out = run(s, keys("r")...)
	_, _ = yes(s, confirmOf(t, out))
	if strings.Join(uploads, ",") != "note-a.txt,failed note-b.pdf,note-b.pdf" {
		t.Fatalf("uploads %v: a file went twice", uploads)
	}
	if len(got.Attachments) != 2 || got.Attachments[0].BinaryID != "bin-note-a.txt" || got.Attachments[1].BinaryID != "bin-note-b.pdf" {
		t.Fatalf("A028 attachments %+v", got.Attachments)
	}
}

func TestThePickerOwnsEscAndTabWhileOpen(t *testing.T) {
	dir := t.TempDir()
	s := newAction(t, &uitest.FakeERS{}, RecordReviewOutcome, referral(t, "5", "AWAITING_TRIAGE", "", "ROUTINE", ""))
	withHome(s, dir)
	s, _ = run(s, keys("tab", "tab", "tab")...) // outcome -> comments -> priority -> files
	if m := s.(*Model); m.f.focus != fieldAttach || s.Capturing() {
		t.Fatalf("focus %v, capturing %v", m.f.focus, s.Capturing())
	}
	s, _ = run(s, keys("a")...)
	if !s.Capturing() || !strings.Contains(view(s), "Choose a file") {
		t.Fatalf("the picker did not open:\n%s", view(s))
	}
	for _, b := range s.KeyMap().ShortHelp() {
		if b.Enabled() && b.Help().Key == "tab" && b.Help().Desc == "next field" {
			t.Fatal("tab is offered as next field while the picker has it")
		}
	}
	s, _ = run(s, keys("tab", "esc")...)
	if m := s.(*Model); s.Capturing() || m.f.focus != fieldAttach {
		t.Fatalf("esc left the field: focus %v, capturing %v", m.f.focus, s.Capturing())
	}
	s, _ = run(s, keys("tab")...)
	if m := s.(*Model); m.f.focus != fieldSend {
		t.Fatalf("tab from the closed picker: focus %v", m.f.focus)
	}
}
