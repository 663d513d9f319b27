package actions

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ers-workstation/ers-workstation/ersclient"
	"github.com/ers-workstation/ers-workstation/ui/screen"
)

// attachment is a local file to upload (A020) and link with the action.
// id is set once uploaded, so sending again after a conflict does not
// upload it twice.
type attachment struct {
	path, name string
	size       int64
	id         string
}

// addAttachment checks the typed path and adds the file: it must be a
// regular file of a type e-RS accepts, not empty, at most 5 MB, and not
// already listed. It returns the problem in words, or "".
func (f *form) addAttachment(home func() (string, error)) string {
	p := strings.TrimSpace(f.path.Value())
	if p == "" {
		return "Type the path of a file to attach."
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok && home != nil {
		if h, err := home(); err == nil {
			p = filepath.Join(h, rest)
		}
	}
	p = filepath.Clean(p)
	name := filepath.Base(p)
	if ersclient.ContentTypeForFileName(name) == "" {
		return "e-RS does not accept files like " + name + ": use pdf, txt, rtf, doc, docx, jpg, png, gif, tif, xml or dcm."
	}
	// A stat of a local file is quick enough for the update loop.
	info, err := os.Stat(p)
	switch {
	case err != nil:
		return "No file can be read at " + p + "."
	case !info.Mode().IsRegular():
		return p + " is not a file."
	case info.Size() == 0:
		return name + " is empty."
	case info.Size() > ersclient.MaxAttachmentBytes:
		return fmt.Sprintf("%s is %s; e-RS accepts files up to 5 MB.", name, sizeText(info.Size()))
	}
	for _, a := range f.files {
		if a.path == p {
			return name + " is already attached."
		}
	}
	f.files = append(f.files, attachment{path: p, name: name, size: info.Size()})
	f.path.SetValue("")
	return ""
}

// removeAttachment drops the highlighted file.
func (f *form) removeAttachment() {
	if f.fileIdx < 0 || f.fileIdx >= len(f.files) {
		return
	}
	f.files = append(f.files[:f.fileIdx], f.files[f.fileIdx+1:]...)
	f.fileIdx = min(f.fileIdx, len(f.files)-1)
	f.fileIdx = max(f.fileIdx, 0)
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// uploadAll uploads the files not yet uploaded, naming the referral so
// e-RS lets them be linked to it. It returns every file with its id, or
// the first failure and which file it was.
func uploadAll(ctx context.Context, ers screen.ERS, ubrn string, files []attachment) ([]attachment, string, error) {
	out := append([]attachment(nil), files...)
	for i, a := range out {
		if a.id != "" {
			continue
		}
		fh, err := os.Open(a.path)
		if err != nil {
			return out, a.name, err
		}
		up, err := ers.UploadFile(ctx, ersclient.Upload{FileName: a.name, ReferralID: ubrn, Body: fh, Size: a.size})
		_ = fh.Close()
		if err != nil {
			return out, a.name, err
		}
		out[i].id = up.AttachmentID
	}
	return out, "", nil
}

// links are the uploaded files as the write takes them.
func links(files []attachment) []ersclient.FileLink {
	var out []ersclient.FileLink
	for _, a := range files {
		out = append(out, ersclient.FileLink{BinaryID: a.id, Description: a.name})
	}
	return out
}
