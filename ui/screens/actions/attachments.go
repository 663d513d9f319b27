package actions

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
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

// checkAttachment checks a typed path off the update loop (a home directory
// on a network file system can be slow): the file must be a regular file of
// a type e-RS accepts, not empty and at most 5 MB. The answer comes back as
// an attachmentChecked.
func checkAttachment(typed string, home func() (string, error)) tea.Cmd {
	return func() tea.Msg {
		a, problem := statAttachment(typed, home)
		return attachmentChecked{typed: typed, file: a, problem: problem}
	}
}

// attachmentChecked is checkAttachment's answer: the file, or the problem
// in words.
type attachmentChecked struct {
	typed   string
	file    attachment
	problem string
}

func statAttachment(typed string, home func() (string, error)) (attachment, string) {
	p := strings.TrimSpace(typed)
	if p == "" {
		return attachment{}, "Type the path of a file to attach."
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok && home != nil {
		if h, err := home(); err == nil {
			p = filepath.Join(h, rest)
		}
	}
	p = filepath.Clean(p)
	name := filepath.Base(p)
	if ersclient.ContentTypeForFileName(name) == "" {
		return attachment{}, "e-RS does not accept files like " + name + ": use pdf, txt, rtf, doc, docx, jpg, png, gif, tif, xml or dcm."
	}
	info, err := os.Stat(p)
	switch {
	case err != nil:
		return attachment{}, "No file can be read at " + p + "."
	case !info.Mode().IsRegular():
		return attachment{}, p + " is not a file."
	case info.Size() == 0:
		return attachment{}, name + " is empty."
	case info.Size() > ersclient.MaxAttachmentBytes:
		return attachment{}, fmt.Sprintf("%s is %s; e-RS accepts files up to 5 MB.", name, sizeText(info.Size()))
	}
	return attachment{path: p, name: name, size: info.Size()}, ""
}

// addChecked adds a checked file unless it is listed already or the user
// has typed another path since; it returns the problem in words, or "".
func (f *form) addChecked(msg attachmentChecked) string {
	if msg.typed != f.path.Value() {
		return "" // the path changed while it was checked: the new one will be
	}
	if msg.problem != "" {
		return msg.problem
	}
	for _, a := range f.files {
		if a.path == msg.file.path {
			return msg.file.name + " is already attached."
		}
	}
	f.files = append(f.files, msg.file)
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
