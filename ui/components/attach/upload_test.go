package attach

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/uitest"
)

func TestUploadAllUploadsEachFileOnceAndSaysWhichFailed(t *testing.T) {
	dir := t.TempDir()
	var files []File
	for _, n := range []string{"a.pdf", "b.txt", "c.jpg"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte("content of "+n), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Path: p, Name: n, Size: int64(len("content of " + n))})
	}
	var uploaded []string
	failB := true
	ers := &uitest.FakeERS{Upload: func(u ersclient.Upload) (*ersclient.UploadedFile, error) {
		body, err := io.ReadAll(u.Body)
		if err != nil || string(body) != "content of "+u.FileName || u.ReferralID != "000000070000" {
			t.Errorf("upload %s for %q: body %q, %v", u.FileName, u.ReferralID, body, err)
		}
		if u.FileName == "b.txt" && failB {
			return nil, errors.New("boom")
		}
		uploaded = append(uploaded, u.FileName)
		return &ersclient.UploadedFile{AttachmentID: "id-" + u.FileName}, nil
	}}
	out, failed, err := UploadAll(context.Background(), ers, "000000070000", files)
	if err == nil || failed != "b.txt" || out[0].ID != "id-a.pdf" || out[1].ID != "" || files[0].ID != "" {
		t.Fatalf("first attempt: %v, failed %q, %+v (input %+v)", err, failed, out, files)
	}
	if l := Links(out); len(l) != 1 || l[0].BinaryID != "id-a.pdf" || l[0].Description != "a.pdf" {
		t.Fatalf("links of a partial upload: %+v", l)
	}
	failB = false
	out, failed, err = UploadAll(context.Background(), ers, "000000070000", out)
	if err != nil || failed != "" {
		t.Fatalf("second attempt: %v %q", err, failed)
	}
	if !slices.Equal(uploaded, []string{"a.pdf", "b.txt", "c.jpg"}) {
		t.Fatalf("uploaded %v: a file went twice or not at all", uploaded)
	}
	var ids []string
	for _, l := range Links(out) {
		ids = append(ids, l.BinaryID)
	}
	if !slices.Equal(ids, []string{"id-a.pdf", "id-b.txt", "id-c.jpg"}) {
		t.Fatalf("links %v", ids)
	}
}

func TestUploadAllReportsAFileGoneSinceItWasChosen(t *testing.T) {
	ers := &uitest.FakeERS{}
	_, failed, err := UploadAll(context.Background(), ers, "", []File{{Path: "/nonexistent/x.pdf", Name: "x.pdf", Size: 1}})
	if err == nil || failed != "x.pdf" || ers.CallCount("A020") != 0 {
		t.Fatalf("failed %q, %v, calls %v", failed, err, ers.Calls())
	}
}
